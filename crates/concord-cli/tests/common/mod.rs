//! What every CLI integration test needs, kept in one place (in the manner of ripgrep's
//! `tests/util.rs`): the real `concord` binary run from the repository root, the examples and
//! the `../shared` folder beside the repository (shared with concord-io's and concord-report's tests), and fresh
//! folders for fixtures.
//!
//! Each test file includes this module with `mod common;` and uses only part of it.
#![allow(dead_code)]

use std::io::Read;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use serde_json::Value;

// The repository layout (root, examples, ../shared) is the io tests' helper: one copy.
#[path = "../../../concord-io/tests/common/mod.rs"]
mod layout;
// Not every test file uses all three.
#[allow(unused_imports)]
pub use layout::{example, root, shared};

/// The `concord` binary, ready to run from the repository root.
pub fn concord() -> Command {
    let mut cmd = Command::cargo_bin("concord").expect("the binary is built");
    cmd.current_dir(root());
    // Tests of content read sentences whole, so text is not wrapped; the layout at the width of
    // a pipe is tested with COLUMNS removed (cli.rs, `text_fits_the_width…`).
    cmd.env("COLUMNS", "100000");
    cmd
}

/// Runs `concord` with `args` as in a pipe, where text reports fit 80 columns; returns (exit
/// code, stdout, stderr).
pub fn run_80(args: &[&str]) -> (i32, String, String) {
    let out = concord()
        .args(args)
        .env_remove("COLUMNS")
        .output()
        .expect("concord runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs `concord` with `args`; returns (exit code, stdout, stderr).
pub fn run(args: &[&str]) -> (i32, String, String) {
    let out = concord().args(args).output().expect("concord runs");
    (
        out.status.code().expect("exited normally"),
        String::from_utf8(out.stdout).expect("utf-8"),
        String::from_utf8(out.stderr).expect("utf-8"),
    )
}

/// Runs `concord` with `args`, whose stdout must be JSON; returns (exit code, the JSON).
pub fn json(args: &[&str]) -> (i32, Value) {
    let (code, stdout, stderr) = run(args);
    let value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}\n{stderr}"));
    (code, value)
}

/// Writes `contents` as `name` in a fresh folder and returns the file's path.
pub fn fixture(name: &str, contents: &str) -> PathBuf {
    let stem = Path::new(name).file_stem().and_then(|s| s.to_str());
    Dir::new(stem.unwrap_or(name)).create(name, contents)
}

/// A fresh, empty folder under the target directory; it derefs to its path.
pub struct Dir(PathBuf);

impl Dir {
    /// A new folder named after `name`, unique within this test binary (tests run in parallel
    /// threads) and emptied of what an earlier run left there.
    pub fn new(name: &str) -> Dir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(concat!("concord-cli-", env!("CARGO_CRATE_NAME")))
            .join(format!("{name}-{}", NEXT.fetch_add(1, Ordering::Relaxed)));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temporary folder");
        Dir(dir)
    }

    /// Writes `contents` as the file `name` in this folder and returns its path.
    pub fn create(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, contents).expect("fixture written");
        path
    }
}

impl Deref for Dir {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.0
    }
}

/// Runs `concord` with `args`, sends SIGINT after `after`, and returns the exit code, the time
/// it took to end after the signal, its standard output and its standard error.
pub fn interrupt(args: &[&str], after: Duration) -> (Option<i32>, Duration, String, String) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_concord"))
        .args(args)
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read both pipes on threads, so a full pipe never blocks the child.
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        out.read_to_string(&mut s).unwrap();
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        err.read_to_string(&mut s).unwrap();
        s
    });
    std::thread::sleep(after);
    assert!(
        child.try_wait().unwrap().is_none(),
        "`concord {}` ended before the signal",
        args.join(" ")
    );
    let sent = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let signalled = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            signalled.elapsed() < Duration::from_secs(20),
            "still running 20 s after Ctrl-C"
        );
        std::thread::sleep(Duration::from_millis(5));
    };
    let took = signalled.elapsed();
    (
        status.code(),
        took,
        out.join().unwrap(),
        err.join().unwrap(),
    )
}
