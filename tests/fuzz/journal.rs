//! The crash journal: the input each worker is running, on disk under
//! `target/tmp/fuzz-journal/`, so that a case that kills the process (a stack overflow, an
//! abort) is found by the next run, replayed first, and kept as a `crash-…` regression.

use std::path::{Path, PathBuf};

use crate::HANG;
use crate::corpus::root;
use crate::drive::{Case, Target, execute};
use crate::shrink::{regression_path, write_regression};
use crate::summary::one_line;

/// Each worker's current input, on disk: if a case kills the process (stack overflow, abort),
/// the next run finds it and replays it first.
#[derive(Clone)]
pub struct Journal {
    pub dir: PathBuf,
}

impl Journal {
    pub fn new() -> Journal {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-journal");
        let _ = std::fs::create_dir_all(&dir);
        Journal { dir }
    }

    fn path(&self, worker: usize) -> PathBuf {
        self.dir
            .join(format!("{}-{worker}.journal", std::process::id()))
    }

    pub fn write(&self, worker: usize, case: &Case) {
        let mut data = format!(
            "vitae-fuzz json={} markup={} {}: {}\n",
            u8::from(case.json),
            case.markup.len(),
            case.id,
            one_line(&case.origin, 300)
        )
        .into_bytes();
        data.extend_from_slice(case.markup.as_bytes());
        data.extend_from_slice(&case.bytes);
        let _ = std::fs::write(self.path(worker), data);
    }

    pub fn clear(&self, worker: usize) {
        let _ = std::fs::remove_file(self.path(worker));
    }

    pub fn clear_all(&self) {
        let prefix = format!("{}-", std::process::id());
        for entry in std::fs::read_dir(&self.dir).into_iter().flatten().flatten() {
            if entry.file_name().to_string_lossy().starts_with(&prefix) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }

    /// Inputs left by runs that died: saved as `crash-…` regressions and returned for replay.
    /// If the replay passes (the run was merely interrupted), the file is removed again.
    pub fn adopt(&self) -> Vec<Case> {
        let mut cases = Vec::new();
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .collect();
        entries.sort();
        for path in entries {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            let pid = name.split('-').next().unwrap_or("");
            if pid == std::process::id().to_string() || Path::new("/proc").join(pid).exists() {
                continue; // ours, or a run still going
            }
            let Ok(data) = std::fs::read(&path) else {
                continue;
            };
            let _ = std::fs::remove_file(&path);
            let Some(newline) = data.iter().position(|&b| b == b'\n') else {
                continue;
            };
            let header = String::from_utf8_lossy(&data[..newline]).into_owned();
            let field = |key: &str| -> Option<usize> {
                header
                    .split_whitespace()
                    .find_map(|f| f.strip_prefix(key))
                    .and_then(|v| v.parse().ok())
            };
            let (Some(json), Some(markup_len)) = (field("json="), field("markup=")) else {
                continue;
            };
            let body = &data[newline + 1..];
            let Some(markup) = body.get(..markup_len) else {
                continue;
            };
            let case = Case {
                id: format!("journal {name}"),
                index: 0,
                origin: header.splitn(4, ' ').nth(3).unwrap_or("a case").to_string(),
                bytes: body[markup_len..].to_vec(),
                json: json == 1,
                markup: String::from_utf8_lossy(markup).into_owned(),
                target: Target::Both,
            };
            // Both inputs, unless the markup is the file's own text (a replayed regression).
            let mut inputs = vec![(case.bytes.as_slice(), case.json)];
            if !case.markup.is_empty() && case.markup.as_bytes() != case.bytes.as_slice() {
                inputs.push((case.markup.as_bytes(), false));
            }
            let mut created = Vec::new();
            for (bytes, json) in inputs {
                let path = regression_path("crash", bytes, json);
                if !path.exists() {
                    created.push(write_regression("crash", bytes, json));
                }
            }
            let kept = if created.is_empty() {
                "it is a saved regression already".to_string()
            } else {
                let names: Vec<String> = created.iter().map(|p| p.display().to_string()).collect();
                format!("kept as {} if this run dies too", names.join(" and "))
            };
            eprintln!(
                "fuzz: process {pid} died while running {}; replaying its input first ({kept})",
                case.origin
            );
            let outcome = execute(&case);
            if outcome.panics.is_empty() && outcome.elapsed <= HANG {
                for path in created {
                    let _ = std::fs::remove_file(root().join(path));
                }
                eprintln!("fuzz: it ran fine: the process was interrupted, not crashed");
            } else {
                cases.push(case);
            }
        }
        cases
    }
}
