//! `vitae build --job POSTING`: a variant made on the fly for a job posting, fitted to a page
//! budget by relevance; and a variant's `job:` key.

mod common;

use common::{one_line, run};
use serde_json::Value;
use std::path::Path;

/// Builds `data/resume.yaml` for a posting of `tests/postings/` on one page; returns the PDF's
/// text on one line and the manifest.
fn build_for(posting: &str, out: &Path) -> (String, Value) {
    let out_dir = out.to_str().expect("UTF-8 path");
    let job = format!("tests/postings/{posting}.md");
    run([
        "build",
        "data/resume.yaml",
        "--job",
        &job,
        "--max-pages",
        "1",
        "-f",
        "pdf,md",
        "-o",
        out_dir,
    ])
    .expect_code(0);
    let pdf = std::fs::read(out.join(format!("resume-{posting}.pdf"))).expect("named after it");
    let pages = pdf_extract::extract_text_from_mem_by_pages(&pdf).expect("text");
    assert_eq!(pages.len(), 1, "one page");
    let manifest = serde_json::from_slice(&std::fs::read(out.join("manifest.json")).expect("m"))
        .expect("JSON");
    (one_line(&pages.concat()), manifest)
}

/// The backend posting's most relevant highlights (`vitae match` ranks them 2, 5 and 6).
const BACKEND: [&str; 3] = [
    "Shipped the platform's first AI-powered meal scanner",
    "Designed a serverless API gateway on AWS Lambda",
    "Built GitHub Actions CI/CD, structured logging and alerting",
];

/// The QA-leadership posting's: leading QA teams and building automation.
const QA_LEADERSHIP: [&str; 3] = [
    "Led a team of 11 engineers building mobile platform infrastructure",
    "Built iOS, Android and backend API automation frameworks",
    "Led and mentored a team of 15 engineers; defined and executed the automation strategy",
];

#[test]
fn for_a_backend_posting_the_page_keeps_the_backend_highlights_most_relevant_first() {
    let dir = tempfile::tempdir().expect("tmp");
    let (text, manifest) = build_for("backend", dir.path());
    for kept in BACKEND {
        assert!(text.contains(kept), "{kept:?} missing from\n{text}");
    }
    // Within the role, the most relevant comes first, whatever the résumé's order.
    let at = |s: &str| text.find(s).unwrap_or(usize::MAX);
    assert!(at(BACKEND[0]) < at(BACKEND[1]) && at(BACKEND[1]) < at(BACKEND[2]));
    assert!(at(BACKEND[2]) < at("Architected a real-time, event-driven ETL pipeline"));
    // The QA leadership highlights are the ones that gave way.
    assert!(!text.contains(QA_LEADERSHIP[2]), "{text}");
    // Roles stay in date order.
    assert!(at("Gymondo") < at("Infosys") && at("Infosys") < at("Bhavna"));

    let pdf = &manifest["files"][0];
    assert_eq!(pdf["format"], "pdf");
    assert_eq!(pdf["job"]["posting"], "tests/postings/backend.md");
    assert_eq!(
        pdf["job"]["before"]["missing"],
        serde_json::json!(["Kafka", "gRPC", "Haskell"])
    );
    let shown = pdf["job"]["before"]["shown"].as_array().expect("shown");
    assert_eq!(shown.len(), 13);
    assert_eq!(
        pdf["job"]["after"], pdf["job"]["before"],
        "fitting kept every term"
    );
    // The Markdown is tailored in the same way, and not fitted.
    let md = &manifest["files"][1];
    assert_eq!(md["format"], "md");
    assert_eq!(md["job"], pdf["job"]);
    let markdown = std::fs::read_to_string(dir.path().join("resume-backend.md")).expect("md");
    assert!(markdown.contains(QA_LEADERSHIP[2]));
    assert!(markdown.find(BACKEND[0]) < markdown.find(BACKEND[1]));
}

#[test]
fn for_a_qa_leadership_posting_the_leadership_and_qa_highlights_stay_instead() {
    let dir = tempfile::tempdir().expect("tmp");
    let (text, manifest) = build_for("qa-leadership", dir.path());
    for kept in QA_LEADERSHIP {
        assert!(text.contains(kept), "{kept:?} missing from\n{text}");
    }
    let report = manifest["files"][0]["fitReport"]
        .as_array()
        .expect("report");
    // Nothing of the résumé was rewritten: every change is a drop or a shortening.
    assert!(report.iter().all(|c| {
        [
            "spacing",
            "leading",
            "margins",
            "font",
            "droppedHighlight",
            "droppedEntry",
            "collapsed",
            "folded",
        ]
        .contains(&c["change"].as_str().unwrap_or_default())
    }));
}

#[test]
fn the_report_says_what_the_resume_covers_and_lacks() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = run([
        "build",
        "data/resume.yaml",
        "--job",
        "tests/postings/data-engineering.md",
        "--max-pages",
        "1",
        "-f",
        "pdf",
        "-o",
        dir.path().to_str().expect("UTF-8"),
    ])
    .expect_code(0);
    let job: Vec<&str> = out
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("job "))
        .collect();
    assert_eq!(
        job,
        [
            "job tests/postings/data-engineering.md: the résumé shows 26 of its 30 terms",
            "  the PDF shows every one of them",
            "  lacks: Kafka, Airflow, dbt, Spark",
        ],
        "{}",
        out.stdout
    );
}

/// A résumé in its own folder with a variant for the posting `postings/acme.md`.
fn folder_with_variant(job: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::create_dir(dir.path().join("postings")).expect("mkdir");
    std::fs::write(
        dir.path().join("postings/acme.md"),
        "# Platform engineer\nWe run Kubernetes and Terraform.\n",
    )
    .expect("posting");
    std::fs::write(
        dir.path().join("resume.yaml"),
        format!(
            "basics: {{name: Ada Example}}\n\
             work:\n\
             - name: Acme\n  position: Engineer\n  startDate: 2020-01\n  highlights:\n\
             \x20 - Wrote the billing service\n\
             \x20 - Ran the Kubernetes clusters with Terraform\n\
             variants:\n  acme: {{job: {job}, pages: 1}}\n"
        ),
    )
    .expect("résumé");
    dir
}

#[test]
fn a_variant_names_its_posting_and_ci_builds_it_like_any_other() {
    let dir = folder_with_variant("postings/acme.md");
    let out = dir.path().join("dist");
    run([
        "build",
        dir.path().join("resume.yaml").to_str().expect("UTF-8"),
        "--all-variants",
        "-f",
        "md",
        "-o",
        out.to_str().expect("UTF-8"),
    ])
    .expect_code(0);
    let listed = run([
        "variants",
        dir.path().join("resume.yaml").to_str().expect("UTF-8"),
    ])
    .expect_code(0);
    assert!(
        listed
            .stdout
            .contains("\n  job:      postings/acme.md (highlights in order of relevance)\n"),
        "{}",
        listed.stdout
    );
    let md = std::fs::read_to_string(out.join("resume-acme.md")).expect("the variant");
    let (kubernetes, billing) = (md.find("Kubernetes"), md.find("billing"));
    assert!(kubernetes.is_some() && kubernetes < billing, "{md}");
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).expect("m")).expect("J");
    assert_eq!(
        manifest["files"][0]["job"]["before"],
        serde_json::json!({"shown": ["Kubernetes", "Terraform"], "missing": []})
    );
}

#[test]
fn a_variant_cannot_name_a_posting_outside_its_folder() {
    let dir = folder_with_variant("../secret.md");
    let out = run([
        "check",
        dir.path().join("resume.yaml").to_str().expect("UTF-8"),
    ])
    .expect_code(1);
    assert!(
        out.stderr.contains(
            "error: job posting \"../secret.md\" cannot be used: it is outside the résumé's folder"
        ),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("resume.yaml:10:15\n"),
        "located: {}",
        out.stderr
    );
}

#[test]
fn a_posting_with_nothing_to_match_says_so() {
    let dir = tempfile::tempdir().expect("tmp");
    let posting = dir.path().join("empty.md");
    std::fs::write(&posting, "We are hiring. Apply now!\n").expect("posting");
    let out = run([
        "build",
        "data/resume.yaml",
        "--job",
        posting.to_str().expect("UTF-8"),
        "-f",
        "md",
        "-o",
        dir.path().join("out").to_str().expect("UTF-8"),
    ])
    .expect_code(0);
    assert!(
        out.stderr.contains(&format!(
            "warning: the job posting {} names no technology, phrase or term of the résumé that vitae knows: nothing is ordered by it",
            posting.display()
        )),
        "{}",
        out.stderr
    );
}
