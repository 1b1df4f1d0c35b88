//! HTML export (`-f html`): every string of the model in reading order, a page an HTML5 parser
//! reads without one error, byte-identical rebuilds, nothing live from user text, words and
//! direction from the locale, the photo inline, and a snapshot of a small résumé.

mod common;

use html5ever::driver::ParseOpts;
use html5ever::tendril::TendrilSink;
use html5ever::tree_builder::TreeBuilderOpts;
use markup5ever_rcdom::{Handle, NodeData, RcDom};
use std::path::Path;
use tempfile::TempDir;
use vitae::build::{self, BuildOptions};
use vitae::model::document::Document;
use vitae::model::{LoadOptions, load_file};

/// `vitae build FILE -f html` into a temporary folder; the HTML it wrote.
fn build_html(file: &Path, extra: &[&str]) -> String {
    let out = TempDir::new().unwrap();
    let mut args = vec![
        "build".to_string(),
        file.display().to_string(),
        "-f".into(),
        "html".into(),
        "-o".into(),
        out.path().display().to_string(),
    ];
    args.extend(extra.iter().map(|a| a.to_string()));
    common::run(&args).expect_code(0);
    let stem = file.file_stem().unwrap().to_str().unwrap();
    std::fs::read_to_string(out.path().join(format!("{stem}.html"))).expect("HTML written")
}

/// The document the default build of `file` renders.
fn document(file: &Path) -> Document {
    let loaded = load_file(file, LoadOptions::default()).expect("loads");
    let targets = build::targets(&loaded, &BuildOptions::default()).expect("targets");
    build::document(&loaded, &targets[0]).0
}

/// A résumé written into a temporary folder.
fn resume(yaml: &str) -> (TempDir, std::path::PathBuf) {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("resume.yaml");
    std::fs::write(&path, yaml).unwrap();
    (dir, path)
}

/// Parses with html5ever, the HTML5 parsing algorithm browsers use; panics on any parse error.
fn parse(html: &str) -> RcDom {
    let opts = ParseOpts {
        tree_builder: TreeBuilderOpts {
            exact_errors: true,
            ..TreeBuilderOpts::default()
        },
        ..ParseOpts::default()
    };
    let dom = html5ever::parse_document(RcDom::default(), opts).one(html);
    let errors = dom.errors.borrow().clone();
    assert!(errors.is_empty(), "HTML5 parse errors: {errors:?}");
    dom
}

/// Every element, depth first: its name and attributes.
fn elements(dom: &RcDom) -> Vec<(String, Vec<(String, String)>)> {
    fn walk(node: &Handle, out: &mut Vec<(String, Vec<(String, String)>)>) {
        if let NodeData::Element { name, attrs, .. } = &node.data {
            let attrs = attrs
                .borrow()
                .iter()
                .map(|a| (a.name.local.to_string(), a.value.to_string()))
                .collect();
            out.push((name.local.to_string(), attrs));
        }
        for child in node.children.borrow().iter() {
            walk(child, out);
        }
    }
    let mut out = Vec::new();
    walk(&dom.document, &mut out);
    out
}

/// The text a reader sees: the body's text nodes, entities decoded, white space collapsed.
fn visible_text(dom: &RcDom) -> String {
    fn walk(node: &Handle, out: &mut String) {
        match &node.data {
            NodeData::Text { contents } => out.push_str(&contents.borrow()),
            NodeData::Element { name, .. }
                if matches!(&*name.local, "head" | "script" | "style" | "title") => {}
            _ => {
                for child in node.children.borrow().iter() {
                    walk(child, out);
                }
            }
        }
    }
    let mut out = String::new();
    walk(&dom.document, &mut out);
    collapse(&out)
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn attr<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// Each string of the model is found after the one before it ends.
fn assert_in_reading_order(doc: &Document, text: &str, what: &str) {
    let mut floor = 0;
    for (field, value) in doc.texts() {
        let value = collapse(&value);
        match text[floor..].find(&value) {
            Some(at) => floor += at + value.len(),
            None => panic!(
                "{what}: {field} = {value:?} is missing or out of order; the text from there: {:?}",
                &text[floor..text.len().min(floor + 300)]
            ),
        }
    }
}

#[test]
fn every_string_of_the_model_is_in_the_html_in_reading_order() {
    for file in ["data/resume.yaml", "examples/resume.yaml"] {
        let path = common::root().join(file);
        let html = build_html(&path, &[]);
        let dom = parse(&html);
        let doc = document(&path);
        assert!(doc.texts().len() > 40, "{file}: a real résumé");
        assert_in_reading_order(&doc, &visible_text(&dom), file);
    }
}

#[test]
fn the_page_is_semantic_and_self_contained() {
    let html = build_html(&common::root().join("examples/resume.yaml"), &[]);
    let dom = parse(&html);
    let els = elements(&dom);
    let count = |name: &str| els.iter().filter(|(n, _)| n == name).count();
    let doc = document(&common::root().join("examples/resume.yaml"));
    assert_eq!(count("h1"), 1);
    assert_eq!(count("h2"), doc.sections.len());
    assert_eq!(count("address"), 1);
    assert!(
        count("section") > doc.sections.len(),
        "sections and the summary"
    );
    assert!(count("ul") > 5);
    // Machine-readable dates: 2022-09 is the start of the first job.
    assert!(
        els.iter()
            .any(|(n, a)| n == "time" && attr(a, "datetime") == Some("2022-09")),
        "no <time datetime=2022-09>"
    );
    for (name, attrs) in &els {
        if let Some(datetime) = attr(attrs, "datetime") {
            let ok =
                datetime.len() >= 4 && datetime.chars().all(|c| c.is_ascii_digit() || c == '-');
            assert!(ok, "<{name} datetime={datetime:?}>");
        }
        // Nothing is fetched: no external stylesheet, script, image, font or frame.
        assert!(
            !matches!(
                name.as_str(),
                "link" | "iframe" | "object" | "embed" | "img"
            ),
            "<{name}>"
        );
        assert!(attr(attrs, "src").is_none(), "<{name} src>");
    }
    assert!(
        !html.contains("@import") && !html.contains("url("),
        "CSS loads nothing"
    );
    assert!(!html.contains("@font-face"));
    let html_el = &els.iter().find(|(n, _)| n == "html").unwrap().1;
    assert_eq!(attr(html_el, "lang"), Some("en"));
    assert_eq!(attr(html_el, "dir"), Some("ltr"));
    // The one script is data.
    let scripts: Vec<_> = els.iter().filter(|(n, _)| n == "script").collect();
    assert_eq!(scripts.len(), 1);
    assert_eq!(attr(&scripts[0].1, "type"), Some("application/ld+json"));
    // Light, dark, print and phone widths, and the accent of settings.accent.
    for css in [
        "--accent:#1f4e79",
        "@media (prefers-color-scheme: dark)",
        "@media print",
        "@media (max-width: 40rem)",
        "break-inside: avoid",
        "margin-inline",
        "name=\"viewport\"",
    ] {
        assert!(html.contains(css), "missing {css}");
    }
    // Links: mail, web, profiles, inline Markdown links.
    let hrefs: Vec<&str> = els.iter().filter_map(|(_, a)| attr(a, "href")).collect();
    for want in [
        "mailto:ada@ada-kovac.example.com",
        "https://ada-kovac.example.com",
        "https://github.example.com/adakovac",
        "https://ada-kovac.example.com/blog",
    ] {
        assert!(hrefs.contains(&want), "no link to {want}: {hrefs:?}");
    }
}

#[test]
fn json_ld_describes_the_person() {
    let html = build_html(&common::root().join("examples/resume.yaml"), &[]);
    let dom = parse(&html);
    let json = script_json(&dom);
    assert_eq!(json["@context"], "https://schema.org");
    assert_eq!(json["@type"], "Person");
    assert_eq!(json["name"], "Ada Kovač");
    assert_eq!(json["jobTitle"], "Senior Software Engineer");
    assert_eq!(json["email"], "ada@ada-kovac.example.com");
    assert_eq!(json["url"], "https://ada-kovac.example.com");
    assert_eq!(json["address"]["addressLocality"], "Zagreb");
    assert_eq!(json["sameAs"][0], "https://github.example.com/adakovac");
    assert_eq!(json["worksFor"][0]["name"], "Lantern Logistics");
}

/// The JSON-LD of the page, parsed.
fn script_json(dom: &RcDom) -> serde_json::Value {
    fn find(node: &Handle) -> Option<String> {
        if let NodeData::Element { name, .. } = &node.data
            && &*name.local == "script"
        {
            let mut text = String::new();
            for child in node.children.borrow().iter() {
                if let NodeData::Text { contents } = &child.data {
                    text.push_str(&contents.borrow());
                }
            }
            return Some(text);
        }
        node.children.borrow().iter().find_map(find)
    }
    let text = find(&dom.document).expect("a script element");
    serde_json::from_str(&text).expect("the JSON-LD is JSON")
}

#[test]
fn rebuilds_are_byte_identical() {
    for file in ["data/resume.yaml", "examples/resume.yaml"] {
        let path = common::root().join(file);
        assert_eq!(build_html(&path, &[]), build_html(&path, &[]), "{file}");
    }
}

const INJECTION: &str = r#"
basics:
  name: '"><img src=x onerror=alert(1)>'
  label: '</script><script>alert(2)</script>'
  email: 'a@example.com"><script>alert(3)</script>'
  url: 'javascript:alert(1)'
  profiles:
    - network: X
      url: ' JaVaScRiPt:alert(4)'
  summary: 'Click [me](javascript:alert(5)) or <a href="javascript:alert(6)">me</a>'
work:
  - name: '<b onmouseover=alert(7)>Corp</b>'
    position: Engineer
    url: 'data:text/html,<script>alert(8)</script>'
    startDate: '2020-01'
    highlights:
      - '<script>alert(1)</script>'
      - '<style>body{display:none}</style>'
skills:
  - name: '<iframe src=//evil.example>'
    keywords: ['<svg onload=alert(9)>']
"#;

#[test]
fn nothing_in_user_text_is_live() {
    let (_dir, path) = resume(INJECTION);
    let html = build_html(&path, &[]);
    let dom = parse(&html);
    for (name, attrs) in elements(&dom) {
        assert!(
            !matches!(name.as_str(), "img" | "iframe" | "svg" | "b"),
            "a live <{name}>"
        );
        for (key, value) in &attrs {
            assert!(!key.starts_with("on"), "<{name} {key}={value:?}>");
            if key == "href" || key == "src" {
                let v = value.trim().to_ascii_lowercase();
                assert!(
                    !v.starts_with("javascript:") && !v.starts_with("data:"),
                    "<{name} {key}={value:?}>"
                );
            }
        }
        if name == "script" {
            assert_eq!(attr(&attrs, "type"), Some("application/ld+json"));
        }
    }
    let els = elements(&dom);
    assert_eq!(els.iter().filter(|(n, _)| n == "script").count(), 1);
    assert_eq!(els.iter().filter(|(n, _)| n == "style").count(), 1);
    // Every string is shown as written.
    let text = visible_text(&dom);
    for literal in [
        r#""><img src=x onerror=alert(1)>"#,
        "<script>alert(1)</script>",
        "<style>body{display:none}</style>",
        "javascript:alert(1)",
        "JaVaScRiPt:alert(4)",
        "<b onmouseover=alert(7)>Corp</b>",
        "data:text/html,<script>alert(8)</script>",
        "<iframe src=//evil.example>",
        "<svg onload=alert(9)>",
    ] {
        assert!(text.contains(literal), "{literal} is not shown as text");
    }
    // The JSON-LD holds the label as data, and no `<` that could end its element.
    let json = script_json(&dom);
    assert_eq!(json["jobTitle"], "</script><script>alert(2)</script>");
    assert_eq!(json["name"], r#""><img src=x onerror=alert(1)>"#);
    assert!(json.get("url").is_none(), "a javascript: URL is no url");
    let start = html.find("application/ld+json").unwrap();
    let end = start + html[start..].find("</script>").unwrap();
    assert!(!html[start..end].contains('<'));
}

#[test]
fn words_and_direction_come_from_the_locale() {
    let html = build_html(
        &common::root().join("examples/resume.yaml"),
        &["--lang", "de"],
    );
    let dom = parse(&html);
    let els = elements(&dom);
    let root_el = &els.iter().find(|(n, _)| n == "html").unwrap().1;
    assert_eq!(attr(root_el, "lang"), Some("de"));
    let text = visible_text(&dom);
    for word in [
        "Berufserfahrung",
        "Sept. 2022 – heute",
        "Senior Softwareentwicklerin",
    ] {
        assert!(text.contains(word), "{word} missing");
    }
    assert!(
        els.iter()
            .any(|(n, a)| n == "address" && attr(a, "aria-label") == Some("Kontakt"))
    );

    let (_dir, path) = resume(
        "basics:\n  name: نور\nwork:\n  - name: شركة\n    position: مهندسة\n    startDate: '2021-04'\nsettings:\n  lang: ar\n",
    );
    let html = build_html(&path, &[]);
    let dom = parse(&html);
    let els = elements(&dom);
    let root_el = &els.iter().find(|(n, _)| n == "html").unwrap().1;
    assert_eq!(attr(root_el, "lang"), Some("ar"));
    assert_eq!(attr(root_el, "dir"), Some("rtl"));
    let h2: Vec<_> = els.iter().filter(|(n, _)| n == "h2").collect();
    assert_eq!(h2.len(), 1);
    // The Arabic heading for work, not the English one.
    assert!(!visible_text(&dom).contains("Experience"));
    assert!(
        visible_text(&dom).contains("الخبرة العملية"),
        "{}",
        visible_text(&dom)
    );
}

#[test]
fn a_photo_is_inline_and_a_photo_url_is_never_loaded() {
    let dir = TempDir::new().unwrap();
    let png = std::fs::read(common::root().join("examples/photo.png")).unwrap();
    std::fs::write(dir.path().join("me.png"), &png).unwrap();
    let path = dir.path().join("resume.yaml");
    std::fs::write(&path, "basics:\n  name: Ada\n  image: me.png\n").unwrap();
    let html = build_html(&path, &[]);
    let els = elements(&parse(&html));
    let imgs: Vec<_> = els.iter().filter(|(n, _)| n == "img").collect();
    assert_eq!(imgs.len(), 1);
    use base64::Engine as _;
    let want = format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(&png)
    );
    assert_eq!(attr(&imgs[0].1, "src"), Some(want.as_str()));
    assert_eq!(attr(&imgs[0].1, "alt"), Some("Ada"));

    std::fs::write(
        &path,
        "basics:\n  name: Ada\n  image: https://example.com/me.png\n",
    )
    .unwrap();
    let html = build_html(&path, &[]);
    let els = elements(&parse(&html));
    assert!(els.iter().all(|(n, _)| n != "img"));
    assert!(
        els.iter()
            .any(|(n, a)| n == "a" && attr(a, "href") == Some("https://example.com/me.png"))
    );
}

#[test]
fn snapshot_of_a_small_resume() {
    let (_dir, path) = resume(
        r##"basics:
  name: Mira Šimić
  label: Data engineer
  email: mira@example.com
  phone: "+49 30 1234 567"
  url: https://mira.example.com
  location: {city: Berlin, countryCode: DE}
  profiles:
    - {network: GitHub, username: mira, url: "https://github.com/mira"}
  summary: I build **pipelines** that [stay up](https://mira.example.com/uptime).
work:
  - name: Acme & Co
    position: Senior Data Engineer
    location: Berlin
    startDate: "2021-03"
    highlights:
      - Cut batch time from 6 h to `40 min`
education:
  - institution: TU Berlin
    studyType: MSc
    area: Computer Science
    startDate: "2016"
    endDate: "2018"
    score: "1.3"
skills:
  - {name: Data, level: Expert, keywords: [Spark, Kafka]}
settings:
  accent: "#aa3300"
"##,
    );
    let html = build_html(&path, &[]);
    parse(&html);
    // The stylesheet is its own file; the snapshot is the markup.
    let start = html.find("<style>").unwrap();
    let end = html.find("</style>").unwrap();
    let markup = format!(
        "{}<style>/* src/export/html/style.css */{}",
        &html[..start],
        &html[end..]
    );
    assert!(html[start..end].contains("--accent:#aa3300"));
    insta::assert_snapshot!("small_resume_html", markup);
}

/// Headless Chromium, where installed: the page at a desktop and a phone width (screenshots in
/// `target/html-shots/` for a person to look at), and printed to PDF with every string kept.
#[test]
fn chromium_renders_the_page_at_desktop_and_phone_widths() {
    let Some(chromium) = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| {
            std::process::Command::new(c)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
    else {
        eprintln!("skipped: no chromium on PATH (apt-get install chromium)");
        return;
    };
    let shots = common::root().join("target/html-shots");
    std::fs::create_dir_all(&shots).unwrap();
    let out = TempDir::new().unwrap();
    common::run([
        "build",
        "examples/resume.yaml",
        "-f",
        "html",
        "-o",
        out.path().to_str().unwrap(),
    ])
    .expect_code(0);
    let page = out.path().join("resume.html");
    for width in [1200, 400] {
        let profile = TempDir::new().unwrap();
        let png = shots.join(format!("example-{width}.png"));
        let _ = std::fs::remove_file(&png);
        let status = std::process::Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--hide-scrollbars",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg(format!("--window-size={width},2400"))
            .arg(format!("--screenshot={}", png.display()))
            .arg(format!("file://{}", page.display()))
            .output()
            .expect("chromium runs");
        assert!(status.status.success(), "chromium failed: {status:?}");
        let bytes = std::fs::read(&png).expect("a screenshot");
        assert!(bytes.starts_with(b"\x89PNG"), "not a PNG");
        let w = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
        assert_eq!(w, width, "screenshot width");
    }
    // Printed from the browser (the print stylesheet), every string is on paper, in order.
    let profile = TempDir::new().unwrap();
    let pdf_path = out.path().join("printed.pdf");
    let status = std::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--print-to-pdf={}", pdf_path.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(status.status.success(), "chromium failed: {status:?}");
    let pdf = std::fs::read(&pdf_path).expect("a printed PDF");
    let fold = |t: &str| -> String {
        t.chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_lowercase()
    };
    let extracted = pdf_extract::extract_text_from_mem(&pdf).expect("text extracts");
    // Chromium sets "ff", "fi" … as ligatures, which the extractor returns as one character.
    let extracted = extracted
        .replace('\u{fb00}', "ff")
        .replace('\u{fb01}', "fi")
        .replace('\u{fb02}', "fl")
        .replace('\u{fb03}', "ffi")
        .replace('\u{fb04}', "ffl");
    let mut text = fold(&extracted);
    // Paper shows the address after a link whose text is not its address: "blog (https://…)".
    let mut printed_urls = 0;
    while let Some(start) = text.find("(http") {
        let end = start + text[start..].find(')').expect("closing parenthesis");
        text.replace_range(start..=end, "");
        printed_urls += 1;
    }
    assert!(
        printed_urls >= 4,
        "print shows link addresses: {printed_urls}"
    );
    let mut floor = 0;
    for (field, value) in document(&common::root().join("examples/resume.yaml")).texts() {
        let value = fold(&value);
        let found = text[floor..].find(&value);
        assert!(
            found.is_some(),
            "printed: {field} = {value:?} missing or out of order"
        );
        floor += found.unwrap_or(0);
    }
}
