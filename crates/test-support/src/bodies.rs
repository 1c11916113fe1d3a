//! Proptest strategies for JSON bodies that fit the contract's shapes: the request or
//! response of a random action, generated member by member from `tco-spec`'s types.

use proptest::prelude::*;
use serde_json::{json, Value};
use tco_spec::{all_actions, contract, Action, Direction, Shape, Type, Version};

/// How bodies are generated: whose required members are always present, how deep lists go,
/// whether nullable members are sometimes null.
#[derive(Debug, Clone, Copy)]
pub struct Bodies {
    direction: Direction,
    max_depth: usize,
    nulls: bool,
}

impl Bodies {
    /// Requests: the request-required members always, the others half of the time; lists
    /// deeper than 5 levels empty (a guard should a shape ever recurse).
    pub fn requests() -> Self {
        Bodies {
            direction: Direction::Request,
            max_depth: 5,
            nulls: false,
        }
    }

    /// Responses: the output-required members always, the others half of the time, nullable
    /// ones null one time in five; lists deeper than 4 levels empty.
    pub fn responses() -> Self {
        Bodies {
            direction: Direction::Response,
            max_depth: 4,
            nulls: true,
        }
    }

    /// A random action of either version and a body for it (its request or its response
    /// shape, as the direction says).
    pub fn of_random_action(self) -> impl Strategy<Value = (&'static Action, Value)> {
        let actions: Vec<&'static Action> = all_actions().collect();
        (0..actions.len()).prop_flat_map(move |i| {
            let a = actions[i];
            let shape = match self.direction {
                Direction::Request => a.request_shape(),
                Direction::Response => a.response_shape(),
            };
            (Just(a), self.object(a.version, shape, 0))
        })
    }

    /// An object of `shape`.
    pub fn object(
        self,
        version: Version,
        shape: &'static Shape,
        depth: usize,
    ) -> BoxedStrategy<Value> {
        let members: Vec<BoxedStrategy<Option<(String, Value)>>> = shape
            .members
            .iter()
            .map(|m| {
                let name = m.name.clone();
                let value = if self.nulls && m.nullable {
                    prop_oneof![4 => self.value(version, &m.ty, depth), 1 => Just(Value::Null)]
                        .boxed()
                } else {
                    self.value(version, &m.ty, depth)
                };
                let present = value.prop_map(move |v| Some((name.clone(), v)));
                if m.is_required(self.direction) {
                    present.boxed()
                } else {
                    prop_oneof![Just(None), present].boxed()
                }
            })
            .collect();
        members
            .prop_map(|entries| Value::Object(entries.into_iter().flatten().collect()))
            .boxed()
    }

    /// A value of type `ty`.
    pub fn value(self, version: Version, ty: &Type, depth: usize) -> BoxedStrategy<Value> {
        match ty {
            Type::Int64 => any::<i64>().prop_map(Value::from).boxed(),
            Type::Uint64 => any::<u64>().prop_map(Value::from).boxed(),
            Type::Float => (-1e9f64..1e9).prop_map(Value::from).boxed(),
            Type::Bool => any::<bool>().prop_map(Value::from).boxed(),
            Type::String | Type::Datetime => "[a-zA-Z0-9 :-]{0,12}".prop_map(Value::from).boxed(),
            Type::List(_) if depth > self.max_depth => Just(json!([])).boxed(),
            Type::List(items) => {
                proptest::collection::vec(self.value(version, items, depth + 1), 0..3)
                    .prop_map(Value::Array)
                    .boxed()
            }
            Type::Object(name) => {
                let shape = contract(version).shape(name).expect("shape exists");
                self.object(version, shape, depth + 1)
            }
        }
    }
}
