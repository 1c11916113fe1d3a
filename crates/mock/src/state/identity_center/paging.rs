//! Lists as the Identity Center actions shape them: `MaxResults` 1-100 (10 when absent), an
//! opaque `NextToken`, `IsTruncated`; on the first page an `Offset` may skip items; and, where
//! the action takes them, `SortField` (`CreateTime` only) and `SortType` (`Asc`, `Desc`).
//!
//! Items are keyed by their creation sequence (see [`crate::state::ctx::TokenPage`]); a
//! descending walk keys them by the sequence's complement, so its cursor works the same way.

use serde_json::{json, Value};

use crate::state::ctx::Paged;
use crate::state::failure::{Failure, BAD_VALUE};
use crate::state::{BusinessError, Ctx};

type Result<T> = std::result::Result<T, BusinessError>;

/// `MaxResults` when absent, and its upper bound, as the list actions document them.
pub(crate) const DEFAULT_MAX_RESULTS: usize = 10;
pub(crate) const MAX_MAX_RESULTS: usize = 100;

/// A filter, sort or type parameter the list action does not accept.
pub(crate) const PARAM_ERROR: Failure = Failure {
    name: "ParamError",
    codes: &["InvalidParameter.ParamError"],
    fallback: "InvalidParameterValue",
    message: "A filter or sort parameter has a value this list does not accept.",
};

/// The order a list is walked in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Order {
    Oldest,
    Newest,
}

/// Reads `SortField` (only `CreateTime`) and `SortType` (`Asc`, the default, or `Desc`).
pub(crate) fn order(ctx: &Ctx<'_>) -> Result<Order> {
    if let Some(field) = ctx.str("SortField").filter(|f| !f.is_empty()) {
        if field != "CreateTime" {
            return Err(ctx.err_with(
                PARAM_ERROR,
                format!("SortField can only be CreateTime, not {field:?}."),
            ));
        }
    }
    match ctx.str("SortType").unwrap_or("") {
        "" | "Asc" => Ok(Order::Oldest),
        "Desc" => Ok(Order::Newest),
        other => Err(ctx.err_with(
            PARAM_ERROR,
            format!("SortType is Asc or Desc, not {other:?}."),
        )),
    }
}

/// The answer of a list action: the page of `items` (each with its creation sequence) the call
/// asks for under `member`, with `TotalCounts` (every item that matched, whatever the page),
/// `MaxResults`, `NextToken` (empty on the last page) and `IsTruncated`.
pub(crate) fn answer(
    ctx: &Ctx<'_>,
    member: &str,
    items: Vec<(u64, Value)>,
    order: Order,
) -> Result<Value> {
    let (paged, max) = page(ctx, items, order)?;
    let mut out = serde_json::Map::new();
    out.insert(member.to_owned(), Value::Array(paged.items));
    out.insert("TotalCounts".into(), json!(paged.total));
    out.insert("MaxResults".into(), json!(max));
    out.insert("NextToken".into(), json!(paged.next_token));
    out.insert("IsTruncated".into(), json!(paged.is_truncated));
    Ok(Value::Object(out))
}

/// The page of `items` the call asks for, and the page size it used.
pub(crate) fn page<T>(
    ctx: &Ctx<'_>,
    items: Vec<(u64, T)>,
    order: Order,
) -> Result<(Paged<T>, usize)> {
    let walk = ctx.token_page(DEFAULT_MAX_RESULTS, MAX_MAX_RESULTS)?;
    let max = walk.max;
    let first_page = ctx.str("NextToken").is_none_or(str::is_empty);
    let offset = ctx.int("Offset").unwrap_or(0);
    if offset < 0 {
        return Err(ctx.err_with(
            BAD_VALUE,
            format!("Offset must be at least 0, not {offset}."),
        ));
    }
    let mut keyed: Vec<(u64, T)> = items
        .into_iter()
        .map(|(seq, item)| match order {
            Order::Oldest => (seq, item),
            Order::Newest => (u64::MAX - seq, item),
        })
        .collect();
    let total = keyed.len();
    // NextToken wins over Offset, as documented.
    if first_page && offset > 0 {
        keyed.sort_by_key(|(key, _)| *key);
        let skip = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(keyed.len());
        keyed.drain(..skip);
    }
    let mut paged = walk.slice(keyed);
    paged.total = total;
    Ok((paged, max))
}
