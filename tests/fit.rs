//! Fitting a long career to one page as a résumé writer would, on a held-out fixture
//! (`tests/fixtures/career30.yaml`, 32 roles) that the fitting rules were not tuned on.

mod common;

use common::{one_line, run};
use serde_json::Value;
use std::path::Path;

const CAREER: &str = "tests/fixtures/career30.yaml";

/// Builds the career fitted to one page into `out` and returns the manifest's fit report.
fn fit_career(out: &Path) -> Vec<Value> {
    run([
        "build",
        CAREER,
        "-f",
        "pdf",
        "--max-pages",
        "1",
        "-o",
        out.to_str().expect("UTF-8 path"),
    ])
    .expect_code(0);
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).expect("manifest"))
            .expect("JSON");
    manifest["files"][0]["fitReport"]
        .as_array()
        .expect("a fit report")
        .clone()
}

/// The work section of the fixture, as written.
fn roles() -> Vec<serde_yaml::Value> {
    let text = std::fs::read_to_string(common::root().join(CAREER)).expect("fixture");
    let yaml: serde_yaml::Value = serde_yaml::from_str(&text).expect("YAML");
    yaml["work"].as_sequence().expect("work").clone()
}

fn text_of(pdf: &Path) -> String {
    let pages = pdf_extract::extract_text_from_mem_by_pages(&std::fs::read(pdf).expect("PDF"))
        .expect("text extracts");
    assert_eq!(pages.len(), 1, "one page");
    one_line(&pages.concat())
}

#[test]
fn recent_roles_keep_their_highlights_and_old_roles_are_listed_not_lost() {
    let dir = tempfile::tempdir().expect("tmp");
    let report = fit_career(dir.path());
    let text = text_of(&dir.path().join("career30.pdf"));
    let roles = roles();
    assert_eq!(roles.len(), 32);

    // The three most recent roles keep at least two highlights each.
    for (i, role) in roles.iter().take(3).enumerate() {
        let kept = role["highlights"]
            .as_sequence()
            .expect("highlights")
            .iter()
            .filter(|h| {
                let words: String = one_line(h.as_str().expect("text"))
                    .chars()
                    .take(40)
                    .collect();
                text.contains(&words)
            })
            .count();
        assert!(kept >= 2, "work[{i}] keeps {kept} highlights\n{text}");
    }
    // Every role is still there, at least by its employer: the oldest are listed, not dropped.
    for (i, role) in roles.iter().enumerate() {
        let name = one_line(role["name"].as_str().expect("employer"));
        assert!(text.contains(&name), "work[{i}] {name} is missing");
    }
    assert!(text.contains("Earlier career"), "{text}");

    // The report says what became of each: the oldest listed as earlier roles, none dropped.
    let of = |kind: &str| -> Vec<String> {
        report
            .iter()
            .filter(|c| c["change"] == kind)
            .map(|c| c["source"].as_str().expect("source").to_string())
            .collect()
    };
    assert!(
        of("folded").contains(&"work[31]".to_string()),
        "{report:#?}"
    );
    assert!(!of("droppedEntry").iter().any(|s| s.starts_with("work[")));
    // Lower-priority sections went before any role was shortened.
    let position = |kind: &str| report.iter().position(|c| c["change"] == kind);
    if let (Some(entry), Some(folded)) = (position("droppedEntry"), position("folded")) {
        assert!(entry < folded, "{report:#?}");
    }
    // Recent roles lose highlights only once every older role is listed.
    for source in of("droppedHighlight") {
        assert!(
            ["work[0]", "work[1]", "work[2]"]
                .iter()
                .any(|r| source.starts_with(&format!("{r}."))),
            "{source} dropped while recent highlights remain\n{report:#?}"
        );
    }
    assert!(of("folded").len() > 20, "{report:#?}");
}

/// `pdftotext -bbox`: the page height and the lowest bottom of any word, in points.
fn lowest_word(pdf: &Path) -> Option<(f64, f64)> {
    let output = std::process::Command::new("pdftotext")
        .args(["-bbox"])
        .arg(pdf)
        .arg("-")
        .output()
        .ok()?;
    let html = String::from_utf8(output.stdout).ok()?;
    let attr = |line: &str, name: &str| -> Option<f64> {
        let start = line.find(&format!("{name}=\""))? + name.len() + 2;
        line[start..].split('"').next()?.parse().ok()
    };
    let height = html
        .lines()
        .find(|l| l.contains("<page "))
        .and_then(|l| attr(l, "height"))?;
    let lowest = html
        .lines()
        .filter(|l| l.contains("<word "))
        .filter_map(|l| attr(l, "yMax"))
        .fold(0.0, f64::max);
    Some((height, lowest))
}

#[test]
fn the_fitted_page_is_full_not_ending_in_a_blank_band() {
    let dir = tempfile::tempdir().expect("tmp");
    let report = fit_career(dir.path());
    let Some((height, lowest)) = lowest_word(&dir.path().join("career30.pdf")) else {
        println!("skipped: pdftotext (poppler-utils) is not installed");
        return;
    };
    // The classic layout's margins, 1.8 cm at the top and 2 cm at the bottom, as fitting scaled
    // them.
    let scale = report
        .iter()
        .find(|c| c["change"] == "margins")
        .and_then(|c| c["to"].as_f64())
        .unwrap_or(1.0);
    let cm = 72.0 / 2.54;
    let (top, bottom) = (1.8 * cm * scale, height - 2.0 * cm * scale);
    let fill = (lowest - top) / (bottom - top);
    assert!(fill >= 0.9, "the page is {:.0}% full", fill * 100.0);
}

#[test]
fn a_layout_that_does_not_mark_its_end_is_fitted_by_bisection() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().to_str().expect("UTF-8 path");
    run([
        "build",
        CAREER,
        "-f",
        "pdf",
        "--max-pages",
        "1",
        "--layout",
        "tests/fixtures/layouts/unmarked.typ",
        "-o",
        out,
    ])
    .expect_code(0);
    let text = text_of(&dir.path().join("career30.pdf"));
    // Not everything dropped: the recent roles and education stay.
    for kept in [
        "Lanternfish Analytics",
        "Corvid Freight Systems",
        "University of New Mexico",
    ] {
        assert!(text.contains(kept), "{kept} missing\n{text}");
    }
}
