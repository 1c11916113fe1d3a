//! Validation of JSON bodies against shapes.
//!
//! Every violation is collected, not just the first: a contract report that shows all the
//! problems of a response at once saves round trips. Paths use `$.Filters[0].Name` notation.

use std::fmt;

use serde_json::{Map, Value};

use crate::model::{Contract, Shape, Type};

/// Which side of the exchange a body is: it decides which flag makes a member required.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Client to server: `required` applies.
    Request,
    /// Server to client: `output_required` applies.
    Response,
}

/// One way a body breaks its shape, at a JSON path.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// `$` for the body itself, then `.Member` and `[index]` steps.
    pub path: String,
    pub kind: ViolationKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ViolationKind {
    /// A member required in this direction is absent.
    MissingRequired,
    /// The value is not of the member's type: another JSON kind, a fraction or an out-of-range
    /// integer for `int64`/`uint64`, a negative number for `uint64`.
    WrongType { expected: Type, found: String },
    /// `null` for a member that is not nullable (list elements never are).
    NullNotAllowed,
    /// A member the shape does not define.
    UnknownMember,
    /// The shape name itself is not in the contract.
    UnknownShape(String),
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.kind)
    }
}

impl fmt::Display for ViolationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ViolationKind::MissingRequired => f.write_str("missing required member"),
            ViolationKind::WrongType { expected, found } => {
                write!(f, "expected {expected}, found {found}")
            }
            ViolationKind::NullNotAllowed => f.write_str("null is not allowed"),
            ViolationKind::UnknownMember => f.write_str("unknown member"),
            ViolationKind::UnknownShape(name) => write!(f, "unknown shape {name}"),
        }
    }
}

pub(crate) fn validate(
    contract: &Contract,
    shape: &str,
    value: &Value,
    direction: Direction,
) -> Vec<Violation> {
    let mut validator = Validator {
        contract,
        direction,
        found: Vec::new(),
    };
    validator.value(&Type::Object(shape.to_owned()), value, "$".to_owned());
    validator.found
}

struct Validator<'c> {
    contract: &'c Contract,
    direction: Direction,
    found: Vec<Violation>,
}

impl Validator<'_> {
    fn report(&mut self, path: String, kind: ViolationKind) {
        self.found.push(Violation { path, kind });
    }

    /// Checks a non-null value against a type.
    fn value(&mut self, ty: &Type, value: &Value, path: String) {
        match (ty, value) {
            (Type::List(items), Value::Array(values)) => self.list(items, values, &path),
            (Type::Object(name), Value::Object(map)) => match self.contract.shape(name) {
                Some(shape) => self.object(shape, map, &path),
                None => self.report(path, ViolationKind::UnknownShape(name.clone())),
            },
            _ if ty.fits_scalar(value) => {}
            _ => {
                let found = describe(value);
                self.report(
                    path,
                    ViolationKind::WrongType {
                        expected: ty.clone(),
                        found,
                    },
                );
            }
        }
    }

    fn list(&mut self, items: &Type, values: &[Value], path: &str) {
        for (i, item) in values.iter().enumerate() {
            let path = format!("{path}[{i}]");
            match item {
                Value::Null => self.report(path, ViolationKind::NullNotAllowed),
                _ => self.value(items, item, path),
            }
        }
    }

    fn object(&mut self, shape: &Shape, map: &Map<String, Value>, path: &str) {
        for member in &shape.members {
            let path = member_path(path, &member.name);
            match map.get(&member.name) {
                None if member.is_required(self.direction) => {
                    self.report(path, ViolationKind::MissingRequired)
                }
                None => {}
                Some(Value::Null) if !member.nullable => {
                    self.report(path, ViolationKind::NullNotAllowed)
                }
                Some(Value::Null) => {}
                Some(value) => self.value(&member.ty, value, path),
            }
        }
        for key in map.keys().filter(|k| shape.member(k).is_none()) {
            self.report(member_path(path, key), ViolationKind::UnknownMember);
        }
    }
}

/// What a value is, precise enough to tell why a number is not an integer of the right kind.
fn describe(value: &Value) -> String {
    let text = match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
        Value::Number(n) if n.as_u64().is_some_and(|u| u > i64::MAX as u64) => {
            "integer above the int64 range"
        }
        Value::Number(n) if n.is_u64() => "integer",
        Value::Number(n) if n.is_i64() => "negative integer",
        Value::Number(n)
            if n.as_f64()
                .is_some_and(|f| f.fract() == 0.0 && f.abs() < 9.2e18) =>
        {
            "integer written as a decimal number"
        }
        Value::Number(n) if n.as_f64().is_some_and(|f| f.fract() == 0.0) => "integer out of range",
        Value::Number(_) => "non-integer number",
    };
    text.to_owned()
}

/// `$.Name`, or `$["odd key"]` for keys that are not plain identifiers.
fn member_path(parent: &str, key: &str) -> String {
    let plain = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        format!("{parent}.{key}")
    } else {
        format!("{parent}[{}]", Value::from(key))
    }
}
