//! Variants and fitting: the selection rules, page budgets, the fit report, determinism,
//! parallel builds and the manifest.

use assert_cmd::Command;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use vitae::build::{self, BuildOptions};
use vitae::model::{LoadOptions, Loaded, load_file};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn tags_fixture() -> Loaded {
    load_file(
        &root().join("tests/fixtures/tags.yaml"),
        LoadOptions::default(),
    )
    .expect("fixture loads")
}

/// What a variant shows, one line per section and entry: `work: Go developer [h1, h2]`.
fn shown(loaded: &Loaded, options: BuildOptions) -> Vec<String> {
    let target = build::targets(loaded, &options).expect("targets").remove(0);
    let (doc, _) = build::document(loaded, &target);
    let mut out = Vec::new();
    for section in &doc.sections {
        for e in &section.entries {
            let title = e.title.as_ref().map(|t| t.plain()).unwrap_or_default();
            let highlights: Vec<String> = e.highlights.iter().map(|h| h.text.plain()).collect();
            out.push(format!(
                "{} ({}): {title} [{}]",
                section.id,
                section.title,
                highlights.join(", ")
            ));
        }
    }
    out
}

fn variant(name: &str) -> BuildOptions {
    BuildOptions {
        variants: vec![name.to_string()],
        ..BuildOptions::default()
    }
}

#[test]
fn the_full_resume_keeps_everything() {
    let all = shown(&tags_fixture(), BuildOptions::default());
    assert_eq!(all.len(), 8, "{all:#?}");
}

#[test]
fn tags_keep_matching_and_untagged_items() {
    assert_eq!(
        shown(&tags_fixture(), variant("go")),
        [
            // A highlight without tags has its entry's; aws and qa highlights are not go.
            "work (Experience): Go developer [untagged highlight of go entry, go highlight of go entry]",
            "work (Experience): Untagged role [plain entry highlight one, plain entry highlight two]",
            "projects (Projects): Go project []",
            "projects (Projects): Untagged project []",
            "talks (Talks): Go talk []",
            "skills (Skills): Languages []",
        ]
    );
}

#[test]
fn untagged_drop_keeps_only_tagged_items() {
    assert_eq!(
        shown(&tags_fixture(), variant("go-only")),
        [
            "work (Experience): Go developer [untagged highlight of go entry, go highlight of go entry]",
            "projects (Projects): Go project []",
            "talks (Talks): Go talk []",
        ]
    );
}

#[test]
fn exclude_wins_over_tags() {
    assert_eq!(
        shown(&tags_fixture(), variant("no-qa")),
        [
            "work (Experience): Go developer [untagged highlight of go entry, aws highlight of go entry, go highlight of go entry]",
            "work (Experience): Untagged role [plain entry highlight one, plain entry highlight two]",
            "projects (Projects): Go project []",
            "projects (Projects): Untagged project []",
            "talks (Talks): Go talk []",
            "skills (Skills): Languages []",
        ]
    );
    let go_aws = shown(&tags_fixture(), variant("go-aws-no-qa"));
    assert!(
        go_aws[0].contains("aws highlight of go entry") && !go_aws[0].contains("qa highlight"),
        "{go_aws:#?}"
    );
    assert!(
        !go_aws.iter().any(|l| l.contains("AWS role")),
        "tagged aws and qa: exclude wins"
    );
}

#[test]
fn sections_choose_and_order() {
    let shown = shown(&tags_fixture(), variant("ordered"));
    let sections: Vec<&str> = shown
        .iter()
        .map(|l| l.split(' ').next().unwrap_or(""))
        .collect();
    assert_eq!(sections, ["skills", "work", "work", "work", "work"]);
}

#[test]
fn limits_cap_entries_and_highlights() {
    assert_eq!(
        shown(&tags_fixture(), variant("limited")),
        [
            "work (Experience): Go developer [untagged highlight of go entry]",
            "work (Experience): QA engineer [qa entry highlight]",
            "projects (Projects): Go project []",
            "projects (Projects): Untagged project []",
            "talks (Talks): Go talk []",
            "skills (Skills): Languages []",
        ]
    );
    let per_section = shown(&tags_fixture(), variant("limited-per-section"));
    assert_eq!(per_section.len(), 8);
    assert_eq!(
        per_section[0],
        "work (Experience): Go developer [untagged highlight of go entry, aws highlight of go entry]"
    );
}

#[test]
fn a_variant_language_and_overrides_and_the_command_line_wins() {
    let loaded = tags_fixture();
    let german = shown(&loaded, variant("german"));
    assert!(
        german[0].starts_with("work (Berufserfahrung): Go-Entwicklerin"),
        "{german:#?}"
    );
    assert!(german.iter().any(|l| l.starts_with("talks (Vorträge)")));

    let target = build::targets(&loaded, &variant("german"))
        .expect("targets")
        .remove(0);
    let (doc, _) = build::document(&loaded, &target);
    assert_eq!(doc.lang, "de");
    assert_eq!(
        doc.basics.label.map(|l| l.plain()).as_deref(),
        Some("Go-Ingenieurin")
    );
    let summary = vitae::export::text::render(&build::document(&loaded, &target).0, 80);
    assert!(summary.contains("Variant summary."));
    assert!(
        summary.contains("Jan. 2022 – heute"),
        "German dates: {summary}"
    );

    let english = BuildOptions {
        lang: Some("en".into()),
        ..variant("german")
    };
    let shown = shown(&loaded, english);
    assert!(
        shown[0].starts_with("work (Experience): Go developer"),
        "--lang beats the variant's: {shown:#?}"
    );
}

#[test]
fn ad_hoc_tags_on_the_command_line() {
    let options = BuildOptions {
        tags: vec!["aws".into()],
        exclude: vec!["go".into()],
        ..BuildOptions::default()
    };
    assert_eq!(
        shown(&tags_fixture(), options),
        [
            "work (Experience): Untagged role [plain entry highlight one, plain entry highlight two]",
            "work (Experience): AWS role []",
            "projects (Projects): Untagged project []",
            "skills (Skills): Languages []",
        ]
    );
    let dir = tempfile::tempdir().expect("tmp");
    Command::cargo_bin("vitae")
        .expect("binary")
        .current_dir(root())
        .args([
            "build",
            "tests/fixtures/tags.yaml",
            "-f",
            "txt",
            "--tags",
            "aws",
            "--exclude",
            "go",
            "-o",
        ])
        .arg(dir.path())
        .assert()
        .success();
    let text = std::fs::read_to_string(dir.path().join("tags.txt")).expect("written");
    assert!(
        text.contains("AWS role")
            && !text.contains("Go developer")
            && !text.contains("QA engineer"),
        "{text}"
    );
}

#[test]
fn an_unknown_variant_is_an_error_naming_the_known_ones() {
    let assert = Command::cargo_bin("vitae")
        .expect("binary")
        .current_dir(root())
        .args([
            "build",
            "tests/fixtures/tags.yaml",
            "--variant",
            "nope",
            "-f",
            "md",
            "-o",
            "/nonexistent/never",
        ])
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(
        stderr.starts_with(
            "error: the résumé has no variant \"nope\"; it defines: go, go-only, no-qa"
        ),
        "{stderr}"
    );
}

// ---------------------------------------------------------------------------------- fitting

fn vitae(args: &[&str], out: &Path) -> assert_cmd::assert::Assert {
    Command::cargo_bin("vitae")
        .expect("binary")
        .current_dir(root())
        .args(args)
        .arg("-o")
        .arg(out)
        .assert()
}

/// `vitae build tests/fixtures/long.yaml -f pdf --max-pages 1 -o OUT`.
fn fit_long(out: &Path) -> assert_cmd::assert::Assert {
    vitae(
        &[
            "build",
            "tests/fixtures/long.yaml",
            "-f",
            "pdf",
            "--max-pages",
            "1",
        ],
        out,
    )
}

fn pdf_pages(path: &Path) -> Vec<String> {
    pdf_extract::extract_text_from_mem_by_pages(&std::fs::read(path).expect("PDF written"))
        .expect("text extracts")
}

fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).expect("manifest written"))
        .expect("manifest is JSON")
}

#[test]
fn a_long_resume_fits_one_page_with_a_report_naming_each_drop() {
    let dir = tempfile::tempdir().expect("tmp");
    let assert = fit_long(dir.path()).success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    let pages = pdf_pages(&dir.path().join("long.pdf"));
    assert_eq!(pages.len(), 1);

    // The manifest's report is typed: each change names its kind and its values.
    let report: Vec<serde_json::Value> = manifest(dir.path())["files"][0]["fitReport"]
        .as_array()
        .expect("a fit report")
        .clone();
    let of = |kind: &str| -> Vec<&serde_json::Value> {
        report.iter().filter(|c| c["change"] == kind).collect()
    };
    // The layout shrank its font within its own floor, never below 9 pt.
    let font = of("font");
    assert_eq!(font.len(), 1, "{report:#?}");
    let to = font[0]["to"].as_f64().expect("a size");
    assert!(
        to >= 9.0 && to < font[0]["from"].as_f64().expect("a size"),
        "{:?}",
        font[0]
    );
    let source = |c: &serde_json::Value| c["source"].as_str().unwrap_or_default().to_string();
    let drops: Vec<String> = report
        .iter()
        .map(source)
        .filter(|s| !s.is_empty())
        .collect();
    assert!(drops.len() > 20, "{report:#?}");
    // What the command printed is the same report, one change a line.
    for change in &report {
        let source = source(change);
        if !source.is_empty() {
            assert!(
                stdout.contains(&format!(" {source} \"")),
                "printed report lacks {change}"
            );
        }
    }
    // Documented order: the lower-priority section (projects) goes, the oldest roles are cut
    // to one line and then listed as earlier roles; recent roles are untouched.
    let kinds: Vec<&str> = report
        .iter()
        .filter_map(|c| c["change"].as_str())
        .filter(|k| !["spacing", "leading", "margins", "font"].contains(k))
        .collect();
    let first = |kind: &str| kinds.iter().position(|k| *k == kind);
    let last = |kind: &str| kinds.iter().rposition(|k| *k == kind);
    assert!(drops[0].starts_with("projects["), "{}", drops[0]);
    assert!(last("droppedEntry") < first("collapsed"), "{kinds:?}");
    assert!(first("folded").is_some(), "{kinds:?}");
    let folded: Vec<String> = report
        .iter()
        .filter(|c| c["change"] == "folded")
        .map(source)
        .collect();
    assert_eq!(folded[0], "work[39]", "the oldest role first");
    // Never dropped: the name, the contact details, the most recent role.
    let text = pages.concat();
    assert!(text.contains("Earlier career"));
    for kept in [
        "Henrik",
        "henrik@odegaard.example.com",
        "Principal Engineer",
    ] {
        assert!(text.contains(kept), "{kept} missing");
    }
    assert!(!drops.iter().any(|l| l == "work[0]"));
}

#[test]
fn fitting_is_deterministic() {
    let dir = tempfile::tempdir().expect("tmp");
    for out in ["a", "b"] {
        fit_long(&dir.path().join(out)).success();
    }
    let read = |p: &str| std::fs::read(dir.path().join(p)).expect("written");
    assert!(read("a/long.pdf") == read("b/long.pdf"), "PDFs differ");
    let (a, b) = (
        manifest(&dir.path().join("a")),
        manifest(&dir.path().join("b")),
    );
    assert_eq!(a["files"][0]["sha256"], b["files"][0]["sha256"]);
    assert_eq!(a["files"][0]["fitReport"], b["files"][0]["fitReport"]);
}

#[test]
fn an_impossible_budget_fails_with_the_report_unless_overflow_is_allowed() {
    let dir = tempfile::tempdir().expect("tmp");
    let essay = "This summary sentence can never be dropped by fitting. ".repeat(340);
    let input = dir.path().join("essay.yaml");
    std::fs::write(
        &input,
        format!("basics:\n  name: Ess Ay\n  summary: \"{essay}\"\n"),
    )
    .expect("write");
    let input = input.to_string_lossy().to_string();

    let out = dir.path().join("dist");
    let failed = vitae(&["build", &input, "-f", "pdf", "--max-pages", "1"], &out).code(1);
    let stderr = String::from_utf8_lossy(&failed.get_output().stderr).to_string();
    assert!(
        stderr.starts_with("error: the résumé does not fit in 1 page(s): it needs "),
        "{stderr}"
    );
    assert!(stderr.contains("  fit: font "), "{stderr}");
    assert!(!out.join("essay.pdf").exists(), "nothing is written");

    let allowed = vitae(
        &[
            "build",
            &input,
            "-f",
            "pdf",
            "--max-pages",
            "1",
            "--allow-overflow",
        ],
        &out,
    )
    .success();
    let stderr = String::from_utf8_lossy(&allowed.get_output().stderr).to_string();
    assert!(
        stderr.starts_with("warning: the résumé does not fit in 1 page(s)"),
        "{stderr}"
    );
    assert!(pdf_pages(&out.join("essay.pdf")).len() > 1);
}

#[test]
fn a_resume_that_fits_is_left_exactly_as_the_layout_made_it() {
    let dir = tempfile::tempdir().expect("tmp");
    vitae(
        &["build", "examples/resume.yaml", "-f", "pdf"],
        &dir.path().join("plain"),
    )
    .success();
    vitae(
        &[
            "build",
            "examples/resume.yaml",
            "-f",
            "pdf",
            "--max-pages",
            "9",
        ],
        &dir.path().join("budget"),
    )
    .success();
    let read = |p: &str| std::fs::read(dir.path().join(p)).expect("written");
    assert!(read("plain/resume.pdf") == read("budget/resume.pdf"));
    assert_eq!(
        manifest(&dir.path().join("budget"))["files"][0]["fitReport"],
        serde_json::json!([])
    );
}

#[test]
fn every_variant_of_the_real_resume_meets_its_budget_and_the_manifest_is_true() {
    let dir = tempfile::tempdir().expect("tmp");
    vitae(
        &[
            "build",
            "data/resume.yaml",
            "--all-variants",
            "-f",
            "pdf,md,txt",
        ],
        dir.path(),
    )
    .success();
    let loaded =
        load_file(&root().join("data/resume.yaml"), LoadOptions::default()).expect("loads");
    assert!(loaded.resume.variants.len() >= 2);
    for (name, variant) in &loaded.resume.variants {
        let pdf = dir.path().join(format!("resume-{name}.pdf"));
        let budget = variant.pages.expect("the real variants have a page budget") as usize;
        assert_eq!(pdf_pages(&pdf).len(), budget, "variant {name}");
        for ext in ["md", "txt"] {
            assert!(dir.path().join(format!("resume-{name}.{ext}")).exists());
        }
    }
    let manifest = manifest(dir.path());
    let files = manifest["files"].as_array().expect("files");
    assert_eq!(files.len(), 3 * loaded.resume.variants.len());
    for file in files {
        let path = PathBuf::from(file["path"].as_str().expect("path"));
        let bytes = std::fs::read(&path).expect("listed file exists");
        assert_eq!(file["bytes"].as_u64(), Some(bytes.len() as u64));
        let digest: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            file["sha256"].as_str(),
            Some(digest.as_str()),
            "{}",
            path.display()
        );
        assert!(file["variant"].is_string());
        if file["format"] == "pdf" {
            assert_eq!(file["pages"].as_u64(), Some(pdf_pages(&path).len() as u64));
        }
    }
}

#[test]
fn parallel_builds_equal_serial_builds() {
    let dir = tempfile::tempdir().expect("tmp");
    for (out, threads) in [("serial", "1"), ("parallel", "2")] {
        Command::cargo_bin("vitae")
            .expect("binary")
            .current_dir(root())
            .env("RAYON_NUM_THREADS", threads)
            .args([
                "build",
                "data/resume.yaml",
                "--all-variants",
                "-f",
                "pdf,png,md,txt,json",
                "--ppi",
                "36",
                "-o",
            ])
            .arg(dir.path().join(out))
            .assert()
            .success();
    }
    let mut names: Vec<_> = std::fs::read_dir(dir.path().join("serial"))
        .expect("dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    names.sort();
    assert!(names.len() > 8);
    for name in names.iter().filter(|n| *n != "manifest.json") {
        let a = std::fs::read(dir.path().join("serial").join(name)).expect("serial");
        let b = std::fs::read(dir.path().join("parallel").join(name)).expect("parallel");
        assert!(a == b, "{name:?} differs");
    }
}
