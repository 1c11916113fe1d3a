//! Where the world starts and where it is kept: a seed, and a state file loaded at start,
//! written at a bounded interval when the world changed, and on shutdown.
//!
//! The state file has the seed's format ([`WorldDoc`]); it is written atomically (a temporary
//! file in the same directory, synced, renamed over the old one), so a process killed at any
//! moment leaves the previous complete file or the new one.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::task::JoinHandle;

use crate::app::App;
use crate::state::{DocError, Format, World, WorldDoc};

/// How often the state file is written at most, when the world changed.
pub const DEFAULT_STATE_INTERVAL: Duration = Duration::from_secs(5);

/// The world's seed and state file.
#[derive(Debug, Clone)]
pub struct WorldOptions {
    pub seed: Option<WorldDoc>,
    pub state_file: Option<PathBuf>,
    pub state_interval: Duration,
}

impl Default for WorldOptions {
    fn default() -> Self {
        WorldOptions {
            seed: None,
            state_file: None,
            state_interval: DEFAULT_STATE_INTERVAL,
        }
    }
}

impl WorldOptions {
    /// Checks the state file before anything serves: a file that exists must be a valid
    /// document (it is left untouched if not). `Ok(None)`: no state file, or none yet.
    pub fn read_state(&self) -> Result<Option<WorldDoc>, DocError> {
        match &self.state_file {
            Some(path) if path.exists() => WorldDoc::load(path).map(Some),
            Some(path) if Format::of_path(path).is_none() => Err(DocError {
                file: Some(path.display().to_string()),
                place: "file name".into(),
                message: "expected a .toml or .json extension".into(),
            }),
            _ => Ok(None),
        }
    }

    /// Loads the seed (what a reset returns to), then the kept state over it.
    pub(crate) fn load_into(&self, world: &World) -> Result<(), DocError> {
        let state = self.read_state()?;
        world.set_seed(self.seed.clone());
        if let Some(state) = state {
            world.import(&state);
        }
        Ok(())
    }
}

/// Writes the world to `path` now.
pub(crate) fn write_state(world: &World, path: &Path) -> std::io::Result<()> {
    world.export().write_atomically(path)
}

/// The task that writes the state file at an interval, and the last write on shutdown.
///
/// An interval write runs on a blocking thread that aborting the task cannot stop, so each
/// write takes `closed` first: the last write sets it, and a write that comes after sees it
/// and leaves the file alone (a late interval write would otherwise put an older world over
/// the final one).
pub(crate) struct StateWriter {
    path: PathBuf,
    closed: Arc<Mutex<bool>>,
    task: JoinHandle<()>,
}

impl StateWriter {
    /// Writes the world to `path` every `interval` when it changed since the last write.
    pub(crate) fn spawn(app: Arc<App>, path: PathBuf, interval: Duration) -> StateWriter {
        let closed = Arc::new(Mutex::new(false));
        let task = tokio::spawn(write_periodically(
            app,
            path.clone(),
            interval,
            closed.clone(),
        ));
        StateWriter { path, closed, task }
    }

    /// Stops the interval writes and writes the world one last time.
    pub(crate) fn finish(self, world: &World) -> std::io::Result<()> {
        self.task.abort();
        let mut closed = lock(&self.closed);
        *closed = true;
        write_state(world, &self.path)
    }
}

async fn write_periodically(
    app: Arc<App>,
    path: PathBuf,
    interval: Duration,
    closed: Arc<Mutex<bool>>,
) {
    let format = Format::of_path(&path).unwrap_or(Format::Json);
    let mut last = app.world.export().to_text(format).ok();
    let mut ticks = tokio::time::interval(interval);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        let doc = app.world.export();
        let text = doc.to_text(format).ok();
        if text.is_some() && text == last {
            continue;
        }
        let target = path.clone();
        let closed = closed.clone();
        let written = tokio::task::spawn_blocking(move || {
            let closed = lock(&closed);
            if *closed {
                return Ok(());
            }
            doc.write_atomically(&target)
        })
        .await;
        match written {
            Ok(Ok(())) => last = text,
            Ok(Err(e)) => tracing::warn!("cannot write the state file {}: {e}", path.display()),
            Err(e) => tracing::warn!("state writer failed: {e}"),
        }
    }
}

/// A poisoned lock only means a write panicked; the flag it guards is still right.
fn lock(closed: &Mutex<bool>) -> std::sync::MutexGuard<'_, bool> {
    closed
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// [`crate::serve`] with a seed and a state file: the world is loaded before the first
/// connection is accepted (an invalid document is refused, nothing served), written at the
/// interval while serving, and once more after the last request.
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    config: crate::config::Config,
    world: WorldOptions,
    shutdown: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    use std::io::{Error, ErrorKind};
    config
        .validate()
        .map_err(|e| Error::new(ErrorKind::InvalidInput, e.to_string()))?;
    let addr = listener.local_addr()?;
    let admin = crate::admin::AdminAccess::for_listener(&addr, config.admin_token.as_deref());
    let app = Arc::new(App::new(&config, Arc::new(tco_clock::SystemClock), admin));
    world
        .load_into(&app.world)
        .map_err(|e| Error::new(ErrorKind::InvalidInput, e.to_string()))?;
    let writer = world
        .state_file
        .clone()
        .map(|path| StateWriter::spawn(app.clone(), path, world.state_interval));
    let served = crate::server::run(listener, app.clone(), shutdown).await;
    if let Some(writer) = writer {
        writer.finish(&app.world)?;
    }
    served
}
