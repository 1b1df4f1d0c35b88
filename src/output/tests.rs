//! The many ways a set can fail, each checked for what it leaves on disk.

use super::set::Faults;
use super::{JOURNAL_NAME, LOCK_NAME, OutputSet, write_atomic};
use crate::Error;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tempfile::TempDir;

/// The outputs in the folder (every file but vitae's own `.vitae*` ones), by name.
fn listing(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| {
            e.file_type().unwrap().is_file()
                && !e.file_name().to_string_lossy().starts_with(".vitae")
        })
        .map(|e| {
            (
                e.file_name().into_string().unwrap(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// Temporary files, backups and journals in the folder.
fn scratch(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with(".vitae-"))
        .collect()
}

fn files(pairs: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
    pairs
        .iter()
        .map(|(n, b)| (n.to_string(), b.as_bytes().to_vec()))
        .collect()
}

/// What an earlier build left: three outputs, a third page image and a manifest.
fn old_set() -> BTreeMap<String, Vec<u8>> {
    files(&[
        ("a.md", "old a"),
        ("b.txt", "old b"),
        ("r-3.png", "old page 3"),
        ("manifest.json", "old manifest"),
    ])
}

/// What the new build makes of it: `a.md` and `b.txt` replaced, `c.json` new, the page gone.
fn new_set() -> BTreeMap<String, Vec<u8>> {
    files(&[
        ("a.md", "new a"),
        ("b.txt", "new b"),
        ("c.json", "new c"),
        ("manifest.json", "new manifest"),
    ])
}

/// Operations (renames and removals) before the commit point for this set: the journal's
/// rename, one rename for the removal, two per replaced file and one for the new file, then
/// removing the journal. The four backups are removed after.
const PRE_COMMIT_OPS: usize = 1 + 1 + 2 + 1 + 2 + 2 + 1;
const ALL_OPS: usize = PRE_COMMIT_OPS + 4;

/// A folder holding the old set.
fn folder() -> (TempDir, PathBuf) {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("dist");
    std::fs::create_dir(&dir).unwrap();
    for (name, bytes) in old_set() {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    (tmp, dir)
}

/// Opens the folder and stages the new set, with `faults` armed for the commit.
fn staged(dir: &Path, faults: Faults) -> OutputSet {
    let mut set = OutputSet::open(dir).unwrap();
    set.ops.faults = faults;
    for (name, bytes) in [("a.md", "new a"), ("c.json", "new c"), ("b.txt", "new b")] {
        set.stage(&dir.join(name), bytes.as_bytes()).unwrap();
    }
    set.remove(&dir.join("r-3.png")).unwrap();
    set.remove(&dir.join("r-4.png")).unwrap(); // absent: nothing to do
    set.stage(&dir.join("manifest.json"), b"new manifest")
        .unwrap();
    set
}

#[test]
fn a_commit_replaces_the_whole_set_and_leaves_nothing_behind() {
    let (_tmp, dir) = folder();
    staged(&dir, Faults::default()).commit().unwrap();
    assert_eq!(listing(&dir), new_set());
    assert_eq!(scratch(&dir), Vec::<String>::new());
    assert!(dir.join(LOCK_NAME).is_file(), "the lock file stays");
}

#[test]
fn the_manifest_is_swapped_in_last() {
    let (_tmp, dir) = folder();
    // The process dies just before the last rename: everything but the manifest is in place.
    let set = staged(
        &dir,
        Faults {
            crash_at: Some(PRE_COMMIT_OPS - 2),
            ..Faults::default()
        },
    );
    assert!(set.commit().is_err());
    assert_eq!(std::fs::read(dir.join("a.md")).unwrap(), b"new a");
    assert!(!dir.join("manifest.json").exists());
}

#[test]
fn a_failure_at_any_step_before_the_commit_point_restores_the_earlier_set_byte_for_byte() {
    for n in 0..PRE_COMMIT_OPS {
        let (_tmp, dir) = folder();
        let set = staged(
            &dir,
            Faults {
                fail: vec![n],
                ..Faults::default()
            },
        );
        let error = set
            .commit()
            .expect_err("the injected failure fails the commit");
        let message = error.to_string();
        assert!(matches!(error, Error::Write { .. }), "op {n}: {error:?}");
        assert!(message.starts_with("cannot write "), "op {n}: {message}");
        assert!(message.ends_with(": injected failure"), "op {n}: {message}");
        assert_eq!(listing(&dir), old_set(), "op {n}");
        assert_eq!(scratch(&dir), Vec::<String>::new(), "op {n}");
    }
}

#[test]
fn the_first_failing_rename_is_named_in_the_error() {
    let (_tmp, dir) = folder();
    // Op 1 is the removal's rename, op 2 moves a.md aside.
    let set = staged(
        &dir,
        Faults {
            fail: vec![2],
            ..Faults::default()
        },
    );
    let error = set.commit().unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "cannot write {}: injected failure",
            dir.join("a.md").display()
        )
    );
    assert_eq!(listing(&dir), old_set());
}

#[test]
fn a_failure_after_the_commit_point_keeps_the_new_set() {
    for n in PRE_COMMIT_OPS..ALL_OPS {
        let (_tmp, dir) = folder();
        let set = staged(
            &dir,
            Faults {
                fail: vec![n],
                ..Faults::default()
            },
        );
        set.commit()
            .expect("removing a backup is not part of the commit");
        assert_eq!(listing(&dir).get("a.md").unwrap(), b"new a", "op {n}");
        // The backup that could not be removed goes at the next build.
        assert_eq!(scratch(&dir).len(), 1, "op {n}");
        drop(OutputSet::open(&dir).unwrap());
        assert_eq!(listing(&dir), new_set(), "op {n}");
        assert_eq!(scratch(&dir), Vec::<String>::new(), "op {n}");
    }
}

#[test]
fn a_file_that_did_not_exist_before_is_removed_on_rollback() {
    let (_tmp, dir) = folder();
    // The manifest's two renames are the last; c.json is in place by then.
    let set = staged(
        &dir,
        Faults {
            fail: vec![PRE_COMMIT_OPS - 2],
            ..Faults::default()
        },
    );
    set.commit().unwrap_err();
    assert!(!dir.join("c.json").exists());
    assert_eq!(listing(&dir), old_set());
}

#[test]
fn a_failure_while_staging_leaves_the_folder_as_it_was() {
    let (_tmp, dir) = folder();
    let mut set = OutputSet::open(&dir).unwrap();
    set.ops.faults.fail_stage = Some(1);
    set.stage(&dir.join("a.md"), b"new a").unwrap();
    let error = set.stage(&dir.join("c.json"), b"new c").unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "cannot write {}: No space left on device",
            dir.join("c.json").display()
        )
    );
    assert_eq!(scratch(&dir).len(), 1, "a.md is staged");
    drop(set);
    assert_eq!(listing(&dir), old_set());
    assert_eq!(scratch(&dir), Vec::<String>::new());
}

#[test]
fn a_crash_at_any_step_is_rolled_back_by_the_next_build() {
    for n in 0..PRE_COMMIT_OPS {
        let (_tmp, dir) = folder();
        let set = staged(
            &dir,
            Faults {
                crash_at: Some(n),
                ..Faults::default()
            },
        );
        assert!(set.commit().is_err(), "op {n}");
        if n == 0 {
            // Killed before the journal was in place: nothing was swapped.
            assert_eq!(listing(&dir), old_set());
        } else {
            assert!(dir.join(JOURNAL_NAME).is_file(), "op {n}");
        }
        if n == 5 {
            assert_ne!(listing(&dir), old_set(), "a half-swapped set");
            assert_ne!(listing(&dir), new_set(), "a half-swapped set");
        }
        let next = OutputSet::open(&dir).expect("the next build recovers");
        assert_eq!(listing(&dir), old_set(), "op {n}");
        assert_eq!(scratch(&dir), Vec::<String>::new(), "op {n}");
        drop(next);
    }
}

#[test]
fn a_crash_after_the_commit_point_keeps_the_new_set() {
    for n in PRE_COMMIT_OPS..ALL_OPS {
        let (_tmp, dir) = folder();
        let set = staged(
            &dir,
            Faults {
                crash_at: Some(n),
                ..Faults::default()
            },
        );
        set.commit().expect("committed before the crash");
        assert!(!dir.join(JOURNAL_NAME).exists());
        drop(OutputSet::open(&dir).unwrap());
        assert_eq!(listing(&dir), new_set(), "op {n}");
        assert_eq!(scratch(&dir), Vec::<String>::new(), "op {n}");
    }
}

#[test]
fn a_failed_rollback_leaves_the_journal_for_the_next_build() {
    let (_tmp, dir) = folder();
    // Op 5 fails, and so does every rename of the rollback after it.
    let set = staged(
        &dir,
        Faults {
            fail_from: Some(5),
            ..Faults::default()
        },
    );
    let error = set.commit().unwrap_err();
    assert!(matches!(error, Error::Rollback { .. }), "{error:?}");
    let message = error.to_string();
    assert!(
        message.starts_with(&format!(
            "cannot write {}: injected failure; putting back the earlier outputs failed too \
             (cannot remove {}: injected failure)",
            dir.join("b.txt").display(),
            dir.join("c.json").display()
        )),
        "{message}"
    );
    assert!(
        message.ends_with(&format!(
            "the next build into {} will restore them",
            dir.display()
        )),
        "{message}"
    );
    assert!(dir.join(JOURNAL_NAME).is_file());
    drop(OutputSet::open(&dir).unwrap());
    assert_eq!(listing(&dir), old_set());
    assert_eq!(scratch(&dir), Vec::<String>::new());
}

#[test]
fn a_crash_during_recovery_is_recovered_by_the_build_after() {
    let (_tmp, dir) = folder();
    let set = staged(
        &dir,
        Faults {
            crash_at: Some(PRE_COMMIT_OPS - 1),
            ..Faults::default()
        },
    );
    set.commit().unwrap_err();
    assert_eq!(
        listing(&dir),
        new_set(),
        "swapped, but the journal is still there"
    );
    assert!(dir.join(JOURNAL_NAME).is_file());
    // Replay half the journal by hand: put a.md back, as a recovery killed early would.
    let backup = scratch(&dir)
        .into_iter()
        .find(|n| n.starts_with(".vitae-bak-") && n.ends_with("-a.md"))
        .unwrap();
    std::fs::rename(dir.join(backup), dir.join("a.md")).unwrap();
    drop(OutputSet::open(&dir).unwrap());
    assert_eq!(listing(&dir), old_set());
    assert_eq!(scratch(&dir), Vec::<String>::new());
}

#[test]
fn stale_temporary_files_and_backups_are_removed_when_a_folder_is_opened() {
    let (_tmp, dir) = folder();
    for name in [
        ".vitae-tmp-1-0-a.md",
        ".vitae-bak-1-1-b.txt",
        ".vitae-tmp-2-7-.vitae-journal",
    ] {
        std::fs::write(dir.join(name), "stale").unwrap();
    }
    std::fs::write(dir.join(".vitae-notes"), "not vitae's").unwrap();
    let set = OutputSet::open(&dir).unwrap();
    assert_eq!(scratch(&dir), [".vitae-notes"]);
    assert_eq!(listing(&dir), old_set());
    drop(set);
}

#[test]
fn a_second_set_waits_for_the_lock_then_names_the_folder() {
    let (_tmp, dir) = folder();
    let first = OutputSet::open(&dir).unwrap();
    let error = OutputSet::open_with_wait(&dir, Duration::from_millis(200)).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "another vitae build is writing into {} (waited 0.2 s for {})",
            dir.display(),
            dir.join(LOCK_NAME).display()
        )
    );
    // Released while the second waits: the second goes ahead.
    let waiting = {
        let dir = dir.clone();
        std::thread::spawn(move || OutputSet::open_with_wait(&dir, Duration::from_secs(20)))
    };
    std::thread::sleep(Duration::from_millis(300));
    assert!(!waiting.is_finished(), "the second set waits");
    drop(first);
    waiting.join().unwrap().expect("the lock was released");
}

#[test]
fn a_directory_in_the_way_is_named_before_anything_is_written() {
    let (_tmp, dir) = folder();
    std::fs::create_dir(dir.join("d.md")).unwrap();
    let mut set = OutputSet::open(&dir).unwrap();
    let expected = format!(
        "cannot write {}: Is a directory",
        dir.join("d.md").display()
    );
    let error = set
        .check_targets([dir.join("a.md"), dir.join("d.md")])
        .unwrap_err();
    assert_eq!(error.to_string(), expected);
    assert_eq!(
        set.stage(&dir.join("d.md"), b"x").unwrap_err().to_string(),
        expected
    );

    // One that appears between staging and commit is found before the first rename.
    set.stage(&dir.join("a.md"), b"new a").unwrap();
    set.stage(&dir.join("e.md"), b"new e").unwrap();
    std::fs::create_dir(dir.join("e.md")).unwrap();
    let error = set.commit().unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "cannot write {}: Is a directory",
            dir.join("e.md").display()
        )
    );
    assert_eq!(listing(&dir), old_set());
    assert_eq!(scratch(&dir), Vec::<String>::new());
}

#[test]
fn an_output_folder_that_is_a_file_is_refused() {
    let (_tmp, dir) = folder();
    let file = dir.join("a.md");
    let error = OutputSet::open(&file).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!("cannot write {}: Not a directory", file.display())
    );
    let error = OutputSet::open(&file.join("sub")).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "cannot write {}: Not a directory",
            file.join("sub").display()
        )
    );
}

#[test]
fn a_missing_output_folder_is_created() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("a/b");
    let mut set = OutputSet::open(&dir).unwrap();
    set.stage(&dir.join("x.md"), b"x").unwrap();
    set.commit().unwrap();
    assert_eq!(listing(&dir), files(&[("x.md", "x")]));
}

#[test]
fn only_plain_names_in_the_folder_are_outputs() {
    let (tmp, dir) = folder();
    let mut set = OutputSet::open(&dir).unwrap();
    for (path, reason) in [
        (
            tmp.path().join("elsewhere.md"),
            format!("it is not directly in the output folder {}", dir.display()),
        ),
        (
            dir.join("sub/x.md"),
            format!("it is not directly in the output folder {}", dir.display()),
        ),
        (
            dir.join(JOURNAL_NAME),
            "the name is reserved for vitae's own files".to_string(),
        ),
        (
            dir.join(".vitae-bak-1-1-a.md"),
            "the name is reserved for vitae's own files".to_string(),
        ),
        (dir.join(".."), "not a file name".to_string()),
    ] {
        let error = set.stage(&path, b"x").unwrap_err();
        assert_eq!(
            error.to_string(),
            format!("cannot write {}: {reason}", path.display())
        );
        assert!(set.remove(&path).is_err());
    }
    set.commit().unwrap();
    assert_eq!(listing(&dir), old_set());
}

#[test]
fn staging_a_path_twice_keeps_the_last_bytes() {
    let (_tmp, dir) = folder();
    let mut set = OutputSet::open(&dir).unwrap();
    set.stage(&dir.join("a.md"), b"first").unwrap();
    set.stage(&dir.join("a.md"), b"second").unwrap();
    assert_eq!(scratch(&dir).len(), 1);
    // A staged path is not also removed.
    set.remove(&dir.join("a.md")).unwrap();
    set.commit().unwrap();
    assert_eq!(std::fs::read(dir.join("a.md")).unwrap(), b"second");
    assert_eq!(scratch(&dir), Vec::<String>::new());
}

#[test]
fn an_unreadable_journal_stops_the_build_and_says_what_to_do() {
    let (_tmp, dir) = folder();
    std::fs::write(dir.join(JOURNAL_NAME), "not json").unwrap();
    std::fs::write(dir.join(".vitae-bak-1-1-a.md"), "maybe needed").unwrap();
    let message = OutputSet::open(&dir).unwrap_err().to_string();
    assert!(
        message.starts_with(&format!(
            "cannot restore the outputs of an interrupted build in {}: {} is not a journal vitae \
             wrote",
            dir.display(),
            dir.join(JOURNAL_NAME).display()
        )),
        "{message}"
    );
    assert!(message.contains("to build anyway"), "{message}");
    // Backups may be all that is left of the earlier set: they stay until the journal is dealt
    // with.
    let mut left = scratch(&dir);
    left.sort();
    assert_eq!(left, [".vitae-bak-1-1-a.md", JOURNAL_NAME]);
    assert_eq!(listing(&dir), old_set());
}

#[test]
fn a_journal_cannot_move_files_out_of_the_folder() {
    let (tmp, dir) = folder();
    std::fs::write(tmp.path().join("precious"), "keep").unwrap();
    for journal in [
        r#"{"version":1,"steps":[{"target":"../precious","backup":null}]}"#,
        r#"{"version":1,"steps":[{"target":"a.md","backup":"../precious"}]}"#,
        r#"{"version":1,"steps":[{"target":"a.md","backup":"b.txt"}]}"#,
        r#"{"version":1,"steps":[{"target":".vitae.lock","backup":null}]}"#,
        r#"{"version":2,"steps":[]}"#,
    ] {
        std::fs::write(dir.join(JOURNAL_NAME), journal).unwrap();
        let error = OutputSet::open(&dir).unwrap_err();
        assert!(
            matches!(error, Error::Recover { .. }),
            "{journal}: {error:?}"
        );
        assert_eq!(std::fs::read(tmp.path().join("precious")).unwrap(), b"keep");
        assert_eq!(listing(&dir), old_set(), "{journal}");
        assert!(dir.join(JOURNAL_NAME).is_file(), "{journal}");
    }
}

#[test]
fn an_empty_set_commits_without_a_journal() {
    let (_tmp, dir) = folder();
    let mut set = OutputSet::open(&dir).unwrap();
    set.remove(&dir.join("r-9.png")).unwrap();
    set.commit().unwrap();
    assert_eq!(listing(&dir), old_set());
    assert_eq!(scratch(&dir), Vec::<String>::new());
}

/// The process umask, where Linux tells it.
fn umask() -> Option<u32> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("Umask:"))?;
    u32::from_str_radix(line["Umask:".len()..].trim(), 8).ok()
}

#[cfg(unix)]
#[test]
fn outputs_are_readable_by_everyone() {
    use std::os::unix::fs::PermissionsExt;
    let Some(umask) = umask() else {
        eprintln!("skipped: the umask is unknown");
        return;
    };
    let (_tmp, dir) = folder();
    staged(&dir, Faults::default()).commit().unwrap();
    write_atomic(&dir.join("single.json"), b"{}").unwrap();
    for name in ["a.md", "c.json", "manifest.json", "single.json"] {
        let mode = std::fs::metadata(dir.join(name))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o644 & !umask, "{name}");
    }
}

#[test]
fn write_atomic_writes_one_file_and_leaves_nothing_behind() {
    let tmp = TempDir::new().unwrap();
    let path = tmp.path().join("new/dir/schema.json");
    write_atomic(&path, b"one").unwrap();
    write_atomic(&path, b"two").unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), b"two");
    let dir = path.parent().unwrap();
    assert_eq!(scratch(dir), Vec::<String>::new());
    assert!(
        !dir.join(LOCK_NAME).exists(),
        "no lock file outside build folders"
    );

    std::fs::create_dir(dir.join("taken")).unwrap();
    assert_eq!(
        write_atomic(&dir.join("taken"), b"x")
            .unwrap_err()
            .to_string(),
        format!(
            "cannot write {}: Is a directory",
            dir.join("taken").display()
        )
    );
    assert_eq!(scratch(dir), Vec::<String>::new());
}

#[test]
fn write_atomic_waits_for_a_build_into_the_same_folder() {
    let (_tmp, dir) = folder();
    let set = OutputSet::open(&dir).unwrap();
    let writer = {
        let path = dir.join("schema.json");
        std::thread::spawn(move || write_atomic(&path, b"{}"))
    };
    std::thread::sleep(Duration::from_millis(300));
    assert!(!dir.join("schema.json").exists(), "it waits for the lock");
    drop(set);
    writer.join().unwrap().unwrap();
    assert_eq!(std::fs::read(dir.join("schema.json")).unwrap(), b"{}");
}
