//! The parameters the policy actions share: policy and target types, `Rp`/`Page` paging,
//! names and descriptions.

use super::catalogue::{Kind, DEFAULT_KIND};
use super::failures::{BAD_PARAMETER, DESCRIPTION_TOO_LONG, POLICY_NAME_INVALID};
use crate::state::{BusinessError, Ctx};

type Result<T> = std::result::Result<T, BusinessError>;

/// The policy type member `key` names (`SERVICE_CONTROL_POLICY` when absent).
pub(crate) fn kind(ctx: &Ctx<'_>, key: &str) -> Result<Kind> {
    match ctx.str(key) {
        None => Ok(DEFAULT_KIND),
        Some(name) => Kind::parse(name).ok_or_else(|| {
            ctx.err_with(
                BAD_PARAMETER,
                format!("{key} is SERVICE_CONTROL_POLICY or TAG_POLICY, not {name:?}."),
            )
        }),
    }
}

/// Where `AttachPolicy` and `DetachPolicy` point: `NODE` or `MEMBER`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TargetType {
    Node,
    Member,
}

pub(crate) fn target_type(ctx: &Ctx<'_>) -> Result<TargetType> {
    match ctx.str("TargetType").unwrap_or_default() {
        "NODE" => Ok(TargetType::Node),
        "MEMBER" => Ok(TargetType::Member),
        other => Err(ctx.err_with(
            BAD_PARAMETER,
            format!("TargetType is NODE or MEMBER, not {other:?}."),
        )),
    }
}

/// `Rp` (items per page, 1-200, 20 when absent) and `Page` (from 1, at most 200).
#[derive(Debug, Clone, Copy)]
pub(crate) struct RpPage {
    rp: usize,
    page: usize,
}

pub(crate) fn rp_page(ctx: &Ctx<'_>) -> Result<RpPage> {
    let rp = ctx.int("Rp").unwrap_or(20);
    let page = ctx.int("Page").unwrap_or(1);
    if !(1..=200).contains(&rp) || !(1..=200).contains(&page) {
        return Err(ctx.err_with(
            BAD_PARAMETER,
            format!("Rp and Page are 1-200, not {rp} and {page}."),
        ));
    }
    Ok(RpPage {
        rp: rp as usize,
        page: page as usize,
    })
}

impl RpPage {
    /// The page's items, and how many there are in all.
    pub fn slice<T>(self, items: Vec<T>) -> (Vec<T>, usize) {
        let total = items.len();
        let page = items
            .into_iter()
            .skip((self.page - 1) * self.rp)
            .take(self.rp)
            .collect();
        (page, total)
    }
}

/// Longest policy name, in characters.
pub(crate) const MAX_POLICY_NAME: usize = 128;
/// Longest policy description, in bytes (as the contract's code for it says).
pub(crate) const MAX_DESCRIPTION_BYTES: usize = 300;

/// A policy name: 1-128 letters (any script), digits and underscores.
pub(crate) fn check_policy_name(ctx: &Ctx<'_>, name: &str) -> Result<()> {
    let len = name.chars().count();
    if (1..=MAX_POLICY_NAME).contains(&len) && name.chars().all(|c| c.is_alphanumeric() || c == '_')
    {
        Ok(())
    } else {
        Err(ctx.err_with(POLICY_NAME_INVALID, format!("({name:?})")))
    }
}

pub(crate) fn check_description(ctx: &Ctx<'_>, description: &str) -> Result<()> {
    if description.len() > MAX_DESCRIPTION_BYTES {
        return Err(ctx.err_with(
            DESCRIPTION_TOO_LONG,
            format!("(at most {MAX_DESCRIPTION_BYTES} bytes)"),
        ));
    }
    Ok(())
}

/// Whether `haystack` contains `needle`, ignoring case; an empty needle matches.
pub(crate) fn contains_ci(haystack: &str, needle: &str) -> bool {
    haystack.to_lowercase().contains(&needle.to_lowercase())
}
