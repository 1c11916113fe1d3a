//! `tco-harness mock`: the mock endpoint on its own, for other clients (the official SDKs,
//! curl, a team's integration tests in another language).

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Args;
use tco_mock::config::Config;

use crate::error::CliError;

#[derive(Debug, Args)]
pub struct MockArgs {
    /// Address to listen on; port 0 picks a free port (the printed line shows it).
    #[arg(long, default_value = "127.0.0.1:9000")]
    listen: SocketAddr,
    /// A TOML file with accounts, rate limits, faults and the admin token.
    #[arg(long)]
    config: Option<PathBuf>,
}

/// Serves until SIGINT or SIGTERM, then exits 0.
pub fn run(args: MockArgs) -> Result<(), CliError> {
    let config = match &args.config {
        Some(path) => Config::load(path).map_err(|e| CliError::usage(e.to_string()))?,
        None => Config::default(),
    };
    config
        .validate()
        .map_err(|e| CliError::usage(e.to_string()))?;
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(serve(args.listen, config))
}

async fn serve(listen: SocketAddr, config: Config) -> Result<(), CliError> {
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| CliError::usage(format!("cannot listen on {listen}: {e}")))?;
    // Handlers first: a signal sent right after the announced line must stop us cleanly,
    // not kill us with the default disposition.
    let shutdown = shutdown_signal()?;
    let local = listener.local_addr()?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "listening on http://{local}")?;
    out.flush()?;
    drop(out);
    tco_mock::serve(listener, config, shutdown).await?;
    Ok(())
}

/// Registers SIGINT and SIGTERM now; the future resolves on the first of them.
#[cfg(unix)]
fn shutdown_signal() -> std::io::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
    })
}

#[cfg(not(unix))]
fn shutdown_signal() -> std::io::Result<impl std::future::Future<Output = ()>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}
