//! What a world document's Identity Center zones must keep, and what a seed may leave out.
//!
//! A zone is filed under its ID and belongs to an organization that exists, opened by its
//! manager (the owner may be left out). Users, groups, role configurations, user
//! synchronizations and SCIM keys are filed under their IDs (an `id` left out is the key);
//! assignments under their sequence numbers. What they name must exist: a group's members are
//! users of the zone, an assignment's role configuration and principal are the zone's, every
//! target is the organization's manager (`Manager`) or one of its members (`Member`). The
//! external identity provider takes its certificates as PEM (`pem_certificates`). Creation
//! sequence numbers left out are handed out in key order past every one the document uses.

use std::collections::BTreeSet;

use super::roles::policies::{PolicyKind, FIRST_CUSTOM_POLICY_ID};
use super::saml::{Certificate, IdentityProvider, MAX_CERTIFICATES};
use super::saml_cert::{self, CertError};
use super::subjects::{Principal, Target, TargetKind};
use super::{sync, IdentityCenter, PrincipalKind, Switch, Zone};
use crate::state::data::Inner;
use crate::state::org::model::Org;

/// A refusal: the key's path and what is wrong.
pub(crate) type Refusal = (String, String);

/// Fills what a seed left out and checks every zone against its organization.
pub(crate) fn complete(inner: &mut Inner) -> Result<(), Refusal> {
    let orgs = &inner.orgs;
    let area = &mut inner.identity_center;
    area.next_seq = area.next_seq.max(max_seq(area));
    let mut next_seq = area.next_seq;
    for (key, zone) in &mut area.zones {
        let at = |rest: &str| format!("identity_center.zones.{key}{rest}");
        fill_str(&mut zone.id, key).map_err(|m| (at(".id"), m))?;
        let Some(org) = orgs.get(&zone.org_id) else {
            let message = format!("organization {} does not exist", zone.org_id);
            return Err((at(".org_id"), message));
        };
        if zone.owner_uin == 0 {
            zone.owner_uin = org.host_uin;
        }
        if org.host_uin != zone.owner_uin {
            let message = format!(
                "account {} does not manage organization {}",
                zone.owner_uin, org.id
            );
            return Err((at(".owner_uin"), message));
        }
        let mut seq = || {
            next_seq += 1;
            next_seq
        };
        complete_zone(zone, org, &mut seq).map_err(|(rest, m)| (at(&rest), m))?;
    }
    area.next_seq = next_seq;
    Ok(())
}

/// The highest creation sequence number the document uses.
fn max_seq(area: &IdentityCenter) -> u64 {
    let zones = area.zones.values();
    zones
        .flat_map(|z| {
            let users = z.users.by_id.values().map(|u| u.seq);
            let groups = z
                .groups
                .by_id
                .values()
                .flat_map(|g| std::iter::once(g.seq).chain(g.members.values().map(|m| m.seq)));
            let roles =
                z.roles.by_id.values().flat_map(|r| {
                    std::iter::once(r.seq).chain(r.provisionings.iter().map(|p| p.seq))
                });
            let assignments = z.assignments.by_seq.keys().copied();
            let syncs = z.sync.by_id.values().map(|s| s.seq);
            let scim = z.scim.credentials.values().map(|c| c.seq);
            let certificates = z
                .saml
                .idp
                .iter()
                .flat_map(|p| p.certificates.iter().map(|c| c.seq));
            users
                .chain(groups)
                .chain(roles)
                .chain(assignments)
                .chain(syncs)
                .chain(scim)
                .chain(certificates)
                .collect::<Vec<_>>()
        })
        .max()
        .unwrap_or(0)
}

/// An ID left out (empty) is the key; one given must be the key.
fn fill_str(id: &mut String, key: &str) -> Result<(), String> {
    if id.is_empty() {
        key.clone_into(id);
    }
    if id != key {
        return Err(format!("is {id:?}, but the entry is filed under {key:?}"));
    }
    Ok(())
}

fn fill_seq(seq: &mut u64, next: &mut dyn FnMut() -> u64) {
    if *seq == 0 {
        *seq = next();
    }
}

fn complete_zone(zone: &mut Zone, org: &Org, seq: &mut dyn FnMut() -> u64) -> Result<(), Refusal> {
    let mut names = BTreeSet::new();
    for (key, user) in &mut zone.users.by_id {
        let at = |field: &str| format!(".users.{key}{field}");
        fill_str(&mut user.id, key).map_err(|m| (at(".id"), m))?;
        fill_seq(&mut user.seq, seq);
        if !names.insert(user.name.to_ascii_lowercase()) {
            let message = format!("another user of the zone is named {:?}", user.name);
            return Err((at(".name"), message));
        }
    }
    let users = &zone.users;
    for (key, group) in &mut zone.groups.by_id {
        let at = |field: &str| format!(".groups.{key}{field}");
        fill_str(&mut group.id, key).map_err(|m| (at(".id"), m))?;
        fill_seq(&mut group.seq, seq);
        for (user, membership) in &mut group.members {
            if users.get(user).is_none() {
                let message = format!("user {user:?} is not in the zone");
                return Err((at(&format!(".members.{user}")), message));
            }
            fill_seq(&mut membership.seq, seq);
        }
    }
    for (key, role) in &mut zone.roles.by_id {
        let at = |field: &str| format!(".roles.{key}{field}");
        fill_str(&mut role.id, key).map_err(|m| (at(".id"), m))?;
        fill_seq(&mut role.seq, seq);
        for (i, policy) in role.policies.iter_mut().enumerate() {
            if policy.kind == PolicyKind::Custom && policy.id.is_none() {
                let n = i64::try_from(seq()).unwrap_or(i64::MAX / 2);
                policy.id = Some(FIRST_CUSTOM_POLICY_ID + n);
            }
            if policy.kind == PolicyKind::Custom && policy.document.is_empty() {
                return Err((
                    at(&format!(".policies[{i}].document")),
                    "missing: a custom policy has a document".into(),
                ));
            }
        }
        for (i, provisioning) in role.provisionings.iter_mut().enumerate() {
            check_target(org, &provisioning.target)
                .map_err(|m| (at(&format!(".provisionings[{i}].target")), m))?;
            fill_seq(&mut provisioning.seq, seq);
        }
    }
    complete_assignments(zone, org)?;
    complete_syncs(zone, org, seq)?;
    if let Some(idp) = zone.saml.idp.as_mut() {
        complete_idp(idp, seq).map_err(|(rest, m)| (format!(".saml.idp{rest}"), m))?;
    }
    for (key, credential) in &mut zone.scim.credentials {
        fill_str(&mut credential.id, key)
            .map_err(|m| (format!(".scim.credentials.{key}.id"), m))?;
        fill_seq(&mut credential.seq, seq);
    }
    Ok(())
}

/// Reads the seed's PEM certificates, then checks what SetExternalSAMLIdentityProvider checks:
/// at most [`MAX_CERTIFICATES`], and single sign-on only with an entity ID, a login URL and a
/// certificate.
fn complete_idp(idp: &mut IdentityProvider, seq: &mut dyn FnMut() -> u64) -> Result<(), Refusal> {
    for (i, pem) in std::mem::take(&mut idp.pem_certificates).iter().enumerate() {
        let info = saml_cert::parse(pem).map_err(|e| {
            let why = match e {
                CertError::Format => "neither PEM nor base64",
                CertError::Parse => "not an X.509 certificate",
            };
            (format!(".pem_certificates[{i}]"), why.to_owned())
        })?;
        let n = seq();
        let id = format!("idp-c-{}", super::scrambled(n, 12));
        idp.certificates.push(Certificate { id, seq: n, info });
    }
    if idp.certificates.len() > MAX_CERTIFICATES {
        let message = format!("at most {MAX_CERTIFICATES} certificates");
        return Err((".certificates".into(), message));
    }
    let complete =
        !idp.entity_id.is_empty() && !idp.login_url.is_empty() && !idp.certificates.is_empty();
    if idp.sso == Switch::Enabled && !complete {
        let message = "Enabled needs an entity_id, a login_url and a certificate";
        return Err((".sso".into(), message.into()));
    }
    Ok(())
}

fn complete_assignments(zone: &mut Zone, org: &Org) -> Result<(), Refusal> {
    let (roles, users, groups) = (&zone.roles, &zone.users, &zone.groups);
    for (&key, assignment) in &mut zone.assignments.by_seq {
        let at = |field: &str| format!(".assignments.{key}{field}");
        if assignment.seq == 0 {
            assignment.seq = key;
        }
        if assignment.seq != key {
            let message = format!("is {}, but the entry is filed under {key}", assignment.seq);
            return Err((at(".seq"), message));
        }
        let k = &assignment.key;
        if roles.get(&k.role).is_none() {
            let message = format!("role configuration {:?} is not in the zone", k.role);
            return Err((at(".key.role"), message));
        }
        check_target(org, &k.target).map_err(|m| (at(".key.target"), m))?;
        check_principal(users, groups, &k.principal).map_err(|m| (at(".key.principal"), m))?;
    }
    Ok(())
}

fn complete_syncs(zone: &mut Zone, org: &Org, seq: &mut dyn FnMut() -> u64) -> Result<(), Refusal> {
    let (users, groups) = (&zone.users, &zone.groups);
    for (key, p) in &mut zone.sync.by_id {
        let at = |field: &str| format!(".sync.{key}{field}");
        fill_str(&mut p.id, key).map_err(|m| (at(".id"), m))?;
        fill_seq(&mut p.seq, seq);
        check_target(org, &p.target).map_err(|m| (at(".target"), m))?;
        check_principal(users, groups, &p.principal).map_err(|m| (at(".principal"), m))?;
        if p.principal_name.is_empty() {
            p.principal_name = match p.principal.kind {
                PrincipalKind::User => users.get(&p.principal.id).map(|u| u.name.clone()),
                PrincipalKind::Group => groups.get(&p.principal.id).map(|g| g.name.clone()),
            }
            .unwrap_or_default();
        }
        if let Err(field) = sync::valid_strategies(p) {
            return Err((
                at(&format!(".{field}")),
                "is not one of the documented values".into(),
            ));
        }
    }
    Ok(())
}

fn check_target(org: &Org, target: &Target) -> Result<(), String> {
    let ok = match target.kind {
        TargetKind::Member => org.members.contains_key(&target.uin),
        TargetKind::Manager => target.uin == org.host_uin,
    };
    if ok {
        return Ok(());
    }
    Err(match target.kind {
        TargetKind::Member => format!(
            "account {} is not a member of organization {}",
            target.uin, org.id
        ),
        TargetKind::Manager => format!(
            "account {} does not manage organization {}",
            target.uin, org.id
        ),
    })
}

fn check_principal(
    users: &super::users::Users,
    groups: &super::groups::Groups,
    principal: &Principal,
) -> Result<(), String> {
    let exists = match principal.kind {
        PrincipalKind::User => users.get(&principal.id).is_some(),
        PrincipalKind::Group => groups.get(&principal.id).is_some(),
    };
    if exists {
        return Ok(());
    }
    Err(format!(
        "{} {:?} is not in the zone",
        principal.kind.as_str().to_lowercase(),
        principal.id
    ))
}
