//! `tco-harness mock`: the mock endpoint on its own, for other clients (the official SDKs,
//! curl, a team's integration tests in another language).

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use tco_mock::Config;
use tco_mock::{WorldDoc, WorldOptions};

use crate::error::CliError;

#[derive(Debug, Args)]
pub struct MockArgs {
    /// Address to listen on, HOST:PORT (an IP address or a name such as localhost); port 0
    /// picks a free port (the printed line shows it).
    #[arg(long, default_value = "127.0.0.1:9000")]
    listen: String,
    /// A TOML file with accounts, rate limits, faults and the admin token.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Refuse TC3 signatures made the Node.js SDK's way (scope service from the endpoint,
    /// signed host without the port), as the real service does; same as
    /// `strict_signatures = true` in the config.
    #[arg(long)]
    strict_signatures: bool,
    /// A world document (TOML or JSON, by extension) to start with; a reset returns to it.
    #[arg(long)]
    seed: Option<PathBuf>,
    /// Keeps the world in this file (TOML or JSON): loaded at start if it exists, written
    /// atomically when the world changed (at most every --state-interval-ms) and on exit.
    #[arg(long)]
    state: Option<PathBuf>,
    /// How often the state file is written at most, in milliseconds.
    #[arg(long, default_value_t = 5000, value_parser = clap::value_parser!(u64).range(1..))]
    state_interval_ms: u64,
}

/// Serves until SIGINT or SIGTERM, then exits 0.
pub fn run(args: MockArgs) -> Result<(), CliError> {
    let mut config = match &args.config {
        Some(path) => Config::load(path).map_err(|e| CliError::usage(e.to_string()))?,
        None => Config::default(),
    };
    config.strict_signatures |= args.strict_signatures;
    config
        .validate()
        .map_err(|e| CliError::usage(e.to_string()))?;
    let world = world_options(&args)?;
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(serve(args.listen, config, world))
}

/// Reads the seed and checks the state file before anything listens: an invalid document is
/// named in one line (exit 2) and the state file is left as it is.
fn world_options(args: &MockArgs) -> Result<WorldOptions, CliError> {
    let seed = match &args.seed {
        Some(path) => {
            Some(WorldDoc::load(path).map_err(|e| CliError::usage(format!("invalid seed: {e}")))?)
        }
        None => None,
    };
    let world = WorldOptions {
        seed,
        state_file: args.state.clone(),
        state_interval: Duration::from_millis(args.state_interval_ms),
    };
    world
        .read_state()
        .map_err(|e| CliError::usage(format!("invalid state file: {e}")))?;
    Ok(world)
}

async fn serve(listen: String, config: Config, world: WorldOptions) -> Result<(), CliError> {
    let listener = bind(&listen).await?;
    // Handlers first: a signal sent right after the announced line must stop us cleanly,
    // not kill us with the default disposition.
    let shutdown = shutdown_signal()?;
    let local = listener.local_addr()?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "listening on http://{local}")?;
    out.flush()?;
    drop(out);
    tco_mock::serve_with(listener, config, world, shutdown).await?;
    Ok(())
}

/// Binds the first address `listen` resolves to that can be bound.
async fn bind(listen: &str) -> Result<tokio::net::TcpListener, CliError> {
    let cannot = |why: String| CliError::usage(format!("cannot listen on {listen:?}: {why}"));
    let addresses = tokio::net::lookup_host(listen)
        .await
        .map_err(|e| cannot(format!("{e} (expected HOST:PORT, e.g. 127.0.0.1:9000)")))?;
    let mut last = None;
    for address in addresses {
        match tokio::net::TcpListener::bind(address).await {
            Ok(listener) => return Ok(listener),
            Err(e) => last = Some(e),
        }
    }
    Err(cannot(last.map_or_else(
        || "the name resolves to no address".to_owned(),
        |e| e.to_string(),
    )))
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
