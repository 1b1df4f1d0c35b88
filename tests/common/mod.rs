//! Helpers shared by the integration tests: running the `vitae` binary from the crate root and
//! reading what a build wrote.
#![allow(dead_code)] // Each test binary uses a different subset.

pub mod links;

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// The crate root; every command runs here so that paths in messages read `tests/fixtures/…`.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The `vitae` binary, run from the crate root.
pub fn vitae() -> Command {
    let mut cmd = Command::cargo_bin("vitae").expect("the vitae binary is built");
    cmd.current_dir(root());
    cmd
}

/// What a finished command did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Panics with the whole output unless the command exited with `code`.
    pub fn expect_code(self, code: i32) -> Run {
        assert_eq!(
            self.code, code,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

/// Runs `vitae` with these arguments from the crate root.
pub fn run<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let output = vitae().args(args).output().expect("vitae runs");
    Run {
        code: output
            .status
            .code()
            .expect("vitae exits normally, not by a signal"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// The files of a directory, sorted; empty when it does not exist.
pub fn files_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries.map(|e| e.expect("readable entry").path()).collect();
    files.sort();
    files
}

/// What `vitae build FILE -f md,txt` wrote, with the command's output.
#[derive(Debug)]
pub struct Built {
    pub md: String,
    pub txt: String,
    pub run: Run,
}

/// Builds `file` (relative to the crate root) to Markdown and text in a temporary directory;
/// `extra` are further arguments such as `--lang de`. The build must succeed.
pub fn build_md_txt(file: &str, extra: &[&str]) -> Built {
    let out = TempDir::new().unwrap();
    let out_dir = out.path().to_str().unwrap();
    let mut args = vec!["build", file, "-f", "md,txt", "-o", out_dir];
    args.extend_from_slice(extra);
    let run = run(&args).expect_code(0);
    let stem = Path::new(file).file_stem().unwrap().to_str().unwrap();
    let read =
        |ext: &str| std::fs::read_to_string(out.path().join(format!("{stem}.{ext}"))).unwrap();
    Built {
        md: read("md"),
        txt: read("txt"),
        run,
    }
}

/// Text with every run of whitespace (line breaks, indentation) collapsed to one space, so
/// that a phrase can be searched for however it was wrapped.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
