//! Small text helpers on the signing and verifying paths, cheaper than their `str` forms in
//! the usual all-ASCII case and equal to them everywhere.

/// `str::trim`. ASCII blanks go first; when what is left starts and ends with visible ASCII
/// (the usual case), `str::trim` would stop at the same places, so its Unicode search is
/// skipped.
#[inline]
pub(crate) fn trim(s: &str) -> &str {
    let t = s.trim_ascii();
    match (t.as_bytes().first(), t.as_bytes().last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => t,
        (None, _) => t,
        _ => s.trim(),
    }
}

/// `name.eq_ignore_ascii_case(lower)` for a lower-case `lower`; `usual` (the spelling clients
/// send) and `lower` itself are compared first as plain bytes, the common cases and cheaper.
#[inline]
pub(crate) fn is_header(name: &str, usual: &str, lower: &str) -> bool {
    name == usual || name == lower || name.eq_ignore_ascii_case(lower)
}

/// The pieces of `s` between the ASCII bytes `sep`, like `s.split(sep as char)`.
pub(crate) fn split_at(s: &str, sep: u8) -> impl Iterator<Item = &str> {
    let mut rest = Some(s);
    std::iter::from_fn(move || {
        let current = rest?;
        match split_once_at(current, sep) {
            Some((piece, after)) => {
                rest = Some(after);
                Some(piece)
            }
            None => rest.take(),
        }
    })
}

/// Like `s.split_once(sep as char)` for an ASCII `sep`, by a plain scan: its cost follows
/// the distance to `sep`, which is a few bytes wherever this is used (`=` after a field name,
/// `/` and `;` between short names).
#[inline]
pub(crate) fn split_once_at(s: &str, sep: u8) -> Option<(&str, &str)> {
    let at = s.bytes().position(|b| b == sep)?;
    // `sep` is ASCII, so both sides of it are character boundaries.
    Some((s.get(..at)?, s.get(at + 1..)?))
}

/// Like [`split_once_at`] for a separator far from the start: by `memchr`.
#[inline]
pub(crate) fn split_once_far(s: &str, sep: u8) -> Option<(&str, &str)> {
    let at = memchr::memchr(sep, s.as_bytes())?;
    // `sep` is ASCII, so both sides of it are character boundaries.
    Some((s.get(..at)?, s.get(at + 1..)?))
}

/// Like [`split_at`] for pieces far apart (the Authorization header's fields): one vectorised
/// search (`memchr`) over the whole string instead of a scan per piece.
pub(crate) fn split_far(s: &str, sep: u8) -> impl Iterator<Item = &str> {
    let mut start = 0;
    memchr::memchr_iter(sep, s.as_bytes())
        .chain(std::iter::once(s.len()))
        .map(move |end| {
            // Ends are at an ASCII `sep` or the end: character boundaries.
            let piece = s.get(start..end).unwrap_or_default();
            start = end + 1;
            piece
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_names_match_case_insensitively() {
        for name in ["X-TC-Token", "x-tc-token", "X-tc-TOKEN"] {
            assert!(is_header(name, "X-TC-Token", "x-tc-token"), "{name}");
        }
        for name in ["X-TC-Tokens", "X-TC-Toke", "x-tc\rtoken", ""] {
            assert!(!is_header(name, "X-TC-Token", "x-tc-token"), "{name:?}");
        }
    }

    #[test]
    fn splitting_on_a_byte_matches_str_split() {
        let long = "content-type;host;x-tc-action;".repeat(3);
        for s in [
            "",
            ";",
            "a",
            "a;b",
            ";a;;b;",
            "é;ü;;",
            "content-type;host",
            &long,
            "no separator in a string longer than thirty-two bytes",
        ] {
            let ours: Vec<&str> = split_at(s, b';').collect();
            let std: Vec<&str> = s.split(';').collect();
            assert_eq!(ours, std, "{s:?}");
            let far: Vec<&str> = split_far(s, b';').collect();
            assert_eq!(far, std, "{s:?}");
            assert_eq!(split_once_at(s, b';'), s.split_once(';'), "{s:?}");
            assert_eq!(split_once_far(s, b';'), s.split_once(';'), "{s:?}");
        }
    }

    #[test]
    fn trimming_matches_str_trim() {
        for s in [
            "",
            " ",
            "a",
            " a ",
            "\u{b}a\u{b}",
            " \u{b} a",
            "a \u{85}",
            " \r\n\t\u{c}",
            "\u{a0}a",
            "a\u{3000}",
            "\ta\n",
            "é",
            " é ",
        ] {
            assert_eq!(trim(s), s.trim(), "{s:?}");
        }
    }
}
