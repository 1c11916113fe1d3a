//! What a handler knows about the call, and the parameter readers every area shares.

use serde_json::Value;
use tco_spec::Action;

use super::failure::Failure;
use super::failure::{BAD_NEXT_TOKEN, BAD_VALUE};
use super::org::model::Tag;
use super::BusinessError;

/// What a handler knows about the call.
pub(crate) struct Ctx<'a> {
    pub action: &'static Action,
    pub caller: u64,
    pub params: &'a Value,
    pub now: i64,
    /// `now` in milliseconds, for task timers.
    pub now_millis: i64,
    pub(super) raises: &'static [Failure],
}

impl Ctx<'_> {
    pub fn err(&self, failure: Failure) -> BusinessError {
        self.check_declared(failure);
        failure.error(self.action, None)
    }

    pub fn err_with(&self, failure: Failure, detail: impl std::fmt::Display) -> BusinessError {
        self.check_declared(failure);
        failure.error(self.action, Some(detail.to_string()))
    }

    /// In tests, a handler raising a failure it does not declare is a bug: the coverage table
    /// would not tell the truth.
    fn check_declared(&self, failure: Failure) {
        #[cfg(test)]
        assert!(
            self.raises.contains(&failure),
            "{} {} raises undeclared {}",
            self.action.version,
            self.action.name,
            failure.name
        );
        #[cfg(not(test))]
        let _ = (failure, self.raises);
    }

    fn get(&self, key: &str) -> Option<&Value> {
        self.params.get(key).filter(|v| !v.is_null())
    }

    /// A string member; absent reads as `None`.
    pub fn str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Value::as_str)
    }

    /// An ID member (uint64 or int64). Absent or negative reads as 0, which no object has.
    pub fn id(&self, key: &str) -> u64 {
        self.get(key).and_then(Value::as_u64).unwrap_or(0)
    }

    /// An integer member, if present; integers beyond the int64 range clamp to it.
    pub fn int(&self, key: &str) -> Option<i64> {
        let v = self.get(key)?;
        v.as_i64().or_else(|| v.as_u64().map(|_| i64::MAX))
    }

    /// A list of IDs; negative entries read as 0.
    pub fn ids(&self, key: &str) -> Vec<u64> {
        self.get(key)
            .and_then(Value::as_array)
            .map(|a| a.iter().map(|v| v.as_u64().unwrap_or(0)).collect())
            .unwrap_or_default()
    }

    /// A list of `{TagKey, TagValue}` objects.
    pub fn tags(&self, key: &str) -> Vec<Tag> {
        self.get(key)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .map(|t| Tag {
                        key: t
                            .get("TagKey")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_owned(),
                        value: t
                            .get("TagValue")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_owned(),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// `Offset`/`Limit` as documented: Limit 1-50 (10 when absent), Offset at least 0.
    pub fn page(&self) -> Result<Page, BusinessError> {
        let limit = self.int("Limit").unwrap_or(10);
        if !(1..=50).contains(&limit) {
            return Err(self.err_with(BAD_VALUE, format!("Limit must be 1-50, not {limit}.")));
        }
        let offset = self.int("Offset").unwrap_or(0);
        if offset < 0 {
            return Err(self.err_with(
                BAD_VALUE,
                format!("Offset must be at least 0, not {offset}."),
            ));
        }
        Ok(Page {
            offset: usize::try_from(offset).unwrap_or(usize::MAX),
            limit: limit as usize,
        })
    }
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Page {
    pub offset: usize,
    pub limit: usize,
}

impl Page {
    /// The page's items, and the full count.
    pub fn slice<T>(self, items: Vec<T>) -> (Vec<T>, usize) {
        let total = items.len();
        let page = items
            .into_iter()
            .skip(self.offset)
            .take(self.limit)
            .collect();
        (page, total)
    }
}

/// `NextToken` / `MaxResults` paging, as the Identity Center lists shape it.
///
/// Items are listed in the order they were created, each keyed by a creation sequence
/// number that is never reused; the token names the last key a page returned. So a walk with
/// any page size returns every item exactly once, even while items are added (new items come
/// after the cursor) or removed (the cursor is a key, not a position).
#[derive(Debug, Clone, Copy)]
pub(crate) struct TokenPage {
    after: Option<u64>,
    pub max: usize,
}

/// One page of a [`TokenPage`] walk.
#[derive(Debug)]
pub(crate) struct Paged<T> {
    pub items: Vec<T>,
    /// Empty on the last page.
    pub next_token: String,
    pub is_truncated: bool,
    /// How many items matched, on every page.
    pub total: usize,
}

const TOKEN_PREFIX: &str = "tco.";

impl Ctx<'_> {
    /// Reads `MaxResults` (`default` when absent, 1 to `limit`) and `NextToken`.
    pub fn token_page(&self, default: usize, limit: usize) -> Result<TokenPage, BusinessError> {
        let max = self.int("MaxResults").unwrap_or(default as i64);
        if max < 1 || max > limit as i64 {
            return Err(self.err_with(
                BAD_VALUE,
                format!("MaxResults must be 1-{limit}, not {max}."),
            ));
        }
        let after = match self.str("NextToken").filter(|t| !t.is_empty()) {
            None => None,
            Some(token) => Some(
                token
                    .strip_prefix(TOKEN_PREFIX)
                    .and_then(|hex| u64::from_str_radix(hex, 16).ok())
                    .ok_or_else(|| self.err(BAD_NEXT_TOKEN))?,
            ),
        };
        Ok(TokenPage {
            after,
            max: max as usize,
        })
    }
}

impl TokenPage {
    /// The page of `items` (each with its creation sequence, in any order) after the cursor.
    pub fn slice<T>(self, mut items: Vec<(u64, T)>) -> Paged<T> {
        items.sort_by_key(|(seq, _)| *seq);
        let total = items.len();
        let mut rest: Vec<(u64, T)> = items
            .into_iter()
            .filter(|(seq, _)| self.after.is_none_or(|after| *seq > after))
            .collect();
        let is_truncated = rest.len() > self.max;
        rest.truncate(self.max);
        let next_token = match rest.last() {
            Some((seq, _)) if is_truncated => format!("{TOKEN_PREFIX}{seq:x}"),
            _ => String::new(),
        };
        Paged {
            items: rest.into_iter().map(|(_, item)| item).collect(),
            next_token,
            is_truncated,
            total,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cursor(token: &str) -> Option<u64> {
        token
            .strip_prefix(TOKEN_PREFIX)
            .map(|hex| u64::from_str_radix(hex, 16).unwrap())
    }

    /// A walk in pages of 7 over 30 items, adding one item before each page and removing
    /// one already returned, sees each of the first 30 exactly once, and the added ones too.
    #[test]
    fn a_token_walk_returns_every_item_once_while_items_come_and_go() {
        let mut items: Vec<u64> = (1..=30).collect();
        let mut next = 31;
        let mut seen = Vec::new();
        let mut after = None;
        loop {
            items.push(next);
            next += 1;
            let page = TokenPage { after, max: 7 }.slice(items.iter().map(|&s| (s, s)).collect());
            assert!(page.items.len() <= 7);
            seen.extend(&page.items);
            if let Some(&first) = page.items.first() {
                items.retain(|&s| s != first);
            }
            if !page.is_truncated {
                assert!(page.next_token.is_empty());
                break;
            }
            after = cursor(&page.next_token);
        }
        let mut sorted = seen.clone();
        sorted.dedup();
        assert_eq!(sorted, seen, "no item twice, in creation order");
        assert!((1..=30).all(|s| seen.contains(&s)), "every original item");
    }
}
