//! `vitae match`: a job posting's terms, aliases included, found in the résumé or missing, and
//! the highlights ranked by relevance; the same on every run, for people and as JSON.

mod common;

use common::run;

#[test]
fn the_report_for_people_names_coverage_missing_terms_and_the_most_relevant_highlights() {
    let out = run([
        "match",
        "data/resume.yaml",
        "--job",
        "tests/postings/backend.md",
        "--top",
        "5",
    ])
    .expect_code(0);
    // Golang, k8s and Postgres count as Go, Kubernetes and PostgreSQL; "go live" does not.
    assert!(out.stdout.contains("\n  Go: "), "{}", out.stdout);
    assert!(
        out.stdout
            .contains("\n  Kubernetes: skills[1].keywords[2]\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("\nMissing: Kafka, gRPC, Haskell.\n"),
        "{}",
        out.stdout
    );
    insta::assert_snapshot!("backend_posting", out.stdout);
}

#[test]
fn json_is_the_same_report_for_tools_and_the_same_on_every_run() {
    let args = [
        "match",
        "data/resume.yaml",
        "--job",
        "tests/postings/backend.md",
        "--format",
        "json",
    ];
    let first = run(args).expect_code(0).stdout;
    assert_eq!(first, run(args).expect_code(0).stdout);
    let report: serde_json::Value = serde_json::from_str(&first).expect("JSON");
    let terms = report["terms"].as_array().expect("terms");
    let missing: Vec<&str> = terms
        .iter()
        .filter(|t| t["found_in"].as_array().is_some_and(|f| f.is_empty()))
        .filter_map(|t| t["term"].as_str())
        .collect();
    assert_eq!(missing, ["Kafka", "gRPC", "Haskell"]);
    let ranked = report["ranked"].as_array().expect("ranked");
    assert!(ranked.len() > 10);
    let scores: Vec<f64> = ranked.iter().filter_map(|r| r["score"].as_f64()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
}

#[test]
fn a_missing_posting_is_a_clear_error() {
    let out = run(["match", "data/resume.yaml", "--job", "no/such/posting.md"]).expect_code(1);
    assert!(
        out.stderr.starts_with(
            "error: cannot read the posting no/such/posting.md: No such file or directory"
        ),
        "{}",
        out.stderr
    );
}

/// The terms of a posting `vitae match --format json` finds in `data/resume.yaml`, and those
/// it lacks.
fn has_and_lacks(posting: &str) -> (Vec<String>, Vec<String>) {
    let args = [
        "match",
        "data/resume.yaml",
        "--job",
        posting,
        "--format",
        "json",
    ];
    let first = run(args).expect_code(0).stdout;
    assert_eq!(first, run(args).expect_code(0).stdout, "two runs differ");
    let report: serde_json::Value = serde_json::from_str(&first).expect("JSON");
    let (mut has, mut lacks) = (Vec::new(), Vec::new());
    for t in report["terms"].as_array().expect("terms") {
        let term = t["term"].as_str().expect("term").to_string();
        match t["found_in"].as_array().is_some_and(|f| f.is_empty()) {
            true => lacks.push(term),
            false => has.push(term),
        }
    }
    (has, lacks)
}

#[test]
fn a_data_engineering_posting_resolves_aliases_and_names_what_is_lacking() {
    let (has, lacks) = has_and_lacks("tests/postings/data-engineering.md");
    // The posting writes "Postgres", "Golang" and "k8s"; the résumé "PostgreSQL", "Go", "K8s".
    for term in [
        "PostgreSQL",
        "Go",
        "Kubernetes",
        "Python",
        "SQL",
        "Terraform",
        "DynamoDB",
    ] {
        assert!(has.iter().any(|t| t == term), "{term} not found: {has:?}");
    }
    assert_eq!(lacks, ["Kafka", "Airflow", "dbt", "Spark"]);
    // The posting's company, which it names twice, is not a term.
    assert!(!has.iter().chain(&lacks).any(|t| t.contains("Northwind")));
}

#[test]
fn a_qa_leadership_posting_finds_the_resumes_quality_work_by_its_phrases() {
    let (has, lacks) = has_and_lacks("tests/postings/qa-leadership.md");
    for term in [
        "Quality engineering",
        "Selenium",
        "Appium",
        "automation strategy",
        "quality gates",
        "performance benchmarking",
        "API automation",
    ] {
        assert!(has.iter().any(|t| t == term), "{term} not found: {has:?}");
    }
    // Tags the résumé carries but never prints are lacking, rightly: a reader cannot see them.
    assert_eq!(lacks, ["qa", "leadership"]);
}
