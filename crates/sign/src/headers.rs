//! The headers of a signed request: names fixed at compile time, every value in one buffer.
//!
//! A request `build` makes carries at most eleven headers whose names are constants; giving each
//! name and value its own `String` cost some twenty allocations per request, more than the rest
//! of signing outside the crypto. Here the names are `&'static str`, the values are ranges of one
//! `String`, and the list sits inline: one allocation for all of them.

use std::fmt;
use std::ops::Range;

use smallvec::SmallVec;

/// Names of headers and parameters whose values must never be printed by accident.
pub const SENSITIVE: &[&str] = &[
    "authorization",
    "x-tc-token",
    "token",
    "signature",
    "secretkey",
];

/// The most headers `build` sets (six fixed, four optional, the signature): all inline.
const INLINE: usize = 11;

/// Header names and values in the order they were set.
#[derive(Clone, Default)]
pub(crate) struct HeaderList {
    text: String,
    entries: SmallVec<[Entry; INLINE]>,
}

#[derive(Clone, Copy)]
struct Entry {
    name: &'static str,
    start: usize,
    end: usize,
}

impl HeaderList {
    /// An empty list whose values will take about `text_len` bytes in all.
    pub(crate) fn with_capacity(text_len: usize) -> Self {
        Self {
            text: String::with_capacity(text_len),
            entries: SmallVec::new(),
        }
    }

    /// Appends `name: value`.
    pub(crate) fn push(&mut self, name: &'static str, value: &str) {
        self.push_with(name, |text| text.push_str(value));
    }

    /// Appends `name` with the value `write` appends to the buffer, so a value that is computed
    /// (a number, the signature) is written in place rather than built and copied.
    pub(crate) fn push_with(&mut self, name: &'static str, write: impl FnOnce(&mut String)) {
        let start = self.text.len();
        write(&mut self.text);
        let end = self.text.len();
        self.entries.push(Entry { name, start, end });
    }

    /// The value of the first header called `name`, case-insensitively.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.position(name).map(|i| self.value(i))
    }

    /// Replaces the value of the first header called `name` (case-insensitively), or appends
    /// the header if there is none.
    pub(crate) fn set(&mut self, name: &'static str, value: &str) {
        match self.position(name) {
            Some(i) => {
                // The old value stays in the buffer unreferenced: editing is for tests and tools,
                // never on the hot path.
                let start = self.text.len();
                self.text.push_str(value);
                self.entries[i].start = start;
                self.entries[i].end = self.text.len();
            }
            None => self.push(name, value),
        }
    }

    /// Removes every header called `name`, case-insensitively.
    pub(crate) fn remove(&mut self, name: &str) {
        self.entries.retain(|e| !e.name.eq_ignore_ascii_case(name));
    }

    pub(crate) fn iter(&self) -> Headers<'_> {
        Headers {
            list: self,
            range: 0..self.entries.len(),
        }
    }

    fn position(&self, name: &str) -> Option<usize> {
        self.entries
            .iter()
            .position(|e| e.name.eq_ignore_ascii_case(name))
    }

    fn value(&self, i: usize) -> &str {
        let Entry { start, end, .. } = self.entries[i];
        // Every range was recorded around text this list appended itself.
        self.text.get(start..end).unwrap_or_default()
    }

    fn pair(&self, i: usize) -> (&'static str, &str) {
        (self.entries[i].name, self.value(i))
    }
}

impl PartialEq for HeaderList {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl Eq for HeaderList {}

/// The `(name, value)` pairs of a signed request, in the order the official SDK sets them.
#[derive(Clone)]
pub struct Headers<'a> {
    list: &'a HeaderList,
    range: Range<usize>,
}

impl<'a> Iterator for Headers<'a> {
    type Item = (&'static str, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        self.range.next().map(|i| self.list.pair(i))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.range.size_hint()
    }
}

impl DoubleEndedIterator for Headers<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.range.next_back().map(|i| self.list.pair(i))
    }
}

impl ExactSizeIterator for Headers<'_> {}

/// Shows the pairs with every sensitive value redacted.
impl fmt::Debug for Headers<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.clone().map(|(name, value)| {
                let sensitive = SENSITIVE.iter().any(|s| s.eq_ignore_ascii_case(name));
                (name, if sensitive { "<redacted>" } else { value })
            }))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_come_back_in_order_and_edits_keep_it() {
        let mut list = HeaderList::with_capacity(8);
        list.push("Host", "example.com");
        list.push_with("X-TC-Timestamp", |t| t.push_str("17"));
        list.push("Authorization", "secret");
        assert_eq!(
            list.iter().collect::<Vec<_>>(),
            [
                ("Host", "example.com"),
                ("X-TC-Timestamp", "17"),
                ("Authorization", "secret")
            ]
        );
        assert_eq!(list.get("host"), Some("example.com"));
        list.set("x-tc-timestamp", "18");
        list.set("X-TC-Token", "t");
        list.remove("HOST");
        assert_eq!(
            list.iter().collect::<Vec<_>>(),
            [
                ("X-TC-Timestamp", "18"),
                ("Authorization", "secret"),
                ("X-TC-Token", "t")
            ]
        );
        assert_eq!(list.get("Host"), None);
    }

    #[test]
    fn equality_is_by_pairs_not_by_buffer() {
        let mut edited = HeaderList::default();
        edited.push("Host", "old");
        edited.set("Host", "new");
        let mut fresh = HeaderList::default();
        fresh.push("Host", "new");
        assert!(edited == fresh);
        fresh.push("X-TC-Token", "t");
        assert!(edited != fresh);
    }

    #[test]
    fn debug_redacts_sensitive_values() {
        let mut list = HeaderList::default();
        list.push("Authorization", "TC3-HMAC-SHA256 secret-signature");
        list.push("X-TC-Token", "secret-token");
        list.push("Host", "visible.example");
        let shown = format!("{:?}", list.iter());
        assert!(shown.contains("visible.example"));
        assert!(!shown.contains("secret"));
    }
}
