//! Business failures, named by what went wrong rather than by code.
//!
//! The two API versions (and different actions of one version) spell the same failure with
//! different codes: a duplicate sibling name is `ResourceInUse.NodeName` for the 2018
//! AddOrganizationNode, `ResourceInUse.NodeNameUsed` for the 2018 UpdateOrganizationNode and
//! `FailedOperation.OrganizationNodeNameUsed` in 2021. A [`Fault`] lists the codes that mean it,
//! most specific first; the code an action answers with is the first one the contract documents
//! for that action, else a common code of the same meaning. So the mock never answers with a
//! code the contract does not allow for the action.

use tco_spec::Action;

use super::BusinessError;

/// What went wrong, independent of the version's spelling.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Fault {
    /// The caller already owns or belongs to an organization.
    OrgExists,
    /// The caller is a member the organization created: it may not create one.
    CreatedMemberCannotCreateOrg,
    /// The caller has no organization (or does not manage the one the action needs).
    OrgNotExist,
    /// A UIN that names no account.
    UserNotExist,
    /// A node that is not in the caller's organization.
    NodeNotExist,
    /// Another node under the same parent has this name.
    NodeNameUsed,
    /// The node would sit deeper than the depth limit.
    NodeDepth,
    /// The organization would have more nodes than the limit.
    NodeCount,
    /// The node still has members.
    NodeHasMembers,
    /// The node still has child nodes.
    NodeHasChildren,
    /// The root node cannot be deleted or moved.
    RootNode,
    /// The member is not in the caller's organization (or not in the given node).
    MemberNotExist,
    /// Some of the UINs of a batch are not members.
    SomeUinsNotInOrg,
    /// Another member (or pending invitation) of the organization has this name.
    MemberNameUsed,
    /// The organization would have more members (pending invitations included) than the limit.
    MemberLimit,
    /// Removing a member from the root node (members always belong to some node).
    DeleteFromRoot,
    /// The organization still has members.
    OrgNotEmpty,
    /// The organization's manager cannot quit or be removed from it.
    QuitOwnOrg,
    /// The member was created by the organization and cannot quit.
    CreatedMemberCannotQuit,
    /// The member was created by the organization and has no bound email yet.
    CreatedMemberCannotBeRemoved,
    /// The member's IsAllowQuit is `Denied`.
    QuitNotAllowed,
    /// No pending invitation with this ID for this caller.
    InvitationNotExist,
    /// The invitee already belongs to an organization.
    InOrgAlready,
    /// The invitee is already a member of this organization (or is its manager).
    InviteeInThisOrg,
    /// The invitee belongs to another organization.
    InviteeInOtherOrg,
    /// A pending invitation to this UIN already exists.
    InvitationPending,
    /// PolicyType is not a known policy.
    PolicyIllegal,
    /// PermissionIds holds an unknown ID or lacks a mandatory one.
    PermissionIllegal,
    /// PayUin is neither empty, the manager nor a member, or is missing for pay-on-behalf.
    PayUinIllegal,
    /// More tags than allowed.
    TagError,
    /// The member already has a bound email.
    MemberEmailExist,
    /// Another member has bound this email.
    EmailUsed,
    /// No email binding record with this ID for the member.
    EmailBindNotExist,
    /// The member was invited, so its email is its own business.
    NotCreatedMember,
    /// A parameter value out of its documented range (paging, names, enums).
    BadValue,
}

impl Fault {
    /// Codes meaning this failure, most specific first.
    fn candidates(self) -> &'static [&'static str] {
        use Fault::*;
        match self {
            OrgExists => &["FailedOperation.OrganizationExistAlready"],
            CreatedMemberCannotCreateOrg => &[
                "UnsupportedOperation.CreateMemberNotAllowCreateOrganization",
                "FailedOperation.OrganizationExistAlready",
            ],
            OrgNotExist => &["ResourceNotFound.OrganizationNotExist"],
            UserNotExist => &["ResourceNotFound.UserNotExist"],
            NodeNotExist => &[
                "ResourceNotFound.NodeNotExist",
                "ResourceNotFound.OrganizationNodeNotExist",
                "FailedOperation.OrganizationNodeNotExist",
                "InvalidParameter.OrganizationNodeNotExist",
            ],
            NodeNameUsed => &[
                "ResourceInUse.NodeName",
                "ResourceInUse.NodeNameUsed",
                "FailedOperation.OrganizationNodeNameUsed",
            ],
            NodeDepth => &["LimitExceeded.NodeDepthExceedLimit"],
            NodeCount => &["LimitExceeded.NodeExceedLimit"],
            NodeHasMembers => &["FailedOperation.NodeNotEmpty"],
            NodeHasChildren => &[
                "FailedOperation.OrganizationNodeNotEmpty",
                "FailedOperation.NodeNotEmpty",
            ],
            RootNode => &[],
            MemberNotExist => &[
                "ResourceNotFound.MemberNotExist",
                "ResourceNotFound.OrganizationMemberNotExist",
                "FailedOperation.OrganizationMemberNotExist",
                "InvalidParameter.OrganizationMemberNotExist",
            ],
            SomeUinsNotInOrg => &["FailedOperation.SomeUinsNotInOrganization"],
            MemberNameUsed => &[
                "FailedOperation.MemberNameUsed",
                "FailedOperation.OrganizationMemberNameUsed",
            ],
            MemberLimit => &[
                "LimitExceeded.Members",
                "LimitExceeded.OrganizationMemberOverLimit",
            ],
            DeleteFromRoot => &["FailedOperation.DisableDeleteMemberFromRootNode"],
            OrgNotEmpty => &["FailedOperation.OrganizationNotEmpty"],
            QuitOwnOrg => &["FailedOperation.DisableQuitSelfCreatedOrganization"],
            CreatedMemberCannotQuit => &["UnsupportedOperation.CreateMemberNotAllowQuit"],
            CreatedMemberCannotBeRemoved => &["UnsupportedOperation.CreateMemberNotAllowDelete"],
            QuitNotAllowed => &["UnsupportedOperation.MemberNotAllowQuit"],
            InvitationNotExist => &["ResourceNotFound.InvitationNotExist"],
            InOrgAlready => &["FailedOperation.InOrganizationAlready"],
            InviteeInThisOrg => &[
                "FailedOperation.OrganizationMemberExist",
                "FailedOperation.UserInOrganization",
            ],
            InviteeInOtherOrg => &[
                "FailedOperation.MemberExistInOtherOrganization",
                "FailedOperation.UserInOrganization",
            ],
            InvitationPending => &[
                "FailedOperation.InvitationExist",
                "FailedOperation.ReSentInvitation",
            ],
            PolicyIllegal => &["FailedOperation.OrganizationPolicyIllegal"],
            PermissionIllegal => &["FailedOperation.OrganizationPermissionIllegal"],
            PayUinIllegal => &["FailedOperation.PayUinIllegal"],
            TagError => &["InvalidParameter.TagError"],
            MemberEmailExist => &["FailedOperation.MemberEmailExist"],
            EmailUsed => &["FailedOperation.EmailAlreadyUsed"],
            EmailBindNotExist => &["ResourceNotFound.EmailBindRecordNotExist"],
            NotCreatedMember => &[],
            BadValue => &[],
        }
    }

    /// A common code (any action may return it) of the same meaning.
    fn fallback(self) -> &'static str {
        use Fault::*;
        match self {
            OrgExists | NodeHasMembers | NodeHasChildren | RootNode | SomeUinsNotInOrg
            | DeleteFromRoot | OrgNotEmpty | QuitOwnOrg | InOrgAlready | InviteeInThisOrg
            | InviteeInOtherOrg | InvitationPending | PolicyIllegal | PermissionIllegal
            | PayUinIllegal | MemberEmailExist | EmailUsed | MemberNameUsed => "FailedOperation",
            CreatedMemberCannotCreateOrg
            | CreatedMemberCannotQuit
            | CreatedMemberCannotBeRemoved
            | QuitNotAllowed
            | NotCreatedMember => "UnsupportedOperation",
            OrgNotExist | UserNotExist | NodeNotExist | MemberNotExist | InvitationNotExist
            | EmailBindNotExist => "ResourceNotFound",
            NodeNameUsed => "ResourceInUse",
            NodeDepth | NodeCount | MemberLimit => "LimitExceeded",
            TagError | BadValue => "InvalidParameterValue",
        }
    }

    /// The default message, in the project's own words.
    pub(crate) fn message(self) -> &'static str {
        use Fault::*;
        match self {
            OrgExists => "The caller already has or belongs to an organization.",
            CreatedMemberCannotCreateOrg => {
                "An account created by an organization cannot create an organization."
            }
            OrgNotExist => "The caller has no organization that allows this operation.",
            UserNotExist => "No account has this UIN.",
            NodeNotExist => "The organization has no unit with this ID.",
            NodeNameUsed => "A sibling unit already has this name.",
            NodeDepth => "The unit would be nested deeper than the organization allows.",
            NodeCount => "The organization has as many units as it may have.",
            NodeHasMembers => "The unit still has members.",
            NodeHasChildren => "The unit still has child units.",
            RootNode => "The root unit cannot be deleted or moved.",
            MemberNotExist => "The organization has no member with this UIN.",
            SomeUinsNotInOrg => "Some UINs are not members of the organization.",
            MemberNameUsed => "Another member or pending invitation uses this name.",
            MemberLimit => "The organization has as many members as it may have.",
            DeleteFromRoot => "Members cannot be removed from the root unit.",
            OrgNotEmpty => "The organization still has members.",
            QuitOwnOrg => "The manager of an organization cannot leave it.",
            CreatedMemberCannotQuit => "A member created by the organization cannot quit it.",
            CreatedMemberCannotBeRemoved => {
                "A member created by the organization can be removed only after an email is bound to it."
            }
            QuitNotAllowed => "The member is not allowed to quit the organization.",
            InvitationNotExist => "No pending invitation with this ID for the caller.",
            InOrgAlready => "The caller already belongs to an organization.",
            InviteeInThisOrg => "The account already belongs to this organization.",
            InviteeInOtherOrg => "The account belongs to another organization.",
            InvitationPending => "A pending invitation to this account already exists.",
            PolicyIllegal => "Unknown relationship policy; the valid value is Financial.",
            PermissionIllegal => {
                "Permission IDs must be between 1 and 10 and include 1 and 2."
            }
            PayUinIllegal => "The payer must be the organization's manager or one of its members.",
            TagError => "At most 10 tags are allowed.",
            MemberEmailExist => "The member already has a bound email.",
            EmailUsed => "Another member has bound this email.",
            EmailBindNotExist => "The member has no email binding with this ID.",
            NotCreatedMember => "Only members created by the organization take this operation.",
            BadValue => "A parameter value is out of its allowed range.",
        }
    }

    /// The code `action` answers with for this failure.
    pub(crate) fn code_for(self, action: &Action) -> &'static str {
        self.candidates()
            .iter()
            .copied()
            .find(|code| action.errors.iter().any(|e| e == code))
            .unwrap_or_else(|| self.fallback())
    }

    pub(crate) fn error(self, action: &Action, detail: Option<String>) -> BusinessError {
        let message = match detail {
            Some(detail) => format!("{} {detail}", self.message()),
            None => self.message().to_owned(),
        };
        BusinessError {
            code: self.code_for(action).to_owned(),
            message,
        }
    }
}
