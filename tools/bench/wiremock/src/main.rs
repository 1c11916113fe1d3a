//! A baseline for tools/bench: the `wiremock` crate (0.6) with one mock that answers every
//! POST with a fixed JSON body (the benchmark passes the body the real mock answered for the
//! same request, so both send the same number of bytes).
//!
//! Usage: bench-wiremock --body-file PATH [--listen 127.0.0.1:0]. Prints
//! `listening on http://HOST:PORT` like `tco-harness mock`, serves until SIGINT/SIGTERM,
//! exits 0. wiremock keeps every request it receives (its default, as a test uses it).

use std::io::Write;

use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let mut listen = String::from("127.0.0.1:0");
    let mut body_file = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--listen" => listen = args.next().expect("--listen needs an address"),
            "--body-file" => body_file = Some(args.next().expect("--body-file needs a path")),
            other => panic!("unknown argument {other:?}"),
        }
    }
    let body = std::fs::read(body_file.expect("--body-file is required")).expect("read body");
    let listener = std::net::TcpListener::bind(&listen).expect("bind");
    let server = MockServer::builder().listener(listener).start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
        .mount(&server)
        .await;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "listening on {}", server.uri()).unwrap();
        out.flush().unwrap();
    }
    shutdown().await;
}

async fn shutdown() {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}
