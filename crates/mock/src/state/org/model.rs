//! Organizations, units, members and invitations: their data, limits and the queries the
//! organization handlers share.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::state::data::Inner;

/// At most this many levels of units, the root being level 1.
pub(crate) const MAX_NODE_DEPTH: usize = 5;
/// At most this many units in one organization, the root included.
pub(crate) const MAX_NODES: usize = 1000;
/// At most this many members in one organization, pending invitations included.
pub(crate) const MAX_MEMBERS: usize = 1000;
/// An invitation is pending for this long (the contract's example shows three hours).
pub(crate) const INVITATION_TTL_SECS: i64 = 3 * 3600;
/// Activation emails a binding may be sent again: within any hour, and in all.
pub(crate) const MAX_RESENDS_PER_HOUR: usize = 3;
pub(crate) const MAX_RESENDS: usize = 10;
/// Tags per unit or member.
pub(crate) const MAX_TAGS: usize = 10;
/// Longest member name, in characters.
pub(crate) const MAX_MEMBER_NAME: usize = 25;
/// Longest unit name, in characters.
pub(crate) const MAX_NODE_NAME: usize = 40;
/// The name of every organization's root unit.
pub(crate) const ROOT_NAME: &str = "Root";

/// First IDs handed out after creation or a reset (IDs are never reused until a reset).
pub(crate) const FIRST_ORG_ID: u64 = 10_001;
pub(crate) const FIRST_NODE_ID: u64 = 100_001;
pub(crate) const FIRST_INVITATION_ID: u64 = 1_001;
pub(crate) const FIRST_CREATED_UIN: u64 = 200_000_000_001;
pub(crate) const FIRST_BIND_ID: u64 = 1;

/// The only relationship policy, and its display name.
pub(crate) const POLICY_FINANCIAL: &str = "Financial";
pub(crate) const POLICY_FINANCIAL_NAME: &str = "Financial management";

/// Financial permissions a member may grant, by ID.
pub(crate) const PERMISSIONS: [(u64, &str); 10] = [
    (1, "View bills"),
    (2, "View balance"),
    (3, "Allocate funds"),
    (4, "Consolidate bills"),
    (5, "Issue invoices"),
    (6, "Inherit discounts"),
    (7, "Pay on behalf"),
    (8, "Analyze costs"),
    (9, "Budget management"),
    (10, "Credit limit setting"),
];
/// Permissions every member must hold.
pub(crate) const MANDATORY_PERMISSIONS: [u64; 2] = [1, 2];
/// The permission that makes PayUin mandatory.
pub(crate) const PAY_ON_BEHALF: u64 = 7;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Org {
    /// In a seed, may be left out: the key it is filed under.
    #[serde(default)]
    pub id: u64,
    pub host_uin: u64,
    #[serde(default = "default_org_type")]
    pub org_type: u64,
    #[serde(default)]
    pub create_time: i64,
    pub root: u64,
    pub nodes: BTreeMap<u64, Node>,
    /// Members by UIN; the manager is not one of them.
    #[serde(default)]
    pub members: BTreeMap<u64, Member>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Node {
    #[serde(default)]
    pub id: u64,
    pub name: String,
    /// `None` for the root only.
    #[serde(default)]
    pub parent: Option<u64>,
    #[serde(default)]
    pub remark: String,
    #[serde(default)]
    pub tags: Vec<Tag>,
    #[serde(default)]
    pub create_time: i64,
    #[serde(default)]
    pub update_time: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Tag {
    pub key: String,
    pub value: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum MemberKind {
    /// Created by the organization (CreateOrganizationMember).
    Created,
    /// Joined by accepting an invitation.
    Invited,
}

impl MemberKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MemberKind::Created => "Create",
            MemberKind::Invited => "Invite",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Member {
    #[serde(default)]
    pub uin: u64,
    pub name: String,
    #[serde(default)]
    pub remark: String,
    /// The one unit the member is in.
    pub node: u64,
    #[serde(default = "default_member_kind")]
    pub kind: MemberKind,
    #[serde(default = "default_policy_type")]
    pub policy_type: String,
    #[serde(default = "default_permissions")]
    pub permissions: Vec<u64>,
    #[serde(default)]
    pub allow_quit: bool,
    #[serde(default)]
    pub pay_uin: String,
    #[serde(default)]
    pub identity_ids: Vec<u64>,
    #[serde(default)]
    pub tags: Vec<Tag>,
    #[serde(default)]
    pub join_time: i64,
    #[serde(default)]
    pub update_time: i64,
    #[serde(default)]
    pub email: Option<EmailBind>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct EmailBind {
    pub id: u64,
    pub email: String,
    pub country_code: String,
    pub phone: String,
    pub apply_time: i64,
    pub bind_time: i64,
    /// When the activation email was sent again (SendOrgMemberAccountBindEmail).
    pub resends: Vec<i64>,
}

/// Invitation status as the 2018 contract numbers it (its `-1`, expired, does not fit the
/// unsigned member type, so an expired invitation is listed as invalid).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum InvitationStatus {
    Pending = 0,
    Accepted = 1,
    Invalid = 2,
    Cancelled = 3,
}

/// In a seed: `org_id`, `invitee` and `name` (the ID is the key, sent by the organization's
/// manager, pending, financial with permissions 1 and 2; see [`SEED_EXPIRY`] for its expiry).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Invitation {
    #[serde(default)]
    pub id: u64,
    pub org_id: u64,
    #[serde(default)]
    pub host_uin: u64,
    pub invitee: u64,
    pub name: String,
    #[serde(default)]
    pub remark: String,
    #[serde(default = "pending")]
    pub status: InvitationStatus,
    #[serde(default)]
    pub invite_time: i64,
    #[serde(default)]
    pub expire_time: i64,
    /// Where the invitee lands on accepting (2021 invitations name a unit; 2018 ones the root).
    #[serde(default)]
    pub node: Option<u64>,
    #[serde(default = "default_policy_type")]
    pub policy_type: String,
    #[serde(default = "default_permissions")]
    pub permissions: Vec<u64>,
    #[serde(default)]
    pub allow_quit: bool,
    #[serde(default)]
    pub pay_uin: String,
    #[serde(default)]
    pub tags: Vec<Tag>,
}

/// When a seeded invitation that gives neither `invite_time` nor `expire_time` expires
/// (2100-01-01): a seed is loaded long after it was written, and an invitation it describes as
/// pending should stay so. With an `invite_time`, it expires as the service's do, after
/// [`INVITATION_TTL_SECS`].
pub(crate) const SEED_EXPIRY: i64 = 4_102_444_800;

fn pending() -> InvitationStatus {
    InvitationStatus::Pending
}

/// What a seed that leaves these fields out means: the 2021 default organization type, a
/// member created by the organization, with the mandatory financial permissions.
fn default_org_type() -> u64 {
    1
}

fn default_member_kind() -> MemberKind {
    MemberKind::Created
}

fn default_policy_type() -> String {
    POLICY_FINANCIAL.to_owned()
}

fn default_permissions() -> Vec<u64> {
    MANDATORY_PERMISSIONS.to_vec()
}

impl Invitation {
    pub fn is_pending(&self, now: i64) -> bool {
        self.status == InvitationStatus::Pending && now < self.expire_time
    }

    /// The status to show at `now`.
    pub fn status_at(&self, now: i64) -> InvitationStatus {
        match self.status {
            InvitationStatus::Pending if now >= self.expire_time => InvitationStatus::Invalid,
            status => status,
        }
    }
}

/// Where an account stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Standing {
    None,
    Manager(u64),
    Member(u64),
}

impl Inner {
    pub fn standing(&self, uin: u64) -> Standing {
        for org in self.orgs.values() {
            if org.host_uin == uin {
                return Standing::Manager(org.id);
            }
            if org.members.contains_key(&uin) {
                return Standing::Member(org.id);
            }
        }
        Standing::None
    }

    /// The organization the caller manages.
    pub fn managed_org_id(&self, uin: u64) -> Option<u64> {
        match self.standing(uin) {
            Standing::Manager(id) => Some(id),
            _ => None,
        }
    }

    /// The organization the caller manages or belongs to.
    pub fn org_id_of(&self, uin: u64) -> Option<u64> {
        match self.standing(uin) {
            Standing::Manager(id) | Standing::Member(id) => Some(id),
            Standing::None => None,
        }
    }

    pub fn alloc_node(&mut self) -> u64 {
        let id = self.next_node;
        self.next_node += 1;
        id
    }

    /// Pending invitations of an organization at `now`.
    pub fn pending_of_org(&self, org_id: u64, now: i64) -> impl Iterator<Item = &Invitation> {
        self.invitations
            .values()
            .filter(move |i| i.org_id == org_id && i.is_pending(now))
    }

    /// Members plus pending invitations: what the member limit counts.
    pub fn member_load(&self, org_id: u64, now: i64) -> usize {
        let members = self.orgs.get(&org_id).map_or(0, |o| o.members.len());
        members + self.pending_of_org(org_id, now).count()
    }

    /// Whether a member name is taken in the organization (by a member other than `except`, or
    /// by a pending invitation).
    pub fn member_name_taken(
        &self,
        org_id: u64,
        name: &str,
        except: Option<u64>,
        now: i64,
    ) -> bool {
        let by_member = self.orgs.get(&org_id).is_some_and(|org| {
            org.members
                .values()
                .any(|m| m.name == name && Some(m.uin) != except)
        });
        by_member || self.pending_of_org(org_id, now).any(|i| i.name == name)
    }

    /// Whether any member of any organization other than `except` has bound this email.
    pub fn email_taken(&self, email: &str, except: u64) -> bool {
        self.orgs
            .values()
            .flat_map(|o| o.members.values())
            .any(|m| {
                m.uin != except
                    && m.email
                        .as_ref()
                        .is_some_and(|e| e.email.eq_ignore_ascii_case(email))
            })
    }

    /// Removes an organization and everything in it, its invitations included.
    pub fn remove_org(&mut self, org_id: u64) {
        self.orgs.remove(&org_id);
        self.invitations.retain(|_, i| i.org_id != org_id);
    }
}

impl Org {
    /// Level of a node: the root is 1.
    pub fn depth(&self, node: u64) -> usize {
        let mut depth = 0;
        let mut cursor = Some(node);
        while let Some(id) = cursor {
            depth += 1;
            cursor = self.nodes.get(&id).and_then(|n| n.parent);
            if depth > self.nodes.len() {
                break; // never happens: the tree has no cycles
            }
        }
        depth
    }

    /// How many levels the subtree under (and including) `node` spans.
    pub fn height(&self, node: u64) -> usize {
        1 + self
            .children(node)
            .map(|c| self.height(c))
            .max()
            .unwrap_or(0)
    }

    pub fn children(&self, node: u64) -> impl Iterator<Item = u64> + '_ {
        self.nodes
            .values()
            .filter(move |n| n.parent == Some(node))
            .map(|n| n.id)
    }

    /// Whether `node` is `ancestor` or lies under it.
    pub fn is_within(&self, node: u64, ancestor: u64) -> bool {
        let mut cursor = Some(node);
        let mut steps = 0;
        while let Some(id) = cursor {
            if id == ancestor {
                return true;
            }
            cursor = self.nodes.get(&id).and_then(|n| n.parent);
            steps += 1;
            if steps > self.nodes.len() {
                break;
            }
        }
        false
    }

    /// Whether a child of `parent` other than `except` has this name.
    pub fn sibling_name_taken(&self, parent: u64, name: &str, except: Option<u64>) -> bool {
        self.nodes
            .values()
            .any(|n| n.parent == Some(parent) && n.name == name && Some(n.id) != except)
    }

    pub fn node_name(&self, node: u64) -> String {
        self.nodes
            .get(&node)
            .map(|n| n.name.clone())
            .unwrap_or_default()
    }

    pub fn members_in(&self, node: u64) -> impl Iterator<Item = &Member> {
        self.members.values().filter(move |m| m.node == node)
    }
}

pub(crate) fn tags_json(tags: &[Tag]) -> Value {
    Value::Array(
        tags.iter()
            .map(|t| json!({"TagKey": t.key, "TagValue": t.value}))
            .collect(),
    )
}

pub(crate) fn permissions_json(ids: &[u64]) -> Value {
    Value::Array(
        ids.iter()
            .filter_map(|id| PERMISSIONS.iter().find(|(p, _)| p == id))
            .map(|(id, name)| json!({"Id": id, "Name": name}))
            .collect(),
    )
}

pub(crate) fn policy_name(policy_type: &str) -> &'static str {
    if policy_type == POLICY_FINANCIAL {
        POLICY_FINANCIAL_NAME
    } else {
        ""
    }
}

/// `2021-04-16 11:49:39`, UTC, as the contract's examples write times. Out-of-range clocks
/// clamp to the epoch rather than fail.
pub(crate) fn format_time(unix: i64) -> String {
    let t =
        time::OffsetDateTime::from_unix_timestamp(unix).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let (h, m, s) = t.to_hms();
    let Ok(year @ 0..=9999) = u32::try_from(t.year()) else {
        return format!(
            "{:04}-{:02}-{:02} {h:02}:{m:02}:{s:02}",
            t.year(),
            u8::from(t.month()),
            t.day()
        );
    };
    // Digits pushed one by one: `format!` was a tenth of the answer's cost for
    // DescribeOrganization, which writes two or three times (BENCHMARKS.md, issue 15).
    let mut out = String::with_capacity(19);
    push_digits(&mut out, year, 4);
    for (separator, value) in [
        ('-', u8::from(t.month())),
        ('-', t.day()),
        (' ', h),
        (':', m),
        (':', s),
    ] {
        out.push(separator);
        push_digits(&mut out, u32::from(value), 2);
    }
    out
}

/// The last `width` decimal digits of `value`, zero-padded.
fn push_digits(out: &mut String, value: u32, width: u32) {
    for place in (0..width).rev() {
        let digit = (value / 10u32.pow(place)) % 10;
        out.push(char::from(b'0' + digit as u8));
    }
}

/// A masked mailbox for an account, in the style of the contract's examples (`23***@qq.com`);
/// the mock knows no real addresses.
pub(crate) fn masked_mail(uin: u64) -> String {
    let digits = uin.to_string();
    format!("{}***@example.com", &digits[..digits.len().min(2)])
}

#[cfg(test)]
mod format_time_tests {
    use super::format_time;

    #[test]
    fn times_are_written_as_the_contract_examples_write_them() {
        // Expected values from Python's datetime (UTC) and, for year 0, the proleptic
        // Gregorian calendar (719,528 days before 1970-01-01).
        for (unix, text) in [
            (1_618_573_779, "2021-04-16 11:49:39"),
            (0, "1970-01-01 00:00:00"),
            (-1, "1969-12-31 23:59:59"),
            (951_782_400, "2000-02-29 00:00:00"),
            (1_700_000_009, "2023-11-14 22:13:29"),
            (253_402_300_799, "9999-12-31 23:59:59"),
            (-62_167_219_200, "0000-01-01 00:00:00"),
        ] {
            assert_eq!(format_time(unix), text, "{unix}");
        }
    }

    #[test]
    fn out_of_range_clocks_clamp_and_odd_years_keep_their_sign() {
        assert_eq!(format_time(i64::MAX), "1970-01-01 00:00:00");
        assert_eq!(format_time(-62_167_219_201), "-001-12-31 23:59:59");
    }
}
