//! `vitae check --ats`: the PDF read back as an applicant-tracking system reads it, every field
//! accounted for, for built-in and user layouts alike.

mod common;

use common::run;

#[test]
fn the_default_layout_reads_back_whole_and_in_order() {
    let out = run(["check", "data/resume.yaml", "--ats"]).expect_code(0);
    assert_eq!(
        out.stdout,
        "data/resume.yaml: ok\nATS: 100.0% of fields in reading order (99 of 99)\n"
    );
}

#[test]
fn a_side_column_read_after_the_main_one_is_reported_out_of_order() {
    let out = run(["check", "data/resume.yaml", "--ats", "--layout", "sidebar"]).expect_code(0);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(
        lines[1].starts_with("ATS: 92.9% of fields in reading order (92 of 99)"),
        "{}",
        out.stdout
    );
    assert!(
        lines.contains(&"  out of order: certificates.title \"Certifications\""),
        "{}",
        out.stdout
    );
}

#[test]
fn a_user_layout_that_leaves_fields_out_is_told_which() {
    let dir = tempfile::tempdir().expect("temp dir");
    let layout = dir.path().join("name-only.typ");
    std::fs::write(
        &layout,
        "#import \"/vitae.typ\": *\n#set document(title: settings.document.title)\n#heading(level: 1, plain(resume.basics.name))\n",
    )
    .expect("layout");
    let file = dir.path().join("resume.yaml");
    std::fs::write(
        &file,
        "basics:\n  name: Ada Lovelace\nwork:\n  - name: Analytical Engines\n    position: Engineer\n",
    )
    .expect("resume");
    let out = run([
        "check",
        file.to_str().expect("utf-8"),
        "--ats",
        "--layout",
        layout.to_str().expect("utf-8"),
    ])
    .expect_code(0);
    let lines: Vec<&str> = out.stdout.lines().skip(1).collect();
    assert_eq!(
        lines,
        [
            "ATS: 25.0% of fields in reading order (1 of 4)",
            "  missing: work.title \"Experience\"",
            "  missing: work[0].title \"Engineer\"",
            "  missing: work[0].organization \"Analytical Engines\"",
        ],
        "{}",
        out.stdout
    );
}
