//! Invalid input through the command line: every fixture in `tests/fixtures/bad/` fails with
//! exit code 1, a located message pinned by a snapshot, no panic and no output files.

mod common;

use common::{Run, files_in, root, run};
use std::path::Path;
use tempfile::TempDir;

const BAD: &str = "tests/fixtures/bad";

/// `--> file:line:col` of the first located message in human-format stderr.
fn location(stderr: &str) -> Option<(String, usize, usize)> {
    let line = stderr
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("--> "))?;
    let mut parts = line.rsplitn(3, ':');
    let col = parts.next()?.parse().ok()?;
    let row = parts.next()?.parse().ok()?;
    Some((parts.next()?.to_string(), row, col))
}

fn assert_no_panic(run: &Run) {
    assert!(
        !run.stderr.contains("panicked"),
        "vitae panicked:\n{}",
        run.stderr
    );
}

/// `check` and `build -f md,txt` both fail with exit code 1, print nothing on stdout, write
/// nothing, and print the same located error. Returns that stderr.
fn assert_fails_cleanly(file: &str, extra: &[&str]) -> String {
    let check = run([&["check", file][..], extra].concat()).expect_code(1);
    assert_no_panic(&check);
    assert!(
        check.stdout.is_empty(),
        "stdout of a failed check: {}",
        check.stdout
    );
    assert!(check.stderr.starts_with("error: "), "{}", check.stderr);

    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    let build = run([
        &["build", file, "-f", "md,txt", "-o", out.to_str().unwrap()][..],
        extra,
    ]
    .concat())
    .expect_code(1);
    assert_no_panic(&build);
    assert!(
        build.stdout.is_empty(),
        "stdout of a failed build: {}",
        build.stdout
    );
    assert_eq!(
        files_in(&out),
        Vec::<std::path::PathBuf>::new(),
        "a failed build wrote files"
    );
    assert!(!out.exists(), "a failed build created its output directory");
    assert_eq!(
        build.stderr, check.stderr,
        "build and check report {file} differently"
    );
    check.stderr
}

/// The located error of a bad fixture: exit codes, no output, `file:line:col`, and a snapshot of
/// the whole message.
fn assert_bad_fixture(name: &str) {
    let file = format!("{BAD}/{name}");
    let stderr = assert_fails_cleanly(&file, &[]);
    let (at, line, col) =
        location(&stderr).unwrap_or_else(|| panic!("no file:line:col in\n{stderr}"));
    assert_eq!(at, file);
    assert!(line >= 1 && col >= 1);
    let stem = Path::new(name).file_stem().unwrap().to_str().unwrap();
    insta::assert_snapshot!(stem, stderr);
}

macro_rules! bad_fixtures {
    ($($test:ident: $file:literal $(, ignore = $reason:literal)?;)*) => {
        $(
            #[test]
            $(#[ignore = $reason])?
            fn $test() {
                assert_bad_fixture($file);
            }
        )*

        /// Names of the fixtures with a test above; those after them have tests of their own.
        const TESTED: &[&str] = &[
            $($file,)*
            "unknown-key.yaml",
            "three-errors.yaml",
            "json-errors.json",
        ];
    };
}

bad_fixtures! {
    alias_bomb: "alias-bomb.yaml";
    bad_date_format: "bad-date-format.yaml";
    bad_day: "bad-day.yaml";
    bad_highlight: "bad-highlight.yaml";
    bad_lang_map: "bad-lang-map.yaml";
    bad_month: "bad-month.yaml";
    bad_variant: "bad-variant.yaml";
    deep_nesting: "deep-nesting.yaml";
    duplicate_key: "duplicate-key.yaml";
    empty: "empty.yaml";
    end_before_start: "end-before-start.yaml";
    missing_name: "missing-name.yaml";
    no_basics: "no-basics.yaml";
    not_utf8: "not-utf8.yaml";
    syntax: "syntax.yaml";
    tab_indent: "tab-indent.yaml";
    top_level_list: "top-level-list.yaml";
    two_type_errors: "two-type-errors.yaml";
    unknown_layout: "unknown-layout.yaml";
    whitespace_only: "whitespace-only.yaml";
    wrong_type: "wrong-type.yaml";
}

/// The two fixtures whose snapshots are ignored above still fail cleanly and on the right line.
#[test]
fn mislocated_errors_still_fail_cleanly_on_the_right_line() {
    for (name, line) in [("duplicate-key.yaml", 3..=5), ("no-basics.yaml", 2..=2)] {
        let file = format!("{BAD}/{name}");
        let stderr = assert_fails_cleanly(&file, &[]);
        let (at, l, _) = location(&stderr).expect("located");
        assert_eq!(at, file);
        assert!(line.contains(&l), "{name}: line {l}");
    }
}

#[test]
fn every_bad_fixture_has_a_test() {
    let mut names: Vec<String> = files_in(&root().join(BAD))
        .iter()
        .map(|p| p.file_name().unwrap().to_str().unwrap().to_string())
        .collect();
    names.sort();
    let mut tested: Vec<String> = TESTED.iter().map(ToString::to_string).collect();
    tested.sort();
    assert_eq!(names, tested);
    assert_eq!(names.len(), 24);
}

#[test]
fn unknown_key_warns_and_builds_unless_strict() {
    let file = format!("{BAD}/unknown-key.yaml");
    let check = run(["check", &file]).expect_code(0);
    assert_no_panic(&check);
    assert!(
        check.stderr.starts_with(
            "warning: unknown field \"positon\" in work[0]; did you mean \"position\"?"
        )
    );
    assert_eq!(location(&check.stderr), Some((file.clone(), 6, 5)));
    assert_eq!(check.stdout, format!("{file}: ok (1 warning)\n"));
    insta::assert_snapshot!("unknown-key", check.stderr);

    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    let build = run(["build", &file, "-f", "md,txt", "-o", out.to_str().unwrap()]).expect_code(0);
    assert_eq!(
        build.stderr, check.stderr,
        "the warning is printed once, as check prints it"
    );
    assert!(out.join("unknown-key.md").is_file() && out.join("unknown-key.txt").is_file());

    let strict = assert_fails_cleanly(&file, &["--strict"]);
    assert!(
        strict.starts_with("error: unknown field \"positon\""),
        "{strict}"
    );
    assert_eq!(location(&strict), Some((file.clone(), 6, 5)));
    insta::assert_snapshot!("unknown-key-strict", strict);

    // --deny-warnings fails the build on the same warning, without writing anything.
    let out = tmp.path().join("denied");
    let denied = run([
        "build",
        &file,
        "-f",
        "md,txt",
        "--deny-warnings",
        "-o",
        out.to_str().unwrap(),
    ])
    .expect_code(1);
    assert!(
        denied.stderr.contains("unknown field \"positon\""),
        "{}",
        denied.stderr
    );
    assert!(!out.exists());
}

#[test]
fn file_over_five_mib_is_refused() {
    let tmp = TempDir::new().unwrap();
    let big = tmp.path().join("big.yaml");
    let mut text = String::from("basics:\n  name: Big File\n# ");
    text.push_str(&"x".repeat(6 * 1024 * 1024));
    text.push('\n');
    std::fs::write(&big, text).unwrap();
    let stderr = assert_fails_cleanly(big.to_str().unwrap(), &[]);
    let stderr = stderr.replace(tmp.path().to_str().unwrap(), "[TMP]");
    insta::assert_snapshot!("over-5-mib", stderr);
}

#[test]
fn missing_file_and_directory_are_refused() {
    let stderr = assert_fails_cleanly(&format!("{BAD}/does-not-exist.yaml"), &[]);
    insta::assert_snapshot!("does-not-exist", stderr);
    let stderr = assert_fails_cleanly("tests/fixtures", &[]);
    assert_eq!(
        stderr,
        "error: cannot read tests/fixtures: it is a directory\n"
    );
}

/// Reads every file of a directory, by name.
/// The outputs in `dir` with their bytes; the lock file that serialises builds is not one.
fn snapshot_dir(dir: &Path) -> Vec<(String, Vec<u8>)> {
    files_in(dir)
        .into_iter()
        .filter(|p| !p.ends_with(".vitae.lock"))
        .map(|p| {
            (
                p.file_name().unwrap().to_str().unwrap().to_string(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

#[test]
fn failed_build_leaves_earlier_outputs_untouched() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    let out_dir = out.to_str().unwrap();
    run(["build", "data/resume.yaml", "-f", "md,txt", "-o", out_dir]).expect_code(0);
    let before = snapshot_dir(&out);
    let names: Vec<&str> = before.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["manifest.json", "resume.md", "resume.txt"]);

    let input = tmp.path().join("in/resume.yaml");
    std::fs::create_dir_all(input.parent().unwrap()).unwrap();
    let input_path = input.to_str().unwrap();

    // Fails while loading.
    std::fs::copy(root().join(BAD).join("bad-month.yaml"), &input).unwrap();
    let failed = run(["build", input_path, "-f", "md,txt", "-o", out_dir]).expect_code(1);
    assert_no_panic(&failed);
    assert_eq!(
        snapshot_dir(&out),
        before,
        "a build that failed to load changed earlier outputs"
    );

    // Fails after rendering: a translation fallback is a warning, which --deny-warnings denies.
    std::fs::copy(root().join("tests/fixtures/multilang.yaml"), &input).unwrap();
    let failed = run([
        "build",
        input_path,
        "-f",
        "md,txt",
        "--deny-warnings",
        "-o",
        out_dir,
    ])
    .expect_code(1);
    assert!(
        failed.stderr.contains("has no \"en\" translation"),
        "{}",
        failed.stderr
    );
    assert_eq!(
        snapshot_dir(&out),
        before,
        "a build denied after rendering changed earlier outputs"
    );
}

#[test]
fn github_error_format() {
    let r = run([
        "check",
        "--error-format",
        "github",
        "tests/fixtures/bad/bad-month.yaml",
    ])
    .expect_code(1);
    assert_eq!(
        r.stderr,
        "::error file=tests/fixtures/bad/bad-month.yaml,line=7,col=16::work[0].startDate: invalid month 13 in \
         date \"2020-13\": months run from 01 to 12\n"
    );
    let r = run([
        "check",
        "--error-format",
        "github",
        "tests/fixtures/bad/unknown-key.yaml",
    ])
    .expect_code(0);
    assert_eq!(
        r.stderr,
        "::warning file=tests/fixtures/bad/unknown-key.yaml,line=6,col=5::unknown field \"positon\" in work[0]; \
         did you mean \"position\"? (hint: vitae ignores it; `--strict` makes this an error)\n"
    );
    // Unlocated errors have no properties.
    let r = run([
        "check",
        "--error-format",
        "github",
        "tests/fixtures/bad/does-not-exist.yaml",
    ])
    .expect_code(1);
    assert_eq!(
        r.stderr,
        "::error::cannot read tests/fixtures/bad/does-not-exist.yaml: No such file or directory\n"
    );
}

#[test]
fn github_error_format_escapes_the_file_property() {
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("a,b.yaml");
    std::fs::copy(root().join(BAD).join("bad-month.yaml"), &file).unwrap();
    let r = run(["check", "--error-format", "github", file.to_str().unwrap()]).expect_code(1);
    let escaped = file.to_str().unwrap().replace(',', "%2C");
    assert!(
        r.stderr
            .starts_with(&format!("::error file={escaped},line=7,col=16::")),
        "{}",
        r.stderr
    );
}

/// The diagnostics of human-format stderr, each as its first line and the stderr from there on.
fn human_diagnostics(stderr: &str) -> Vec<(&str, &str)> {
    let mut starts = vec![0];
    starts.extend(stderr.match_indices('\n').map(|(i, _)| i + 1));
    starts
        .into_iter()
        .filter(|&i| {
            ["error: ", "warning: "]
                .iter()
                .any(|p| stderr[i..].starts_with(p))
        })
        .map(|i| (stderr[i..].lines().next().unwrap_or(""), &stderr[i..]))
        .collect()
}

/// With `--error-format json` every line of stderr is one JSON object, one per diagnostic the
/// human format prints, in the same order and located exactly where the human format says.
#[test]
fn json_error_format_matches_human_locations() {
    let mut several = 0;
    for path in files_in(&root().join(BAD)) {
        let name = path.file_name().unwrap().to_str().unwrap();
        let file = format!("{BAD}/{name}");
        let human = run(["check", &file]);
        let json = run(["check", "--error-format", "json", &file]);
        assert_eq!(json.code, human.code, "{name}");
        let lines: Vec<&str> = json.stderr.lines().collect();
        let expected = human_diagnostics(&human.stderr);
        assert_eq!(
            lines.len(),
            expected.len(),
            "{name}: one line per diagnostic:\n{}\n{}",
            json.stderr,
            human.stderr
        );
        assert!(!lines.is_empty(), "{name}");
        several += usize::from(lines.len() > 1);
        for (line, (first, from_here)) in lines.iter().zip(expected) {
            let d: serde_json::Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{name}: {e}: {line}"));
            let severity = d["severity"].as_str().unwrap();
            assert_eq!(
                first,
                format!("{severity}: {}", d["message"].as_str().unwrap()),
                "{name}"
            );
            let loc = &d["location"];
            let (at, line, col) = location(from_here).unwrap();
            assert_eq!(loc["file"], at.as_str(), "{name}");
            assert_eq!(loc["line"], line, "{name}");
            assert_eq!(loc["column"], col, "{name}");
        }
    }
    assert_eq!(several, 3, "three fixtures report several problems");
}

/// Every problem of a file is reported in one run, in file order: a type error (month 13), a
/// misspelt key and a check made after reading (an end before its start), each located.
#[test]
fn three_independent_errors_are_reported_in_one_run() {
    let file = format!("{BAD}/three-errors.yaml");
    let strict = assert_fails_cleanly(&file, &["--strict"]);
    assert!(strict.ends_with("\n3 errors\n"), "{strict}");
    let located: Vec<(usize, usize)> = human_diagnostics(&strict)
        .iter()
        .map(|(_, from_here)| {
            let (at, line, col) = location(from_here).expect("located");
            assert_eq!(at, file);
            (line, col)
        })
        .collect();
    assert_eq!(located, [(8, 16), (10, 5), (12, 14)]);
    insta::assert_snapshot!("three-errors-strict", strict);

    // Without --strict the misspelt key is a warning, printed in its place among the errors.
    let lenient = assert_fails_cleanly(&file, &[]);
    assert!(lenient.ends_with("\n2 errors, 1 warning\n"), "{lenient}");
    let firsts: Vec<&str> = human_diagnostics(&lenient).iter().map(|d| d.0).collect();
    assert_eq!(
        firsts,
        [
            "error: work[0].startDate: invalid month 13 in date \"2020-13\": months run from 01 to 12",
            "warning: unknown field \"positon\" in work[1]; did you mean \"position\"?",
            "error: work[1] ends (2018-01) before it starts (2019-05)",
        ]
    );
}

/// JSON input gets the same paths, suggestions and `file:line:col` as YAML: a misspelt key and
/// wrong types in two entries, all in one run.
#[test]
fn json_input_is_reported_like_yaml() {
    let file = format!("{BAD}/json-errors.json");
    let stderr = assert_fails_cleanly(&file, &["--strict"]);
    let firsts: Vec<&str> = human_diagnostics(&stderr).iter().map(|d| d.0).collect();
    assert_eq!(
        firsts,
        [
            "error: unknown field \"emial\" in basics; did you mean \"email\"?",
            "error: work[0].startDate: invalid month 13 in date \"2020-13\": months run from 01 to 12",
            "error: work[0].highlights: expected a list of highlights, found a string",
            "error: work[1].location: expected text, or a map from language code to text, found a list",
        ]
    );
    insta::assert_snapshot!("json-errors-strict", stderr);

    // The same document as YAML reads the same, but for the file name and positions.
    let tmp = TempDir::new().unwrap();
    let yaml = tmp.path().join("json-errors.yaml");
    // serde_yaml's own value keeps the keys in the order written.
    let value: serde_yaml::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join(&file)).unwrap()).unwrap();
    std::fs::write(&yaml, serde_yaml::to_string(&value).unwrap()).unwrap();
    let as_yaml = run(["check", "--strict", yaml.to_str().unwrap()]).expect_code(1);
    let yaml_firsts: Vec<&str> = human_diagnostics(&as_yaml.stderr)
        .iter()
        .map(|d| d.0)
        .collect();
    assert_eq!(yaml_firsts, firsts);
}

#[test]
fn usage_errors_exit_2() {
    let r = run(["build"]).expect_code(2);
    assert!(r.stderr.contains("<FILE>"), "{}", r.stderr);
    let r = run(["build", "x", "--formats", "nope"]).expect_code(2);
    assert!(r.stderr.contains("unknown format \"nope\""), "{}", r.stderr);
    let r = run(["build", "data/resume.yaml", "--width", "10"]).expect_code(2);
    assert!(r.stderr.contains("--width"), "{}", r.stderr);
    run(["frobnicate"]).expect_code(2);
}

#[test]
fn new_writes_a_valid_starter_and_never_overwrites() {
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("r.yaml");
    let path = file.to_str().unwrap();
    let r = run(["new", "Ada Lovelace", "-o", path]).expect_code(0);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        r.stdout.starts_with(&format!(
            "wrote {path} ({:.1} KiB)\nwrote ",
            text.len() as f64 / 1024.0
        )),
        "{}",
        r.stdout
    );
    assert!(
        text.lines()
            .next()
            .unwrap()
            .starts_with("# yaml-language-server: $schema="),
        "{text}"
    );
    assert!(text.contains("name: \"Ada Lovelace\""), "{text}");
    let check = run(["check", path]).expect_code(0);
    assert_eq!(check.stderr, "", "the starter has warnings");

    let again = run(["new", "Someone Else", "-o", path]).expect_code(1);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        text,
        "vitae new overwrote a file"
    );
}

#[test]
fn new_quotes_any_name_safely() {
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("r.yaml");
    let name = r#"Ada "Countess" Lovelace: #1 \ {x}"#;
    run(["new", name, "-o", file.to_str().unwrap()]).expect_code(0);
    let out = tmp.path().join("out");
    run([
        "build",
        file.to_str().unwrap(),
        "-f",
        "txt",
        "-o",
        out.to_str().unwrap(),
    ])
    .expect_code(0);
    let txt = std::fs::read_to_string(out.join("r.txt")).unwrap();
    assert_eq!(txt.lines().next(), Some(name.to_uppercase().as_str()));
}

#[test]
fn layouts_lists_the_built_in_layouts() {
    let r = run(["layouts"]).expect_code(0);
    let names: Vec<&str> = r
        .stdout
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(
        names,
        [
            "classic",
            "sidebar",
            "compact",
            "academic",
            "engineering",
            "modern"
        ]
    );
    assert!(
        r.stdout.lines().all(|l| l.split_whitespace().count() > 1),
        "each layout has a description"
    );
}

/// A translation fallback warning names the field and points at the first translation it has.
#[test]
fn translation_fallback_warning_is_located() {
    let tmp = TempDir::new().unwrap();
    let r = run([
        "build",
        "tests/fixtures/multilang.yaml",
        "-f",
        "md",
        "-o",
        tmp.path().to_str().unwrap(),
    ])
    .expect_code(0);
    assert!(
        r.stderr
            .starts_with("warning: work[1].position has no \"en\" translation; using \"fr\"\n"),
        "{}",
        r.stderr
    );
    assert_eq!(
        location(&r.stderr),
        Some(("tests/fixtures/multilang.yaml".to_string(), 38, 7)),
        "{}",
        r.stderr
    );
}

/// Printing into a closed pipe (`vitae schema | true`) ends quietly: no panic, no message.
#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_quietly() {
    use std::os::unix::process::ExitStatusExt;
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    let output = std::process::Command::new(assert_cmd::cargo::cargo_bin("vitae"))
        .arg("schema")
        .stdout(writer)
        .output()
        .expect("vitae runs");
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    assert_eq!(
        output.status.signal(),
        Some(libc::SIGPIPE),
        "{:?}",
        output.status
    );
}
