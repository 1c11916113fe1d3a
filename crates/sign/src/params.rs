//! Parameters as the official SDK writes them: flattened keys for GET and forms, its query
//! encoding, and its JSON body.
//!
//! The oracle is the official Python SDK, so its conventions are kept even where they look
//! odd: booleans flatten to `True`/`False`, `null` members are left out of flattened forms, and
//! JSON bodies use `", "` and `": "` separators with non-ASCII escaped as `\uXXXX`.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::Value;

/// Flattens nested parameters into `Key.0.Sub` pairs, in the order the value holds them.
///
/// Lists contribute their index, objects their member name; `null` and empty containers
/// contribute nothing.
pub fn flatten(params: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    flatten_into(None, params, &mut out);
    out
}

fn flatten_into(prefix: Option<&str>, value: &Value, out: &mut Vec<(String, String)>) {
    let child = |key: &str| match prefix {
        Some(p) => format!("{p}.{key}"),
        None => key.to_string(),
    };
    match value {
        Value::Null => {}
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                flatten_into(Some(&child(&i.to_string())), item, out);
            }
        }
        Value::Object(members) => {
            for (k, v) in members {
                flatten_into(Some(&child(k)), v, out);
            }
        }
        scalar => out.push((prefix.unwrap_or_default().to_string(), scalar_text(scalar))),
    }
}

/// A scalar as Python's `str()` renders it, which is what the SDK puts in forms.
pub fn scalar_text(value: &Value) -> String {
    match value {
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::String(s) => s.clone(),
        Value::Number(n) if n.is_f64() => python_float(n.as_f64().unwrap_or_default()),
        Value::Number(n) => n.to_string(),
        Value::Null => "None".into(),
        other => other.to_string(),
    }
}

/// Python's `repr(float)` for the finite values an API request can carry.
fn python_float(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e16 {
        format!("{f:.1}")
    } else {
        format!("{f}")
    }
}

/// What `urllib.parse.quote_plus` leaves alone: ASCII letters, digits and `_.-~`.
const QUOTE_PLUS: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'_')
    .remove(b'.')
    .remove(b'-')
    .remove(b'~');

/// Percent-encodes like Python's `quote_plus`: UTF-8 bytes as `%XX`, space as `+`.
pub fn quote_plus(s: &str) -> String {
    // A literal "%20" in the input is itself encoded ("%2520"), so this replacement only ever
    // touches encoded spaces.
    utf8_percent_encode(s, QUOTE_PLUS)
        .to_string()
        .replace("%20", "+")
}

/// `k=v&k=v`, each side quoted, in the order given (Python's `urlencode`).
pub fn urlencode<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", quote_plus(k.as_ref()), quote_plus(v.as_ref())))
        .collect::<Vec<_>>()
        .join("&")
}

/// Decodes `k=v&k=v` (query strings and form bodies), `+` as space. Pairs whose bytes are not
/// UTF-8 are decoded lossily: a signature over them will simply not match.
pub fn urldecode(s: &str) -> Vec<(String, String)> {
    if s.is_empty() {
        return Vec::new();
    }
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (unquote_plus(k), unquote_plus(v))
        })
        .collect()
}

fn unquote_plus(s: &str) -> String {
    let spaced = s.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8_lossy()
        .into_owned()
}

/// Serialises a JSON body byte-for-byte as Python's `json.dumps` does with its defaults.
pub fn python_json(value: &Value) -> String {
    let mut out = String::with_capacity(64);
    write_python_json(value, &mut out);
    out
}

fn write_python_json(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) if n.is_f64() => {
            out.push_str(&python_float(n.as_f64().unwrap_or_default()))
        }
        Value::Number(n) => {
            // Integers: digits straight into `out` (a `to_string` per number otherwise).
            if let Some(i) = n.as_i64() {
                out.push_str(itoa::Buffer::new().format(i));
            } else if let Some(u) = n.as_u64() {
                out.push_str(itoa::Buffer::new().format(u));
            } else {
                out.push_str(&n.to_string());
            }
        }
        Value::String(s) => write_python_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_python_json(item, out);
            }
            out.push(']');
        }
        Value::Object(members) => {
            out.push('{');
            for (i, (k, v)) in members.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_python_string(k, out);
                out.push_str(": ");
                write_python_json(v, out);
            }
            out.push('}');
        }
    }
}

/// A JSON string with `ensure_ascii`: everything outside printable ASCII as `\uXXXX`.
fn write_python_string(s: &str, out: &mut String) {
    out.push('"');
    // Runs of characters that need no escape are copied whole.
    let mut plain_from = 0;
    for (at, c) in s.char_indices() {
        let escaped = match c {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\u{08}' => "\\b",
            '\u{0c}' => "\\f",
            ' '..='~' => continue,
            _ => "",
        };
        out.push_str(&s[plain_from..at]);
        plain_from = at + c.len_utf8();
        if escaped.is_empty() {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                push_unicode_escape(*unit, out);
            }
        } else {
            out.push_str(escaped);
        }
    }
    out.push_str(&s[plain_from..]);
    out.push('"');
}

/// `\uXXXX` with lower-case hex, as Python writes it.
fn push_unicode_escape(unit: u16, out: &mut String) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    out.push_str("\\u");
    for shift in [12, 8, 4, 0] {
        out.push(char::from(DIGITS[usize::from((unit >> shift) & 0xf)]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn flattening_numbers_lists_and_objects() {
        let p = json!({"Filters": [{"Name": "n", "Values": ["a", "b"]}], "Limit": 10, "X": null, "E": []});
        assert_eq!(
            flatten(&p),
            vec![
                ("Filters.0.Name".to_string(), "n".to_string()),
                ("Filters.0.Values.0".to_string(), "a".to_string()),
                ("Filters.0.Values.1".to_string(), "b".to_string()),
                ("Limit".to_string(), "10".to_string()),
            ]
        );
    }

    #[test]
    fn quote_plus_matches_python() {
        // Expected values from CPython 3.11: urllib.parse.quote_plus(...)
        assert_eq!(quote_plus("a b&c=d/e?f~g*h"), "a+b%26c%3Dd%2Fe%3Ff~g%2Ah");
        assert_eq!(quote_plus("未命名"), "%E6%9C%AA%E5%91%BD%E5%90%8D");
        assert_eq!(quote_plus("%20"), "%2520");
    }

    #[test]
    fn json_matches_python_dumps() {
        // Expected value from CPython 3.11: json.dumps({"Limit": 1, "Filters": [{"Values": ["未命名"], "Name": "instance-name"}]})
        let v = json!({"Limit": 1, "Filters": [{"Values": ["未命名"], "Name": "instance-name"}]});
        assert_eq!(
            python_json(&v),
            r#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#
        );
        assert_eq!(
            python_json(&json!({"e": "😀\u{1}"})),
            r#"{"e": "\ud83d\ude00\u0001"}"#
        );
    }

    #[test]
    fn urldecode_inverts_urlencode() {
        let pairs = vec![
            ("A b".to_string(), "c+d&e".to_string()),
            ("k".into(), "".into()),
        ];
        assert_eq!(urldecode(&urlencode(&pairs)), pairs);
    }
}
