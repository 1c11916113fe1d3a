#!/usr/bin/env python3
"""The official Python SDK against `tco-harness mock`.

Starts the mock itself (three times: once with the default configuration for the workflows,
the manage-policy lifecycle and the wrong-key check, once with a zero rate limit on one action
for the burst check, once with a second account for the share-unit lifecycle, whose member
answers with its own account), drives it with the SDK's typed clients for both API versions, prints one
PASS/FAIL line per step, stops each mock with SIGTERM and checks it exits 0. Exits non-zero on
any failure.

    python3 tools/sdk-against-mock/run.py [path/to/tco-harness]

The binary defaults to target/release/tco-harness (relative to the repository root).
SDK: tencentcloud-sdk-python-intl-en, pinned in tools/requirements.txt.
"""

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

import requests
from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import (
    TencentCloudSDKException,
)
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.organization.v20181225 import models as m18
from tencentcloud.organization.v20181225 import organization_client as c18
from tencentcloud.organization.v20210331 import models as m21
from tencentcloud.organization.v20210331 import organization_client as c21

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# The mock's built-in default account (crates/mock/src/config/account.rs), used when the
# environment does not set TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY; the mock
# reads the same variables, so the two always agree.
BUILTIN_SECRET_ID = "AKIDMockDefaultAccount00000000000000"
BUILTIN_SECRET_KEY = "tco-harness-mock-default-secret-key"
REGION = "ap-guangzhou"
# The burst step: a limit of zero refuses every call of the action, however slow the machine.
ZERO_LIMIT = 0
BURST = 10
# The share-unit lifecycle's accounts: the manager (the default credentials, under the mock's
# default UIN) and a member with credentials of its own.
HOST_UIN = 100000000001
MEMBER_UIN = 100000000002
MEMBER_SECRET_ID = "AKIDSdkShareMember000000000000000000"
MEMBER_SECRET_KEY = "sdk-share-member-key"
SHARE_AREA = "ap-guangzhou"

FAILURES = []


def report(ok, name, detail=""):
    line = f"{'PASS' if ok else 'FAIL'} {name}"
    if detail:
        line += f": {detail}"
    print(line, flush=True)
    if not ok:
        FAILURES.append(name)
    return ok


def default_credentials():
    sid = os.environ.get("TENCENTCLOUD_SECRET_ID") or ""
    key = os.environ.get("TENCENTCLOUD_SECRET_KEY") or ""
    if sid and key:
        return sid, key
    return BUILTIN_SECRET_ID, BUILTIN_SECRET_KEY


class Mock:
    """A `tco-harness mock --listen 127.0.0.1:0` child process."""

    def __init__(self, binary, config_text=None):
        self.config_path = None
        args = [binary, "mock", "--listen", "127.0.0.1:0"]
        if config_text is not None:
            fd, self.config_path = tempfile.mkstemp(prefix="tco-mock-", suffix=".toml")
            with os.fdopen(fd, "w") as f:
                f.write(config_text)
            args += ["--config", self.config_path]
        self.args = args
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        m = re.fullmatch(r"listening on http://(\S+):(\d+)\n", line)
        if not m:
            self.proc.kill()
            raise RuntimeError(f"unexpected first line from {args}: {line!r}")
        self.host, self.port = m.group(1), int(m.group(2))
        self.endpoint = f"{self.host}:{self.port}"

    def stop(self):
        """SIGTERM, then the exit status (None if it had to be killed)."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            rc = None
        if self.config_path:
            os.unlink(self.config_path)
        return rc


def clients(endpoint, sign_method, secret_id, secret_key):
    http = HttpProfile(protocol="http", endpoint=endpoint)
    http.reqTimeout = 10
    profile = ClientProfile(signMethod=sign_method, httpProfile=http)
    cred = credential.Credential(secret_id, secret_key)
    return (
        c18.OrganizationClient(cred, REGION, profile),
        c21.OrganizationClient(cred, REGION, profile),
    )


def req(model_cls, **fields):
    r = model_cls()
    for k, v in fields.items():
        setattr(r, k, v)
    return r


def step(name, fn):
    """Runs fn(); returns its value, or None after a FAIL line (exception or False check)."""
    try:
        value, detail = fn()
    except TencentCloudSDKException as e:
        report(False, name, f"{e.get_code()}: {e.get_message()} (RequestId {e.get_request_id()})")
        return None
    except AssertionError as e:
        report(False, name, str(e) or "check failed")
        return None
    report(True, name, detail)
    return value


def expect_error(name, fn, code):
    """fn() must raise TencentCloudSDKException with `code` and a RequestId."""
    try:
        fn()
    except TencentCloudSDKException as e:
        ok = e.get_code() == code and bool(e.get_request_id())
        return report(ok, name, f"{e.get_code()} RequestId={e.get_request_id()}")
    return report(False, name, f"no error; expected {code}")


def workflow(endpoint, sign_method, tag):
    """Organization, units and members over both API versions, then clean-up."""
    sid, key = default_credentials()
    v18, v21 = clients(endpoint, sign_method, sid, key)
    p = f"[{sign_method}]"
    state = {}

    def create():
        r = v18.CreateOrganization(req(m18.CreateOrganizationRequest, OrgType=1))
        assert r.OrgId and r.RequestId, f"OrgId={r.OrgId} RequestId={r.RequestId}"
        state["org"] = r.OrgId
        return r.OrgId, f"OrgId={r.OrgId}"

    if step(f"{p} 2018 CreateOrganization", create) is None:
        return

    def get18():
        r = v18.GetOrganization(m18.GetOrganizationRequest())
        assert r.OrgId == state["org"], f"OrgId {r.OrgId} != {state['org']}"
        assert r.IsEmpty == 1, f"IsEmpty={r.IsEmpty}"
        return r, f"OrgId={r.OrgId} HostUin={r.HostUin} IsEmpty={r.IsEmpty}"

    step(f"{p} 2018 GetOrganization", get18)

    def describe21():
        r = v21.DescribeOrganization(req(m21.DescribeOrganizationRequest, Lang="en"))
        assert r.OrgId == state["org"], f"OrgId {r.OrgId} != {state['org']} (one world)"
        assert r.RootNodeId, f"RootNodeId={r.RootNodeId}"
        assert r.IsManager == 1, f"IsManager={r.IsManager}"
        state["root"] = r.RootNodeId
        return r, f"OrgId={r.OrgId} RootNodeId={r.RootNodeId}"

    if step(f"{p} 2021 DescribeOrganization", describe21) is None:
        return
    root = state["root"]

    def add18():
        r = v18.AddOrganizationNode(
            req(m18.AddOrganizationNodeRequest, ParentNodeId=root, Name="eng")
        )
        assert r.NodeId, "no NodeId"
        state["eng"] = r.NodeId
        return r, f"NodeId={r.NodeId}"

    def add21():
        r = v21.AddOrganizationNode(
            req(m21.AddOrganizationNodeRequest, ParentNodeId=root, Name="ops", Remark="ops unit")
        )
        assert r.NodeId, "no NodeId"
        state["ops"] = r.NodeId
        return r, f"NodeId={r.NodeId}"

    if step(f"{p} 2018 AddOrganizationNode eng", add18) is None:
        return
    if step(f"{p} 2021 AddOrganizationNode ops", add21) is None:
        return
    eng, ops = state["eng"], state["ops"]

    expect_error(
        f"{p} 2021 AddOrganizationNode duplicate name",
        lambda: v21.AddOrganizationNode(
            req(m21.AddOrganizationNodeRequest, ParentNodeId=root, Name="ops")
        ),
        "FailedOperation.OrganizationNodeNameUsed",
    )

    def list18():
        r = v18.ListOrganizationNodes(m18.ListOrganizationNodesRequest())
        got = {n.NodeId: (n.Name, n.ParentNodeId) for n in r.Nodes}
        want = {root: ("Root", 0), eng: ("eng", root), ops: ("ops", root)}
        assert got == want, f"nodes {got} != {want}"
        return r, f"{len(r.Nodes)} nodes"

    step(f"{p} 2018 ListOrganizationNodes", list18)

    def update18():
        v18.UpdateOrganizationNode(
            req(m18.UpdateOrganizationNodeRequest, NodeId=eng, Name="engineering")
        )
        return None, f"NodeId={eng} -> engineering"

    step(f"{p} 2018 UpdateOrganizationNode", update18)

    def describe_nodes21():
        r = v21.DescribeOrganizationNodes(
            req(m21.DescribeOrganizationNodesRequest, Limit=50, Offset=0)
        )
        names = sorted(n.Name for n in r.Items)
        assert r.Total == 3, f"Total={r.Total}"
        assert names == ["Root", "engineering", "ops"], f"names={names}"
        return r, f"Total={r.Total} names={names}"

    step(f"{p} 2021 DescribeOrganizationNodes", describe_nodes21)

    def create_member():
        r = v21.CreateOrganizationMember(
            req(
                m21.CreateOrganizationMemberRequest,
                Name=f"member-{tag}",
                PolicyType="Financial",
                PermissionIds=[1, 2, 4],
                NodeId=eng,
                AccountName=f"acct-{tag}",
                Remark="created by the SDK",
            )
        )
        assert r.Uin, "no Uin"
        state["uin"] = r.Uin
        return r, f"Uin={r.Uin}"

    if step(f"{p} 2021 CreateOrganizationMember", create_member) is None:
        return
    uin = state["uin"]

    def describe_members21(node, label):
        def f():
            r = v21.DescribeOrganizationMembers(
                req(m21.DescribeOrganizationMembersRequest, Offset=0, Limit=10, Lang="en")
            )
            assert r.Total == 1, f"Total={r.Total}"
            m = r.Items[0]
            assert m.MemberUin == uin, f"MemberUin={m.MemberUin}"
            assert m.NodeId == node, f"member in NodeId={m.NodeId}, want {node} ({label})"
            return r, f"Total={r.Total} Uin={m.MemberUin} NodeId={m.NodeId} NodeName={m.NodeName}"

        return f

    step(f"{p} 2021 DescribeOrganizationMembers", describe_members21(eng, "engineering"))

    def list_members18():
        r = v18.ListOrganizationMembers(
            req(m18.ListOrganizationMembersRequest, Offset=0, Limit=10)
        )
        uins = [m.Uin for m in r.Members]
        assert r.TotalCount == 1 and uins == [uin], f"TotalCount={r.TotalCount} uins={uins}"
        return r, f"TotalCount={r.TotalCount}"

    step(f"{p} 2018 ListOrganizationMembers", list_members18)

    def move21():
        v21.MoveOrganizationNodeMembers(
            req(m21.MoveOrganizationNodeMembersRequest, NodeId=ops, MemberUin=[uin])
        )
        return None, f"Uin={uin} -> NodeId={ops}"

    step(f"{p} 2021 MoveOrganizationNodeMembers", move21)

    def node_members18():
        r = v18.ListOrganizationNodeMembers(
            req(m18.ListOrganizationNodeMembersRequest, NodeId=ops, Offset=0, Limit=10)
        )
        uins = [m.Uin for m in r.Members]
        assert uins == [uin], f"members of ops: {uins}"
        return r, f"ops has {uins}"

    step(f"{p} 2018 ListOrganizationNodeMembers", node_members18)

    expect_error(
        f"{p} 2021 DeleteOrganizationNodes non-empty unit",
        lambda: v21.DeleteOrganizationNodes(
            req(m21.DeleteOrganizationNodesRequest, NodeId=[ops])
        ),
        "FailedOperation.NodeNotEmpty",
    )

    def move18():
        v18.MoveOrganizationMembersToNode(
            req(m18.MoveOrganizationMembersToNodeRequest, NodeId=eng, Uins=[uin])
        )
        return None, f"Uin={uin} -> NodeId={eng}"

    step(f"{p} 2018 MoveOrganizationMembersToNode", move18)
    step(f"{p} 2021 DescribeOrganizationMembers after move", describe_members21(eng, "engineering"))

    def remove_from_node18():
        v18.DeleteOrganizationMemberFromNode(
            req(m18.DeleteOrganizationMemberFromNodeRequest, MemberUin=uin, NodeId=eng)
        )
        return None, f"Uin={uin} back to root"

    step(f"{p} 2018 DeleteOrganizationMemberFromNode", remove_from_node18)
    step(f"{p} 2021 DescribeOrganizationMembers in root", describe_members21(root, "Root"))

    def delete_nodes():
        v18.DeleteOrganizationNodes(req(m18.DeleteOrganizationNodesRequest, NodeIds=[eng]))
        v21.DeleteOrganizationNodes(req(m21.DeleteOrganizationNodesRequest, NodeId=[ops]))
        r = v21.DescribeOrganizationNodes(req(m21.DescribeOrganizationNodesRequest, Limit=50, Offset=0))
        assert r.Total == 1, f"Total={r.Total} after deleting both units"
        return r, "2018 deleted engineering, 2021 deleted ops; Total=1"

    step(f"{p} 2018+2021 DeleteOrganizationNodes", delete_nodes)

    expect_error(
        f"{p} 2021 DeleteOrganizationMembers before email bound",
        lambda: v21.DeleteOrganizationMembers(
            req(m21.DeleteOrganizationMembersRequest, MemberUin=[uin])
        ),
        "UnsupportedOperation.CreateMemberNotAllowDelete",
    )

    def bind_email():
        r = v21.AddOrganizationMemberEmail(
            req(
                m21.AddOrganizationMemberEmailRequest,
                MemberUin=uin,
                Email=f"member-{tag}@example.com",
                CountryCode="86",
                Phone="13800000000",
            )
        )
        assert r.BindId, "no BindId"
        b = v21.DescribeOrganizationMemberEmailBind(
            req(m21.DescribeOrganizationMemberEmailBindRequest, MemberUin=uin)
        )
        return r, f"BindId={r.BindId} BindStatus={b.BindStatus} Email={b.Email}"

    step(f"{p} 2021 AddOrganizationMemberEmail", bind_email)

    def delete_member():
        v21.DeleteOrganizationMembers(req(m21.DeleteOrganizationMembersRequest, MemberUin=[uin]))
        r = v21.DescribeOrganizationMembers(
            req(m21.DescribeOrganizationMembersRequest, Offset=0, Limit=10, Lang="en")
        )
        assert r.Total == 0, f"Total={r.Total} after delete"
        return r, "Total=0"

    step(f"{p} 2021 DeleteOrganizationMembers", delete_member)

    def delete_org():
        # Alternate the version that deletes, so both DeleteOrganization actions run.
        if sign_method == "TC3-HMAC-SHA256":
            v18.DeleteOrganization(m18.DeleteOrganizationRequest())
            which = "2018"
        else:
            v21.DeleteOrganization(m21.DeleteOrganizationRequest())
            which = "2021"
        return None, f"deleted with {which} DeleteOrganization"

    step(f"{p} DeleteOrganization", delete_org)
    expect_error(
        f"{p} 2021 DescribeOrganization after delete",
        lambda: v21.DescribeOrganization(req(m21.DescribeOrganizationRequest, Lang="en")),
        "ResourceNotFound.OrganizationNotExist",
    )


SCP = "SERVICE_CONTROL_POLICY"
DENY_CVM = '{"version":"2.0","statement":[{"effect":"deny","action":["cvm:*"],"resource":"*"}]}'
DENY_ALL = '{"version":"2.0","statement":[{"effect":"deny","action":"*","resource":"*"}]}'


def manage_policies(endpoint):
    """The manage-policy lifecycle as the Terraform provider's resources run it: enable the
    type, create, describe, list, update, attach to a unit and a member, list targets both
    ways, detach, delete, disable; then clean-up."""
    sid, key = default_credentials()
    _, v21 = clients(endpoint, "TC3-HMAC-SHA256", sid, key)
    p = "[policies]"
    state = {}

    def setup():
        v21.CreateOrganization(m21.CreateOrganizationRequest())
        org = v21.DescribeOrganization(req(m21.DescribeOrganizationRequest, Lang="en"))
        state["org"], state["root"] = org.OrgId, org.RootNodeId
        unit = v21.AddOrganizationNode(
            req(m21.AddOrganizationNodeRequest, ParentNodeId=org.RootNodeId, Name="sandbox")
        )
        state["unit"] = unit.NodeId
        member = v21.CreateOrganizationMember(
            req(
                m21.CreateOrganizationMemberRequest,
                Name="policy-member",
                PolicyType="Financial",
                PermissionIds=[1, 2],
                NodeId=unit.NodeId,
                AccountName="policy-member",
            )
        )
        state["uin"] = member.Uin
        return True, f"OrgId={org.OrgId} unit={unit.NodeId} member={member.Uin}"

    if step(f"{p} organization, unit and member", setup) is None:
        return
    org_id, unit, uin = state["org"], state["unit"], state["uin"]

    def config(expected):
        def f():
            r = v21.DescribePolicyConfig(
                req(m21.DescribePolicyConfigRequest, OrganizationId=org_id, Type=0)
            )
            assert (r.Status, r.Type) == (expected, SCP), f"Status={r.Status} Type={r.Type}"
            return r, f"Status={r.Status} Type={r.Type}"

        return f

    def enable():
        v21.EnablePolicyType(
            req(m21.EnablePolicyTypeRequest, OrganizationId=org_id, PolicyType=SCP)
        )
        return None, f"OrganizationId={org_id} {SCP}"

    step(f"{p} EnablePolicyType", enable)
    step(f"{p} DescribePolicyConfig enabled", config(1))

    def create():
        r = v21.CreatePolicy(
            req(m21.CreatePolicyRequest, Name="deny_cvm", Content=DENY_CVM, Type=SCP,
                Description="no cvm")
        )
        assert r.PolicyId, "no PolicyId"
        state["policy"] = r.PolicyId
        return r, f"PolicyId={r.PolicyId}"

    if step(f"{p} CreatePolicy", create) is None:
        return
    policy = state["policy"]

    def describe(name, document):
        def f():
            r = v21.DescribePolicy(req(m21.DescribePolicyRequest, PolicyId=policy, PolicyType=SCP))
            assert (r.PolicyName, r.PolicyDocument, r.Type) == (name, document, 1), (
                f"PolicyName={r.PolicyName} Type={r.Type} PolicyDocument={r.PolicyDocument}"
            )
            return r, f"PolicyName={r.PolicyName} Description={r.Description} AddTime={r.AddTime}"

        return f

    step(f"{p} DescribePolicy", describe("deny_cvm", DENY_CVM))

    def list_policies():
        r = v21.ListPolicies(req(m21.ListPoliciesRequest, PolicyType=SCP, Rp=20, Page=1))
        got = {n.PolicyId: (n.PolicyName, n.Type, n.AttachedTimes) for n in r.List}
        assert got.get(policy) == ("deny_cvm", 1, 0), f"listed {got}"
        assert got.get(1000, ("",))[0] == "FullQcloudAccess", f"no built-in policy in {got}"
        return r, f"TotalNum={r.TotalNum} {sorted(got)}"

    step(f"{p} ListPolicies", list_policies)

    def update():
        v21.UpdatePolicy(
            req(m21.UpdatePolicyRequest, PolicyId=policy, Name="deny_all", Content=DENY_ALL,
                Description="nothing at all", Type=SCP)
        )
        return None, f"PolicyId={policy} -> deny_all"

    step(f"{p} UpdatePolicy", update)
    step(f"{p} DescribePolicy after update", describe("deny_all", DENY_ALL))

    def attach():
        for target_type, target in (("NODE", unit), ("MEMBER", uin)):
            v21.AttachPolicy(
                req(m21.AttachPolicyRequest, TargetId=target, TargetType=target_type,
                    PolicyId=policy, Type=SCP)
            )
        return None, f"to unit {unit} and member {uin}"

    step(f"{p} AttachPolicy unit and member", attach)

    def targets(expected):
        def f():
            r = v21.ListTargetsForPolicy(
                req(m21.ListTargetsForPolicyRequest, PolicyId=policy, PolicyType=SCP, Rp=20, Page=1)
            )
            got = sorted((t.Uin, t.RelatedType) for t in r.List)
            assert got == expected and r.TotalNum == len(expected), f"TotalNum={r.TotalNum} {got}"
            return r, f"TotalNum={r.TotalNum} {got}"

        return f

    step(f"{p} ListTargetsForPolicy", targets(sorted([(unit, 1), (uin, 2)])))

    def on_target(target, expected):
        def f():
            r = v21.ListPoliciesForTarget(
                req(m21.ListPoliciesForTargetRequest, TargetId=target, PolicyType=SCP, Rp=20, Page=1)
            )
            got = sorted(x.StrategyId for x in r.List)
            assert got == expected, f"{got} != {expected}"
            return r, f"TargetId={target} {[(x.StrategyId, x.StrategyName) for x in r.List]}"

        return f

    step(f"{p} ListPoliciesForTarget unit", on_target(unit, [1000, policy]))
    step(f"{p} ListPoliciesForTarget member", on_target(uin, [1000, policy]))
    expect_error(
        f"{p} DeletePolicy while attached",
        lambda: v21.DeletePolicy(req(m21.DeletePolicyRequest, PolicyId=policy, Type=SCP)),
        "FailedOperation.OrganizationPolicyInUsed",
    )

    def detach():
        for target_type, target in (("NODE", unit), ("MEMBER", uin)):
            v21.DetachPolicy(
                req(m21.DetachPolicyRequest, TargetId=target, TargetType=target_type,
                    PolicyId=policy, Type=SCP)
            )
        return None, f"from unit {unit} and member {uin}"

    step(f"{p} DetachPolicy unit and member", detach)
    step(f"{p} ListTargetsForPolicy after detach", targets([]))
    step(f"{p} ListPoliciesForTarget member after detach", on_target(uin, [1000]))

    def delete():
        v21.DeletePolicy(req(m21.DeletePolicyRequest, PolicyId=policy, Type=SCP))
        return None, f"PolicyId={policy}"

    step(f"{p} DeletePolicy", delete)
    expect_error(
        f"{p} DescribePolicy after delete",
        lambda: v21.DescribePolicy(req(m21.DescribePolicyRequest, PolicyId=policy, PolicyType=SCP)),
        "ResourceNotFound.PolicyNotExist",
    )

    def disable():
        v21.DisablePolicyType(
            req(m21.DisablePolicyTypeRequest, OrganizationId=org_id, PolicyType=SCP)
        )
        return None, f"OrganizationId={org_id} {SCP}"

    step(f"{p} DisablePolicyType", disable)
    step(f"{p} DescribePolicyConfig disabled", config(0))

    def teardown():
        v21.AddOrganizationMemberEmail(
            req(m21.AddOrganizationMemberEmailRequest, MemberUin=uin,
                Email="policy-member@example.com", CountryCode="86", Phone="13800000000")
        )
        v21.DeleteOrganizationMembers(req(m21.DeleteOrganizationMembersRequest, MemberUin=[uin]))
        v21.DeleteOrganizationNodes(req(m21.DeleteOrganizationNodesRequest, NodeId=[unit]))
        v21.DeleteOrganization(m21.DeleteOrganizationRequest())
        return None, "member, unit and organization deleted"

    step(f"{p} clean-up", teardown)


def poll_task(v21, zone, task_id, status_call="GetTaskStatus"):
    """Polls a task once a second until it leaves InProgress (as the Terraform provider does),
    at most 10 times; every status seen, and the last TaskStatus."""
    seen = []
    for _ in range(10):
        if status_call == "GetTaskStatus":
            r = v21.GetTaskStatus(req(m21.GetTaskStatusRequest, ZoneId=zone, TaskId=task_id))
        else:
            r = v21.GetProvisioningTaskStatus(
                req(m21.GetProvisioningTaskStatusRequest, ZoneId=zone, TaskId=task_id)
            )
        seen.append(r.TaskStatus.Status)
        if r.TaskStatus.Status != "InProgress":
            return seen, r.TaskStatus
        time.sleep(1)
    return seen, None


def set_task_policy(endpoint, policy):
    """PUT /_mock/tasks (the admin surface is open on loopback)."""
    r = requests.put(f"http://{endpoint}/_mock/tasks", json=policy, timeout=10)
    assert r.status_code == 200, f"PUT /_mock/tasks {policy}: {r.status_code} {r.text}"
    return r.json()


def identity_center(endpoint):
    """Identity Center role assignments with the SDK's typed 2021 client: a role configuration
    with a system policy, a role assignment created and polled with GetTaskStatus until
    Success, listed, deleted and polled again, the deployment dismantled; then, with the task
    policy set through the admin surface, a task that fails with its reason."""
    sid, key = default_credentials()
    _, v21 = clients(endpoint, "TC3-HMAC-SHA256", sid, key)
    p = "[identity center]"
    state = {}

    def setup():
        v21.CreateOrganization(m21.CreateOrganizationRequest())
        member = v21.CreateOrganizationMember(
            req(
                m21.CreateOrganizationMemberRequest,
                Name="sdk-target",
                PolicyType="Financial",
                PermissionIds=[1, 2],
                NodeId=v21.DescribeOrganization(req(m21.DescribeOrganizationRequest, Lang="en")).RootNodeId,
                AccountName="sdk-target",
            )
        )
        zone = v21.OpenIdentityCenter(req(m21.OpenIdentityCenterRequest, ZoneName="sdk-zone")).ZoneId
        user = v21.CreateUser(req(m21.CreateUserRequest, ZoneId=zone, UserName="sdk-user")).UserInfo
        role = v21.CreateRoleConfiguration(
            req(m21.CreateRoleConfigurationRequest, ZoneId=zone, RoleConfigurationName="sdk-admin")
        ).RoleConfigurationInfo
        v21.AddPermissionPolicyToRoleConfiguration(
            req(
                m21.AddPermissionPolicyToRoleConfigurationRequest,
                ZoneId=zone,
                RoleConfigurationId=role.RoleConfigurationId,
                RolePolicyType="System",
                RolePolicies=[req(m21.PolicyDetail, PolicyId=1, PolicyName="AdministratorAccess")],
            )
        )
        state.update(
            zone=zone, member=member.Uin, user=user.UserId, role=role.RoleConfigurationId
        )
        return state, (
            f"ZoneId={zone} member Uin={member.Uin} UserId={user.UserId} "
            f"RoleConfigurationId={role.RoleConfigurationId}"
        )

    if step(f"{p} organization, member, zone, user, role configuration with a policy", setup) is None:
        return
    zone, member, user, role = state["zone"], state["member"], state["user"], state["role"]

    def assignment(**extra):
        return dict(
            ZoneId=zone,
            RoleConfigurationId=role,
            TargetType="MemberUin",
            TargetUin=member,
            PrincipalType="User",
            PrincipalId=user,
            **extra,
        )

    def info():
        fields = assignment()
        del fields["ZoneId"]
        return req(m21.RoleAssignmentInfo, **fields)

    def create():
        r = v21.CreateRoleAssignment(
            req(m21.CreateRoleAssignmentRequest, ZoneId=zone, RoleAssignmentInfo=[info()])
        )
        task = r.Tasks[0]
        assert task.Status == "InProgress", f"Status={task.Status}"
        assert task.TaskType == "CreateRoleAssignment", f"TaskType={task.TaskType}"
        seen, final = poll_task(v21, zone, task.TaskId)
        assert seen == ["InProgress", "Success"], f"statuses {seen}"
        return task.TaskId, f"TaskId={task.TaskId} polled: {' -> '.join(seen)}"

    if step(f"{p} CreateRoleAssignment, GetTaskStatus every second until Success", create) is None:
        return

    def listed(count):
        def f():
            r = v21.ListRoleAssignments(
                req(m21.ListRoleAssignmentsRequest, MaxResults=100, **assignment())
            )
            assert r.TotalCounts == count, f"TotalCounts={r.TotalCounts}"
            names = [a.PrincipalName for a in r.RoleAssignments]
            assert names == ["sdk-user"] * count, f"PrincipalName {names}"
            return r, f"TotalCounts={r.TotalCounts} PrincipalName={names}"

        return f

    step(f"{p} ListRoleAssignments lists it", listed(1))

    def delete():
        r = v21.DeleteRoleAssignment(
            req(m21.DeleteRoleAssignmentRequest, DeprovisionStrategy="None", **assignment())
        )
        assert r.Task.TaskType == "DeleteRoleAssignment", f"TaskType={r.Task.TaskType}"
        seen, _ = poll_task(v21, zone, r.Task.TaskId)
        assert seen == ["InProgress", "Success"], f"statuses {seen}"
        return None, f"TaskId={r.Task.TaskId} polled: {' -> '.join(seen)}"

    step(f"{p} DeleteRoleAssignment, GetTaskStatus until Success", delete)
    step(f"{p} ListRoleAssignments no longer lists it", listed(0))

    def dismantle():
        r = v21.DismantleRoleConfiguration(
            req(
                m21.DismantleRoleConfigurationRequest,
                ZoneId=zone,
                RoleConfigurationId=role,
                TargetType="MemberUin",
                TargetUin=member,
            )
        )
        seen, _ = poll_task(v21, zone, r.Task.TaskId)
        assert seen == ["InProgress", "Success"], f"statuses {seen}"
        left = v21.ListRoleConfigurationProvisionings(
            req(m21.ListRoleConfigurationProvisioningsRequest, ZoneId=zone)
        )
        assert left.TotalCounts == 0, f"still deployed: TotalCounts={left.TotalCounts}"
        return None, f"TaskType={r.Task.TaskType} polled: {' -> '.join(seen)}"

    step(f"{p} DismantleRoleConfiguration, GetTaskStatus until Success", dismantle)

    def failing():
        policy = set_task_policy(endpoint, {"fail": "no quota left"})
        r = v21.CreateRoleAssignment(
            req(m21.CreateRoleAssignmentRequest, ZoneId=zone, RoleAssignmentInfo=[info()])
        )
        seen, final = poll_task(v21, zone, r.Tasks[0].TaskId)
        assert seen == ["InProgress", "Failed"], f"statuses {seen}"
        assert final.FailureReason == "no quota left", f"FailureReason={final.FailureReason!r}"
        failed = v21.ListTasks(req(m21.ListTasksRequest, ZoneId=zone, Status="Failed"))
        assert failed.TotalCounts == 1, f"ListTasks Failed: {failed.TotalCounts}"
        assert failed.Tasks[0].FailureReason == "no quota left"
        return None, f"policy {policy}; polled: {' -> '.join(seen)}; FailureReason={final.FailureReason!r}"

    try:
        step(f"{p} a failing task (PUT /_mock/tasks)", failing)
    finally:
        set_task_policy(endpoint, {})
    step(f"{p} ListRoleAssignments after the failed task", listed(0))

    def cleanup():
        v21.RemovePermissionPolicyFromRoleConfiguration(
            req(
                m21.RemovePermissionPolicyFromRoleConfigurationRequest,
                ZoneId=zone,
                RoleConfigurationId=role,
                RolePolicyType="System",
                RolePolicyId=1,
            )
        )
        v21.DeleteRoleConfiguration(
            req(m21.DeleteRoleConfigurationRequest, ZoneId=zone, RoleConfigurationId=role)
        )
        v21.DeleteUser(req(m21.DeleteUserRequest, ZoneId=zone, UserId=user))
        v21.AddOrganizationMemberEmail(
            req(
                m21.AddOrganizationMemberEmailRequest,
                MemberUin=member,
                Email="sdk-target@example.com",
                CountryCode="86",
                Phone="13800000000",
            )
        )
        v21.DeleteOrganizationMembers(req(m21.DeleteOrganizationMembersRequest, MemberUin=[member]))
        v21.DeleteOrganization(m21.DeleteOrganizationRequest())
        return None, "policy removed, role configuration, user, member and organization deleted"

    step(f"{p} clean-up", cleanup)


def wrong_key(endpoint):
    sid, key = default_credentials()
    for method in ("TC3-HMAC-SHA256", "HmacSHA256"):
        _, v21 = clients(endpoint, method, sid, key + "-wrong")
        expect_error(
            f"[{method}] wrong SecretKey",
            lambda: v21.DescribeOrganization(req(m21.DescribeOrganizationRequest, Lang="en")),
            "AuthFailure.SignatureFailure",
        )


def burst(endpoint):
    """With `[rate_limits.actions] DescribeOrganization = 0`, every DescribeOrganization is
    refused however slowly it arrives (a limit of N per second would let a slow machine through
    N+1 calls, so the step would depend on the machine's speed); other actions pass; lifting the
    limit through the admin surface lets the same call through."""
    sid, key = default_credentials()
    v18, v21 = clients(endpoint, "TC3-HMAC-SHA256", sid, key)
    p = f"[rate limit: DescribeOrganization = {ZERO_LIMIT}]"
    state = {}

    def other_actions():
        org = v18.CreateOrganization(req(m18.CreateOrganizationRequest, OrgType=1)).OrgId
        got = v18.GetOrganization(m18.GetOrganizationRequest()).OrgId
        assert got == org, f"GetOrganization OrgId={got}, created {org}"
        state["org"] = org
        return org, f"CreateOrganization and GetOrganization pass (OrgId={org})"

    if step(f"{p} other actions are not limited", other_actions) is None:
        return

    def refused():
        codes, ids = [], set()
        for _ in range(BURST):
            try:
                v21.DescribeOrganization(req(m21.DescribeOrganizationRequest, Lang="en"))
                codes.append("ok")
            except TencentCloudSDKException as e:
                codes.append(e.get_code())
                ids.add(e.get_request_id())
        assert codes == ["RequestLimitExceeded"] * BURST, f"codes {codes}"
        assert len(ids) == BURST and all(ids), f"RequestIds {sorted(map(str, ids))}"
        return None, f"{BURST} of {BURST} RequestLimitExceeded, {len(ids)} distinct RequestIds"

    step(f"{p} a burst of {BURST} DescribeOrganization", refused)

    def lifted():
        r = requests.put(
            f"http://{endpoint}/_mock/limits",
            json={"actions": {"DescribeOrganization": None}},
            timeout=10,
        )
        assert r.status_code == 200, f"PUT /_mock/limits: {r.status_code} {r.text}"
        got = v21.DescribeOrganization(req(m21.DescribeOrganizationRequest, Lang="en")).OrgId
        assert got == state["org"], f"OrgId={got}, created {state['org']}"
        return None, f"PUT /_mock/limits removed it; DescribeOrganization OrgId={got}"

    step(f"{p} the limit lifted", lifted)


def two_accounts_config():
    sid, key = default_credentials()
    return (
        f'[[accounts]]\nuin = {HOST_UIN}\nsecret_id = "{sid}"\nsecret_key = "{key}"\nname = "host"\n'
        f'[[accounts]]\nuin = {MEMBER_UIN}\nsecret_id = "{MEMBER_SECRET_ID}"\n'
        f'secret_key = "{MEMBER_SECRET_KEY}"\nname = "share-member"\n'
    )


def share_units(endpoint):
    """A share unit's lifecycle: the manager creates it, invites a member that accepts with its
    own account, adds a unit and a resource; each side reads it back; then it is taken apart."""
    sid, key = default_credentials()
    _, host = clients(endpoint, "TC3-HMAC-SHA256", sid, key)
    m18_client, member = clients(endpoint, "TC3-HMAC-SHA256", MEMBER_SECRET_ID, MEMBER_SECRET_KEY)
    p = "[share units]"
    state = {}

    def organization():
        host.CreateOrganization(m21.CreateOrganizationRequest())
        root = host.DescribeOrganization(req(m21.DescribeOrganizationRequest, Lang="en")).RootNodeId
        host.InviteOrganizationMember(
            req(m21.InviteOrganizationMemberRequest, MemberUin=MEMBER_UIN, Name="share-member",
                PolicyType="Financial", PermissionIds=[1, 2], NodeId=root)
        )
        invitations = m18_client.ListOrganizationInvitations(
            req(m18.ListOrganizationInvitationsRequest, Invited=1, Offset=0, Limit=10)
        ).Invitations
        m18_client.AcceptOrganizationInvitation(
            req(m18.AcceptOrganizationInvitationRequest, Id=invitations[0].Id)
        )
        node = host.AddOrganizationNode(
            req(m21.AddOrganizationNodeRequest, ParentNodeId=root, Name="shared")
        ).NodeId
        state.update(root=root, node=node)
        return node, f"organization with member {MEMBER_UIN}, unit {node}"

    if step(f"{p} setup: organization, invited member joined, a unit", organization) is None:
        return

    def create():
        r = host.AddShareUnit(
            req(m21.AddShareUnitRequest, Name="sdk-share", Area=SHARE_AREA,
                Description="shared by the SDK", ShareScope=1)
        )
        assert r.UnitId, "no UnitId"
        state["unit"] = r.UnitId
        units = host.DescribeShareUnits(
            req(m21.DescribeShareUnitsRequest, Area=SHARE_AREA, Offset=0, Limit=10)
        )
        got = [(u.UnitId, u.Name, u.Description) for u in units.Items]
        assert got == [(r.UnitId, "sdk-share", "shared by the SDK")], f"units {got}"
        return r, f"UnitId={r.UnitId}, listed by DescribeShareUnits"

    if step(f"{p} AddShareUnit, DescribeShareUnits", create) is None:
        return
    unit = state["unit"]

    def invite():
        host.AddShareUnitMembers(
            req(m21.AddShareUnitMembersRequest, UnitId=unit, Area=SHARE_AREA,
                Members=[req(m21.ShareMember, ShareMemberUin=MEMBER_UIN)])
        )
        seen = member.DescribeShareUnits(
            req(m21.DescribeShareUnitsRequest, Area=SHARE_AREA, Offset=0, Limit=10)
        )
        got = [(u.UnitId, u.OwnerUin) for u in seen.Items]
        assert got == [(unit, HOST_UIN)], f"the member sees {got}"
        return None, f"the member sees unit {unit} owned by {HOST_UIN}"

    step(f"{p} AddShareUnitMembers; the member finds its invitation", invite)

    def accept():
        member.AcceptJoinShareUnitInvitation(
            req(m21.AcceptJoinShareUnitInvitationRequest, UnitId=unit)
        )
        return None, "accepted with the member's own account"

    step(f"{p} AcceptJoinShareUnitInvitation (as the member)", accept)

    def add_node_and_resource():
        host.AddShareUnitNode(req(m21.AddShareUnitNodeRequest, UnitId=unit, NodeId=state["node"]))
        host.AddShareUnitResources(
            req(m21.AddShareUnitResourcesRequest, UnitId=unit, Area=SHARE_AREA, Type="secret",
                Resources=[req(m21.ProductResource, ProductResourceId="sdk-secret")])
        )
        nodes = host.DescribeShareUnitNodes(
            req(m21.DescribeShareUnitNodesRequest, UnitId=unit, Offset=0, Limit=10)
        )
        assert [n.ShareNodeId for n in nodes.Items] == [state["node"]], "nodes"
        return None, f"unit {state['node']} and secret sdk-secret added"

    step(f"{p} AddShareUnitNode, AddShareUnitResources", add_node_and_resource)

    def owner_side():
        members = host.DescribeShareUnitMembers(
            req(m21.DescribeShareUnitMembersRequest, UnitId=unit, Area=SHARE_AREA, Offset=0, Limit=10)
        )
        resources = host.DescribeShareUnitResources(
            req(m21.DescribeShareUnitResourcesRequest, UnitId=unit, Area=SHARE_AREA, Offset=0, Limit=10)
        )
        assert [m.ShareMemberUin for m in members.Items] == [MEMBER_UIN], "members"
        r = resources.Items[0]
        assert (r.ProductResourceId, r.SharedMemberNum) == ("sdk-secret", 1), (r.ProductResourceId, r.SharedMemberNum)
        state["resource"] = r.ResourceId
        return None, f"member {MEMBER_UIN}; resource {r.ResourceId} shared with {r.SharedMemberNum}"

    step(f"{p} the owner's side: DescribeShareUnitMembers, DescribeShareUnitResources", owner_side)

    def member_side(expected):
        def f():
            got = member.DescribeResourceToShareMember(
                req(m21.DescribeResourceToShareMemberRequest, Area=SHARE_AREA, Offset=0, Limit=10)
            )
            items = [(i.UnitId, i.ProductResourceId) for i in (got.Items or [])]
            assert items == expected, f"shared with the member: {items}"
            return None, f"{len(items)} resource(s) shared with the member"

        return f

    step(f"{p} the member's side: DescribeResourceToShareMember", member_side([(unit, "sdk-secret")]))

    def take_apart():
        host.DeleteShareUnitResources(
            req(m21.DeleteShareUnitResourcesRequest, UnitId=unit, Area=SHARE_AREA, Type="secret",
                Resources=[req(m21.ShareResource, ResourceId=state.get("resource"))])
        )
        host.DeleteShareUnitNode(req(m21.DeleteShareUnitNodeRequest, UnitId=unit, NodeId=state["node"]))
        host.DeleteShareUnitMembers(
            req(m21.DeleteShareUnitMembersRequest, UnitId=unit, Area=SHARE_AREA,
                Members=[req(m21.ShareMember, ShareMemberUin=MEMBER_UIN)])
        )
        return None, "resource, unit and member removed"

    step(f"{p} DeleteShareUnitResources, DeleteShareUnitNode, DeleteShareUnitMembers", take_apart)
    step(f"{p} the member's side after removal", member_side([]))

    def delete():
        host.DeleteShareUnit(req(m21.DeleteShareUnitRequest, UnitId=unit))
        units = host.DescribeShareUnits(
            req(m21.DescribeShareUnitsRequest, Area=SHARE_AREA, Offset=0, Limit=10)
        )
        assert units.Total == 0, f"Total={units.Total}"
        return None, "DescribeShareUnits Total=0"

    step(f"{p} DeleteShareUnit", delete)

    def teardown():
        host.DeleteOrganizationNodes(req(m21.DeleteOrganizationNodesRequest, NodeId=[state["node"]]))
        member.QuitOrganization(req(m21.QuitOrganizationRequest, OrgId=host.DescribeOrganization(
            req(m21.DescribeOrganizationRequest, Lang="en")).OrgId))
        host.DeleteOrganization(m21.DeleteOrganizationRequest())
        return None, "unit deleted, member quit, organization deleted"

    step(f"{p} teardown", teardown)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("binary", nargs="?", default=os.path.join(REPO, "target", "release", "tco-harness"))
    args = ap.parse_args()
    if not os.access(args.binary, os.X_OK):
        print(f"FAIL binary not found or not executable: {args.binary}")
        return 2

    mock = Mock(args.binary)
    print(f"mock (default config) at http://{mock.endpoint}", flush=True)
    try:
        workflow(mock.endpoint, "TC3-HMAC-SHA256", "tc3")
        workflow(mock.endpoint, "HmacSHA256", "v1")
        manage_policies(mock.endpoint)
        identity_center(mock.endpoint)
        wrong_key(mock.endpoint)
    finally:
        rc = mock.stop()
    report(rc == 0, "mock (default config) exits 0 on SIGTERM", f"exit status {rc}")

    limited = Mock(args.binary, f"[rate_limits.actions]\nDescribeOrganization = {ZERO_LIMIT}\n")
    print(f"mock (DescribeOrganization limited to {ZERO_LIMIT}) at http://{limited.endpoint}", flush=True)
    try:
        burst(limited.endpoint)
    finally:
        rc = limited.stop()
    report(rc == 0, "mock (limited) exits 0 on SIGTERM", f"exit status {rc}")

    shared = Mock(args.binary, two_accounts_config())
    print(f"mock (two accounts) at http://{shared.endpoint}", flush=True)
    try:
        share_units(shared.endpoint)
    finally:
        rc = shared.stop()
    report(rc == 0, "mock (two accounts) exits 0 on SIGTERM", f"exit status {rc}")

    if FAILURES:
        print(f"\n{len(FAILURES)} step(s) failed: {', '.join(FAILURES)}")
        return 1
    print("\nall steps passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
