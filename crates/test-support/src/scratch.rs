//! A temporary directory for one test's files, removed when the test ends (even when it
//! fails), so tests neither collide on fixed names nor leave files behind.

use std::path::{Path, PathBuf};

use tempfile::TempDir;

/// A fresh directory; removed on drop.
#[derive(Debug)]
pub struct Scratch {
    dir: TempDir,
}

impl Scratch {
    /// A new, empty directory under the system's temporary directory.
    pub fn new() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("tco-test-")
            .tempdir()
            .expect("a temporary directory");
        Scratch { dir }
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A path inside the directory, not created (e.g. a report directory a command makes).
    pub fn join(&self, name: impl AsRef<Path>) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes `contents` to `name` inside the directory; its path.
    pub fn write(&self, name: impl AsRef<Path>, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("a directory in the scratch space");
        }
        std::fs::write(&path, contents)
            .unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
        path
    }
}

impl Default for Scratch {
    fn default() -> Self {
        Scratch::new()
    }
}
