//! An account's lists as the sandbox keeps them (`ListState`: the spec, the opt-in process,
//! the members in the order they joined), finding them (`GET /api/lists`) and showing one.

use super::account::Account;
use super::spec::OptIn;
use super::{KlaviyoListSpec, Sort};
use crate::klaviyo::clock::iso;
use crate::klaviyo::query::Condition;
use serde_json::{json, Value};

pub(super) struct ListState {
    pub(super) spec: KlaviyoListSpec,
    pub(super) opt_in: Option<OptIn>,
    pub(super) created_ms: i64,
    pub(super) members: Vec<String>,
}

impl ListState {
    fn resource(&self, base: &str, profile_count: bool) -> Value {
        let mut attributes = json!({
            "name": self.spec.name,
            "created": iso(self.created_ms),
            "updated": iso(self.created_ms),
            "opt_in_process": match self.opt_in {
                Some(OptIn::Single) => Value::from("single_opt_in"),
                Some(OptIn::Double) => Value::from("double_opt_in"),
                None => Value::Null,
            },
        });
        if profile_count {
            attributes["profile_count"] = self.members.len().into();
        }
        json!({
            "type": "list",
            "id": self.spec.id,
            "attributes": attributes,
            "links": {"self": format!("{base}/api/lists/{}/", self.spec.id)},
        })
    }

    pub(super) fn join(&mut self, profile_id: &str) {
        if !self.members.iter().any(|m| m == profile_id) {
            self.members.push(profile_id.to_owned());
        }
    }
}
impl Account {
    /// Lists matching every condition (`id`, `name`), in `sort` order (default: as set up).
    pub(in crate::klaviyo) fn find_lists(
        &self,
        conditions: &[Condition],
        sort: Option<&Sort>,
        base: &str,
    ) -> Vec<Value> {
        let mut found: Vec<&ListState> = self
            .lists
            .iter()
            .filter(|l| {
                conditions.iter().all(|c| {
                    c.values.iter().any(|v| match c.field.as_str() {
                        "id" => &l.spec.id == v,
                        _ => &l.spec.name == v,
                    })
                })
            })
            .collect();
        if let Some(sort) = sort {
            found.sort_by(|a, b| {
                let order = match sort.field.as_str() {
                    "name" => a.spec.name.cmp(&b.spec.name),
                    "id" => a.spec.id.cmp(&b.spec.id),
                    _ => a.created_ms.cmp(&b.created_ms),
                };
                if sort.descending {
                    order.reverse()
                } else {
                    order
                }
            });
        }
        found.into_iter().map(|l| l.resource(base, false)).collect()
    }

    pub(in crate::klaviyo) fn list(
        &self,
        list_id: &str,
        base: &str,
        profile_count: bool,
    ) -> Option<Value> {
        self.lists
            .iter()
            .find(|l| l.spec.id == list_id)
            .map(|l| l.resource(base, profile_count))
    }
}
