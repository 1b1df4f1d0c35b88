//! `vitae import`: RenderCV, YAMLResume and JSON Resume files become vitae YAML that passes
//! `check --strict`, builds, and carries every name, date, highlight and link; what has no
//! place is reported and kept in a comment, never dropped.

use vitae::import::{Kept, Source, convert};
use vitae::model::{LoadOptions, ResolveOptions, load_bytes, resolve};

fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/imports")
        .join(name);
    std::fs::read_to_string(path).expect("fixture")
}

/// The import, loaded with `--strict` (it must load with no problem at all), as Markdown.
fn imported(name: &str, source: Source) -> (vitae::import::Imported, String) {
    let imported = convert(name, &fixture(name)).expect("imports");
    assert_eq!(imported.source, source);
    let loaded = load_bytes(
        "imported.yaml",
        imported.yaml.as_bytes(),
        false,
        LoadOptions {
            strict: true,
            ..LoadOptions::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e:?}\n{}", imported.yaml));
    assert!(
        loaded.warnings.is_empty(),
        "{:?}\n{}",
        loaded.warnings,
        imported.yaml
    );
    let (doc, warnings) = resolve(&loaded, &loaded.resume, &ResolveOptions::default());
    assert!(warnings.is_empty(), "{warnings:?}");
    (imported, vitae::export::markdown::render(&doc))
}

fn has_all(md: &str, yaml: &str, expected: &[&str]) {
    for s in expected {
        assert!(md.contains(s), "{s:?} missing from\n{md}\n--- yaml\n{yaml}");
    }
}

#[test]
fn rendercv_with_every_entry_type_imports_whole() {
    let (imported, md) = imported("rendercv.yaml", Source::RenderCv);
    let yaml = &imported.yaml;
    has_all(
        &md,
        yaml,
        &[
            "# John Doe",
            "Staff Engineer",
            "San Francisco, CA",
            "[john.doe@example.com](mailto:john.doe@example.com)",
            "+1-609-999-9995",
            "https://johndoe.example.com/",
            "(https://linkedin.com/in/johndoe)",
            "(https://github.com/jdoe)",
            "(https://mastodon.example/@john)",
            "**ten years**",
            "[boring deployments](https://boring.example.com)",
            "Acme Corp",
            "Mar 2020 – present",
            "Cut p99 latency from 40 s to 900 ms",
            "Led the migration to Go:",
            "rewrote the billing service",
            "retired three Perl daemons",
            "Initech",
            "Jun 2015 – Feb 2020",
            "Princeton University",
            "Computer Science",
            "GPA: 3.9/4.0",
            "Thesis: Consensus under partitions",
            "Consensus Under Partitions",
            "John Doe, Jane Smith",
            "https://doi.org/10.1109/TASC.2023.3340648",
            "IEEE Transactions",
            "Nov 2023",
            "tachograph",
            "Used in production by three companies",
            "https://github.com/jdoe/tachograph",
            "Go",
            "Kubernetes",
            "PostgreSQL",
            "Boring deployments",
            "Fall 2022",
            "GopherCon",
            "Maintainer of libfoo",
            "Best paper award, OSDI 2023",
            "Dean's list, 2014",
            "Available for consulting on weekends.",
        ],
    );
    assert!(yaml.contains("layout: compact"), "{yaml}");
    assert!(yaml.contains("pageSize: letter"), "{yaml}");
    assert!(yaml.contains("accent: '#004f90'"), "{yaml}");
    assert!(yaml.contains("lang: en"), "{yaml}");
    // Nothing is lost: RenderCV's own settings are in the comment.
    assert!(
        yaml.contains(
            "#   rendercv_settings: {\"render_command\":{\"output_folder_name\":\"out\"}}"
        ),
        "{yaml}"
    );
    let report = &imported.report;
    assert!(
        report
            .unmapped
            .iter()
            .any(|u| u.path == "cv.sections.talks[0].date"
                && u.kept == Kept::Field("summary".into())),
        "{report:?}"
    );
    assert!(
        report
            .notes
            .contains(&"RenderCV's theme sb2nov is the layout compact".to_string())
    );
}

#[test]
fn yamlresume_imports_whole() {
    let (imported, md) = imported("yamlresume.yaml", Source::YamlResume);
    has_all(
        &md,
        &imported.yaml,
        &[
            "# Jane Smith",
            "Senior Data Engineer",
            "1 Main St",
            "Seattle",
            "United States",
            "(https://github.com/janesmith)",
            "DataCorp",
            "Jan 2019 – present",
            "Moved batch ETL to Kafka streams",
            "Cut warehouse cost by 30%",
            "Keywords: Kafka, Spark",
            "University of Washington",
            "Teaching assistant for Databases",
            "Spanish",
            "reading, writing",
            "Hackathon winner",
            "AWS Data Analytics",
            "Streaming at scale",
            "pipewise",
            "2k stars",
            "Climbing",
            "Alex Doe",
            "Former manager",
            "Code Club",
            "Teaches kids to code.",
        ],
    );
    assert!(
        imported
            .yaml
            .contains("#   layout: {\"template\":\"moderncv-banking\"}"),
        "{}",
        imported.yaml
    );
}

#[test]
fn json_resume_with_older_keys_keeps_every_employer_and_link() {
    let (imported, md) = imported("jsonresume-old.json", Source::JsonResume);
    has_all(
        &md,
        &imported.yaml,
        &[
            "# Richard Hendriks",
            "https://piedpiper.example.com",
            "Pied Piper",
            "Hooli",
            "https://hooli.example.com",
            "CoderDojo",
            "4.0",
            "Video compression for 3d media",
            "https://en.wikipedia.example.org/wiki/Silicon_Valley",
        ],
    );
    assert!(
        imported.yaml.contains("#   meta.theme: \"elegant\""),
        "{}",
        imported.yaml
    );
    assert!(!imported.yaml.contains("endDate: ''"), "{}", imported.yaml);
}

mod cli {
    use assert_cmd::Command;

    fn vitae() -> Command {
        let mut cmd = Command::cargo_bin("vitae").expect("the binary is built");
        cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
        cmd
    }

    #[test]
    fn import_writes_a_file_that_checks_strictly_and_builds() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("resume.yaml");
        let run = vitae()
            .args(["import", "tests/imports/rendercv.yaml", "-o"])
            .arg(&out)
            .output()
            .expect("runs");
        assert_eq!(run.status.code(), Some(0));
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(
            stderr
                .contains("note: cv.sections.talks[0].date has no vitae field; kept in summary\n"),
            "{stderr}"
        );
        assert!(
            stderr.contains(
                "note: rendercv_settings has no vitae field; kept in the comment at the top\n"
            ),
            "{stderr}"
        );
        let check = vitae()
            .arg("check")
            .arg(&out)
            .arg("--strict")
            .output()
            .expect("runs");
        assert_eq!(
            check.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&check.stderr)
        );
        assert!(
            check.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&check.stderr)
        );
        let build = vitae()
            .arg("build")
            .arg(&out)
            .args(["-f", "pdf,md", "-o"])
            .arg(dir.path().join("dist"))
            .output()
            .expect("runs");
        assert_eq!(
            build.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&build.stderr)
        );
        let md = std::fs::read_to_string(dir.path().join("dist/resume.md")).expect("md");
        assert!(md.contains("Consensus Under Partitions"), "{md}");
        // Never over an existing file.
        let again = vitae()
            .args(["import", "tests/imports/rendercv.yaml", "-o"])
            .arg(&out)
            .output()
            .expect("runs");
        assert_eq!(again.status.code(), Some(1));
        assert_eq!(
            String::from_utf8_lossy(&again.stderr),
            format!(
                "error: {} already exists; vitae import never overwrites a file\n",
                out.display()
            )
        );
    }

    /// `vitae import FILE` (to standard output): its exit code, standard output and error.
    fn import(file: &str) -> (i32, String, String) {
        let run = vitae().args(["import", file]).output().expect("runs");
        (
            run.status.code().expect("exits"),
            String::from_utf8(run.stdout).expect("UTF-8"),
            String::from_utf8(run.stderr).expect("UTF-8"),
        )
    }

    #[test]
    fn values_vitae_cannot_take_are_shown_in_the_file_imported() {
        let (code, stdout, stderr) = import("tests/imports/invalid/rendercv.yaml");
        assert_eq!(code, 1);
        assert_eq!(stdout, "", "nothing is written");
        assert_eq!(
            stderr,
            r#"error: cv.website holds a control character (\u{7}); a URL cannot contain line breaks or control characters
 --> tests/imports/invalid/rendercv.yaml:5:12
  |
5 |   website: "https://johndoe.example.com/\a"
  |            ^
  = hint: vitae import writes this as basics.url
error: cv.sections.experience[0] ends (2019-01) before it starts (2020-03)
  --> tests/imports/invalid/rendercv.yaml:11:19
   |
11 |         end_date: 2019-01
   |                   ^
   = hint: vitae import writes this as work[0].endDate
2 errors
"#
        );
    }

    #[test]
    fn a_missing_name_is_shown_where_the_name_belongs() {
        let (code, _, stderr) = import("tests/imports/invalid/rendercv-no-name.yaml");
        assert_eq!(code, 1);
        assert_eq!(
            stderr,
            r#"error: cv: missing required field "name"
 --> tests/imports/invalid/rendercv-no-name.yaml:2:1
  |
2 | cv:
  | ^
  = hint: vitae import writes this as basics
1 error
"#
        );
    }

    #[test]
    fn json_resume_values_are_shown_in_the_json_even_when_tab_indented() {
        let (code, _, stderr) = import("tests/imports/invalid/jsonresume.json");
        assert_eq!(code, 1);
        assert_eq!(
            stderr,
            r#"error: work[0].endDate: invalid date "2016-1x": write it as YYYY, YYYY-MM or YYYY-MM-DD (for example 2021-03)
 --> tests/imports/invalid/jsonresume.json:4:61
  |
4 |         {"name": "Pied Piper", "startDate": "2016-12", "endDate": "2016-1x",
  |                                                                   ^
error: work[0].highlights: expected a list of highlights, found a string
 --> tests/imports/invalid/jsonresume.json:5:18
  |
5 |          "highlights": "Build an algorithm"}
  |                        ^
2 errors
"#
        );
    }

    #[test]
    fn a_syntax_error_is_shown_in_the_file_imported() {
        let (code, _, stderr) = import("tests/imports/invalid/syntax.yaml");
        assert_eq!(code, 1);
        assert_eq!(
            stderr,
            r#"error: invalid YAML: did not find expected ',' or ']', while parsing a flow sequence that starts at line 2, column 9
 --> tests/imports/invalid/syntax.yaml:3:8
  |
3 |   email: john@example.com
  |        ^
1 error
"#
        );
    }

    #[test]
    fn yamlresume_dates_and_education_summaries_import_and_check_strictly() {
        // Before, `Sep 1, 2014` went into an education `summary`, which vitae's format does not
        // have: the import failed, pointing at `imported.yaml`.
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("resume.yaml");
        let run = vitae()
            .args(["import", "tests/imports/yamlresume-dates.yaml", "-o"])
            .arg(&out)
            .output()
            .expect("runs");
        assert_eq!(
            String::from_utf8_lossy(&run.stderr),
            "note: content.education[0].summary has no vitae field; kept in courses
note: content.education[1].startDate has no vitae field; kept in courses
note: content.education[1].endDate has no vitae field; kept in courses
note: content.awards[0].date has no vitae field; kept in summary
note: content.certificates[1].date has no vitae field; kept in the comment at the top
note: content.skills[0].summary has no vitae field; kept in the comment at the top
note: content.skills[0].startDate has no vitae field; kept in the comment at the top
"
        );
        assert_eq!(run.status.code(), Some(0));
        let yaml = std::fs::read_to_string(&out).expect("written");
        assert!(
            yaml.contains(
                "- institution: University of Washington
  area: Computer Science
  studyType: Master
  startDate: 2014-09-01
  endDate: 2016-06
  courses:
  - Teaching assistant for Databases
- institution: Seattle Central College
  courses:
  - Fall 2012 – Spring 2014
"
            ),
            "{yaml}"
        );
        let check = vitae()
            .arg("check")
            .arg(&out)
            .arg("--strict")
            .output()
            .expect("runs");
        assert_eq!(check.status.code(), Some(0));
        assert_eq!(String::from_utf8_lossy(&check.stderr), "");
    }

    #[test]
    fn a_list_too_long_once_merged_is_shown_at_its_section() {
        // 150 bullet entries become one custom entry with 150 highlights: more than one entry
        // may hold, a limit the input itself kept.
        let dir = tempfile::tempdir().expect("temp dir");
        let input = dir.path().join("cv.yaml");
        let bullets: String = (0..150)
            .map(|i| format!("      - bullet: talk {i}\n"))
            .collect();
        std::fs::write(
            &input,
            format!("cv:\n  name: Ada\n  sections:\n    talks:\n{bullets}"),
        )
        .expect("written");
        let run = vitae().arg("import").arg(&input).output().expect("runs");
        assert_eq!(run.status.code(), Some(1));
        assert_eq!(
            String::from_utf8_lossy(&run.stderr),
            format!(
                "error: this would be a list of 150 highlights once converted; vitae takes at most 100 in one entry
 --> {}:4:5
  |
4 |     talks:
  |     ^
  = hint: vitae import writes this as custom.talks.entries[0].highlights
1 error
",
                input.display()
            )
        );
    }

    #[test]
    fn a_photo_is_not_needed_to_import() {
        let dir = tempfile::tempdir().expect("temp dir");
        let input = dir.path().join("cv.yaml");
        std::fs::write(&input, "cv:\n  name: Ada\n  photo: ada.jpg\n").expect("written");
        let run = vitae().arg("import").arg(&input).output().expect("runs");
        assert_eq!(String::from_utf8_lossy(&run.stderr), "");
        assert_eq!(run.status.code(), Some(0));
        assert!(
            String::from_utf8_lossy(&run.stdout)
                .ends_with("basics:\n  name: Ada\n  image: ada.jpg\n")
        );
    }

    #[test]
    fn a_key_with_line_breaks_stays_in_its_comment() {
        let dir = tempfile::tempdir().expect("temp dir");
        let input = dir.path().join("cv.yaml");
        std::fs::write(
            &input,
            "cv:\n  name: Ada\n  \"x\\nbasics: {name: Mallory}\\L\\P\\N\\r#\": \"- \\L---\\n\"\n",
        )
        .expect("written");
        let run = vitae().arg("import").arg(&input).output().expect("runs");
        assert_eq!(run.status.code(), Some(0));
        assert_eq!(
            String::from_utf8_lossy(&run.stderr),
            "note: cv.x\\u{a}basics: {name: Mallory}\u{2028}\u{2029}\\u{85}\\u{d}# has no vitae field; kept in the comment at the top\n"
        );
        let stdout = String::from_utf8(run.stdout).expect("UTF-8");
        assert_eq!(
            stdout.lines().nth(3),
            Some(
                r#"#   cv.x\u{a}basics: {name: Mallory}\u{2028}\u{2029}\u{85}\u{d}#: "- \u{2028}---\n""#
            )
        );
        assert!(stdout.ends_with("\nbasics:\n  name: Ada\n"), "{stdout}");
    }

    #[test]
    fn a_file_of_no_known_format_is_refused_by_name() {
        let run = vitae()
            .args(["import", "tests/fixtures/bad/top-level-list.yaml"])
            .output()
            .expect("runs");
        assert_eq!(run.status.code(), Some(1));
        assert_eq!(
            String::from_utf8_lossy(&run.stderr),
            "error: cannot import tests/fixtures/bad/top-level-list.yaml: it is not a RenderCV (`cv:`), YAMLResume (`content:`) or JSON Resume (`basics:`) file\n"
        );
        assert!(run.stdout.is_empty());
    }
}
