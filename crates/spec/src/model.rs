//! The contract's data model, read from the generated JSON.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::schema::{ActionEntry, ContractFile};
use crate::validate::{self, Direction, Violation};
use crate::{contract, Version};

/// One API version's contract. Obtained with [`crate::contract`]; immutable and `'static`.
#[derive(Debug)]
pub struct Contract {
    version: Version,
    service: String,
    actions: Vec<Action>,
    shapes: Vec<Shape>,
    error_codes: Vec<ErrorCode>,
    common_errors: Vec<ErrorCode>,
}

/// An action: its shapes, its documented rate limit and the business errors it may return.
#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    pub name: String,
    pub version: Version,
    /// Name of the request shape.
    pub input: String,
    /// Name of the response shape (the content of `Response`, `RequestId` included).
    pub output: String,
    /// Requests per second; the platform default (20) where no limit is documented.
    pub rate_limit: u32,
    pub rate_limit_documented: bool,
    pub category: String,
    /// The category was assigned from the action's name, not read from the docs.
    pub category_by_name: bool,
    /// Business error codes documented for this action, sorted.
    pub errors: Vec<String>,
}

/// A request, response or nested object shape.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shape {
    pub name: String,
    /// `in`, `out` or `both` where the reference says so (nested shapes only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<String>,
    /// Members in documented order.
    pub members: Vec<Member>,
}

/// A member of a shape.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: Type,
    /// Required in requests.
    pub required: bool,
    /// Always present in responses.
    pub output_required: bool,
    /// `null` is an accepted value.
    pub nullable: bool,
    /// Still accepted, but no longer documented for use.
    pub deprecated: bool,
    /// A value of the member's type; objects and lists are built from nested examples.
    pub example: Value,
    /// The reference's example could not be read as the type; this one was invented.
    pub example_synthesized: bool,
}

/// The type of a member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawType", into = "RawType")]
pub enum Type {
    Int64,
    Uint64,
    String,
    /// A string such as `2021-03-04 12:22:21`; checked as a string.
    Datetime,
    Bool,
    Float,
    List(Box<Type>),
    /// A nested object, by shape name.
    Object(String),
}

/// An error code with the project's own short explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorCode {
    pub code: String,
    /// The part before the first dot, e.g. `ResourceNotFound`.
    pub family: String,
    pub message: String,
}

impl Contract {
    /// Parses embedded contract data. The data is generated and checked in CI, so a failure
    /// here is a build defect, reported loudly rather than threaded through every caller.
    pub(crate) fn load(version: Version, json: &str) -> Contract {
        let raw: ContractFile = serde_json::from_str(json)
            .unwrap_or_else(|e| panic!("embedded contract {version} does not parse: {e}"));
        assert_eq!(
            raw.version,
            version.as_str(),
            "embedded contract has the wrong version"
        );
        let contract = Contract::from_file(raw, version);
        if let Some(missing) = contract.dangling_refs().next() {
            panic!("embedded contract {version} references unknown shape {missing}");
        }
        contract
    }

    pub fn version(&self) -> Version {
        self.version
    }

    /// The service name, `organization`.
    pub fn service(&self) -> &str {
        &self.service
    }

    /// Actions, sorted by name.
    pub fn actions(&self) -> impl Iterator<Item = &Action> {
        self.actions.iter()
    }

    pub fn action(&self, name: &str) -> Option<&Action> {
        find_by(&self.actions, name, |a| &a.name)
    }

    /// Shapes, sorted by name.
    pub fn shapes(&self) -> impl Iterator<Item = &Shape> {
        self.shapes.iter()
    }

    pub fn shape(&self, name: &str) -> Option<&Shape> {
        find_by(&self.shapes, name, |s| &s.name)
    }

    /// The business error codes of this version.
    pub fn error_codes(&self) -> &[ErrorCode] {
        &self.error_codes
    }

    /// The codes any action may return (authentication, throttling, malformed requests…).
    pub fn common_errors(&self) -> &[ErrorCode] {
        &self.common_errors
    }

    /// A business or common code; the business entry wins where a code is both.
    pub fn error_code(&self, code: &str) -> Option<&ErrorCode> {
        find_by(&self.error_codes, code, |e| &e.code).or_else(|| self.common_error(code))
    }

    pub fn common_error(&self, code: &str) -> Option<&ErrorCode> {
        find_by(&self.common_errors, code, |e| &e.code)
    }

    /// Every violation of `value` against the shape, in document order.
    pub fn validate(&self, shape: &str, value: &Value, direction: Direction) -> Vec<Violation> {
        validate::validate(self, shape, value, direction)
    }

    /// Shape names referenced by actions or members that the contract does not define.
    fn dangling_refs(&self) -> impl Iterator<Item = &str> {
        let from_actions = self.actions.iter().flat_map(|a| [&a.input, &a.output]);
        let from_members = self
            .shapes
            .iter()
            .flat_map(|s| &s.members)
            .filter_map(|m| m.ty.object_ref());
        from_actions
            .map(String::as_str)
            .chain(from_members)
            .filter(|name| self.shape(name).is_none())
    }
}

/// Binary search in a slice sorted by `key` (the loader sorts every list it searches).
fn find_by<'a, T>(items: &'a [T], name: &str, key: impl Fn(&T) -> &String) -> Option<&'a T> {
    items
        .binary_search_by(|item| key(item).as_str().cmp(name))
        .ok()
        .map(|i| &items[i])
}

impl Action {
    /// The contract this action belongs to.
    pub fn contract(&self) -> &'static Contract {
        contract(self.version)
    }

    /// Whether the action may answer with this code: one of its business codes or a common one.
    pub fn is_documented_error(&self, code: &str) -> bool {
        self.errors.iter().any(|e| e == code) || self.contract().common_error(code).is_some()
    }

    pub fn request_shape(&self) -> &'static Shape {
        self.shape_named(&self.input)
    }

    pub fn response_shape(&self) -> &'static Shape {
        self.shape_named(&self.output)
    }

    fn shape_named(&self, name: &str) -> &'static Shape {
        // Loading checked that every action's shapes exist.
        self.contract()
            .shape(name)
            .expect("action shape checked at load")
    }

    /// Violations of a request body (the JSON object of parameters).
    pub fn validate_request(&self, body: &Value) -> Vec<Violation> {
        self.contract()
            .validate(&self.input, body, Direction::Request)
    }

    /// Violations of a successful response's `Response` object (`RequestId` included).
    pub fn validate_response(&self, response: &Value) -> Vec<Violation> {
        self.contract()
            .validate(&self.output, response, Direction::Response)
    }

    /// A request with every member (required and optional) set to its example.
    pub fn example_request(&self) -> Value {
        self.request_shape().example()
    }

    /// A `Response` object with every member set to its example.
    pub fn example_response(&self) -> Value {
        self.response_shape().example()
    }
}

impl Shape {
    pub fn member(&self, name: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.name == name)
    }

    /// An object holding every member's example, in member order.
    pub fn example(&self) -> Value {
        let map: Map<String, Value> = self
            .members
            .iter()
            .map(|m| (m.name.clone(), m.example.clone()))
            .collect();
        Value::Object(map)
    }
}

impl Member {
    /// Whether the member must be present in this direction. Deprecated members never are:
    /// a client following the current documentation does not send them.
    pub fn is_required(&self, direction: Direction) -> bool {
        let required = match direction {
            Direction::Request => self.required,
            Direction::Response => self.output_required,
        };
        required && !self.deprecated
    }
}

impl Type {
    /// The `kind` the contract file gives this type.
    pub fn kind(&self) -> &'static str {
        match self {
            Type::Int64 => "int64",
            Type::Uint64 => "uint64",
            Type::String => "string",
            Type::Datetime => "datetime",
            Type::Bool => "bool",
            Type::Float => "float",
            Type::List(_) => "list",
            Type::Object(_) => "object",
        }
    }

    /// Whether a JSON value is an instance of this scalar type: integers range-checked,
    /// datetimes as strings. Always false for lists and objects, which are checked
    /// structurally (the validator walks them; the generator builds them from shapes).
    pub fn fits_scalar(&self, value: &Value) -> bool {
        match self {
            Type::Int64 => value.as_i64().is_some(),
            Type::Uint64 => value.as_u64().is_some(),
            Type::Float => value.is_number(),
            Type::Bool => value.is_boolean(),
            Type::String | Type::Datetime => value.is_string(),
            Type::List(_) | Type::Object(_) => false,
        }
    }

    /// The shape an object (or list of objects) refers to.
    pub fn object_ref(&self) -> Option<&str> {
        match self {
            Type::Object(name) => Some(name),
            Type::List(items) => items.object_ref(),
            _ => None,
        }
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::List(items) => write!(f, "list of {items}"),
            Type::Object(name) => write!(f, "object {name}"),
            scalar => f.write_str(scalar.kind()),
        }
    }
}

/// The JSON encoding of a type: `{"kind": "list", "items": {…}}`, `{"kind": "object", "ref": "X"}`.
#[derive(Serialize, Deserialize)]
struct RawType {
    kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    items: Option<Box<RawType>>,
    #[serde(rename = "ref", skip_serializing_if = "Option::is_none")]
    shape: Option<String>,
}

impl From<Type> for RawType {
    fn from(ty: Type) -> Self {
        let (items, shape) = match &ty {
            Type::List(items) => (Some(Box::new(RawType::from((**items).clone()))), None),
            Type::Object(name) => (None, Some(name.clone())),
            _ => (None, None),
        };
        RawType {
            kind: ty.kind().to_owned(),
            items,
            shape,
        }
    }
}

impl TryFrom<RawType> for Type {
    type Error = String;

    fn try_from(raw: RawType) -> Result<Self, Self::Error> {
        Ok(match (raw.kind.as_str(), raw.items, raw.shape) {
            ("int64", None, None) => Type::Int64,
            ("uint64", None, None) => Type::Uint64,
            ("string", None, None) => Type::String,
            ("datetime", None, None) => Type::Datetime,
            ("bool", None, None) => Type::Bool,
            ("float", None, None) => Type::Float,
            ("list", Some(items), None) => Type::List(Box::new(Type::try_from(*items)?)),
            ("object", None, Some(shape)) => Type::Object(shape),
            (kind, ..) => return Err(format!("malformed type of kind {kind:?}")),
        })
    }
}

impl Contract {
    /// The model of a parsed file, every list sorted by name for binary search.
    fn from_file(file: ContractFile, version: Version) -> Contract {
        let mut contract = Contract {
            version,
            service: file.service,
            actions: file
                .actions
                .into_iter()
                .map(|a| Action::from_entry(a, version))
                .collect(),
            shapes: file.shapes,
            error_codes: file.error_codes,
            common_errors: file.common_errors,
        };
        contract.actions.sort_by(|a, b| a.name.cmp(&b.name));
        contract.shapes.sort_by(|a, b| a.name.cmp(&b.name));
        contract.error_codes.sort_by(|a, b| a.code.cmp(&b.code));
        contract.common_errors.sort_by(|a, b| a.code.cmp(&b.code));
        contract
    }
}

impl Action {
    fn from_entry(entry: ActionEntry, version: Version) -> Action {
        Action {
            name: entry.name,
            version,
            input: entry.input,
            output: entry.output,
            rate_limit: entry.rate_limit,
            rate_limit_documented: entry.rate_limit_documented,
            category: entry.category,
            category_by_name: entry.category_by_name,
            errors: entry.errors,
        }
    }
}
