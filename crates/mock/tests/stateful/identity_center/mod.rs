//! Identity Center over HTTP, through the reference client: one module per concept, as the
//! mock's state is split. Every test runs on a mock whose manager has an organization (with
//! ALICE and BOB as members) and, where it needs one, an open zone.

mod assignments;
mod groups;
mod roles;
mod saml;
mod scim;
mod sync;
mod users;
mod zone;

use serde_json::{json, Value};
use tco_client::models::v2021_03_31::{CreateGroupRequest, CreateUserRequest};
use tco_mock::Algorithm;

use crate::world::World;

/// A mock with an organization, unthrottled (these tests make hundreds of calls a second,
/// which is not what they are about).
pub async fn world() -> World {
    let w = World::with_org().await;
    w.mock.set_algorithm(Algorithm::Unlimited);
    w
}

/// [`world`] with Identity Center open; the zone's ID.
pub async fn opened() -> (World, String) {
    let w = world().await;
    let zone = w
        .host
        .v2021_03_31()
        .open_identity_center(tco_client::models::v2021_03_31::OpenIdentityCenterRequest {
            zone_name: "tco-http-zone".into(),
        })
        .await
        .expect("the manager opens Identity Center")
        .zone_id;
    (w, zone)
}

/// A manual user; its ID.
pub async fn user(w: &World, zone: &str, name: &str) -> String {
    w.host
        .v2021_03_31()
        .create_user(CreateUserRequest {
            zone_id: zone.into(),
            user_name: name.into(),
            ..Default::default()
        })
        .await
        .unwrap_or_else(|e| panic!("CreateUser {name}: {e}"))
        .user_info
        .user_id
}

/// A manual group; its ID.
pub async fn group(w: &World, zone: &str, name: &str) -> String {
    w.host
        .v2021_03_31()
        .create_group(CreateGroupRequest {
            zone_id: zone.into(),
            group_name: name.into(),
            ..Default::default()
        })
        .await
        .unwrap_or_else(|e| panic!("CreateGroup {name}: {e}"))
        .group_info
        .expect("CreateGroup answers its GroupInfo")
        .group_id
}

/// `params` with `ZoneId` set.
pub fn z(zone: &str, mut params: Value) -> Value {
    params["ZoneId"] = json!(zone);
    params
}

/// The string members `key` of a list of objects.
pub fn ids(list: &Value, key: &str) -> Vec<String> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|i| i[key].as_str().expect("a string").to_owned())
        .collect()
}
