//! Member types, normalised, and typed example values.
//!
//! api.json gives every example as a string; consumers (the mock, the proptests, the docs)
//! need a JSON value of the member's own type that validates against the contract. Objects
//! and lists of objects are therefore always built from the nested shape's member examples,
//! never parsed from Tencent's string (those are often abbreviated or not JSON at all).

use std::collections::BTreeMap;

use serde_json::Value;
use tco_spec::Type;

use super::reference::{ApiMember, ApiObject};
use super::Error;

/// What api.json calls the scalar in `member`, mapped to the contract's type.
fn scalar(name: &str) -> Option<Type> {
    Some(match name {
        "int64" => Type::Int64,
        "uint64" => Type::Uint64,
        "string" => Type::String,
        "datetime" => Type::Datetime,
        "bool" => Type::Bool,
        "float" | "double" => Type::Float,
        _ => return None,
    })
}

type Objects = BTreeMap<String, ApiObject>;

/// The contract type of a member; unknown scalars and dangling shape names stop the generator
/// rather than produce a contract that cannot be validated against.
pub fn normalise(shape: &str, member: &ApiMember, objects: &Objects) -> Result<Type, Error> {
    let element = || -> Result<Type, Error> {
        if let Some(t) = scalar(&member.member) {
            return Ok(t);
        }
        if objects.contains_key(&member.member) {
            return Ok(Type::Object(member.member.clone()));
        }
        Err(format!("{shape}.{}: unknown type {:?}", member.name, member.member).into())
    };
    match (member.kind.as_str(), element()?) {
        ("list", items) => Ok(Type::List(Box::new(items))),
        ("object", t @ Type::Object(_)) => Ok(t),
        ("int" | "string" | "bool" | "float" | "double", t) if !matches!(t, Type::Object(_)) => {
            Ok(t)
        }
        (kind, _) => Err(format!("{shape}.{}: unexpected type {kind:?}", member.name).into()),
    }
}

/// A typed example and whether it had to be invented because the reference's own example
/// could not be read as the member's type.
pub struct Example {
    pub value: Value,
    pub synthesized: bool,
}

impl Example {
    fn read(value: Value) -> Self {
        Example {
            value,
            synthesized: false,
        }
    }
    fn invented(value: Value) -> Self {
        Example {
            value,
            synthesized: true,
        }
    }
}

/// Builds examples, remembering which shapes are being expanded so a recursive shape ends in
/// an empty object or list instead of recursing forever.
pub struct Examples<'a> {
    objects: &'a Objects,
    expanding: Vec<String>,
}

impl<'a> Examples<'a> {
    pub fn new(objects: &'a Objects) -> Self {
        Examples {
            objects,
            expanding: Vec::new(),
        }
    }

    pub fn member(&mut self, shape: &str, member: &ApiMember) -> Result<Example, Error> {
        let ty = normalise(shape, member, self.objects)?;
        let raw = member.example.as_deref();
        Ok(match &ty {
            Type::Object(shape) => match self.object(shape)? {
                Some(v) => Example::read(v),
                None => Example::invented(Value::Object(Default::default())),
            },
            Type::List(items) => match items.as_ref() {
                Type::Object(shape) => match self.object(shape)? {
                    Some(v) => Example::read(Value::Array(vec![v])),
                    None => Example::invented(Value::Array(vec![])),
                },
                scalar => scalar_list(raw, scalar, &member.name),
            },
            scalar => match raw.and_then(|r| parse_scalar(r, scalar)) {
                Some(v) => Example::read(v),
                None => Example::invented(synthesize(scalar, &member.name)),
            },
        })
    }

    /// The example object of a shape, every member included; `None` when already expanding it.
    fn object(&mut self, name: &str) -> Result<Option<Value>, Error> {
        if self.expanding.iter().any(|s| s == name) {
            return Ok(None);
        }
        let objects = self.objects;
        let shape = &objects[name];
        self.expanding.push(name.to_owned());
        let mut map = serde_json::Map::new();
        for member in &shape.members {
            map.insert(member.name.clone(), self.member(name, member)?.value);
        }
        self.expanding.pop();
        Ok(Some(Value::Object(map)))
    }
}

/// A list of scalars: the example is used when it is a JSON array of the right scalar type;
/// a lone scalar is wrapped (and flagged, since it is not what the reference wrote).
fn scalar_list(raw: Option<&str>, item: &Type, name: &str) -> Example {
    let raw = raw.unwrap_or_default();
    if let Ok(Value::Array(values)) = serde_json::from_str::<Value>(raw) {
        if values.iter().all(|v| item.fits_scalar(v)) {
            return Example::read(Value::Array(values));
        }
    }
    let one = parse_scalar(raw, item).unwrap_or_else(|| synthesize(item, name));
    Example::invented(Value::Array(vec![one]))
}

/// Reads a scalar example string as its type; `None` when it is not a value of that type.
fn parse_scalar(raw: &str, ty: &Type) -> Option<Value> {
    let raw_trimmed = raw.trim();
    match ty {
        Type::Int64 => raw_trimmed.parse::<i64>().ok().map(Value::from),
        Type::Uint64 => raw_trimmed.parse::<u64>().ok().map(Value::from),
        Type::Float => raw_trimmed
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number),
        Type::Bool => match raw_trimmed {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            _ => None,
        },
        Type::String | Type::Datetime => Some(Value::String(raw.to_owned())),
        Type::List(_) | Type::Object(_) => None,
    }
}

/// A plausible value of the type, used when the reference has none that can be read.
fn synthesize(ty: &Type, name: &str) -> Value {
    match ty {
        Type::Int64 | Type::Uint64 => Value::from(0),
        Type::Float => Value::from(0.0),
        Type::Bool => Value::Bool(false),
        Type::Datetime => Value::from("2021-01-01 00:00:00"),
        Type::String if name == "RequestId" => Value::from("00000000-0000-4000-8000-000000000000"),
        Type::String => Value::from(""),
        Type::List(_) => Value::Array(vec![]),
        Type::Object(_) => Value::Object(Default::default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_are_range_checked() {
        assert_eq!(parse_scalar("-1", &Type::Uint64), None);
        assert_eq!(
            parse_scalar("18446744073709551615", &Type::Uint64),
            Some(Value::from(u64::MAX))
        );
        assert_eq!(parse_scalar("9223372036854775808", &Type::Int64), None);
        assert_eq!(parse_scalar("10003i32i2", &Type::Int64), None);
    }

    #[test]
    fn scalar_lists_use_typed_arrays_only() {
        let ok = scalar_list(Some("[1,2]"), &Type::Uint64, "Ids");
        assert!(!ok.synthesized);
        assert_eq!(ok.value, serde_json::json!([1, 2]));
        let strings = scalar_list(Some("[\"1\\r\\n\"]"), &Type::Uint64, "Ids");
        assert!(strings.synthesized);
        assert_eq!(strings.value, serde_json::json!([0]));
        let lone = scalar_list(Some("100000000001"), &Type::Uint64, "Uins");
        assert!(lone.synthesized);
        assert_eq!(lone.value, serde_json::json!([100000000001u64]));
    }
}
