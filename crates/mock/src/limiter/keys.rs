//! What a call is counted per: the per-action key and the layers' counters.

use std::net::IpAddr;

use crate::limits::KeyMode;

/// What one per-action budget is counted per. With the documented key ([`KeyMode::Documented`])
/// `uin` is the calling (sub-)account, `region` the access region and `version` empty: the
/// versions of one action share one budget, each call judged against the limit its own
/// version documents (DescribeOrganization: 20/s in 2018-12-25, 40/s in 2021-03-31). With
/// [`KeyMode::Legacy`], `version` is the call's and `region` its `Region` parameter.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LimitKey {
    pub uin: u64,
    pub version: String,
    pub action: String,
    pub region: String,
}

impl LimitKey {
    pub fn new(uin: u64, version: &str, action: &str, region: &str) -> Self {
        Self {
            uin,
            version: version.to_string(),
            action: action.to_string(),
            region: region.to_string(),
        }
    }

    /// The key of a call under `mode`: `access_region` for the documented key, the `Region`
    /// parameter and the version for the legacy one.
    pub fn for_call(mode: KeyMode, call: &CallIdentity<'_>) -> Self {
        match mode {
            KeyMode::Documented => Self::new(call.uin, "", call.action, call.access_region),
            KeyMode::Legacy => Self::new(call.uin, call.version, call.action, call.region_param),
        }
    }
}

/// Who made a call and where it arrived: what every layer's key is built from.
#[derive(Debug, Clone, Copy)]
pub struct CallIdentity<'a> {
    /// The calling account: a sub-account, or a main account calling as itself.
    pub uin: u64,
    /// The main account `uin` belongs to (itself for a main account).
    pub owner_uin: u64,
    pub action: &'a str,
    pub version: &'a str,
    /// The region of the API server the request reached ([`crate::limits::access_region`]).
    pub access_region: &'a str,
    /// The `Region` parameter (the legacy key only).
    pub region_param: &'a str,
    /// The peer address; `None` when unknown (then the IP layer does not apply).
    pub source_ip: Option<IpAddr>,
}

/// A counter: the per-action key, or one of a layer's.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Counter {
    Action(LimitKey),
    MainAccount(u64),
    MainAccountRegion(u64, String),
    SourceIp(IpAddr),
}
