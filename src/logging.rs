//! What the CLI logs: the `tracing` events of the crates below it (the mock's request events,
//! its warnings about the state file), on stderr, only when `RUST_LOG` asks for them. Without
//! `RUST_LOG` nothing is installed and the output is exactly the commands' own. No event
//! carries a secret: the crates log actions, versions, statuses and request ids, never keys,
//! signatures or tokens.

use tracing_subscriber::EnvFilter;

/// Installs the subscriber when `RUST_LOG` is set. An invalid `RUST_LOG` is named on one line
/// and ignored: logging is an aid, not a reason to refuse the command.
pub fn init() {
    let Some(directives) = std::env::var_os("RUST_LOG") else {
        return;
    };
    let filter = match EnvFilter::try_new(directives.to_string_lossy()) {
        Ok(filter) => filter,
        Err(e) => {
            eprintln!("tco-harness: RUST_LOG ignored: {e}");
            return;
        }
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
}
