//! The seeds: every fixture, both example résumés and every saved regression, read from disk
//! at the start of a run.

use std::path::{Path, PathBuf};

/// A file of the corpus.
#[derive(Debug, Clone)]
pub struct Seed {
    /// Relative to the crate root.
    pub name: String,
    pub bytes: Vec<u8>,
    pub json: bool,
    pub regression: bool,
    /// A fixture that is meant to load (not under `tests/fixtures/bad/`, not a regression).
    pub good: bool,
    /// Used as the base of mutated cases (not a saved crash or hang).
    pub mutable: bool,
}

/// The crate root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Where failing inputs are saved.
pub fn regressions_dir() -> PathBuf {
    root().join("tests/fuzz/regressions")
}

/// Every fixture, both example résumés and every saved regression, in a stable order.
pub fn corpus() -> Vec<Seed> {
    let mut files = Vec::new();
    collect_files(&root().join("tests/fixtures"), &mut files);
    files.push(root().join("examples/resume.yaml"));
    files.push(root().join("data/resume.yaml"));
    collect_files(&regressions_dir(), &mut files);
    let mut seeds: Vec<Seed> = files
        .into_iter()
        .filter_map(|path| {
            let ext = path.extension()?.to_str()?.to_ascii_lowercase();
            if !matches!(ext.as_str(), "yaml" | "yml" | "json") {
                return None;
            }
            let name = path
                .strip_prefix(root())
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            let regression = name.starts_with("tests/fuzz/regressions/");
            let file = name.rsplit('/').next().unwrap_or("");
            Some(Seed {
                mutable: !(file.starts_with("crash-") || file.starts_with("hang-")),
                good: !regression && !name.starts_with("tests/fixtures/bad/"),
                regression,
                bytes: std::fs::read(&path).ok()?,
                json: ext == "json",
                name,
            })
        })
        .collect();
    seeds.sort_by(|a, b| a.name.cmp(&b.name));
    assert!(
        seeds.iter().filter(|s| !s.regression).count() >= 10,
        "the fuzz corpus lost its fixtures"
    );
    seeds
}

/// The seeds of the importer's run: the files written for other tools (`tests/imports/`:
/// RenderCV, YAMLResume and JSON Resume) and the JSON Resume fixtures are the bases of most
/// cases; every other seed is spliced from, and is the base of the rest (a vitae résumé is read
/// as JSON Resume).
pub fn import_corpus() -> Vec<Seed> {
    let mut seeds = corpus();
    for seed in &mut seeds {
        seed.good = seed.good && seed.name.contains("jsonresume");
    }
    let mut files = Vec::new();
    collect_files(&root().join("tests/imports"), &mut files);
    for path in files {
        let Some(ext) = path.extension().and_then(|e| e.to_str()) else {
            continue;
        };
        let Ok(name) = path.strip_prefix(root()) else {
            continue;
        };
        let name = name.to_string_lossy().replace('\\', "/");
        if !matches!(ext, "yaml" | "yml" | "json") {
            continue;
        }
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        seeds.push(Seed {
            good: !name.contains("/invalid/"),
            regression: false,
            mutable: true,
            json: ext == "json",
            bytes,
            name,
        });
    }
    seeds.sort_by(|a, b| a.name.cmp(&b.name));
    assert!(
        seeds.iter().filter(|s| s.good).count() >= 5,
        "the importer's fuzz corpus lost its seeds"
    );
    seeds
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, out);
        } else {
            out.push(path);
        }
    }
}
