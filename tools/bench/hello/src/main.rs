//! The baseline for tools/bench: a bare axum 0.8 hello-world. Every method and path gets
//! `200 Hello, World!`; the request body is not read by the handler.
//!
//! Usage: bench-hello [--listen 127.0.0.1:0]. Prints `listening on http://HOST:PORT` like
//! `tco-harness mock`, serves until SIGINT/SIGTERM, exits 0.

use std::io::Write;

use axum::Router;

async fn hello() -> &'static str {
    "Hello, World!"
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let mut listen = String::from("127.0.0.1:0");
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--listen" => listen = args.next().expect("--listen needs an address"),
            other => panic!("unknown argument {other:?}"),
        }
    }
    let listener = tokio::net::TcpListener::bind(&listen).await.expect("bind");
    let local = listener.local_addr().expect("local addr");
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "listening on http://{local}").unwrap();
        out.flush().unwrap();
    }
    let app = Router::new().fallback(hello);
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown())
        .await
        .expect("serve");
}

async fn shutdown() {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}
