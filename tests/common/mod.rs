//! Helpers shared by the root's test binaries (cli, load): committed test data, a TLS front,
//! misbehaving servers.
#![allow(dead_code)]

pub mod tls;

use std::path::PathBuf;

/// A file under `tests/`, read whole.
pub fn read_test_file(relative: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// How a stand-in server misbehaves.
#[derive(Debug, Clone, Copy)]
pub enum Misbehaviour {
    /// Reads the request and never answers (the connection stays open).
    Silent,
    /// Answers every request with a body of 50 MB (announced, then streamed).
    Huge,
}

/// A server on loopback that misbehaves on every connection; returns `http://127.0.0.1:PORT`.
/// Its threads end with the test process.
pub fn misbehaving_server(how: Misbehaviour) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let address = listener.local_addr().expect("its address");
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            std::thread::spawn(move || {
                let mut request = [0u8; 16 * 1024];
                let _ = stream.read(&mut request);
                match how {
                    Misbehaviour::Silent => {
                        // Hold the connection until the client gives up.
                        while matches!(stream.read(&mut request), Ok(n) if n > 0) {}
                    }
                    Misbehaviour::Huge => {
                        let size = 50 * 1024 * 1024;
                        let head = format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {size}\r\n\r\n"
                        );
                        let _ = stream.write_all(head.as_bytes());
                        let chunk = vec![b' '; 64 * 1024];
                        for _ in 0..size / chunk.len() {
                            if stream.write_all(&chunk).is_err() {
                                break;
                            }
                        }
                    }
                }
            });
        }
    });
    format!("http://{address}")
}

// Each binary uses its own part of these.
#[allow(unused_imports)]
pub use tco_test_support::cli::{describe, one_line_usage_error, text, Cli, MockProcess};
pub use tco_test_support::Scratch;

/// `tco-harness ARGS`, as a user runs it, without the environment's credentials.
pub fn harness<I, S>(args: I) -> Cli
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    Cli::new(env!("CARGO_BIN_EXE_tco-harness"), args)
}

/// `tco-harness ARGS` against an in-process mock, signed as its default account, with no
/// credentials file (`HOME=/nonexistent`).
pub fn harness_as_mock_default(mock: &tco_mock::MockServer, args: &[String]) -> Cli {
    let creds = mock.default_credentials();
    harness(args)
        .account(creds.secret_id(), creds.secret_key())
        .home("/nonexistent")
}

/// `list` as owned strings (argument lists built up before a run).
pub fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// A call signed now as `creds` to a mock process at `url`; its JSON answer.
pub async fn signed_call(
    url: &str,
    creds: &tco_sign::Credentials,
    version: &str,
    action: &str,
    params: &serde_json::Value,
    request_client: &str,
) -> serde_json::Value {
    let host = url.trim_start_matches("http://");
    let timestamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs() as i64;
    let spec = tco_sign::RequestSpec::new(host, "organization", action, version, params, timestamp)
        .with_nonce(1)
        .with_request_client(request_client);
    let signed = tco_sign::build(&spec, creds, &tco_sign::KeyCache::default());
    let request = tco_client::transport::request(&reqwest::Client::new(), url, signed);
    request
        .send()
        .await
        .expect("the mock answers")
        .json()
        .await
        .expect("a JSON answer")
}

/// Creates an organization for `creds` on the mock at `uri`: the load scenarios' precondition.
pub async fn create_organization(uri: &str, creds: &tco_client::Credentials) {
    tco_client::Client::builder()
        .endpoint(uri)
        .credentials(creds.clone())
        .build()
        .expect("a client")
        .call_json(
            tco_client::Version::V2021_03_31,
            "CreateOrganization",
            serde_json::json!({}),
        )
        .await
        .expect("an organization");
}

/// The words of `line`, split as a shell splits them (`'5 junk'` is one word), then `more` as
/// they are (computed values: URLs, paths): a command line that reads as a user types it.
pub fn command_line(line: &str, more: &[&str]) -> Vec<String> {
    let mut words = shlex::split(line).unwrap_or_else(|| panic!("unbalanced quotes in {line:?}"));
    words.extend(strings(more));
    words
}

/// Pass, or a load not offered with nothing failed; never a limiter failure.
pub fn assert_not_failed(r: &tco_scenarios::ScenarioResult) {
    assert_ne!(
        r.status,
        tco_scenarios::Status::Fail,
        "{:#?}",
        r.all_violations()
    );
    assert_eq!(
        r.pass,
        r.offered_as_intended(),
        "{:#?}",
        r.load_shortfalls()
    );
}
