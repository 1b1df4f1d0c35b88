//! Failing inputs become regressions: shrunk while they fail the same way (blocks, then lines,
//! then characters), then written to `tests/fuzz/regressions/<kind>-<hash>.{yaml,json}`.

use std::path::{Path, PathBuf};

use crate::corpus::{regressions_dir, root};
use crate::drive::{Case, Source, Target, execute};
use crate::generate::fnv1a;
use crate::lines::{block_at, indent_of, join_lines, split_lines};
use crate::summary::Failure;

/// Whether a failure is to be saved: panics and hangs always, invariants when enforced.
pub fn must_save(failure: &Failure, enforce: bool) -> bool {
    // A saved regression that still fails is already saved.
    !failure.case.replayed() && (failure.kind == "panic" || failure.kind == "hang" || enforce)
}

/// Shrinks the failing input while it fails the same way, then writes it.
pub fn save_failure(failure: &mut Failure) {
    let (bytes, json) = match failure.source {
        Source::File | Source::Import => (failure.case.bytes.clone(), failure.case.json),
        Source::Markup => (failure.case.markup.clone().into_bytes(), false),
    };
    let bytes = if failure.kind == "hang" {
        bytes // each try would take a second or more
    } else {
        shrink(&bytes, json, failure)
    };
    failure.saved = Some(write_regression(&failure.kind, &bytes, json));
}

/// Whether `bytes` still fails like `failure`.
fn reproduces(bytes: &[u8], json: bool, failure: &Failure) -> bool {
    let mut case = Case {
        id: "shrink".into(),
        index: 0,
        origin: String::new(),
        bytes: Vec::new(),
        json,
        markup: String::new(),
        target: match failure.source {
            Source::Import => Target::Import,
            Source::File | Source::Markup => Target::Resume,
        },
    };
    match failure.source {
        Source::File | Source::Import => case.bytes = bytes.to_vec(),
        Source::Markup => case.markup = String::from_utf8_lossy(bytes).into_owned(),
    }
    let outcome = execute(&case);
    if failure.kind == "panic" {
        outcome
            .panics
            .iter()
            .any(|p| p.source == failure.source && p.location == failure.location)
    } else {
        outcome
            .violations
            .iter()
            .any(|v| v.source == failure.source && v.invariant.name() == failure.kind)
    }
}

/// Shrinks an input while it fails the same way: whole indented blocks first (with their
/// closing bracket), then runs of lines, then, for short inputs, characters.
fn shrink(bytes: &[u8], json: bool, failure: &Failure) -> Vec<u8> {
    const BUDGET: usize = 600;
    if !reproduces(bytes, json, failure) {
        return bytes.to_vec(); // flaky: keep it as it was
    }
    let mut tries = 0;

    let mut lines = split_lines(bytes);
    let mut i = 0;
    while i < lines.len() && tries < BUDGET {
        let mut block = block_at(&lines, i);
        let closes = lines.get(block.end).is_some_and(|l| {
            indent_of(l) == indent_of(&lines[i]) && matches!(l.get(indent_of(l)), Some(b'}' | b']'))
        });
        if closes {
            block.end += 1;
        }
        let mut candidate = lines.clone();
        candidate.drain(block);
        if json {
            drop_dangling_commas(&mut candidate);
        }
        tries += 1;
        if reproduces(&join_lines(&candidate), json, failure) {
            lines = candidate;
        } else {
            i += 1;
        }
    }

    let pass = |units: &mut Vec<Vec<u8>>, tries: &mut usize| {
        let mut chunk = (units.len() / 2).max(1);
        while *tries < BUDGET && units.len() > 1 {
            let mut at = 0;
            let mut progressed = false;
            while at < units.len() && *tries < BUDGET {
                let mut candidate = units.clone();
                candidate.drain(at..(at + chunk).min(units.len()));
                *tries += 1;
                if reproduces(&candidate.concat(), json, failure) {
                    *units = candidate;
                    progressed = true;
                } else {
                    at += chunk;
                }
            }
            if !progressed {
                if chunk == 1 {
                    break;
                }
                chunk /= 2;
            }
        }
    };
    let joined = join_lines(&lines);
    let mut units: Vec<Vec<u8>> = joined
        .split_inclusive(|&b| b == b'\n')
        .map(<[u8]>::to_vec)
        .collect();
    pass(&mut units, &mut tries);
    let shrunk = units.concat();
    match String::from_utf8(shrunk) {
        Ok(text) if text.len() <= 2000 => {
            let mut chars: Vec<Vec<u8>> =
                text.chars().map(|c| c.to_string().into_bytes()).collect();
            pass(&mut chars, &mut tries);
            chars.concat()
        }
        Ok(text) => text.into_bytes(),
        Err(e) => e.into_bytes(),
    }
}

/// Removes a comma that ends a line when the next line closes its object or array.
fn drop_dangling_commas(lines: &mut [Vec<u8>]) {
    for i in 0..lines.len().saturating_sub(1) {
        let next = &lines[i + 1];
        let closes = matches!(next.get(indent_of(next)), Some(b'}' | b']'));
        let line = &mut lines[i];
        while line.last().is_some_and(u8::is_ascii_whitespace) {
            line.pop();
        }
        if closes && line.last() == Some(&b',') {
            line.pop();
        }
    }
}

/// Where an input that failed as `kind` is saved: the name follows from its bytes.
pub fn regression_path(kind: &str, bytes: &[u8], json: bool) -> PathBuf {
    let ext = if json { "json" } else { "yaml" };
    regressions_dir().join(format!("{kind}-{:012x}.{ext}", fnv1a(bytes) >> 16))
}

/// Writes a failing input (unless it is there already); returns its path from the crate root.
pub fn write_regression(kind: &str, bytes: &[u8], json: bool) -> PathBuf {
    std::fs::create_dir_all(regressions_dir()).expect("create tests/fuzz/regressions");
    let path = regression_path(kind, bytes, json);
    if !path.exists() {
        std::fs::write(&path, bytes).expect("write a regression input");
    }
    path.strip_prefix(root())
        .map(Path::to_path_buf)
        .unwrap_or(path)
}
