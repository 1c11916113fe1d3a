//! The access region: the region of the API server a request reached, which the documented
//! limits are keyed on (not the `Region` parameter).
//!
//! A regional endpoint names it: `organization.ap-guangzhou.tencentcloudapi.com` was served
//! in `ap-guangzhou`. An endpoint that names none (`organization.tencentcloudapi.com`, which
//! the service routes to the nearest region) and every local or custom host
//! (`127.0.0.1:PORT`, `localhost:PORT`, `organization.localhost:PORT`, `organization.<domain>`)
//! reach "the nearest" server, which for the mock is one fixed region,
//! [`DEFAULT_ACCESS_REGION`]: all of them share one budget.

/// The region the mock stands in for when the host names none.
pub const DEFAULT_ACCESS_REGION: &str = "ap-guangzhou";

/// The domain of the service's endpoints.
const API_DOMAIN: &str = "tencentcloudapi.com";

/// The access region of a request whose `Host` header is `host` (`None`: no header).
pub fn access_region(host: Option<&str>) -> &str {
    host.and_then(regional_label)
        .unwrap_or(DEFAULT_ACCESS_REGION)
}

/// `ap-guangzhou` in `service.ap-guangzhou.tencentcloudapi.com[:port]`, matched without
/// regard to case; `None` for any other shape. A region label has a dash (`ap-guangzhou`,
/// `na-siliconvalley`), which `intl` (the international site's endpoint) has not.
fn regional_label(host: &str) -> Option<&str> {
    let name = strip_port(host).trim_end_matches('.');
    // Most hosts (loopback, custom domains) end otherwise: refused before splitting.
    let tail = name.len().checked_sub(API_DOMAIN.len())?;
    if !name.as_bytes()[tail..].eq_ignore_ascii_case(API_DOMAIN.as_bytes()) {
        return None;
    }
    let mut labels = name.rsplitn(3, '.');
    let (tld, domain) = (labels.next()?, labels.next()?);
    // `domain.tld` as one slice of `name`, compared without building it.
    let suffix = &name[name.len() - tld.len() - domain.len() - 1..];
    if !suffix.eq_ignore_ascii_case(API_DOMAIN) {
        return None;
    }
    let mut labels = labels.next()?.rsplit('.');
    let region = labels.next()?;
    let _service = labels.next()?;
    let is_region = region.contains('-')
        && region
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-');
    is_region.then_some(region)
}

/// The host without `:port` (an IPv6 literal keeps its brackets).
fn strip_port(host: &str) -> &str {
    match host.rfind(':') {
        Some(i) if !host[i..].contains(']') => &host[..i],
        _ => host,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regional_endpoint_names_its_region() {
        for (host, region) in [
            (
                "organization.ap-guangzhou.tencentcloudapi.com",
                "ap-guangzhou",
            ),
            (
                "organization.ap-shanghai.tencentcloudapi.com:443",
                "ap-shanghai",
            ),
            (
                "organization.na-siliconvalley.TencentCloudAPI.com",
                "na-siliconvalley",
            ),
            (
                "organization.eu-frankfurt.tencentcloudapi.com.",
                "eu-frankfurt",
            ),
        ] {
            assert_eq!(access_region(Some(host)), region, "{host}");
        }
    }

    #[test]
    fn every_other_host_reaches_the_default_region() {
        for host in [
            "organization.tencentcloudapi.com",
            "organization.intl.tencentcloudapi.com",
            "127.0.0.1:8080",
            "localhost:8080",
            "organization.localhost:8080",
            "organization.ap-shanghai.example.com",
            "[::1]:8080",
            "tencentcloudapi.com",
            "ap-shanghai.tencentcloudapi.com",
            "",
        ] {
            assert_eq!(access_region(Some(host)), DEFAULT_ACCESS_REGION, "{host}");
        }
        assert_eq!(access_region(None), DEFAULT_ACCESS_REGION);
    }
}
