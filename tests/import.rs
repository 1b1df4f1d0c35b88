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
        LoadOptions { strict: true },
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
