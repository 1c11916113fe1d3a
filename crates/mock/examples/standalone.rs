//! The mock on its own, for trying it with other clients (the official SDKs, curl):
//! `cargo run -p tco-mock --example standalone -- [ADDR] [CONFIG.toml]`.
//! (`tco-harness mock` is the supported command; this is the minimal version of it.)

use std::io::Write;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:0".into());
    let config = match args.next() {
        Some(path) => tco_mock::Config::load(path)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e.to_string()))?,
        None => tco_mock::Config::default(),
    };
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("listening on http://{}", listener.local_addr()?);
    std::io::stdout().flush()?;
    tco_mock::serve(listener, config, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}
