//! The Markdown and plain-text exports: snapshots of the real résumés, the facts they must keep,
//! wrapping, escaping and inline Markdown.

mod common;

use common::{Built, build_md_txt, one_line, root, run};
use unicode_width::UnicodeWidthStr;
use vitae::export::{markdown, text};
use vitae::model::{LoadOptions, load_file};

const DATA: &str = "data/resume.yaml";
const EXAMPLE: &str = "examples/resume.yaml";
const MARKUP: &str = "tests/fixtures/text-markup.yaml";

/// Markdown and text (at `width`) rendered through the library, as the doc example does.
fn library(file: &str, lang: Option<&str>, width: usize) -> (String, String) {
    let loaded = load_file(&root().join(file), LoadOptions::default()).expect("loads");
    let options = vitae::build::BuildOptions {
        lang: lang.map(str::to_string),
        ..Default::default()
    };
    // The default build: the full résumé less what `settings.exclude` leaves out.
    let target = &vitae::build::targets(&loaded, &options).expect("targets")[0];
    let (doc, _warnings) = vitae::build::document(&loaded, target);
    (markdown::render(&doc), text::render(&doc, width))
}

/// Builds with the CLI and checks that nothing was printed on stderr.
fn build_quietly(file: &str, extra: &[&str]) -> Built {
    let built = build_md_txt(file, extra);
    assert_eq!(built.run.stderr, "", "building {file} {extra:?} warned");
    built
}

#[test]
fn data_resume_snapshots() {
    let built = build_quietly(DATA, &[]);
    insta::assert_snapshot!("data_resume_md", built.md);
    insta::assert_snapshot!("data_resume_txt", built.txt);
}

#[test]
fn example_resume_md_snapshot() {
    let built = build_quietly(EXAMPLE, &[]);
    insta::assert_snapshot!("example_resume_md", built.md);
}

/// The snapshot holds the expected text: it differs from today's output only where a URL is
/// now broken after `https://` (see `text_never_breaks_urls_or_emails`).
#[test]
fn example_resume_txt_snapshot() {
    let built = build_quietly(EXAMPLE, &[]);
    insta::assert_snapshot!("example_resume_txt", built.txt);
}

#[test]
fn cli_and_library_agree() {
    for (file, lang, width) in [
        (DATA, None, 80),
        (EXAMPLE, None, 80),
        (EXAMPLE, Some("de"), 60),
    ] {
        let mut extra = vec!["--width".to_string(), width.to_string()];
        if let Some(lang) = lang {
            extra.extend(["--lang".to_string(), lang.to_string()]);
        }
        let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
        let built = build_quietly(file, &extra);
        let (md, txt) = library(file, lang, width);
        assert_eq!(
            built.md, md,
            "{file} {lang:?}: Markdown differs between CLI and library"
        );
        assert_eq!(
            built.txt, txt,
            "{file} {lang:?}: text differs between CLI and library"
        );
    }
}

#[test]
fn german_example_uses_german_titles_and_months() {
    let built = build_quietly(EXAMPLE, &["--lang", "de"]);
    let md = &built.md;
    for heading in [
        "## Berufserfahrung",
        "## Projekte",
        "## Ausgewählte Vorträge",
        "## Kenntnisse",
        "## Ausbildung",
    ] {
        assert!(md.contains(&format!("\n{heading}\n")), "missing {heading}");
    }
    for dates in [
        "Sept. 2022 – heute",
        "März 2020 – Aug. 2022",
        "Mai 2019 – heute",
        "Okt. 2013 – Juli 2015",
        "Dez. 2023",
    ] {
        assert!(md.contains(dates), "missing {dates}");
    }
    assert!(md.contains("**Senior Softwareentwicklerin**"));
    assert!(
        !md.contains("present") && !md.contains("## Experience"),
        "English words in the German résumé"
    );
    insta::assert_snapshot!("example_resume_de_md", built.md);
}

#[test]
fn data_resume_checks_without_any_warning() {
    let r = run(["check", DATA]).expect_code(0);
    assert_eq!(r.stderr, "");
    assert_eq!(r.stdout, "data/resume.yaml: ok\n");
}

#[test]
fn data_resume_text_keeps_every_seed_fact() {
    let txt = one_line(&build_quietly(DATA, &[]).txt);
    let facts = [
        "Gymondo",
        "~80k events/hour",
        "2.8M+",
        "100K+",
        "12 downstream service calls",
        "Brightcove",
        "Akamai",
        "Mainstreaming",
        "Braze",
        "Emarsys",
        "Spike",
        "Thryve",
        "AWS Personalize",
        "Architecting Solutions on AWS",
        "Programming with Google Go Specialization",
        "Concurrency in Go",
        "Simple Ava HTML Reporter",
        "Protractor simple cucumber html reporter plugin",
        "Simple Cucumber HTML Reporter",
        "Deutsche Telekom",
        "OneApp",
        "Infosys",
    ];
    let missing: Vec<&str> = facts.into_iter().filter(|f| !txt.contains(f)).collect();
    assert!(missing.is_empty(), "missing from the text: {missing:?}");
}

/// Lines longer than `width` display columns are only allowed when they hold one word that
/// cannot be broken.
fn assert_wrapped(txt: &str, width: usize, what: &str) {
    for line in txt.lines() {
        if line.width() > width {
            let content = line.trim_start().trim_start_matches("- ");
            assert!(
                !content.contains(' '),
                "{what}: line over {width} columns: {line:?}"
            );
        }
    }
}

#[test]
fn text_is_wrapped_to_the_width() {
    for file in [DATA, EXAMPLE, "tests/fixtures/long.yaml"] {
        let default = build_md_txt(file, &[]).txt;
        assert_wrapped(&default, 80, file);
        assert!(
            default.lines().any(|l| l.chars().count() > 70),
            "{file}: nothing near 80 columns"
        );

        let narrow = build_md_txt(file, &["--width", "60"]).txt;
        assert_wrapped(&narrow, 60, file);
        assert_ne!(narrow, default, "{file}: --width 60 changed nothing");
        assert!(narrow.lines().count() > default.lines().count());
        // Only line breaks differ (and the " | " separators that a line break may replace).
        let squeeze = |s: &str| s.replace('|', " ").split_whitespace().collect::<String>();
        assert_eq!(
            squeeze(&narrow),
            squeeze(&default),
            "{file}: wrapping changed more than line breaks"
        );
    }
}

#[test]
fn contact_items_are_wrapped_to_the_width() {
    let narrow = build_md_txt(EXAMPLE, &["--width", "60"]).txt;
    assert_wrapped(&narrow, 60, EXAMPLE);
}

/// URLs and e-mail addresses shown in the plain text of the example, each of which must stay on
/// one line.
#[test]
fn text_never_breaks_urls_or_emails() {
    let source = std::fs::read_to_string(root().join(EXAMPLE)).unwrap();
    let txt = build_md_txt(EXAMPLE, &[]).txt;
    let squeezed: String = txt.split_whitespace().collect();
    let mut unbreakable: Vec<&str> = source
        .match_indices("https://")
        .map(|(at, _)| {
            source[at..]
                .split(|c: char| c.is_whitespace() || c == ')' || c == '"')
                .next()
                .unwrap()
        })
        .filter(|url| squeezed.contains(url))
        .collect();
    unbreakable.sort_unstable();
    unbreakable.dedup();
    unbreakable.push("ada@ada-kovac.example.com");
    assert!(unbreakable.len() > 15, "{unbreakable:?}");
    let words: Vec<&str> = txt
        .split_whitespace()
        .map(|w| w.trim_matches(|c| "()|,".contains(c)))
        .collect();
    let broken: Vec<&&str> = unbreakable.iter().filter(|u| !words.contains(u)).collect();
    assert!(broken.is_empty(), "broken across lines: {broken:#?}");
}

#[test]
fn text_has_no_markup_and_links_read_text_then_url() {
    for file in [DATA, EXAMPLE, MARKUP] {
        let txt = build_md_txt(file, &["--width", "1000"]).txt;
        for markup in ["**", "](", "`"] {
            assert!(!txt.contains(markup), "{file}: {markup:?} in the text");
        }
    }
    let txt = build_md_txt(EXAMPLE, &["--width", "1000"]).txt;
    assert!(txt.contains("see my blog (https://ada-kovac.example.com/blog))"));
    assert!(txt.contains(
        "on-call handbook (public version (https://lantern-logistics.example.com/handbook))"
    ));
    assert!(
        txt.contains("Backend engineer with ten years of experience building reliable distributed")
    );
    assert!(txt.contains("Fuzzed with cargo-fuzz;"));
    // A link whose text is its own address is not repeated.
    assert!(txt.contains("| https://ada-kovac.example.com |"));
}

#[test]
fn text_shows_literal_characters_and_plain_inline_markup() {
    let txt = build_md_txt(MARKUP, &[]).txt;
    for line in [
        "Engineer for *nix, snake_case and [x] checkboxes",
        "first_last@example.com",
        "Inline bold, italic, code and a link (https://example.com/docs).",
        "  - # not a heading",
        "  - 1. not a numbered list",
        "  - - not a bullet",
        "  - > not a quote",
        "  - Literal <b>bold?</b> tags, 2 * 3 = 6, a_b_c, ~tilde~ and [x] done",
        "  - Wrote Go and Rust, ran make test, see the docs (https://example.com/docs)",
        "- C++ & C#: a*b, x_y, [z]",
    ] {
        assert!(txt.lines().any(|l| l == line), "no line {line:?} in\n{txt}");
    }
}

#[test]
fn markdown_escapes_literal_characters() {
    let md = build_md_txt(MARKUP, &[]).md;
    for line in [
        r"**Engineer for \*nix, snake\_case and \[x\] checkboxes**",
        r"[first\_last@example.com](mailto:first_last@example.com)",
        r"- \# not a heading",
        r"- 1\. not a numbered list",
        r"- \- not a bullet",
        r"- \> not a quote",
        r"- Literal &lt;b>bold?&lt;/b> tags, 2 \* 3 = 6, a\_b\_c, \~tilde\~ and \[x\] done",
        r"- **C++ & C#**: a\*b, x\_y, \[z\]",
    ] {
        assert!(md.lines().any(|l| l == line), "no line {line:?} in\n{md}");
    }

    // Read back by a CommonMark parser, every one of them is literal text.
    let html = comrak::markdown_to_html(&md, &comrak::Options::default());
    assert_eq!(html.matches("<h1>").count(), 1, "{html}");
    for absent in ["<ol", "<blockquote", "<b>", "<em>nix", "<li><ul>"] {
        assert!(!html.contains(absent), "{absent} in\n{html}");
    }
    for literal in [
        "<strong>Engineer for *nix, snake_case and [x] checkboxes</strong>",
        "<li># not a heading</li>",
        "<li>1. not a numbered list</li>",
        "<li>- not a bullet</li>",
        "<li>&gt; not a quote</li>",
        "<li>Literal &lt;b&gt;bold?&lt;/b&gt; tags, 2 * 3 = 6, a_b_c, ~tilde~ and [x] done</li>",
        "<li><strong>C++ &amp; C#</strong>: a*b, x_y, [z]</li>",
    ] {
        assert!(html.contains(literal), "no {literal} in\n{html}");
    }
}

#[test]
fn markdown_keeps_inline_markup() {
    let md = build_md_txt(MARKUP, &[]).md;
    assert!(
        md.contains(
            "\nInline **bold**, *italic*, `code` and a [link](https://example.com/docs).\n"
        )
    );
    assert!(md.contains(
        "\n- Wrote **Go** and *Rust*, ran `make test`, see [the docs](https://example.com/docs)\n"
    ));
    let html = comrak::markdown_to_html(&md, &comrak::Options::default());
    for tag in [
        "<strong>Go</strong>",
        "<em>Rust</em>",
        "<code>make test</code>",
        r#"<a href="https://example.com/docs">the docs</a>"#,
    ] {
        assert!(html.contains(tag), "no {tag} in\n{html}");
    }

    let md = build_md_txt(EXAMPLE, &[]).md;
    for markup in [
        "with **ten years** of experience building *reliable*",
        "services on `Kafka` and PostgreSQL",
        "(see my [blog](https://ada-kovac.example.com/blog))",
        "([public version](https://lantern-logistics.example.com/handbook))",
    ] {
        assert!(md.contains(markup), "missing {markup:?}");
    }
}

/// YAML reads an unquoted `4.0` as a number; text fields show it as written.
#[test]
fn unquoted_numbers_in_text_fields_are_shown_as_written() {
    let tmp = tempfile::TempDir::new().unwrap();
    let file = tmp.path().join("numbers.yaml");
    let yaml = "basics:\n  name: Nora Number\n  label: 0x1F\neducation:\n  - institution: Uni\n    score: 4.0\n\
                skills:\n  - name: Versions\n    keywords: [1.50, 2.10]\n";
    std::fs::write(&file, yaml).unwrap();
    let built = build_md_txt(file.to_str().unwrap(), &[]);
    assert!(built.txt.contains("\n  Grade: 4.0\n"), "{}", built.txt);
    assert!(
        built.txt.contains("- Versions: 1.50, 2.10\n"),
        "{}",
        built.txt
    );
    assert!(built.txt.contains("\n0x1F\n"), "{}", built.txt);
}

const JAPANESE: &str = "\
basics:
  name: 山田 花子
  label: シニアバックエンドエンジニア
  location: {city: 東京都渋谷区, countryCode: JP}
  summary: 大規模な決済基盤の設計と運用に十年以上携わってきました。可観測性と信頼性の向上を得意としています。
work:
  - name: 株式会社ランタン物流
    position: スタッフエンジニア
    startDate: \"2019-04\"
    highlights:
      - 負荷試験の自動化により、リリース前の性能劣化を早期に検出できるようにしました。
      - Go と Kafka による イベント駆動アーキテクチャ への移行を主導し、p99 レイテンシを 40% 短縮。
skills:
  - name: バックエンド
    keywords: [Go, Kafka, PostgreSQL, 分散システム設計]
settings:
  lang: ja
";

#[test]
fn cjk_text_wraps_by_display_width() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ja.yaml");
    std::fs::write(&file, JAPANESE).unwrap();
    let file = file.to_str().unwrap();
    let narrow = build_md_txt(file, &["--width", "30"]);
    assert_eq!(narrow.run.stderr, "");
    for line in narrow.txt.lines() {
        assert!(line.width() <= 30, "{} columns: {line:?}", line.width());
    }
    // Wide characters fill the line: the summary's first line is exactly 30 columns.
    assert!(
        narrow.txt.contains("\n大規模な決済基盤の設計と運用に\n"),
        "{}",
        narrow.txt
    );
    // Headings are underlined to their width in columns, two per character.
    assert!(narrow.txt.contains("\n職歴\n====\n"), "{}", narrow.txt);
    assert!(narrow.txt.contains("\nスキル\n======\n"), "{}", narrow.txt);
    // Closing punctuation never starts a line.
    assert!(
        !narrow
            .txt
            .lines()
            .any(|l| l.trim_start().starts_with(['、', '。'])),
        "{}",
        narrow.txt
    );
    // Only line breaks (and their indentation) differ from a wide rendering.
    let wide = build_md_txt(file, &["--width", "200"]).txt;
    let squeeze = |s: &str| {
        s.lines()
            .map(str::trim)
            .collect::<String>()
            .replace(' ', "")
    };
    assert_eq!(squeeze(&narrow.txt), squeeze(&wide));
}
