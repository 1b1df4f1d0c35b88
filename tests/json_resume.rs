//! JSON Resume documents as input, and the resolved JSON export as output.

mod common;

use common::{build_md_txt, one_line, root, run};
use tempfile::TempDir;

/// Every value of `jsonresume-full.json` that is shown as written (one per line of the values
/// file) appears in both the Markdown and the text.
#[test]
fn every_json_resume_field_is_shown() {
    let built = build_md_txt("tests/fixtures/jsonresume-full.json", &[]);
    assert_eq!(built.run.stderr, "", "a JSON Resume document warned");
    let values =
        std::fs::read_to_string(root().join("tests/fixtures/jsonresume-full.values.txt")).unwrap();
    let values: Vec<&str> = values.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(values.len() > 60, "the values file lost its lines");
    // Markdown escapes nothing in these values; text may wrap them, and shows the name (a
    // heading) in capitals.
    let md = one_line(&built.md);
    let txt = one_line(&built.txt);
    let missing_md: Vec<&&str> = values.iter().filter(|v| !md.contains(**v)).collect();
    let missing_txt: Vec<&&str> = values
        .iter()
        .filter(|v| !txt.contains(**v) && !txt.contains(&v.to_uppercase()))
        .collect();
    assert!(
        missing_md.is_empty(),
        "missing from the Markdown: {missing_md:#?}"
    );
    assert!(
        missing_txt.is_empty(),
        "missing from the text: {missing_txt:#?}"
    );
    // Dates are shown formatted; the meta section is not shown.
    for dates in [
        "Apr 2019 – Jun 2021",
        "Jan 2015 – Dec 2016",
        "Sep 2010 – Jun 2014",
        "Nov 2018",
        "Feb 2020",
        "Mar 2017",
    ] {
        assert!(md.contains(dates) && txt.contains(dates), "{dates}");
    }
    assert!(!md.contains("meta-canonical") && !txt.contains("meta-canonical"));
}

#[test]
fn jsoncv_markdown_fields_and_unknown_section() {
    let built = build_md_txt("tests/fixtures/markdown-jsoncv.json", &[]);
    let stderr = &built.run.stderr;
    // Problems come in file order: the empty image and profile address (JSON Resume themes
    // write "" for none), then the section vitae does not know.
    assert!(
        stderr.starts_with("warning: basics.image is empty, so it counts as absent\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains("warning: unknown section \"sideProjects\"\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains("--> tests/fixtures/markdown-jsoncv.json:48:3\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains("warning: basics.profiles[1].url is empty, so it counts as absent\n"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("warning:").count(), 3, "{stderr}");

    let md = &built.md;
    for kept in [
        // Bold and a link, in the first of two paragraphs.
        "\nI build **accessible** web interfaces. Portfolio and writing on [my site](https://example.com).\n\n\
         Currently learning Rust and contributing to open-source editors.\n",
        // A paragraph and a list in a work summary.
        "\nResponsible for the design system and its documentation:\n\n\
         * Built a component library used by four product teams\n\
         * Added visual regression tests to CI\n",
        "- Cut bundle size by **38%**\n",
    ] {
        assert!(md.contains(kept), "missing {kept:?} in\n{md}");
    }
    assert!(
        !md.contains("palette-picker"),
        "an unknown section was shown"
    );
    // Empty strings (image, a profile URL) are left out rather than shown empty.
    assert!(!md.contains("[Photo]") && !md.contains("]()"), "{md}");
    assert!(md.contains("Twitter: miralind\n"), "{md}");

    let txt = &built.txt;
    assert!(txt.contains("I build accessible web interfaces. Portfolio and writing on my site"));
    assert!(txt.contains("\n  - Built a component library used by four product teams\n"));
}

#[test]
fn tab_indented_json_builds() {
    let source = std::fs::read_to_string(root().join("tests/fixtures/tab-indented.json")).unwrap();
    assert!(
        source.contains("\n\t\t\"name\""),
        "the fixture must be indented with tabs"
    );
    let built = build_md_txt("tests/fixtures/tab-indented.json", &[]);
    assert_eq!(built.run.stderr, "");
    assert!(
        built
            .md
            .starts_with("# Tabitha Indent\n\n**Data Engineer**\n\nGraz, AT\n"),
        "{}",
        built.md
    );
    assert!(
        built
            .md
            .contains("### Data Engineer · Tabular GmbH\n\n*Feb 2019 – present*\n"),
        "{}",
        built.md
    );
    assert!(
        built
            .txt
            .contains("  - Indented with tabs, as many editors write resume.json\n"),
        "{}",
        built.txt
    );
}

/// Locations in a tab-indented JSON file count a tab as one column.
#[test]
fn tab_indented_json_warnings_are_located() {
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("resume.json");
    std::fs::write(
        &file,
        "{\n\t\"basics\": {\n\t\t\"name\": \"T\",\n\t\t\"lable\": \"x\"\n\t}\n}\n",
    )
    .unwrap();
    let r = run(["check", file.to_str().unwrap()]).expect_code(0);
    let at = format!("--> {}:4:3\n", file.display());
    assert!(
        r.stderr
            .starts_with("warning: unknown field \"lable\" in basics; did you mean \"label\"?\n"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains(&at), "{}", r.stderr);
}

#[test]
fn json_export_is_the_resolved_document() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().to_str().unwrap();
    let r = run(["build", "data/resume.yaml", "-f", "json", "-o", out]).expect_code(0);
    assert_eq!(r.stderr, "");
    let text = std::fs::read_to_string(tmp.path().join("resume.json")).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).expect("the JSON export parses");
    let mut keys: Vec<&str> = doc
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(keys, ["basics", "lang", "meta", "sections", "version"]);
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["lang"], "en");
    assert_eq!(doc["basics"]["email"], "rahul841986@gmail.com");
    let ids: Vec<&str> = doc["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    // settings.order; the projects and case studies are tagged for the portfolio variant,
    // which settings.exclude leaves out of the default build.
    assert_eq!(
        ids,
        [
            "skills",
            "work",
            "furtherProjects",
            "certificates",
            "openSource"
        ]
    );
    let titles: Vec<&str> = doc["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles[..2], ["Skills", "Experience"]);
    assert_eq!(
        doc["sections"][1]["entries"][0]["organization"][0]["text"],
        "Gymondo (7NXT Group)"
    );
}

/// A summary that ends in a list, followed by highlights: in Markdown they must stay two lists,
/// as they are two things in the document.
#[test]
fn summary_list_and_highlights_stay_separate_lists() {
    let md = build_md_txt("tests/fixtures/markdown-jsoncv.json", &[]).md;
    let html = comrak::markdown_to_html(&md, &comrak::Options::default());
    let experience =
        &html[html.find("<h2>Experience</h2>").unwrap()..html.find("<h2>Education</h2>").unwrap()];
    assert_eq!(experience.matches("<ul>").count(), 2, "{experience}");
}

#[test]
fn keys_from_before_1_0_and_empty_strings_build_with_warnings_naming_the_1_0_keys() {
    let built = common::build_md_txt("tests/fixtures/jsonresume-pre-1.0.json", &[]);
    for s in [
        "Pied Piper",
        "Hooli",
        "[https://piedpiper.example.com](https://piedpiper.example.com)",
        "[https://hooli.example.com](https://hooli.example.com)",
        "CoderDojo",
        "https://coderdojo.example.com",
        "https://en.wikipedia.example.org/wiki/Silicon_Valley",
        "**Grade:** 4.0",
        "Dec 2013 – present",
    ] {
        assert!(built.md.contains(s), "{s:?} in\n{}", built.md);
    }
    let stderr = &built.run.stderr;
    for s in [
        "warning: work[0].company is the name JSON Resume used before 1.0; it is read as work[0].name, which is what to call it\n  --> tests/fixtures/jsonresume-pre-1.0.json:13:6",
        "warning: basics.website is the name JSON Resume used before 1.0; it is read as basics.url",
        "warning: basics.picture is the name JSON Resume used before 1.0; it is read as basics.image",
        "warning: work[0].endDate is empty, so it counts as absent",
        "warning: education[0].gpa is the name JSON Resume used before 1.0; it is read as education[0].score",
    ] {
        assert!(stderr.contains(s), "{s:?} in\n{stderr}");
    }
    // meta.theme is JSON Resume's own, and no unknown key.
    assert!(!stderr.contains("meta.theme"), "{stderr}");
}
