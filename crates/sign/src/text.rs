//! Small text helpers on the signing and verifying paths, cheaper than their `str` forms in
//! the usual all-ASCII case and equal to them everywhere.

/// `str::trim`, skipped when both ends are visible ASCII (the usual case), where it is a no-op.
pub(crate) fn trim(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

/// `name.eq_ignore_ascii_case(lower)` for a lower-case `lower`; `usual` (the spelling clients
/// send) and `lower` itself are compared first as plain bytes, the common cases and cheaper.
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

/// Like `s.split_once(sep as char)` for an ASCII `sep`. A plain scan: the strings split here
/// are a few dozen bytes, too short for a vectorised search to pay for its set-up.
pub(crate) fn split_once_at(s: &str, sep: u8) -> Option<(&str, &str)> {
    let at = s.bytes().position(|b| b == sep)?;
    // `sep` is ASCII, so both sides of it are character boundaries.
    Some((s.get(..at)?, s.get(at + 1..)?))
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
        for s in ["", ";", "a", "a;b", ";a;;b;", "é;ü;;", "content-type;host"] {
            let ours: Vec<&str> = split_at(s, b';').collect();
            let std: Vec<&str> = s.split(';').collect();
            assert_eq!(ours, std, "{s:?}");
            assert_eq!(split_once_at(s, b';'), s.split_once(';'), "{s:?}");
        }
    }

    #[test]
    fn trimming_matches_str_trim() {
        for s in [
            "",
            " ",
            "a",
            " a ",
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
