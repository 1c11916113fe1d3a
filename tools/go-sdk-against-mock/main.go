// The official Go SDK (tencentcloud-sdk-go-intl-en, organization 2021-03-31) against
// `tco-harness mock`, unchanged but for its endpoint and scheme. One PASS/FAIL line per check;
// exit status 1 when one failed.
//
//	go run . -endpoint 127.0.0.1:PORT [-secret-id ID -secret-key KEY]
//
// run.sh beside this file starts the mock and runs it; see its header for what was tried.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"

	org "github.com/tencentcloud/tencentcloud-sdk-go-intl-en/tencentcloud/organization/v20210331"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common"
	sdkerrors "github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/errors"
	"github.com/tencentcloud/tencentcloud-sdk-go/tencentcloud/common/profile"
)

// The mock's built-in test account (crates/mock/src/config/account.rs), used when the environment
// does not name one; the mock reads the same variables, so the two agree.
const (
	builtinSecretID  = "AKIDMockDefaultAccount00000000000000"
	builtinSecretKey = "tco-harness-mock-default-secret-key"
)

var failures int

func check(name string, ok bool, detail string) {
	status := "PASS"
	if !ok {
		status = "FAIL"
		failures++
	}
	fmt.Printf("%s %s: %s\n", status, name, detail)
}

// text prints what a response field points at, so fields of different integer types compare.
func text[T any](p *T) string {
	if p == nil {
		return "<nil>"
	}
	return fmt.Sprint(*p)
}

func client(endpoint, signMethod, id, key string) *org.Client {
	cpf := profile.NewClientProfile()
	cpf.HttpProfile.Endpoint = endpoint
	cpf.HttpProfile.Scheme = "http"
	cpf.SignMethod = signMethod
	c, err := org.NewClient(common.NewCredential(id, key), "ap-guangzhou", cpf)
	if err != nil {
		fmt.Printf("FAIL client for %s: %v\n", endpoint, err)
		os.Exit(1)
	}
	return c
}

func code(err error) string {
	var sdk *sdkerrors.TencentCloudSDKError
	if errors.As(err, &sdk) {
		return sdk.GetCode()
	}
	if err != nil {
		return err.Error()
	}
	return "no error"
}

// workflow: an organization, a unit, a member in it, read back, then taken apart.
func workflow(c *org.Client, tag string) {
	created, err := c.CreateOrganization(org.NewCreateOrganizationRequest())
	if err != nil {
		check(tag+" CreateOrganization", false, code(err))
		return
	}
	orgID := text(created.Response.OrgId)
	check(tag+" CreateOrganization", orgID != "<nil>", "OrgId="+orgID)

	describe := org.NewDescribeOrganizationRequest()
	describe.Lang = common.StringPtr("en")
	d, err := c.DescribeOrganization(describe)
	if err != nil {
		check(tag+" DescribeOrganization", false, code(err))
		return
	}
	check(tag+" DescribeOrganization", text(d.Response.OrgId) == orgID,
		fmt.Sprintf("OrgId=%s RootNodeId=%s", text(d.Response.OrgId), text(d.Response.RootNodeId)))

	add := org.NewAddOrganizationNodeRequest()
	add.ParentNodeId = d.Response.RootNodeId
	add.Name = common.StringPtr("go-" + tag)
	node, err := c.AddOrganizationNode(add)
	if err != nil {
		check(tag+" AddOrganizationNode", false, code(err))
		return
	}
	nodeID := text(node.Response.NodeId)
	check(tag+" AddOrganizationNode", nodeID != "<nil>", "NodeId="+nodeID)

	nodes := org.NewDescribeOrganizationNodesRequest()
	nodes.Limit = common.Int64Ptr(50)
	nodes.Offset = common.Int64Ptr(0)
	listed, err := c.DescribeOrganizationNodes(nodes)
	names := map[string]string{}
	if err == nil {
		for _, n := range listed.Response.Items {
			names[text(n.NodeId)] = text(n.Name)
		}
	}
	check(tag+" DescribeOrganizationNodes", err == nil && names[nodeID] == "go-"+tag && len(names) == 2,
		fmt.Sprintf("%v %s", names, code(err)))

	member := org.NewCreateOrganizationMemberRequest()
	member.Name = common.StringPtr("go-member-" + tag)
	member.PolicyType = common.StringPtr("Financial")
	member.PermissionIds = common.Uint64Ptrs([]uint64{1, 2})
	member.NodeId = node.Response.NodeId
	member.AccountName = common.StringPtr("go-account-" + tag)
	m, err := c.CreateOrganizationMember(member)
	if err != nil {
		check(tag+" CreateOrganizationMember", false, code(err))
		return
	}
	uin := text(m.Response.Uin)
	check(tag+" CreateOrganizationMember", uin != "<nil>", "Uin="+uin)

	members := org.NewDescribeOrganizationMembersRequest()
	members.Offset = common.Int64Ptr(0)
	members.Limit = common.Int64Ptr(10)
	members.Lang = common.StringPtr("en")
	ms, err := c.DescribeOrganizationMembers(members)
	ok := err == nil && len(ms.Response.Items) == 1 &&
		text(ms.Response.Items[0].MemberUin) == uin && text(ms.Response.Items[0].NodeId) == nodeID
	check(tag+" DescribeOrganizationMembers", ok, code(err))

	dup := org.NewAddOrganizationNodeRequest()
	dup.ParentNodeId = d.Response.RootNodeId
	dup.Name = common.StringPtr("go-" + tag)
	_, err = c.AddOrganizationNode(dup)
	check(tag+" a duplicate unit name is refused", code(err) == "FailedOperation.OrganizationNodeNameUsed", code(err))

	bind := org.NewAddOrganizationMemberEmailRequest()
	bind.MemberUin = m.Response.Uin
	bind.Email = common.StringPtr("go-" + tag + "@example.com")
	bind.CountryCode = common.StringPtr("86")
	bind.Phone = common.StringPtr("13800000000")
	_, err = c.AddOrganizationMemberEmail(bind)
	check(tag+" AddOrganizationMemberEmail", err == nil, code(err))

	del := org.NewDeleteOrganizationMembersRequest()
	del.MemberUin = []*uint64{m.Response.Uin}
	_, err = c.DeleteOrganizationMembers(del)
	check(tag+" DeleteOrganizationMembers", err == nil, code(err))
	dn := org.NewDeleteOrganizationNodesRequest()
	dn.NodeId = []*int64{node.Response.NodeId}
	_, err = c.DeleteOrganizationNodes(dn)
	check(tag+" DeleteOrganizationNodes", err == nil, code(err))
	_, err = c.DeleteOrganization(org.NewDeleteOrganizationRequest())
	check(tag+" DeleteOrganization", err == nil, code(err))
	_, err = c.DescribeOrganization(describe)
	check(tag+" DescribeOrganization after deletion", code(err) == "ResourceNotFound.OrganizationNotExist", code(err))
}

func main() {
	endpoint := flag.String("endpoint", "", "the mock's HOST:PORT")
	id := flag.String("secret-id", envOr("TENCENTCLOUD_SECRET_ID", builtinSecretID), "SecretId")
	key := flag.String("secret-key", envOr("TENCENTCLOUD_SECRET_KEY", builtinSecretKey), "SecretKey")
	flag.Parse()
	if *endpoint == "" {
		fmt.Fprintln(os.Stderr, "-endpoint HOST:PORT is required")
		os.Exit(2)
	}
	for _, method := range []string{"TC3-HMAC-SHA256", "HmacSHA256"} {
		workflow(client(*endpoint, method, *id, *key), "["+method+"]")
		wrong := client(*endpoint, method, *id, *key+"-wrong")
		_, err := wrong.DescribeOrganization(org.NewDescribeOrganizationRequest())
		check("["+method+"] a wrong SecretKey", code(err) == "AuthFailure.SignatureFailure", code(err))
	}
	if failures > 0 {
		fmt.Printf("\n%d check(s) failed\n", failures)
		os.Exit(1)
	}
	fmt.Println("\nall checks passed")
}

func envOr(name, fallback string) string {
	if os.Getenv("TENCENTCLOUD_SECRET_ID") != "" && os.Getenv("TENCENTCLOUD_SECRET_KEY") != "" {
		return os.Getenv(name)
	}
	return fallback
}
