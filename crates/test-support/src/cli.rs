//! The `tco-harness` binary run as a user runs it: a command with a clean environment, its
//! captured output, and `tco-harness mock` as a process that announces its address.
//!
//! The binary's path comes from the test crate (`env!("CARGO_BIN_EXE_tco-harness")` exists
//! only in the package that builds it), so this crate does not depend on the CLI.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

/// The environment variables that give the CLI credentials; a [`Cli`] starts without them so
/// a developer's own account never reaches a test.
const CREDENTIAL_VARIABLES: [&str; 3] = [
    "TENCENTCLOUD_SECRET_ID",
    "TENCENTCLOUD_SECRET_KEY",
    "TENCENTCLOUD_SESSION_TOKEN",
];

/// One run of the binary under test, built up like a [`Command`].
#[derive(Debug)]
pub struct Cli {
    command: Command,
}

impl Cli {
    /// `program` with `args`, none of the environment's credentials.
    pub fn new<I, S>(program: impl AsRef<OsStr>, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut command = Command::new(program);
        command.args(args);
        for name in CREDENTIAL_VARIABLES {
            command.env_remove(name);
        }
        Cli { command }
    }

    /// More arguments.
    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.command.args(args);
        self
    }

    /// Signs as this account (`TENCENTCLOUD_SECRET_ID` / `TENCENTCLOUD_SECRET_KEY`).
    pub fn account(mut self, secret_id: &str, secret_key: &str) -> Self {
        self.command
            .env("TENCENTCLOUD_SECRET_ID", secret_id)
            .env("TENCENTCLOUD_SECRET_KEY", secret_key);
        self
    }

    /// `HOME` (where `~/.tencentcloud/credentials` is looked for).
    pub fn home(mut self, dir: impl AsRef<Path>) -> Self {
        self.command.env("HOME", dir.as_ref());
        self
    }

    /// One more environment variable.
    pub fn env(mut self, name: &str, value: impl AsRef<OsStr>) -> Self {
        self.command.env(name, value);
        self
    }

    /// One environment variable less.
    pub fn env_remove(mut self, name: &str) -> Self {
        self.command.env_remove(name);
        self
    }

    /// The command as built, for what this type does not cover (piping, spawning).
    pub fn into_command(self) -> Command {
        self.command
    }

    /// Runs to the end; status, stdout and stderr.
    pub fn output(mut self) -> Output {
        self.command.output().expect("the binary runs")
    }

    /// [`Cli::output`] on a blocking thread, so the test's runtime keeps serving an
    /// in-process mock meanwhile.
    pub async fn output_off_runtime(self) -> Output {
        self.spawn_off_runtime().await.expect("the run's thread")
    }

    /// Starts the run now on a blocking thread; the handle gives its output.
    pub fn spawn_off_runtime(self) -> tokio::task::JoinHandle<Output> {
        tokio::task::spawn_blocking(move || self.output())
    }

    /// Starts `tco-harness mock ...` (the arguments given so far) and waits for its first
    /// line, `listening on URL`.
    pub fn start_mock(mut self) -> MockProcess {
        let mut child = self
            .command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        let mut line = String::new();
        let stdout = child.stdout.as_mut().expect("stdout is piped");
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("one line on stdout");
        let Some(url) = line.trim().strip_prefix("listening on ").map(str::to_owned) else {
            let _ = child.kill();
            let _ = child.wait();
            panic!("unexpected first line {line:?}");
        };
        MockProcess {
            child: Some(child),
            url,
        }
    }
}

/// A `tco-harness mock` process; killed when dropped if still running.
#[derive(Debug)]
pub struct MockProcess {
    child: Option<Child>,
    url: String,
}

impl MockProcess {
    /// `http://HOST:PORT`, as announced.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The process, e.g. to take its stderr.
    pub fn child_mut(&mut self) -> &mut Child {
        self.child.as_mut().expect("the process is still ours")
    }

    /// Sends `signal` (`TERM`, `INT`, `KILL`) and waits for the process; its exit code (none
    /// when a signal ended it).
    pub fn signal(&mut self, signal: &str) -> Option<i32> {
        let child = self.child_mut();
        let status = Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill -{signal}");
        let code = child.wait().expect("the mock exits").code();
        self.child = None;
        code
    }
}

impl Drop for MockProcess {
    fn drop(&mut self) {
        if let Some(child) = self.child.as_mut() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Bytes a process wrote, as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Exit status, stdout and stderr in one text, for assertion messages.
pub fn describe(out: &Output) -> String {
    format!(
        "exit {:?}\n{}\n{}",
        out.status.code(),
        text(&out.stdout),
        text(&out.stderr)
    )
}

/// Asserts exit 2 with one line on stderr, and returns that line.
pub fn one_line_usage_error(out: &Output) -> String {
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{}", describe(out));
    assert_eq!(err.trim_end().lines().count(), 1, "{err:?}");
    err
}
