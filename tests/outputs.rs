//! A build replaces its whole set of outputs or none of it, through the command line: failures
//! leave earlier outputs byte-identical, concurrent builds take turns, and what a killed build
//! left behind is cleaned up.

mod common;

use common::{Run, files_in, root, run};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;
use tempfile::TempDir;

/// The `vitae` binary, found as `common::vitae` finds it.
fn vitae_bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("vitae")
}
/// The unprivileged user a build runs as where the tests run as root.
#[cfg(unix)]
const NOBODY: u32 = 65534;

/// The outputs of a folder (every file but vitae's own `.vitae*` ones), by name.
fn outputs(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    files_in(dir)
        .into_iter()
        .filter(|p| p.is_file())
        .map(|p| (name(&p), std::fs::read(&p).unwrap()))
        .filter(|(n, _)| !n.starts_with(".vitae"))
        .collect()
}

/// Temporary files, backups and journals left in a folder.
fn scratch(dir: &Path) -> Vec<String> {
    files_in(dir)
        .iter()
        .map(|p| name(p))
        .filter(|n| n.starts_with(".vitae-"))
        .collect()
}

/// Panics, naming the file, unless the two folders' outputs are byte-identical.
fn assert_same(after: &BTreeMap<String, Vec<u8>>, before: &BTreeMap<String, Vec<u8>>) {
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>(),
        "the outputs changed"
    );
    for (name, bytes) in before {
        assert!(after[name] == *bytes, "{name} changed");
    }
}

fn name(path: &Path) -> String {
    path.file_name().unwrap().to_str().unwrap().to_string()
}

/// A résumé named `cv.yaml` in `dir`, copied from `source` (relative to the crate root), so
/// that builds of different résumés write the same file names.
fn cv(dir: &Path, source: &str) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join("cv.yaml");
    std::fs::copy(root().join(source), &path).unwrap();
    path
}

/// Builds `input` into `out` as Markdown, text and JSON.
fn build(input: &Path, out: &Path) -> Run {
    run([
        "build",
        input.to_str().unwrap(),
        "-f",
        "md,txt,json",
        "-o",
        out.to_str().unwrap(),
    ])
}

/// The same build, as a child process not yet waited for.
fn spawn_build(input: &Path, out: &Path) -> std::process::Child {
    Command::new(vitae_bin())
        .current_dir(root())
        .args(["build", "-f", "md,txt,json", "-o"])
        .arg(out)
        .arg(input)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("vitae starts")
}

fn finished(output: std::process::Output) -> Run {
    Run {
        code: output.status.code().expect("vitae exits normally"),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Every file the manifest lists is on disk with the listed size and hash, and every output
/// on disk is listed: the manifest and the files come from one build.
fn assert_manifest_matches(out: &Path) {
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let mut listed = vec!["manifest.json".to_string()];
    for file in manifest["files"].as_array().unwrap() {
        let path = PathBuf::from(file["path"].as_str().unwrap());
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(
            file["sha256"].as_str().unwrap(),
            hex(&Sha256::digest(&bytes)),
            "{}",
            path.display()
        );
        assert_eq!(file["bytes"].as_u64().unwrap(), bytes.len() as u64);
        listed.push(name(&path));
    }
    listed.sort();
    let on_disk: Vec<String> = outputs(out).into_keys().collect();
    assert_eq!(on_disk, listed);
}

#[test]
fn a_directory_in_place_of_an_output_fails_and_keeps_the_earlier_set() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    let input = cv(&tmp.path().join("in"), "tests/fixtures/tags.yaml");
    build(&input, &out).expect_code(0);
    let mut before = outputs(&out);
    let names: Vec<&String> = before.keys().collect();
    assert_eq!(names, ["cv.json", "cv.md", "cv.txt", "manifest.json"]);

    // A different résumé under the same name, and a directory where its third output goes.
    cv(&tmp.path().join("in"), "examples/resume.yaml");
    std::fs::remove_file(out.join("cv.json")).unwrap();
    std::fs::create_dir(out.join("cv.json")).unwrap();
    before.remove("cv.json");

    let failed = build(&input, &out).expect_code(1);
    assert_eq!(
        failed.stderr,
        format!(
            "error: cannot write {}: Is a directory\n",
            out.join("cv.json").display()
        )
    );
    assert_eq!(failed.stdout, "");
    assert_same(&outputs(&out), &before);
    assert!(out.join("cv.json").is_dir());
    assert_eq!(scratch(&out), Vec::<String>::new());
}

/// How a folder is made read-only for a build, even where the tests run as root.
#[cfg(unix)]
enum ReadOnly {
    /// Not privileged: the folder's mode is enough.
    Mode,
    /// Root ignores modes: the build runs as `nobody` through `setpriv`.
    Setpriv,
    /// No `setpriv`: the folder is made immutable (`chattr +i`), which binds root too.
    Immutable,
}

/// Undoes the read-only state so that the temporary folder can be removed.
#[cfg(unix)]
struct Restore<'a>(&'a Path, &'a ReadOnly);

#[cfg(unix)]
impl Drop for Restore<'_> {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        if let ReadOnly::Immutable = self.1 {
            let _ = Command::new("chattr").arg("-i").arg(self.0).status();
        }
        let _ = std::fs::set_permissions(self.0, std::fs::Permissions::from_mode(0o755));
    }
}

/// Whether this process can create a file in `dir` despite its mode (root, CAP_DAC_OVERRIDE).
#[cfg(unix)]
fn can_write_into(dir: &Path) -> bool {
    let probe = dir.join("probe");
    let created = std::fs::write(&probe, "").is_ok();
    let _ = std::fs::remove_file(&probe);
    created
}

/// Makes `dir` read-only for the build about to run, by the first way that works here; `None`
/// (with the reason printed) when none does. `tmp` is the whole temporary tree, handed to
/// `nobody` for `setpriv`.
#[cfg(unix)]
fn make_read_only(tmp: &Path, dir: &Path) -> Option<ReadOnly> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    if !can_write_into(dir) {
        return Some(ReadOnly::Mode);
    }
    let setpriv_works = Command::new("setpriv")
        .args(setpriv_args())
        .arg(vitae_bin())
        .arg("--version")
        .current_dir(root())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if setpriv_works {
        chown_tree(tmp);
        return Some(ReadOnly::Setpriv);
    }
    let immutable = Command::new("chattr")
        .arg("+i")
        .arg(dir)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if immutable && !can_write_into(dir) {
        return Some(ReadOnly::Immutable);
    }
    let _ = Command::new("chattr").arg("-i").arg(dir).status();
    eprintln!(
        "skipped: this process writes into read-only folders, and neither `setpriv` (to run as \
         an unprivileged user) nor `chattr +i` works here"
    );
    None
}

#[cfg(unix)]
fn setpriv_args() -> [String; 3] {
    [
        format!("--reuid={NOBODY}"),
        format!("--regid={NOBODY}"),
        "--clear-groups".to_string(),
    ]
}

#[cfg(unix)]
fn chown_tree(path: &Path) {
    std::os::unix::fs::chown(path, Some(NOBODY), Some(NOBODY)).unwrap();
    if path.is_dir() {
        for child in files_in(path) {
            chown_tree(&child);
        }
    }
}

#[cfg(unix)]
#[test]
fn a_read_only_output_folder_fails_before_rendering_and_keeps_the_earlier_set() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    let input = cv(&tmp.path().join("in"), "tests/fixtures/tags.yaml");
    build(&input, &out).expect_code(0);
    let before = outputs(&out);
    assert_eq!(before.len(), 4);
    cv(&tmp.path().join("in"), "examples/resume.yaml");

    let Some(how) = make_read_only(tmp.path(), &out) else {
        return;
    };
    let _restore = Restore(&out, &how);
    eprintln!(
        "read-only by {}",
        match how {
            ReadOnly::Mode => "the folder's mode",
            ReadOnly::Setpriv => "the folder's mode, building as nobody through setpriv",
            ReadOnly::Immutable => "chattr +i",
        }
    );
    let args = [
        "build",
        input.to_str().unwrap(),
        "-f",
        "md,txt,json",
        "-o",
        out.to_str().unwrap(),
    ];
    let failed = match how {
        ReadOnly::Setpriv => finished(
            Command::new("setpriv")
                .args(setpriv_args())
                .arg(vitae_bin())
                .args(args)
                .current_dir(root())
                .output()
                .expect("setpriv runs"),
        ),
        ReadOnly::Mode | ReadOnly::Immutable => run(args),
    };
    let failed = failed.expect_code(1);
    let reason = match how {
        ReadOnly::Immutable => "Operation not permitted",
        ReadOnly::Mode | ReadOnly::Setpriv => "Permission denied",
    };
    // The folder, not an output in it: the check comes before anything is rendered.
    assert_eq!(
        failed.stderr,
        format!("error: cannot write {}: {reason}\n", out.display())
    );
    assert_same(&outputs(&out), &before);
    assert_eq!(scratch(&out), Vec::<String>::new());
}

#[test]
fn concurrent_builds_into_one_folder_take_turns() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    let a = cv(&tmp.path().join("a"), "tests/fixtures/tags.yaml");
    let b = cv(&tmp.path().join("b"), "examples/resume.yaml");
    // Without the lock, the manifest of one build ends up beside files of the other in some
    // rounds; a few rounds make that likely. The test below shows the waiting itself.
    for round in 0..5 {
        let first = spawn_build(&a, &out);
        let second = spawn_build(&b, &out);
        for child in [first, second] {
            finished(child.wait_with_output().unwrap()).expect_code(0);
        }
        assert_manifest_matches(&out);
        assert_eq!(scratch(&out), Vec::<String>::new(), "round {round}");
    }
}

#[test]
fn a_build_waits_while_another_holds_the_folder() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let input = cv(&tmp.path().join("in"), "tests/fixtures/tags.yaml");
    let lock = std::fs::File::create(out.join(".vitae.lock")).unwrap();
    lock.lock().unwrap();

    let mut child = spawn_build(&input, &out);
    std::thread::sleep(Duration::from_secs(2));
    let waiting = child.try_wait().unwrap().is_none();
    if !waiting {
        let run = finished(child.wait_with_output().unwrap());
        panic!("the build did not wait for the lock: {run:?}");
    }
    assert_eq!(
        outputs(&out),
        BTreeMap::new(),
        "nothing written while waiting"
    );

    drop(lock);
    finished(child.wait_with_output().unwrap()).expect_code(0);
    assert_manifest_matches(&out);
}

#[test]
fn what_a_killed_build_left_is_removed_by_the_next_build() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    let input = cv(&tmp.path().join("in"), "tests/fixtures/tags.yaml");
    build(&input, &out).expect_code(0);
    let before = outputs(&out);
    let planted = [
        ".vitae-tmp-4242-0-cv.md",
        ".vitae-tmp-4242-3-.vitae-journal",
        ".vitae-bak-4242-1-cv.txt",
    ];
    for name in planted {
        std::fs::write(out.join(name), "left by a killed build").unwrap();
    }
    std::fs::write(out.join("notes.txt"), "mine").unwrap();

    build(&input, &out).expect_code(0);
    assert_eq!(scratch(&out), Vec::<String>::new());
    let mut after = outputs(&out);
    assert_eq!(after.remove("notes.txt").as_deref(), Some(&b"mine"[..]));
    assert_same(&after, &before);
}

#[test]
fn page_images_beyond_the_new_page_count_go_with_the_new_set() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    let args = |out: &Path| {
        [
            "build".to_string(),
            "examples/resume.yaml".to_string(),
            "-f".to_string(),
            "png".to_string(),
            "--ppi".to_string(),
            "18".to_string(),
            "-o".to_string(),
            out.to_str().unwrap().to_string(),
        ]
    };
    run(args(&out)).expect_code(0);
    let pages = outputs(&out).keys().filter(|n| n.ends_with(".png")).count();
    assert!((1..7).contains(&pages), "{pages} pages");
    // Pages of an earlier, longer build, with a gap; and files vitae never writes.
    for stale in ["resume-7.png", "resume-9.png"] {
        std::fs::write(out.join(stale), "stale").unwrap();
    }
    for kept in ["resume-07.png", "resume-x.png", "resume-short-8.png"] {
        std::fs::write(out.join(kept), "not a page").unwrap();
    }

    run(args(&out)).expect_code(0);
    let names: Vec<String> = outputs(&out).into_keys().collect();
    let mut expected: Vec<String> = (1..=pages).map(|n| format!("resume-{n}.png")).collect();
    expected.extend(
        [
            "manifest.json",
            "resume-07.png",
            "resume-short-8.png",
            "resume-x.png",
        ]
        .map(String::from),
    );
    expected.sort();
    assert_eq!(names, expected);
    assert_manifest_matches_pages(&out, pages);
}

/// The manifest of a PNG build lists exactly the pages on disk.
fn assert_manifest_matches_pages(out: &Path, pages: usize) {
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let files = manifest["files"].as_array().unwrap();
    assert_eq!(files.len(), pages);
    for file in files {
        let bytes = std::fs::read(file["path"].as_str().unwrap()).unwrap();
        assert_eq!(
            file["sha256"].as_str().unwrap(),
            hex(&Sha256::digest(&bytes))
        );
    }
}
