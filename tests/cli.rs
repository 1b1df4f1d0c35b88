//! The command line's conventions: completions and man pages, `--quiet` and `--verbose`,
//! colour, standard input and output (`-`), `--deny-warnings`, `--error-format json`, the count
//! at the end of diagnostics, and `vitae new`.

mod common;

use common::{Run, files_in, root, run, vitae};
use std::path::Path;
use tempfile::TempDir;

const BAD_MONTH: &str = "tests/fixtures/bad/bad-month.yaml";
const UNKNOWN_KEY: &str = "tests/fixtures/bad/unknown-key.yaml";

/// The environment variables that decide colour; every run here starts without them.
const COLOR_VARS: [&str; 4] = ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "TERM"];

/// Runs `vitae` from the crate root with `stdin` as standard input and these variables set
/// (the colour variables are cleared first).
fn run_with(args: &[&str], stdin: &[u8], env: &[(&str, &str)]) -> Run {
    run_in(root(), args, stdin, env)
}

/// [`run_with`] in the folder `dir`.
fn run_in(dir: &Path, args: &[&str], stdin: &[u8], env: &[(&str, &str)]) -> Run {
    let mut cmd = vitae();
    cmd.current_dir(dir).args(args).write_stdin(stdin.to_vec());
    for var in COLOR_VARS {
        cmd.env_remove(var);
    }
    for (key, value) in env {
        cmd.env(key, value);
    }
    let output = cmd.output().expect("vitae runs");
    Run {
        code: output.status.code().expect("vitae exits normally"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

fn read(path: &str) -> Vec<u8> {
    std::fs::read(root().join(path)).unwrap()
}

// ---- completions and man pages ----

#[test]
fn completions_for_each_shell_know_the_subcommands_and_flags() {
    for (shell, marker) in [
        ("bash", "_vitae()"),
        ("zsh", "#compdef vitae"),
        ("fish", "complete -c vitae"),
        ("elvish", "edit:completion:arg-completer[vitae]"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let r = run(["completions", shell]).expect_code(0);
        assert!(r.stdout.contains(marker), "{shell}:\n{}", r.stdout);
        for word in ["build", "check", "deny-warnings", "error-format"] {
            assert!(r.stdout.contains(word), "{shell} completions lack {word}");
        }
        assert_eq!(r.stderr, "", "{shell}");
    }
    let r = run(["completions", "tcsh"]).expect_code(2);
    assert!(r.stderr.contains("invalid value 'tcsh'"), "{}", r.stderr);
}

#[test]
fn man_prints_the_page_of_vitae() {
    let r = run(["man"]).expect_code(0);
    assert!(r.stdout.contains(".TH vitae 1"), "{}", r.stdout);
    assert!(r.stdout.contains("vitae\\-build(1)"), "{}", r.stdout);
    assert!(r.stdout.contains("\\-\\-error\\-format"), "{}", r.stdout);
    assert_eq!(r.stderr, "");
}

#[test]
fn man_out_dir_writes_one_page_per_command() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("man1");
    let r = run(["man", "-o", dir.to_str().unwrap()]).expect_code(0);
    let names: Vec<String> = files_in(&dir)
        .iter()
        .map(|p| p.file_name().unwrap().to_str().unwrap().to_string())
        .collect();
    let expected = [
        "vitae-build.1",
        "vitae-check.1",
        "vitae-completions.1",
        "vitae-import.1",
        "vitae-layouts.1",
        "vitae-locales.1",
        "vitae-man.1",
        "vitae-match.1",
        "vitae-new.1",
        "vitae-schema.1",
        "vitae-variants.1",
        "vitae-watch.1",
        "vitae.1",
    ];
    assert_eq!(names, expected);
    assert_eq!(r.stdout.lines().count(), expected.len(), "{}", r.stdout);
    assert!(r.stdout.lines().all(|l| l.starts_with("wrote ")));
    let build = std::fs::read_to_string(dir.join("vitae-build.1")).unwrap();
    assert!(build.contains(".TH vitae-build 1"), "{build}");
    assert!(build.contains("\\-\\-deny\\-warnings"), "{build}");
    assert_eq!(
        std::fs::read_to_string(dir.join("vitae.1")).unwrap(),
        run(["man"]).stdout,
        "vitae.1 is what `vitae man` prints"
    );
}

// ---- --quiet and --verbose ----

#[test]
fn quiet_prints_nothing_on_success() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().to_str().unwrap();
    let r = run([
        "build",
        "data/resume.yaml",
        "-f",
        "md,txt",
        "-o",
        out,
        "--quiet",
    ])
    .expect_code(0);
    assert_eq!((r.stdout.as_str(), r.stderr.as_str()), ("", ""));
    assert!(tmp.path().join("resume.md").is_file());
    assert!(tmp.path().join("resume.txt").is_file());

    // Warnings too are not printed when the run succeeds.
    let r = run(["-q", "check", UNKNOWN_KEY]).expect_code(0);
    assert_eq!((r.stdout.as_str(), r.stderr.as_str()), ("", ""));
}

#[test]
fn quiet_still_prints_errors_and_the_warnings_before_them() {
    let r = run(["-q", "check", BAD_MONTH]).expect_code(1);
    assert_eq!(r.stderr, run(["check", BAD_MONTH]).stderr);
    assert_eq!(r.stdout, "");

    let r = run(["check", UNKNOWN_KEY, "--deny-warnings", "--quiet"]).expect_code(1);
    assert_eq!(
        r.stderr,
        run(["check", UNKNOWN_KEY, "--deny-warnings"]).stderr
    );
    assert!(
        r.stderr.starts_with("warning: unknown field"),
        "{}",
        r.stderr
    );
}

#[test]
fn quiet_and_verbose_conflict() {
    let r = run(["-q", "-v", "check", UNKNOWN_KEY]).expect_code(2);
    assert!(r.stderr.contains("cannot be used with"), "{}", r.stderr);
}

/// Stage lines with their times replaced by `[T]`: `Loaded x in 1.2 ms` → `Loaded x in [T]`.
fn without_times(stderr: &str) -> String {
    stderr
        .lines()
        .map(|line| match line.rfind(" in ") {
            Some(i) if line.ends_with(" ms") || line.ends_with(" s") => {
                let time = &line[i + 4..];
                let number = time.split(' ').next().unwrap();
                assert!(number.parse::<f64>().is_ok(), "not a time: {line}");
                format!("{} in [T]", &line[..i])
            }
            _ => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn verbose_prints_each_stage_with_its_time() {
    let r = run(["check", "data/resume.yaml", "--verbose"]).expect_code(0);
    assert_eq!(
        without_times(&r.stderr),
        "      Loaded data/resume.yaml in [T]\n     Checked 4 documents in [T]\n    Finished in [T]"
    );
    assert_eq!(r.stdout, "data/resume.yaml: ok\n");

    let tmp = TempDir::new().unwrap();
    let out = tmp.path().to_str().unwrap();
    let r = run(["-v", "build", "data/resume.yaml", "-f", "md,txt", "-o", out]).expect_code(0);
    assert_eq!(
        without_times(&r.stderr),
        format!(
            "      Loaded data/resume.yaml in [T]\n       Built 2 files into {out} (render and \
             write) in [T]\n    Finished in [T]"
        )
    );
    assert_eq!(r.stdout.lines().count(), 2, "{}", r.stdout);

    // Printing to standard output: rendering and writing are timed apart.
    let r = run(["-v", "build", "data/resume.yaml", "-f", "txt", "-o", "-"]).expect_code(0);
    assert_eq!(
        without_times(&r.stderr),
        "      Loaded data/resume.yaml in [T]\n    Rendered résumé as txt in [T]\n       Wrote \
         standard output in [T]\n    Finished in [T]"
    );
}

// ---- colour ----

/// `check bad-month.yaml` in colour, as rustc colours its diagnostics.
const BAD_MONTH_COLOURED: &str = "\x1b[1;31merror\x1b[0m\x1b[1m: work[0].startDate: invalid month 13 \
     in date \"2020-13\": months run from 01 to 12\x1b[0m\n \x1b[1;34m-->\x1b[0m \
     tests/fixtures/bad/bad-month.yaml:7:16\n  \x1b[1;34m|\x1b[0m\n\x1b[1;34m7 |\x1b[0m     \
     startDate: \"2020-13\"\n  \x1b[1;34m|\x1b[0m                \x1b[1;31m^\x1b[0m\n\x1b[1m1 \
     error\x1b[0m\n";

#[test]
fn color_always_colours_diagnostics() {
    let r = run_with(&["check", BAD_MONTH, "--color", "always"], b"", &[]).expect_code(1);
    assert_eq!(r.stderr, BAD_MONTH_COLOURED);

    // A warning is yellow, its hint marked in the gutter's blue.
    let r = run_with(&["--color=always", "check", UNKNOWN_KEY], b"", &[]).expect_code(0);
    assert!(
        r.stderr
            .starts_with("\x1b[1;33mwarning\x1b[0m\x1b[1m: unknown field"),
        "{:?}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("\n  \x1b[1;34m=\x1b[0m \x1b[1mhint\x1b[0m: vitae ignores it"),
        "{:?}",
        r.stderr
    );
    assert!(
        r.stderr.ends_with("\x1b[1m1 warning\x1b[0m\n"),
        "{:?}",
        r.stderr
    );
    assert!(
        !r.stdout.contains('\x1b'),
        "standard output is never coloured"
    );
}

#[test]
fn color_follows_no_color_and_clicolor_force() {
    let plain = run(["check", BAD_MONTH]).stderr;
    assert!(!plain.contains('\x1b'), "no colour without a terminal");
    // Flags, environment, and whether the output is coloured.
    type Case = (
        &'static [&'static str],
        &'static [(&'static str, &'static str)],
        bool,
    );
    let cases: [Case; 7] = [
        (&[], &[("CLICOLOR_FORCE", "1")], true),
        (&["--color", "auto"], &[("CLICOLOR_FORCE", "1")], true),
        (&[], &[("CLICOLOR_FORCE", "0")], false),
        (
            &["--color", "auto"],
            &[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")],
            false,
        ),
        (&["--color", "always"], &[("NO_COLOR", "1")], true),
        (&["--color", "never"], &[("CLICOLOR_FORCE", "1")], false),
        // An empty NO_COLOR does not count as set.
        (&[], &[("NO_COLOR", ""), ("CLICOLOR_FORCE", "1")], true),
    ];
    for (flags, env, coloured) in cases {
        let args = [&["check", BAD_MONTH][..], flags].concat();
        let r = run_with(&args, b"", env).expect_code(1);
        let expected = if coloured {
            BAD_MONTH_COLOURED
        } else {
            plain.as_str()
        };
        assert_eq!(r.stderr, expected, "{flags:?} {env:?}");
    }
}

#[test]
fn other_error_formats_are_never_coloured() {
    for format in ["github", "json"] {
        let r = run_with(
            &[
                "check",
                BAD_MONTH,
                "--color",
                "always",
                "--error-format",
                format,
            ],
            b"",
            &[],
        )
        .expect_code(1);
        assert!(!r.stderr.contains('\x1b'), "{format}: {:?}", r.stderr);
    }
}

/// A résumé's control characters never reach the terminal, coloured or not.
#[test]
fn coloured_output_still_escapes_control_characters() {
    let r = run_with(
        &["check", "-", "--color", "always"],
        b"basics:\n  name: A\n  \"\\e[31mRed\": x\n",
        &[],
    )
    .expect_code(0);
    assert!(r.stderr.contains("\\u{1b}[31mRed"), "{:?}", r.stderr);
    assert!(!r.stderr.contains("\x1b[31mRed"), "{:?}", r.stderr);
}

// ---- standard input and output ----

#[test]
fn stdin_to_stdout_prints_the_text_and_writes_nothing() {
    let tmp = TempDir::new().unwrap();
    let r = run_in(
        tmp.path(),
        &["build", "-", "-f", "txt", "-o", "-"],
        &read("data/resume.yaml"),
        &[],
    )
    .expect_code(0);
    assert_eq!(r.stderr, "");
    assert_eq!(files_in(tmp.path()), Vec::<std::path::PathBuf>::new());
    assert!(!tmp.path().join("dist").exists());

    // The same text a build into a folder writes.
    let out = TempDir::new().unwrap();
    run([
        "build",
        "data/resume.yaml",
        "-f",
        "txt",
        "-o",
        out.path().to_str().unwrap(),
    ])
    .expect_code(0);
    let written = std::fs::read_to_string(out.path().join("resume.txt")).unwrap();
    assert_eq!(r.stdout, written);
    assert!(r.stdout.starts_with("RAHUL UPADHYAY\n"), "{}", r.stdout);
}

#[test]
fn stdout_takes_markdown_and_json_and_a_variant() {
    let md = run(["build", "data/resume.yaml", "-f", "md", "-o", "-"]).expect_code(0);
    assert!(md.stdout.starts_with("# Rahul Upadhyay\n"), "{}", md.stdout);
    let json = run(["build", "data/resume.yaml", "-f", "json", "-o", "-"]).expect_code(0);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert!(value.is_object());
    // One variant is one document; its text differs from the full résumé's.
    let full = run(["build", "data/resume.yaml", "-f", "txt", "-o", "-"]).expect_code(0);
    let variants = run(["variants", "data/resume.yaml"]).expect_code(0);
    let first = variants
        .stdout
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    let one = run([
        "build",
        "data/resume.yaml",
        "-f",
        "txt",
        "-o",
        "-",
        "--variant",
        &first,
    ])
    .expect_code(0);
    assert!(!one.stdout.is_empty());
    assert_ne!(one.stdout, full.stdout);
}

#[test]
fn stdout_refuses_paged_formats_several_formats_and_several_documents() {
    for formats in ["pdf", "png", "md,txt", "txt,pdf"] {
        let r = run(["build", "data/resume.yaml", "-f", formats, "-o", "-"]).expect_code(2);
        assert!(
            r.stderr.starts_with(
                "error: `-o -` prints one text format to standard output: give exactly one of \
                 `-f md`, `-f txt` or `-f json`"
            ),
            "{formats}: {}",
            r.stderr
        );
        assert!(r.stderr.contains("vitae build"), "{}", r.stderr);
        assert_eq!(r.stdout, "");
    }
    // The same format twice is one format.
    run(["build", "data/resume.yaml", "-f", "txt,txt", "-o", "-"]).expect_code(0);

    let r = run([
        "build",
        "data/resume.yaml",
        "-f",
        "md",
        "-o",
        "-",
        "--variant",
        "a",
        "--variant",
        "b",
    ])
    .expect_code(2);
    assert!(r.stderr.contains("more than one --variant"), "{}", r.stderr);

    let r = run([
        "build",
        "data/resume.yaml",
        "-f",
        "md",
        "-o",
        "-",
        "--all-variants",
    ])
    .expect_code(1);
    assert_eq!(r.stdout, "");
    assert_eq!(
        r.stderr,
        "error: `-o -` prints one document, but this build makes 3 (one per variant); choose \
         one with --variant NAME\n"
    );
}

#[test]
fn stdin_names_itself_in_messages() {
    let r = run_with(&["check", "-"], &read(BAD_MONTH), &[]).expect_code(1);
    assert_eq!(
        r.stderr,
        run(["check", BAD_MONTH])
            .stderr
            .replace(BAD_MONTH, "<stdin>")
    );
    let r = run_with(&["check", "-"], &read(UNKNOWN_KEY), &[]).expect_code(0);
    assert_eq!(r.stdout, "<stdin>: ok (1 warning)\n");
    let r = run_with(&["variants", "-"], b"basics:\n  name: A\n", &[]).expect_code(0);
    assert_eq!(r.stdout, "<stdin> defines no variants\n");
}

/// Input starting with `{` is read as JSON, which may be indented with tabs (YAML may not).
#[test]
fn stdin_starting_with_a_brace_is_json() {
    let json = read("tests/fixtures/tab-indented.json");
    assert!(json.contains(&b'\t'));
    let by_name = run([
        "build",
        "tests/fixtures/tab-indented.json",
        "-f",
        "md",
        "-o",
        "-",
    ])
    .expect_code(0);
    let r = run_with(&["build", "-", "-f", "md", "-o", "-"], &json, &[]).expect_code(0);
    assert_eq!(r.stdout, by_name.stdout);
    // The same bytes after a blank line and a byte-order mark are still JSON.
    let mut padded = "\u{feff}\n  ".as_bytes().to_vec();
    padded.extend_from_slice(&json);
    run_with(&["check", "-"], &padded, &[]).expect_code(0);
}

#[test]
fn stdin_over_five_mib_is_refused() {
    let mut big = b"basics:\n  name: Big\n# ".to_vec();
    big.extend(std::iter::repeat_n(b'x', 6 * 1024 * 1024));
    let r = run_with(&["check", "-"], &big, &[]).expect_code(1);
    assert_eq!(
        r.stderr,
        "error: <stdin> is larger than 5 MiB; vitae reads résumés of at most 5 MiB\n"
    );
}

/// A closed pipe after `-o -` ends quietly, as `vitae schema | true` does.
#[cfg(unix)]
#[test]
fn printing_a_document_into_a_closed_pipe_ends_quietly() {
    use std::os::unix::process::ExitStatusExt;
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    let output = std::process::Command::new(assert_cmd::cargo::cargo_bin("vitae"))
        .current_dir(root())
        .args(["build", "data/resume.yaml", "-f", "txt", "-o", "-"])
        .stdout(writer)
        .output()
        .expect("vitae runs");
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    assert_eq!(output.status.signal(), Some(libc::SIGPIPE));
}

// ---- --deny-warnings and the count ----

#[test]
fn check_deny_warnings_fails_with_a_final_error_line() {
    let r = run(["check", UNKNOWN_KEY, "--deny-warnings"]).expect_code(1);
    assert_eq!(r.stdout, "");
    insta::assert_snapshot!("check-deny-warnings", r.stderr);
    assert!(
        r.stderr
            .ends_with("\nerror: 1 warning, denied by --deny-warnings\n")
    );
    // Without warnings, --deny-warnings changes nothing.
    let r = run(["check", "data/resume.yaml", "--deny-warnings"]).expect_code(0);
    assert_eq!(r.stderr, "");
}

#[test]
fn build_deny_warnings_prints_each_warning_once_and_the_same_final_line() {
    let tmp = TempDir::new().unwrap();
    // A warning from loading: the build stops before rendering.
    let out = tmp.path().join("a");
    let r = run([
        "build",
        UNKNOWN_KEY,
        "-f",
        "md",
        "-o",
        out.to_str().unwrap(),
        "--deny-warnings",
    ])
    .expect_code(1);
    assert_eq!(
        r.stderr,
        run(["check", UNKNOWN_KEY, "--deny-warnings"]).stderr
    );
    assert!(!out.exists());

    // A warning from rendering (a missing translation).
    let out = tmp.path().join("b");
    let r = run([
        "build",
        "tests/fixtures/multilang.yaml",
        "-f",
        "md",
        "-o",
        out.to_str().unwrap(),
        "--deny-warnings",
    ])
    .expect_code(1);
    insta::assert_snapshot!("build-deny-warnings", r.stderr);
    assert_eq!(r.stderr.matches("has no \"en\" translation").count(), 1);
    // Denied after rendering: the folder holds only the lock that serialises builds.
    assert_eq!(files_in(&out), [out.join(".vitae.lock")]);

    // The same to standard output: nothing is printed there.
    let r = run([
        "build",
        "tests/fixtures/multilang.yaml",
        "-f",
        "md",
        "-o",
        "-",
        "--deny-warnings",
    ])
    .expect_code(1);
    assert_eq!(r.stdout, "");
    assert!(
        r.stderr
            .ends_with("\nerror: 1 warning, denied by --deny-warnings\n"),
        "{}",
        r.stderr
    );
}

#[test]
fn github_format_ends_a_denied_run_with_an_error_annotation() {
    let r = run([
        "check",
        UNKNOWN_KEY,
        "--deny-warnings",
        "--error-format",
        "github",
    ])
    .expect_code(1);
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{}", r.stderr);
    assert!(lines[0].starts_with("::warning file="), "{}", r.stderr);
    assert_eq!(lines[1], "::error::1 warning, denied by --deny-warnings");
}

#[test]
fn diagnostics_end_with_a_count() {
    let r = run(["check", BAD_MONTH]).expect_code(1);
    assert!(
        r.stderr.ends_with("  |                ^\n1 error\n"),
        "{}",
        r.stderr
    );
    let r = run(["check", UNKNOWN_KEY]).expect_code(0);
    assert!(
        r.stderr.ends_with("makes this an error\n1 warning\n"),
        "{}",
        r.stderr
    );

    // Two warnings, counted in the plural.
    let r = run_with(
        &["check", "-"],
        b"basics:\n  name: Two Typos\n  nmae: x\n  lable: y\n",
        &[],
    )
    .expect_code(0);
    assert!(r.stderr.ends_with("\n2 warnings\n"), "{}", r.stderr);
    assert_eq!(r.stderr.matches("warning: unknown field").count(), 2);

    // A lone error that points at no line is its own summary: no count.
    let r = run(["check", "tests/fixtures/bad/does-not-exist.yaml"]).expect_code(1);
    assert_eq!(
        r.stderr,
        "error: cannot read tests/fixtures/bad/does-not-exist.yaml: No such file or directory\n"
    );

    // Nothing to count, no count.
    let r = run(["check", "data/resume.yaml"]).expect_code(0);
    assert_eq!(r.stderr, "");
    // The GitHub and JSON formats have no count line.
    let r = run(["check", BAD_MONTH, "--error-format", "github"]).expect_code(1);
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
}

/// The count is of the whole run: warnings from loading and an error from building.
#[test]
fn the_count_covers_the_whole_run() {
    let r = run_with(
        &["build", "-", "-f", "md", "-o", "-", "--variant", "nope"],
        b"basics:\n  name: A\n  nmae: x\n",
        &[],
    )
    .expect_code(1);
    assert!(
        r.stderr.starts_with("warning: unknown field"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .ends_with("error: the résumé has no variant \"nope\"; it defines no variants\n1 error, 1 warning\n"),
        "{}",
        r.stderr
    );
}

// ---- --error-format json ----

/// Every line of both streams, parsed; panics on a line that is not a JSON object.
fn json_lines(r: &Run) -> (Vec<serde_json::Value>, Vec<serde_json::Value>) {
    let parse = |text: &str| -> Vec<serde_json::Value> {
        text.lines()
            .map(|line| {
                let value: serde_json::Value = serde_json::from_str(line)
                    .unwrap_or_else(|e| panic!("not JSON ({e}): {line}\n{r:?}"));
                assert!(value.is_object(), "{line}");
                value
            })
            .collect()
    };
    (parse(&r.stdout), parse(&r.stderr))
}

#[test]
fn json_format_prints_only_json_lines() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().to_str().unwrap();
    let r = run([
        "build",
        UNKNOWN_KEY,
        "-f",
        "md,txt",
        "-o",
        out,
        "--error-format",
        "json",
        "--verbose",
    ])
    .expect_code(0);
    let (stdout, stderr) = json_lines(&r);
    let md = tmp.path().join("unknown-key.md");
    let txt = tmp.path().join("unknown-key.txt");
    assert_eq!(
        stdout,
        [
            serde_json::json!({"type": "file", "path": md.to_str().unwrap(),
                "bytes": std::fs::metadata(&md).unwrap().len(), "pages": null}),
            serde_json::json!({"type": "file", "path": txt.to_str().unwrap(),
                "bytes": std::fs::metadata(&txt).unwrap().len(), "pages": null}),
            serde_json::json!({"type": "summary", "success": true, "errors": 0,
                "warnings": 1, "denied": false, "files": 2}),
        ]
    );
    let types: Vec<&str> = stderr.iter().map(|v| v["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["stage", "diagnostic", "stage"]);
    assert_eq!(stderr[0]["stage"], "load");
    assert!(stderr[0]["ms"].as_f64().unwrap() >= 0.0);
    assert_eq!(stderr[1]["severity"], "warning");
    assert_eq!(stderr[1]["location"]["line"], 6);
    assert_eq!(stderr[2]["stage"], "build");
}

#[test]
fn json_format_failures_and_denials_are_json_too() {
    let r = run(["check", BAD_MONTH, "--error-format", "json"]).expect_code(1);
    let (stdout, stderr) = json_lines(&r);
    assert_eq!(
        stdout,
        [
            serde_json::json!({"type": "summary", "success": false, "errors": 1,
            "warnings": 0, "denied": false, "files": 0})
        ]
    );
    assert_eq!(stderr.len(), 1);
    assert_eq!(stderr[0]["type"], "diagnostic");
    assert_eq!(stderr[0]["severity"], "error");

    let r = run([
        "check",
        UNKNOWN_KEY,
        "--deny-warnings",
        "--error-format",
        "json",
    ])
    .expect_code(1);
    let (stdout, stderr) = json_lines(&r);
    assert_eq!(
        stdout,
        [
            serde_json::json!({"type": "summary", "success": false, "errors": 0,
            "warnings": 1, "denied": true, "files": 0})
        ]
    );
    assert_eq!(stderr.len(), 1);
}

/// With `-o -` standard output is the document, so the records go to standard error.
#[test]
fn json_format_with_stdout_output_keeps_records_off_stdout() {
    let r = run([
        "build",
        "data/resume.yaml",
        "-f",
        "txt",
        "-o",
        "-",
        "--error-format",
        "json",
    ])
    .expect_code(0);
    assert!(r.stdout.starts_with("RAHUL UPADHYAY\n"));
    let (_, stderr) = json_lines(&Run {
        code: 0,
        stdout: String::new(),
        stderr: r.stderr.clone(),
    });
    let bytes = r.stdout.len();
    assert_eq!(
        stderr,
        [
            serde_json::json!({"type": "file", "path": "-", "bytes": bytes, "pages": null}),
            serde_json::json!({"type": "summary", "success": true, "errors": 0,
                "warnings": 0, "denied": false, "files": 1}),
        ]
    );
}

#[test]
fn json_format_new_reports_both_files() {
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("cv.yaml");
    let r = run([
        "new",
        "Ada",
        "-o",
        file.to_str().unwrap(),
        "--error-format",
        "json",
    ])
    .expect_code(0);
    let (stdout, stderr) = json_lines(&r);
    assert!(stderr.is_empty());
    let paths: Vec<&str> = stdout
        .iter()
        .filter(|v| v["type"] == "file")
        .map(|v| v["path"].as_str().unwrap())
        .collect();
    let schema = tmp.path().join("vitae.schema.json");
    assert_eq!(paths, [file.to_str().unwrap(), schema.to_str().unwrap()]);
    assert_eq!(stdout.last().unwrap()["type"], "summary");
}

// ---- vitae new ----

#[test]
fn new_names_the_real_file_and_writes_the_schema_beside_it() {
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("cv-2026.yaml");
    let path = file.to_str().unwrap();
    let schema_path = tmp.path().join("vitae.schema.json");
    let r = run(["new", "Ada Lovelace", "-o", path]).expect_code(0);
    let text = std::fs::read_to_string(&file).unwrap();
    let schema = std::fs::read_to_string(&schema_path).unwrap();
    assert_eq!(
        r.stdout,
        format!(
            "wrote {path} ({:.1} KiB)\nwrote {} ({:.1} KiB)\n",
            text.len() as f64 / 1024.0,
            schema_path.display(),
            schema.len() as f64 / 1024.0
        )
    );
    assert!(
        text.contains(&format!("`vitae build {path}`")),
        "the comment names the file:\n{text}"
    );
    assert!(!text.contains("resume.yaml"), "{text}");
    assert!(text.starts_with("# yaml-language-server: $schema=./vitae.schema.json\n"));
    assert!(text.contains("vitae.schema.json beside it"), "{text}");
    assert_eq!(
        schema,
        run(["schema"]).stdout,
        "the schema `vitae schema` prints"
    );

    // A second résumé in the same folder finds the schema up to date and leaves it alone.
    let modified = std::fs::metadata(&schema_path).unwrap().modified().unwrap();
    let other = tmp.path().join("other.yaml");
    let r = run(["new", "-o", other.to_str().unwrap()]).expect_code(0);
    assert!(
        r.stdout
            .ends_with(&format!("{} is up to date\n", schema_path.display())),
        "{}",
        r.stdout
    );
    assert_eq!(
        std::fs::metadata(&schema_path).unwrap().modified().unwrap(),
        modified
    );

    // An older schema is replaced, and the output says so.
    std::fs::write(&schema_path, "{}\n").unwrap();
    let third = tmp.path().join("third.yaml");
    let r = run(["new", "-o", third.to_str().unwrap()]).expect_code(0);
    assert!(
        r.stdout.ends_with(", replacing an older schema\n"),
        "{}",
        r.stdout
    );
    assert_eq!(std::fs::read_to_string(&schema_path).unwrap(), schema);
}

#[test]
fn new_quotes_a_file_name_the_shell_would_split() {
    let tmp = TempDir::new().unwrap();
    let r = run_in(tmp.path(), &["new", "-o", "my cv's.yaml"], b"", &[]).expect_code(0);
    assert!(r.stdout.starts_with("wrote my cv's.yaml ("), "{}", r.stdout);
    let text = std::fs::read_to_string(tmp.path().join("my cv's.yaml")).unwrap();
    assert!(text.contains("`vitae build 'my cv'\\''s.yaml'`"), "{text}");
    assert!(tmp.path().join("vitae.schema.json").is_file());
    // The starter, with its real name in the comment, still checks cleanly.
    let check = run_in(tmp.path(), &["check", "my cv's.yaml"], b"", &[]).expect_code(0);
    assert_eq!(check.stderr, "");
}
