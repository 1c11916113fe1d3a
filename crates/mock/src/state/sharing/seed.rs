//! What a world document's share units must keep: each belongs to an organization that exists
//! and is owned by its manager or one of its members, shares in a known area, and names units
//! of that organization; the counters move past the sequence numbers used.

use super::model::{is_area, is_resource_type, Sharing};
use crate::state::data::Inner;

/// A refusal: the key's path and what is wrong.
pub(crate) type Refusal = (String, String);

/// Fills sequence numbers left out (the key) and checks the units against the organizations.
pub(crate) fn complete(inner: &mut Inner) -> Result<(), Refusal> {
    let orgs = &inner.orgs;
    for (&seq, unit) in &mut inner.sharing.units {
        let place = |field: &str| format!("sharing.units.{seq}{field}");
        if unit.seq == 0 {
            unit.seq = seq;
        }
        if unit.seq != seq {
            let message = format!("is {}, but the entry is filed under {seq}", unit.seq);
            return Err((place(".seq"), message));
        }
        let Some(org) = orgs.get(&unit.org_id) else {
            let message = format!("organization {} does not exist", unit.org_id);
            return Err((place(".org_id"), message));
        };
        if unit.owner != org.host_uin && !org.members.contains_key(&unit.owner) {
            let message = format!("account {} is not in organization {}", unit.owner, org.id);
            return Err((place(".owner"), message));
        }
        if !is_area(&unit.area) {
            return Err((
                place(".area"),
                format!("{:?} is not a share area", unit.area),
            ));
        }
        if let Some(node) = unit.nodes.keys().find(|n| !org.nodes.contains_key(n)) {
            let message = format!("unit {node} does not exist in organization {}", org.id);
            return Err((place(&format!(".nodes.{node}")), message));
        }
        for (&key, resource) in &mut unit.resources {
            let at = |field: &str| place(&format!(".resources.{key}.{field}"));
            if resource.seq == 0 {
                resource.seq = key;
            }
            if resource.seq != key {
                let message = format!("is {}, but the entry is filed under {key}", resource.seq);
                return Err((at("seq"), message));
            }
            if !is_resource_type(&resource.kind) {
                return Err((
                    at("kind"),
                    format!("{:?} is not a resource type", resource.kind),
                ));
            }
        }
    }
    advance_counters(&mut inner.sharing);
    Ok(())
}

fn advance_counters(area: &mut Sharing) {
    if let Some(max) = area.units.keys().max() {
        area.next_unit = area.next_unit.max(max + 1);
    }
    let resources = area.units.values().flat_map(|u| u.resources.keys());
    if let Some(max) = resources.max() {
        area.next_resource = area.next_resource.max(max + 1);
    }
}
