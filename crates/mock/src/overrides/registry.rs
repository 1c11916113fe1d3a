//! The overrides mounted on one mock: which one answers a call, what each counted, and
//! what the admin surface shows of them.

use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use serde_json::{json, Value};

use super::times::calls;
use super::{Answer, Override};
use crate::envelope::ApiError;

/// Who added an override, which decides who checks its expectation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin {
    /// [`Override::mount`]: checked when the server is dropped.
    InProcess,
    /// [`Override::mount_as_scoped`]: checked by its guard.
    Scoped,
    /// The admin surface: reported, never panicked on.
    Admin,
}

impl Origin {
    fn name(self) -> &'static str {
        match self {
            Origin::InProcess => "in-process",
            Origin::Scoped => "scoped",
            Origin::Admin => "admin",
        }
    }
}

#[derive(Debug)]
struct Entry {
    id: u64,
    spec: Override,
    origin: Origin,
    hits: u64,
    answered: u64,
}

impl Entry {
    fn has_left(&self) -> bool {
        self.spec.times.is_none_or(|n| self.answered < n)
    }

    fn unmet(&self) -> Option<String> {
        let expected = self.spec.expected?;
        (!expected.contains(self.hits)).then(|| {
            format!(
                "{} was expected to be called {expected}, and was called {}",
                self.spec.describe(),
                calls(self.hits)
            )
        })
    }

    fn view(&self) -> Value {
        let spec = &self.spec;
        let answer = match &spec.answer {
            Some(Answer::Body(body)) => json!({"body": body}),
            Some(Answer::Error { code, message }) => {
                json!({"error": {"code": code, "message": message}})
            }
            None => Value::Null,
        };
        json!({
            "id": self.id,
            "origin": self.origin.name(),
            "name": spec.name,
            "action": spec.action,
            "params": spec.params,
            "answer": answer,
            "delay_ms": u64::try_from(spec.delay.as_millis()).unwrap_or(u64::MAX),
            "times": spec.times,
            "hits": self.hits,
            "answered": self.answered,
            "expect": spec.expected.map(|t| t.to_string()),
            "satisfied": self.unmet().is_none(),
            "unmet": self.unmet(),
        })
    }
}

/// What the gate does for a call an override answers.
#[derive(Debug)]
pub(crate) struct Plan {
    pub delay: Duration,
    pub answer: Option<Result<Value, ApiError>>,
}

/// The overrides of one mock.
#[derive(Debug, Default)]
pub(crate) struct Overrides {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    next_id: u64,
    entries: Vec<Entry>,
}

impl Overrides {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds an override from the admin surface.
    pub fn add_admin(&self, spec: Override) -> Value {
        let id = self.add(spec, Origin::Admin);
        self.views()
            .into_iter()
            .find(|v| v["id"] == id)
            .unwrap_or_default()
    }

    pub fn add(&self, spec: Override, origin: Origin) -> u64 {
        let mut inner = self.lock();
        inner.next_id += 1;
        let id = inner.next_id;
        inner.entries.push(Entry {
            id,
            spec,
            origin,
            hits: 0,
            answered: 0,
        });
        id
    }

    /// Counts a call that passed the gate; says how the newest override with calls left
    /// answers it, if one does.
    pub fn on_call(&self, action: &str, params: &Value) -> Option<Plan> {
        let mut inner = self.lock();
        let mut responder = None;
        for (index, entry) in inner.entries.iter_mut().enumerate() {
            if entry.spec.matches(action, params) {
                entry.hits += 1;
                let acts = entry.spec.answer.is_some() || !entry.spec.delay.is_zero();
                if acts && entry.has_left() {
                    responder = Some(index);
                }
            }
        }
        let entry = &mut inner.entries[responder?];
        entry.answered += 1;
        Some(Plan {
            delay: entry.spec.delay,
            answer: entry.spec.answer.clone().map(|answer| match answer {
                Answer::Body(body) => Ok(Value::Object(body)),
                Answer::Error { code, message } if message.is_empty() => {
                    Err(ApiError::plain(&code))
                }
                Answer::Error { code, message } => Err(ApiError { code, message }),
            }),
        })
    }

    /// Removes one override; its unmet expectation, if any.
    pub fn remove(&self, id: u64) -> Option<Option<String>> {
        let mut inner = self.lock();
        let index = inner.entries.iter().position(|e| e.id == id)?;
        Some(inner.entries.remove(index).unmet())
    }

    /// Removes one override added through the admin surface; its last view.
    pub fn remove_admin(&self, id: u64) -> Option<Value> {
        let mut inner = self.lock();
        let index = inner
            .entries
            .iter()
            .position(|e| e.id == id && e.origin == Origin::Admin)?;
        Some(inner.entries.remove(index).view())
    }

    /// The unmet expectations of the overrides from `origin`.
    pub fn unmet(&self, origin: Origin) -> Vec<String> {
        self.lock()
            .entries
            .iter()
            .filter(|e| e.origin == origin)
            .filter_map(Entry::unmet)
            .collect()
    }

    /// How many calls the override `id` matched.
    pub fn hits(&self, id: u64) -> u64 {
        self.lock()
            .entries
            .iter()
            .find(|e| e.id == id)
            .map_or(0, |e| e.hits)
    }

    /// Every override, oldest first, as the admin surface shows it.
    pub fn views(&self) -> Vec<Value> {
        self.lock().entries.iter().map(Entry::view).collect()
    }

    /// Removes every override (`None`) or those from one origin; returns their views.
    pub fn clear(&self, origin: Option<Origin>) -> Vec<Value> {
        let mut inner = self.lock();
        let (removed, kept): (Vec<Entry>, Vec<Entry>) = std::mem::take(&mut inner.entries)
            .into_iter()
            .partition(|e| origin.is_none_or(|o| e.origin == o));
        inner.entries = kept;
        removed.iter().map(Entry::view).collect()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::overrides::Override;

    #[test]
    fn the_newest_override_with_calls_left_answers_and_all_count() {
        let overrides = Overrides::default();
        let old = overrides.add(
            Override::on("CreatePolicy").respond_with(json!({"PolicyId": 1})),
            Origin::Admin,
        );
        let new = overrides.add(
            Override::on("CreatePolicy")
                .respond_with_error("InternalError", "")
                .times(1),
            Origin::Admin,
        );
        let first = overrides.on_call("CreatePolicy", &json!({})).unwrap();
        assert_eq!(first.answer.unwrap().unwrap_err().code, "InternalError");
        let second = overrides.on_call("CreatePolicy", &json!({})).unwrap();
        assert_eq!(second.answer.unwrap().unwrap(), json!({"PolicyId": 1}));
        assert!(overrides.on_call("DeletePolicy", &json!({})).is_none());
        assert_eq!((overrides.hits(old), overrides.hits(new)), (2, 2));
    }
}
