//! What a call's outcome needs from an answer, read without building a `serde_json::Value`:
//! whether `Response` is an object, its `RequestId` and its `Error.Code`. A load run reads
//! one answer per call, so the tree of maps and strings a `Value` allocates for the whole
//! envelope was a measurable share of the generator's CPU; these visitors borrow the two
//! strings from the body and skip the rest.
//!
//! The reading is the same as indexing a parsed `Value` (`value["Response"]["Error"]["Code"]
//! .as_str()`): the same lexer validates the whole body (every value is walked with
//! `deserialize_any`, as `Value` does, so numbers out of range and bad escapes are refused
//! alike), a key given twice counts by its last occurrence, a field of another type reads as
//! absent. [`Head::from_value`] is that indexing, kept as the reference the tests compare with.

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// The parts of an answer's envelope that decide a call's outcome.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Head<'a> {
    /// `Response` is present and an object.
    pub response_is_object: bool,
    /// `Response.RequestId`, when a string.
    pub request_id: Option<Cow<'a, str>>,
    /// `Response.Error.Code`, when a string.
    pub code: Option<Cow<'a, str>>,
}

impl<'a> Head<'a> {
    /// Reads `body`; an error when it is not one JSON value.
    pub fn read(body: &'a [u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice::<Top<'a>>(body).map(|t| t.0)
    }

    /// The same reading, from a parsed answer.
    pub fn from_value(value: &'a Value) -> Self {
        let response = &value["Response"];
        Head {
            response_is_object: response.is_object(),
            request_id: response["RequestId"].as_str().map(Cow::Borrowed),
            code: response["Error"]["Code"].as_str().map(Cow::Borrowed),
        }
    }
}

/// The top level: only `Response` is read; any other shape has no `Response`.
struct Top<'a>(Head<'a>);

impl<'de> Deserialize<'de> for Top<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ObjectOr::<ResponseField>::new()).map(Top)
    }
}

/// A visitor for an object whose fields are read by `F`; any other value is consumed and
/// reads as `F::Out::default()`.
struct ObjectOr<F>(std::marker::PhantomData<F>);

impl<F> ObjectOr<F> {
    fn new() -> Self {
        ObjectOr(std::marker::PhantomData)
    }
}

/// How the fields of one object level are read.
trait Fields<'de> {
    type Out: Default;
    /// Reads the value of `key` into `out` (or skips it).
    fn field<A: MapAccess<'de>>(
        key: &str,
        map: &mut A,
        out: &mut Self::Out,
    ) -> Result<(), A::Error>;
    /// Called once when the value is an object.
    fn object(out: &mut Self::Out);
}

/// The envelope's top level: `Response` becomes the head.
struct ResponseField;

impl<'de> Fields<'de> for ResponseField {
    type Out = Head<'de>;
    fn field<A: MapAccess<'de>>(
        key: &str,
        map: &mut A,
        out: &mut Head<'de>,
    ) -> Result<(), A::Error> {
        if key == "Response" {
            *out = map.next_value_seed(Seed::<ObjectOr<ResponseFields>>::new())?;
        } else {
            map.next_value::<Skip>()?;
        }
        Ok(())
    }
    fn object(_: &mut Head<'de>) {}
}

/// Inside `Response`: `RequestId` and `Error`.
struct ResponseFields;

impl<'de> Fields<'de> for ResponseFields {
    type Out = Head<'de>;
    fn field<A: MapAccess<'de>>(
        key: &str,
        map: &mut A,
        out: &mut Head<'de>,
    ) -> Result<(), A::Error> {
        match key {
            "RequestId" => out.request_id = map.next_value::<StrOrNone>()?.0,
            "Error" => out.code = map.next_value_seed(Seed::<ObjectOr<CodeField>>::new())?,
            _ => {
                map.next_value::<Skip>()?;
            }
        }
        Ok(())
    }
    fn object(out: &mut Head<'de>) {
        out.response_is_object = true;
    }
}

/// Inside `Error`: `Code`.
struct CodeField;

impl<'de> Fields<'de> for CodeField {
    type Out = Option<Cow<'de, str>>;
    fn field<A: MapAccess<'de>>(
        key: &str,
        map: &mut A,
        out: &mut Self::Out,
    ) -> Result<(), A::Error> {
        if key == "Code" {
            *out = map.next_value::<StrOrNone>()?.0;
        } else {
            map.next_value::<Skip>()?;
        }
        Ok(())
    }
    fn object(_: &mut Self::Out) {}
}

/// Deserializes with a visitor type (serde's `DeserializeSeed` over `ObjectOr`).
struct Seed<V>(std::marker::PhantomData<V>);

impl<V> Seed<V> {
    fn new() -> Self {
        Seed(std::marker::PhantomData)
    }
}

impl<'de, F: Fields<'de>> serde::de::DeserializeSeed<'de> for Seed<ObjectOr<F>> {
    type Value = F::Out;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<F::Out, D::Error> {
        d.deserialize_any(ObjectOr::<F>::new())
    }
}

/// Implements the non-object cases of a visitor: the value is consumed and reads as `$out`.
macro_rules! consume_as {
    ($out:expr) => {
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok($out)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok($out)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok($out)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok($out)
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok($out)
        }
        fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<Self::Value, S::Error> {
            while seq.next_element::<Skip>()?.is_some() {}
            Ok($out)
        }
    };
}

impl<'de, F: Fields<'de>> Visitor<'de> for ObjectOr<F> {
    type Value = F::Out;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<F::Out, A::Error> {
        let mut out = F::Out::default();
        F::object(&mut out);
        while let Some(key) = map.next_key::<KeyText>()? {
            F::field(&key.0, &mut map, &mut out)?;
        }
        Ok(out)
    }
    fn visit_str<E>(self, _: &str) -> Result<F::Out, E> {
        Ok(F::Out::default())
    }
    consume_as!(F::Out::default());
}

/// A key, borrowed from the body unless it has escapes.
struct KeyText<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for KeyText<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrVisitor)
            .map(|s| KeyText(s.unwrap_or_default()))
    }
}

/// A string value, or `None` for a value of any other type (consumed).
struct StrOrNone<'de>(Option<Cow<'de, str>>);

impl<'de> Deserialize<'de> for StrOrNone<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrVisitor).map(StrOrNone)
    }
}

struct StrVisitor;

impl<'de> Visitor<'de> for StrVisitor {
    type Value = Option<Cow<'de, str>>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Borrowed(s)))
    }
    fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(s.to_owned())))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<Skip, Skip>()?.is_some() {}
        Ok(None)
    }
    consume_as!(None);
}

/// Any value, walked the way `Value` walks it (so it is validated alike) and dropped.
struct Skip;

impl<'de> Deserialize<'de> for Skip {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(SkipVisitor).map(|_| Skip)
    }
}

struct SkipVisitor;

impl<'de> Visitor<'de> for SkipVisitor {
    type Value = IgnoredAny;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_str<E>(self, _: &str) -> Result<IgnoredAny, E> {
        Ok(IgnoredAny)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<IgnoredAny, A::Error> {
        while map.next_entry::<Skip, Skip>()?.is_some() {}
        Ok(IgnoredAny)
    }
    consume_as!(IgnoredAny);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn both(body: &str) -> (Option<Head<'_>>, Option<Value>) {
        (
            Head::read(body.as_bytes()).ok(),
            serde_json::from_str(body).ok(),
        )
    }

    #[test]
    fn reads_the_envelope_like_indexing_a_value() {
        for body in [
            r#"{"Response":{"RequestId":"r1","Org":{"A":[1,2,{"B":null}]}}}"#,
            r#"{"Response":{"Error":{"Code":"RequestLimitExceeded","Message":"m"},"RequestId":"r2"}}"#,
            r#"{"Response":{"Error":{"Code":7},"RequestId":7}}"#,
            r#"{"Response":{"Error":"RequestLimitExceeded","RequestId":null}}"#,
            r#"{"Response":[{"RequestId":"r"}]}"#,
            r#"{"Response":"text"}"#,
            r#"[{"RequestId":"r"}]"#,
            r#""Response""#,
            r#"{"Response":{"RequestId":"a"},"Response":{"RequestId":"b"}}"#,
            r#"{"Response":{"RequestId":"a"},"Response":3}"#,
            r#"{"Respon\u0073e":{"Request\u0049d":"r\"q","Error":{"Code":"C\u00e9"}}}"#,
            r#"{"Other":{"Response":{"RequestId":"x"}}}"#,
        ] {
            let (fast, value) = both(body);
            let value = value.expect(body);
            assert_eq!(fast.as_ref(), Some(&Head::from_value(&value)), "{body}");
        }
    }

    #[test]
    fn refuses_what_a_value_refuses() {
        for body in [
            "",
            "<html>",
            r#"{"Response":{"RequestId":"r"}"#,
            r#"{"Response":{}} x"#,
            r#"{"Response":{"Other":1e400}}"#,
            r#"{"Response":{"Other":"\ud800"}}"#,
            r#"{"Response":{"RequestId":"r",}}"#,
        ] {
            let (fast, value) = both(body);
            assert!(value.is_none(), "{body}");
            assert!(fast.is_none(), "{body}");
        }
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert!(serde_json::from_str::<Value>(&deep).is_err());
        assert!(Head::read(deep.as_bytes()).is_err());
    }

    /// JSON trees whose keys are mostly the envelope's, so the interesting shapes come up.
    fn json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            "[a-zA-Z\"\\\\é]{0,6}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 32, 4, |inner| {
            let key = prop_oneof![
                Just("Response".to_string()),
                Just("RequestId".to_string()),
                Just("Error".to_string()),
                Just("Code".to_string()),
                "[a-z]{1,3}",
            ];
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::vec((key, inner), 0..4)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn agrees_with_indexing_a_value(v in json(), pretty in any::<bool>()) {
            let body = if pretty {
                serde_json::to_string_pretty(&v).unwrap()
            } else {
                serde_json::to_string(&v).unwrap()
            };
            let parsed: Value = serde_json::from_str(&body).unwrap();
            prop_assert_eq!(Head::read(body.as_bytes()).ok(), Some(Head::from_value(&parsed)));
        }

        #[test]
        fn accepts_exactly_what_a_value_accepts(body in "[\\[\\]{}\":,a-zR0-9 .e\\\\-]{0,24}") {
            let (fast, value) = both(&body);
            prop_assert_eq!(fast.is_some(), value.is_some());
            if let (Some(fast), Some(value)) = (fast, value) {
                prop_assert_eq!(fast, Head::from_value(&value));
            }
        }
    }
}
