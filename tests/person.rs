//! The résumé the person's site links to: `vitae build data/resume.yaml` is at most two pages
//! and still holds every fact and figure of his portfolio page (listed in
//! `tests/fixtures/seed-facts.txt`); the long form is `--variant portfolio`; the one-page
//! variants stay one page; `--all-variants` builds every variant.

mod common;

use common::{root, run};
use std::path::Path;
use tempfile::TempDir;
use vitae::model::{LoadOptions, load_file};

const DATA: &str = "data/resume.yaml";
const FACTS: &str = "tests/fixtures/seed-facts.txt";

/// The facts of the seed, one per line; blank lines and `#` comments skipped.
fn seed_facts() -> Vec<String> {
    let text = std::fs::read_to_string(root().join(FACTS)).expect("the facts fixture exists");
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// `vitae build data/resume.yaml -f pdf ARGS -o DIR`; the build must succeed.
fn build_pdf(dir: &Path, args: &[&str]) {
    let out = dir.to_str().expect("UTF-8 temp path");
    let mut all = vec!["build", DATA, "-f", "pdf", "-o", out];
    all.extend_from_slice(args);
    run(&all).expect_code(0);
}

/// The PDFs of the manifest in `dir`: (variant, path, pages), in the order written.
fn manifest_pdfs(dir: &Path) -> Vec<(Option<String>, String, usize)> {
    let manifest: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.join("manifest.json")).expect("manifest.json written"),
    )
    .expect("manifest is JSON");
    manifest["files"]
        .as_array()
        .expect("files")
        .iter()
        .filter(|f| f["format"] == "pdf")
        .map(|f| {
            (
                f["variant"].as_str().map(str::to_string),
                f["path"].as_str().expect("path").to_string(),
                f["pages"].as_u64().expect("a PDF has pages") as usize,
            )
        })
        .collect()
}

/// The text of each page of a PDF.
fn pdf_pages(path: &Path) -> Vec<String> {
    pdf_extract::extract_text_from_mem_by_pages(&std::fs::read(path).expect("PDF written"))
        .expect("text extracts")
}

/// Text as it is searched: typographic apostrophes made straight, every whitespace removed, so
/// that a phrase is found however it was wrapped.
fn squash(text: &str) -> String {
    text.replace(['\u{2019}', '\u{2018}'], "'")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// The facts not found in `text`: as written, or with a hyphen at a line end undone (the
/// layouts do not hyphenate, but a phrase must not be missed if one ever does). Case does not
/// matter: a fact opening a bullet is capitalised.
fn missing_facts(text: &str) -> Vec<String> {
    let squashed = squash(text).to_lowercase();
    let unhyphenated = squash(&text.replace("-\n", "")).to_lowercase();
    seed_facts()
        .into_iter()
        .filter(|fact| {
            let fact = squash(fact).to_lowercase();
            !squashed.contains(&fact) && !unhyphenated.contains(&fact)
        })
        .collect()
}

#[test]
fn the_facts_fixture_lists_the_seed() {
    let facts = seed_facts();
    assert!(facts.len() >= 100, "only {} facts", facts.len());
    for fact in [
        "Gymondo (7NXT Group)",
        "Deutsche Telekom's OneApp",
        "~80k events/hour",
        "2.8M+",
        "Architecting Solutions on AWS",
        "Simple Cucumber HTML Reporter",
    ] {
        assert!(facts.iter().any(|f| f == fact), "{fact:?} not listed");
    }
}

#[test]
fn the_default_build_is_two_pages_with_every_seed_fact() {
    let dir = TempDir::new().expect("temp dir");
    build_pdf(dir.path(), &[]);
    let pdfs = manifest_pdfs(dir.path());
    assert_eq!(pdfs.len(), 1, "{pdfs:?}");
    let (variant, path, pages) = &pdfs[0];
    assert_eq!(*variant, None);
    assert!(*pages <= 2, "the résumé is {pages} pages");

    let text = pdf_pages(Path::new(path));
    assert_eq!(text.len(), *pages, "the manifest's page count is the PDF's");
    // Not a near-empty last page: a two-page résumé fills most of its second page.
    if text.len() == 2 {
        let (first, second) = (squash(&text[0]).len(), squash(&text[1]).len());
        assert!(
            second * 2 > first,
            "page 2 holds {second} characters against page 1's {first}"
        );
    }
    let all = text.join("\n");
    let missing = missing_facts(&all);
    assert!(
        missing.is_empty(),
        "missing from {path}: {missing:#?}\n--- text\n{all}"
    );
    // Skills come right after the summary, before the experience.
    let folded = squash(&all).to_lowercase();
    let skills = folded.find("skills").expect("a skills section");
    let experience = folded.find("experience").expect("an experience section");
    assert!(skills < experience, "skills are not near the top");
}

#[test]
fn every_variant_builds_portfolio_is_the_long_form_and_the_tailored_ones_are_one_page() {
    let loaded = load_file(&root().join(DATA), LoadOptions::default()).expect("loads");
    let names: Vec<&String> = loaded.resume.variants.keys().collect();
    for name in ["portfolio", "backend", "leadership"] {
        assert!(
            names.iter().any(|n| *n == name),
            "no variant {name}: {names:?}"
        );
    }

    let default = TempDir::new().expect("temp dir");
    build_pdf(default.path(), &[]);
    let (_, default_pdf, default_pages) = manifest_pdfs(default.path()).remove(0);
    let default_text = squash(&pdf_pages(Path::new(&default_pdf)).concat());

    let all = TempDir::new().expect("temp dir");
    build_pdf(all.path(), &["--all-variants"]);
    let pdfs = manifest_pdfs(all.path());
    let mut built: Vec<&str> = pdfs.iter().filter_map(|(v, _, _)| v.as_deref()).collect();
    let mut wanted: Vec<&str> = names.iter().map(|n| n.as_str()).collect();
    built.sort_unstable();
    wanted.sort_unstable();
    assert_eq!(built, wanted, "--all-variants builds each variant once");
    assert_eq!(pdfs.len(), names.len());
    for (variant, path, pages) in &pdfs {
        let variant = variant.as_deref().expect("a variant");
        assert!(Path::new(path).exists(), "{path}");
        assert_eq!(pdf_pages(Path::new(path)).len(), *pages, "{variant}");
        if variant == "backend" || variant == "leadership" {
            assert_eq!(*pages, 1, "variant {variant}");
        }
    }

    // The portfolio: longer than the résumé, with every project and case study written out,
    // and still every fact.
    let (_, portfolio, portfolio_pages) = pdfs
        .iter()
        .find(|(v, _, _)| v.as_deref() == Some("portfolio"))
        .expect("portfolio built");
    let pages = pdf_pages(Path::new(portfolio));
    let text = pages.join("\n");
    assert!(
        *portfolio_pages > default_pages,
        "portfolio {portfolio_pages} pages, résumé {default_pages}"
    );
    assert!(squash(&text).len() > default_text.len() * 3 / 2);
    for title in [
        "Projects",
        "Video Infrastructure Migration: Mainstreaming to Brightcove",
        "Wearable Data Integration & Gamification Engine",
        "Advanced CDN Transition & Metadata Enrichment",
        "Real-time ETL Pipeline & CRM Migration",
        "Event-driven Data Ingestion & Search System",
        "Content Recommendation Service",
        "Platform Data Migration & Multi-Locale Support",
        "AI-powered Healthy Meal Scanner",
        "Unified API Gateway",
        "DTO Consistency Framework",
        "Case studies",
        "Real-time ETL Pipeline & Legacy CRM Migration",
        "Unified API Gateway & DTO Consistency Framework",
        "win-back and repurchase metrics",
        "chapter markers",
    ] {
        assert!(
            squash(&text).contains(&squash(title)),
            "{title:?} not in the portfolio"
        );
    }
    let missing = missing_facts(&text);
    assert!(
        missing.is_empty(),
        "missing from the portfolio: {missing:#?}"
    );
}
