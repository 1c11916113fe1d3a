//! Where the members and objects of a body sit, walked along the contract's shapes: what a
//! property test picks from to drop, retype or null one member of a generated body.

use serde_json::Value;
use tco_spec::{contract, Member, Shape, Type, Version};

/// One step from a body's root: a member's key or a list index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// The validator's way of naming a place: `$.Members[0].Name`.
pub fn json_path(steps: &[Step]) -> String {
    steps.iter().fold("$".to_owned(), |acc, s| match s {
        Step::Key(k) => format!("{acc}.{k}"),
        Step::Index(i) => format!("{acc}[{i}]"),
    })
}

/// The JSON pointer of a place (`/Members/0/Name`), for `Value::pointer_mut`.
pub fn pointer(steps: &[Step]) -> String {
    steps.iter().fold(String::new(), |acc, s| match s {
        Step::Key(k) => format!("{acc}/{k}"),
        Step::Index(i) => format!("{acc}/{i}"),
    })
}

/// Every present member (with its definition) and every object in a body, root first, in
/// the order the shapes declare them.
#[derive(Debug, Default)]
pub struct Sites {
    pub members: Vec<(Vec<Step>, &'static Member)>,
    pub objects: Vec<Vec<Step>>,
}

impl Sites {
    /// The sites of `body`, an object of `shape` in `version`.
    pub fn of(version: Version, shape: &'static Shape, body: &Value) -> Sites {
        let mut sites = Sites::default();
        sites.object(version, shape, body, vec![]);
        sites
    }

    fn object(&mut self, v: Version, shape: &'static Shape, value: &Value, path: Vec<Step>) {
        self.objects.push(path.clone());
        for m in &shape.members {
            if let Some(child) = value.get(&m.name) {
                let mut p = path.clone();
                p.push(Step::Key(m.name.clone()));
                self.members.push((p.clone(), m));
                self.typed(v, &m.ty, child, p);
            }
        }
    }

    fn typed(&mut self, v: Version, ty: &Type, value: &Value, path: Vec<Step>) {
        match (ty, value) {
            (Type::List(items), Value::Array(values)) => {
                for (i, item) in values.iter().enumerate() {
                    let mut p = path.clone();
                    p.push(Step::Index(i));
                    self.typed(v, items, item, p);
                }
            }
            (Type::Object(name), _) => {
                let shape = contract(v).shape(name).expect("shape exists");
                self.object(v, shape, value, path)
            }
            _ => {}
        }
    }
}
