//! How a load run puts a signed request on the wire and reads the answer back: reqwest's
//! client in general, the direct client ([`crate::direct`]) where it connects straight to a
//! plain-HTTP endpoint (the same decision reqwest's configuration makes). Both name a
//! transport failure alike and cap the answer alike.

use bytes::Bytes;
use http_body_util::Full;
use tco_sign::{HttpMethod, SignedRequest};

use crate::direct::{DirectClient, Exchanged, Failure};
use crate::schedule::Target;

/// The HTTP client of one goose user (one stream).
#[derive(Debug)]
pub enum Wire {
    Reqwest(reqwest::Client),
    Direct(DirectClient),
}

/// A request ready to be sent (and copied: the signature cache sends one many times).
pub enum Prepared {
    Reqwest(reqwest::Request),
    Direct(DirectRequest),
}

/// A request for the direct client, in parts that are cheap to copy.
#[derive(Debug, Clone, PartialEq)]
pub struct DirectRequest {
    pub method: http::Method,
    pub path_and_query: http::Uri,
    pub headers: http::HeaderMap,
    pub body: Bytes,
}

impl Wire {
    /// The direct client when `target` is plain HTTP with no proxy between, else `client`.
    pub fn for_target(
        client: reqwest::Client,
        target: &Target,
        timeout: std::time::Duration,
    ) -> Wire {
        if tco_client::transport::plain_http_without_proxy(&target.endpoint) {
            if let Some(direct) = DirectClient::new(&target.url, timeout) {
                return Wire::Direct(direct);
            }
        }
        Wire::Reqwest(client)
    }

    /// `signed` as this client sends it to `origin`; an error is its transport kind.
    pub fn prepare(&self, origin: &str, signed: SignedRequest) -> Result<Prepared, &'static str> {
        match self {
            Wire::Reqwest(client) => tco_client::transport::request(client, origin, signed)
                .build()
                .map(Prepared::Reqwest)
                .map_err(|e| crate::schedule::transport_kind(&e)),
            Wire::Direct(_) => direct_request(signed).map(Prepared::Direct),
        }
    }

    /// Sends `request` and reads the whole answer, at most `limit` bytes of body.
    pub async fn exchange(&self, request: Prepared, limit: usize) -> Exchanged {
        match (self, request) {
            (Wire::Direct(direct), Prepared::Direct(r)) => {
                direct.exchange(r.into_http(), limit).await
            }
            (Wire::Reqwest(client), Prepared::Reqwest(r)) => {
                reqwest_exchange(client, r, limit).await
            }
            // A request is prepared by the wire that sends it.
            _ => (None, Err(Failure::Transport("request"))),
        }
    }
}

impl Prepared {
    /// A copy to send again; `None` when the body cannot be copied (never for a signed body).
    pub fn try_clone(&self) -> Option<Prepared> {
        match self {
            Prepared::Reqwest(r) => r.try_clone().map(Prepared::Reqwest),
            Prepared::Direct(r) => Some(Prepared::Direct(r.clone())),
        }
    }
}

impl DirectRequest {
    /// The request as hyper sends it; its parts moved, not copied (the cache already copied
    /// them once for this call).
    fn into_http(self) -> http::Request<Full<Bytes>> {
        let mut request = http::Request::new(Full::new(self.body));
        *request.method_mut() = self.method;
        *request.uri_mut() = self.path_and_query;
        *request.headers_mut() = self.headers;
        request
    }
}

/// The direct client's request: what [`tco_client::transport::request`] puts on the wire
/// (every signed header, `Host` included; the body unless a GET has none), plus reqwest's one
/// default header (`Accept: */*`); the target in origin form, as HTTP/1.1 sends it.
fn direct_request(signed: SignedRequest) -> Result<DirectRequest, &'static str> {
    let method = match signed.method {
        HttpMethod::Get => http::Method::GET,
        HttpMethod::Post => http::Method::POST,
    };
    let mut headers = signed_headers(&signed)?;
    headers.insert(http::header::ACCEPT, http::HeaderValue::from_static("*/*"));
    let path_and_query = signed
        .path_and_query
        .parse::<http::Uri>()
        .map_err(|_| "request")?;
    Ok(DirectRequest {
        method,
        path_and_query,
        headers,
        body: Bytes::from(signed.body),
    })
}

/// The signed request's headers, in its order, as an HTTP header map (the one place this
/// module reads them).
fn signed_headers(signed: &SignedRequest) -> Result<http::HeaderMap, &'static str> {
    let mut headers = http::HeaderMap::with_capacity(signed.headers().len() + 1);
    for (name, value) in signed.headers() {
        let name = http::HeaderName::from_bytes(name.as_bytes()).map_err(|_| "request")?;
        let mut value = http::HeaderValue::from_str(value).map_err(|_| "request")?;
        // `Debug` of a sensitive value prints `Sensitive`, never the signature or a token.
        value.set_sensitive(tco_sign::SENSITIVE.iter().any(|s| name.as_str() == *s));
        headers.append(name, value);
    }
    Ok(headers)
}

async fn reqwest_exchange(
    client: &reqwest::Client,
    request: reqwest::Request,
    limit: usize,
) -> Exchanged {
    let response = match client.execute(request).await {
        Ok(response) => response,
        Err(e) => {
            return (
                None,
                Err(Failure::Transport(crate::schedule::transport_kind(&e))),
            )
        }
    };
    let status = response.status().as_u16();
    let body = tco_client::body::read_capped(response, limit)
        .await
        .map_err(|e| match e {
            tco_client::body::BodyError::TooLarge { .. } => Failure::TooLarge,
            tco_client::body::BodyError::Transport(e) => {
                Failure::Transport(crate::schedule::transport_kind(&e))
            }
        });
    (Some(status), body)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `DescribeOrganization` with a body, signed for `target` at a fixed second.
    fn signed(target: &Target) -> SignedRequest {
        let creds = tco_sign::Credentials::new("AKIDwireTest", "wire-test-key");
        let params = serde_json::json!({"Name": "n"});
        let spec = tco_sign::RequestSpec::new(
            &target.host,
            "organization",
            "DescribeOrganization",
            "2021-03-31",
            &params,
            1_700_000_000,
        );
        tco_sign::build(&spec, &creds, &target.keys)
    }

    /// The direct client sends what reqwest's request for the same signature holds
    /// ([`tco_client::transport::request`] is the reference), plus reqwest's `Accept`.
    #[test]
    fn a_direct_request_carries_what_reqwests_does() {
        let target = Target::new("http://127.0.0.1:9").unwrap();
        let client = target
            .http_client(std::time::Duration::from_secs(1))
            .unwrap();
        let direct = Wire::for_target(client.clone(), &target, std::time::Duration::from_secs(1));
        let reqwest = Wire::Reqwest(client);
        let origin = &target.endpoint.origin;
        let (Ok(Prepared::Direct(d)), Ok(Prepared::Reqwest(r))) = (
            direct.prepare(origin, signed(&target)),
            reqwest.prepare(origin, signed(&target)),
        ) else {
            panic!("each wire prepares its own kind");
        };
        assert_eq!(&d.method, r.method());
        assert_eq!(d.path_and_query, "/");
        assert_eq!(r.url().as_str(), "http://127.0.0.1:9/");
        let mut without_accept = d.headers.clone();
        assert_eq!(without_accept.remove(http::header::ACCEPT).unwrap(), "*/*");
        assert_eq!(&without_accept, r.headers());
        assert!(r.headers().contains_key("authorization"));
        assert_eq!(Some(&d.body[..]), r.body().and_then(|b| b.as_bytes()));
        let shown = format!("{d:?}");
        assert!(
            !shown.contains(r.headers()["authorization"].to_str().unwrap()),
            "the signature is not in Debug: {shown}"
        );
    }

    /// Both wires send one request per call and record a redirect as the answer: reqwest's
    /// default would follow it to another URL, which is not the call the schedule planned.
    #[tokio::test]
    async fn neither_wire_follows_a_redirect() {
        use std::sync::atomic::Ordering;
        // Every request is answered with a redirect elsewhere on the same server.
        let served = crate::loopback::serve(
            Some(b"HTTP/1.1 302 Found\r\nLocation: /elsewhere\r\nContent-Length: 0\r\n\r\n"),
            std::time::Duration::ZERO,
        )
        .await;
        let (target, seen) = (Target::new(&served.url).unwrap(), served.requests);
        let timeout = std::time::Duration::from_secs(5);
        let client = target.http_client(timeout).unwrap();
        let wires = [
            Wire::Reqwest(client.clone()),
            Wire::for_target(client, &target, timeout),
        ];
        assert!(matches!(wires[1], Wire::Direct(_)));
        for (sent, wire) in wires.iter().enumerate() {
            let request = wire
                .prepare(&target.endpoint.origin, signed(&target))
                .unwrap();
            let (status, body) = wire.exchange(request, 1024).await;
            assert_eq!(status, Some(302));
            assert_eq!(body.unwrap().len(), 0);
            assert_eq!(
                seen.load(Ordering::SeqCst),
                sent + 1,
                "one request per call"
            );
        }
    }
}
