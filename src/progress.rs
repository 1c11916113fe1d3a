//! Progress on standard error while a long command runs: what phase it is in, with counts.
//! On a terminal one line is rewritten in place and cleared at the end; asked for explicitly
//! (`--progress always`) without a terminal, a line is printed when the phase changes and at
//! most once a second otherwise, so logs stay short.

use std::io::{IsTerminal, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// When to show progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Mode {
    /// When standard error is a terminal.
    Auto,
    Always,
    Never,
}

/// Where progress lines go; `None` when they are not shown.
pub fn reporter(mode: Mode) -> Option<Reporter> {
    let terminal = std::io::stderr().is_terminal();
    let shown = match mode {
        Mode::Auto => terminal,
        Mode::Always => true,
        Mode::Never => false,
    };
    shown.then(|| Reporter {
        state: Arc::new(Mutex::new(State {
            terminal,
            last: None,
        })),
    })
}

/// Shows progress lines; cheap to clone.
#[derive(Clone)]
pub struct Reporter {
    state: Arc<Mutex<State>>,
}

struct State {
    terminal: bool,
    /// The last line shown, its phase and when.
    last: Option<(String, Instant)>,
}

/// A line's phase: what comes before its counts (`contract: 3/146 actions probed` and
/// `contract: 4/146 actions probed` are one phase).
fn phase(line: &str) -> &str {
    line.split(|c: char| c.is_ascii_digit())
        .next()
        .unwrap_or(line)
}

impl Reporter {
    pub fn show(&self, line: &str) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let mut err = std::io::stderr().lock();
        if state.terminal {
            let _ = write!(err, "\r\x1b[2K{line}");
            let _ = err.flush();
            state.last = Some((line.to_owned(), Instant::now()));
            return;
        }
        let due = match &state.last {
            None => true,
            Some((last, at)) => {
                phase(last) != phase(line) || at.elapsed() >= Duration::from_secs(1)
            }
        };
        if due {
            let _ = writeln!(err, "{line}");
            state.last = Some((line.to_owned(), Instant::now()));
        }
    }

    /// Clears the line on a terminal, before the command prints its results.
    pub fn finish(&self) {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if state.terminal && state.last.is_some() {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
        }
    }

    /// As the libraries take it.
    pub fn callback(&self) -> Arc<dyn Fn(&str) + Send + Sync> {
        let me = self.clone();
        Arc::new(move |line: &str| me.show(line))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_do_not_make_a_new_phase() {
        assert_eq!(
            phase("contract: 3/146 actions probed, 12 requests"),
            phase("contract: 140/146 actions probed, 900 requests")
        );
        assert_ne!(
            phase("contract: rate-limit burst"),
            phase("contract: stateful flows")
        );
        assert_ne!(
            phase("load: window-edge (5/7)"),
            phase("load: isolation (6/7)")
        );
    }
}
