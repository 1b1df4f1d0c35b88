//! PDF output through embedded Typst: text in reading order for every layout, literal user
//! text, byte-identical rebuilds, the sandbox, located layout errors, metadata and PNG.

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use vitae::build::{self, BuildOptions};
use vitae::export::Format;
use vitae::export::pdf::{Density, Engine, Standard, Style, layouts};
use vitae::model::document::Document;
use vitae::model::{LoadOptions, ResolveOptions, load_file, resolve};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn document(path: &str) -> Document {
    let loaded = load_file(&root().join(path), LoadOptions::default()).expect("fixture loads");
    resolve(&loaded, &loaded.resume, &ResolveOptions::default()).0
}

fn pdf_of(engine: &Engine, doc: &Document, layout: &str) -> Vec<u8> {
    let layout = engine.layout(layout, None).expect("layout exists");
    let compiled = engine
        .compile(&layout, doc, &Style::default(), Density::default(), None)
        .expect("compiles");
    engine
        .pdf(&compiled, "test", None, Standard::Ua1)
        .expect("writes PDF")
}

fn pages(pdf: &[u8]) -> Vec<String> {
    pdf_extract::extract_text_from_mem_by_pages(pdf).expect("text extracts")
}

/// Text without any whitespace: line wrapping must not matter when looking for a phrase.
fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Squashed and lower-cased: layouts may set headings in capitals.
fn fold(text: &str) -> String {
    squash(text).to_lowercase()
}

/// `vitae build examples/resume.yaml ARGS -o OUT`, from the crate root.
fn build_example(args: &[&str], out: impl AsRef<Path>) -> assert_cmd::assert::Assert {
    vitae(&root())
        .args(["build", "examples/resume.yaml"])
        .args(args)
        .arg("-o")
        .arg(out.as_ref())
        .assert()
}

fn vitae(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("vitae").expect("binary builds");
    cmd.current_dir(dir);
    cmd
}

/// The entry a text belongs to: `work[2].highlights[1]` → `work[2]`; basics is one group; a
/// section title is a group of its own.
fn group_of(field: &str) -> &str {
    if let Some(end) = field.find(']') {
        &field[..=end]
    } else if field.starts_with("basics.") {
        "basics"
    } else {
        field
    }
}

/// Every string of the model appears, in reading order: entry by entry, each entry's strings
/// after the start of the entry before it (a layout may order an entry's own parts, e.g. a
/// company above its roles). A two-column layout's side column is read as a block of its own,
/// so there order restarts at each section.
#[test]
fn every_string_of_the_model_is_in_the_pdf_in_reading_order() {
    let engine = Engine::new(&[] as &[PathBuf]).expect("fonts load");
    for path in ["examples/resume.yaml", "data/resume.yaml"] {
        let doc = document(path);
        let texts = doc.texts();
        for layout in layouts::BUILTIN {
            let extracted = fold(&pages(&pdf_of(&engine, &doc, layout.name)).concat());
            let mut floor = 0;
            let mut i = 0;
            while i < texts.len() {
                let group = group_of(&texts[i].0);
                let is_section_title = !group.contains('[') && group != "basics";
                if layout.name == "sidebar" && is_section_title {
                    floor = 0;
                }
                let mut start = usize::MAX;
                while i < texts.len() && group_of(&texts[i].0) == group {
                    let (field, text) = &texts[i];
                    let found = extracted[floor..].find(&fold(text)).map(|at| floor + at);
                    assert!(
                        found.is_some(),
                        "{path}, layout {}: {field} = {text:?} is missing or out of order",
                        layout.name
                    );
                    start = start.min(found.unwrap_or(floor));
                    i += 1;
                }
                floor = start;
            }
        }
    }
}

#[test]
fn typst_syntax_in_user_text_prints_literally() {
    let engine = Engine::new(&[] as &[PathBuf]).expect("fonts load");
    let doc = document("tests/fixtures/injection.yaml");
    for layout in layouts::BUILTIN {
        let text = squash(&pages(&pdf_of(&engine, &doc, layout.name)).concat());
        for literal in [
            "#read(\"/etc/passwd\")",
            "$x^2$",
            "<l>",
            "@r",
            "//notacomment",
            "/*northis*/",
            "#set page(width: 1cm)",
            "#import\"@preview/x:0.1.0\"",
            "#eval(\"1+1\")",
        ] {
            assert!(
                text.contains(&squash(literal)),
                "layout {}: {literal} not printed literally",
                layout.name
            );
        }
        assert!(!text.contains("root:x:0:0"), "a file was read");
    }
}

#[test]
fn rebuilds_are_byte_identical() {
    let doc = document("data/resume.yaml");
    for layout in layouts::BUILTIN {
        // A fresh engine each time: nothing memoised or cached carries over.
        let build = || {
            pdf_of(
                &Engine::new(&[] as &[PathBuf]).expect("fonts"),
                &doc,
                layout.name,
            )
        };
        assert!(build() == build(), "{}: two builds differ", layout.name);
    }

    let dir = tempfile::tempdir().expect("temp dir");
    for out in ["a", "b"] {
        vitae(&root())
            .args(["build", "data/resume.yaml", "-f", "pdf,png", "-o"])
            .arg(dir.path().join(out))
            .env("SOURCE_DATE_EPOCH", "1700000000")
            .assert()
            .success();
    }
    for file in ["resume.pdf", "resume-1.png"] {
        let a = std::fs::read(dir.path().join("a").join(file)).expect("built");
        let b = std::fs::read(dir.path().join("b").join(file)).expect("built");
        assert!(a == b, "{file} differs between builds");
    }
}

#[test]
fn the_pdf_carries_metadata_tags_and_links() {
    let dir = tempfile::tempdir().expect("temp dir");
    build_example(&["-f", "pdf"], dir.path()).success();
    let pdf = std::fs::read(dir.path().join("resume.pdf")).expect("built");
    let raw = String::from_utf8_lossy(&pdf);
    assert!(
        raw.contains("Ada Kovač — Résumé"),
        "title missing from the XMP metadata"
    );
    assert!(raw.contains("<dc:language>"), "language missing");
    assert!(raw.contains("pdfuaid:part"), "not declared PDF/UA");
    assert!(raw.contains("/StructTreeRoot"), "not tagged");
    assert!(raw.contains("/URI"), "no clickable links");
    assert!(raw.contains("<pdf:Keywords>"), "keywords missing");

    build_example(
        &["-f", "pdf", "--pdf-standard", "a-2b"],
        dir.path().join("archival"),
    )
    .success();
    let archival = std::fs::read(dir.path().join("archival/resume.pdf")).expect("built");
    assert!(
        String::from_utf8_lossy(&archival).contains("pdfaid:part"),
        "not declared PDF/A"
    );
}

#[test]
fn the_pdf_date_comes_from_source_date_epoch_then_last_modified() {
    let dir = tempfile::tempdir().expect("temp dir");
    let build = |out: &str, epoch: Option<&str>| {
        let mut cmd = vitae(&root());
        cmd.args([
            "build",
            "tests/fixtures/jsonresume-full.json",
            "-f",
            "pdf",
            "-o",
        ])
        .arg(dir.path().join(out));
        match epoch {
            Some(e) => cmd.env("SOURCE_DATE_EPOCH", e),
            None => cmd.env_remove("SOURCE_DATE_EPOCH"),
        };
        cmd.assert().success();
        String::from_utf8_lossy(
            &std::fs::read(dir.path().join(out).join("jsonresume-full.pdf")).expect("built"),
        )
        .to_string()
    };
    // 1700000000 is 2023-11-14T22:13:20Z; the fixture's lastModified is 2017-12-24T15:53:00.
    assert!(build("epoch", Some("1700000000")).contains("2023-11-14T22:13:20"));
    assert!(build("meta", None).contains("2017-12-24T15:53:00"));
}

#[test]
fn png_writes_one_image_per_page_at_the_requested_resolution() {
    let dir = tempfile::tempdir().expect("temp dir");
    vitae(&root())
        .args([
            "build",
            "data/resume.yaml",
            "-f",
            "pdf,png",
            "--ppi",
            "72",
            "-o",
        ])
        .arg(dir.path())
        .assert()
        .success();
    let pdf = std::fs::read(dir.path().join("resume.pdf")).expect("built");
    let count = pages(&pdf).len();
    assert!(count > 1, "the full résumé is several pages");
    for n in 1..=count {
        let png = std::fs::read(dir.path().join(format!("resume-{n}.png"))).expect("page image");
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let width = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
        assert_eq!(width, 595, "A4 at 72 ppi is 595 pixels wide");
    }
    assert!(
        !dir.path()
            .join(format!("resume-{}.png", count + 1))
            .exists()
    );
}

#[test]
fn letter_paper_comes_from_settings_or_the_command_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    build_example(
        &["-f", "png", "--ppi", "72", "--page-size", "letter"],
        dir.path(),
    )
    .success();
    let png = std::fs::read(dir.path().join("resume-1.png")).expect("page image");
    assert_eq!(
        u32::from_be_bytes([png[16], png[17], png[18], png[19]]),
        612,
        "US Letter is 612pt wide"
    );
}

/// A user layout directory with a secret beside it (outside the layout's root).
fn sandbox(layout: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("secret.txt"), "TOP-SECRET").expect("write");
    let layouts = dir.path().join("layouts");
    std::fs::create_dir(&layouts).expect("mkdir");
    std::fs::write(layouts.join("inside.txt"), "INSIDE-OK").expect("write");
    std::fs::write(layouts.join("mine.typ"), layout).expect("write");
    let path = layouts.join("mine.typ");
    (dir, path)
}

fn build_with_layout(layout: &Path, out: &Path) -> assert_cmd::assert::Assert {
    vitae(&root())
        .args([
            "build",
            "tests/fixtures/injection.yaml",
            "-f",
            "pdf",
            "--layout",
        ])
        .arg(layout)
        .arg("-o")
        .arg(out)
        .assert()
}

#[test]
fn a_user_layout_reads_inside_its_root_only() {
    let (dir, layout) = sandbox(
        "#import \"/vitae.typ\": *\n#set document(title: settings.document.title)\n= #plain(resume.basics.name)\n#read(\"inside.txt\")\n",
    );
    build_with_layout(&layout, &dir.path().join("ok")).success();
    let text = pages(&std::fs::read(dir.path().join("ok/injection.pdf")).expect("built")).concat();
    assert!(text.contains("INSIDE-OK"));

    for escape in ["../secret.txt", "/../secret.txt", "/etc/passwd"] {
        std::fs::write(&layout, format!("= Name\n#read(\"{escape}\")\n")).expect("write");
        let assert = build_with_layout(&layout, &dir.path().join("escape")).code(1);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
        assert!(!stderr.contains("TOP-SECRET"), "{escape}: {stderr}");
        assert!(
            stderr.contains("mine.typ:2:"),
            "{escape}: error not located: {stderr}"
        );
        assert!(!dir.path().join("escape/injection.pdf").exists());
    }

    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(
            dir.path().join("secret.txt"),
            dir.path().join("layouts/link.txt"),
        )
        .expect("symlink");
        std::fs::write(&layout, "= Name\n#read(\"link.txt\")\n").expect("write");
        let assert = build_with_layout(&layout, &dir.path().join("link")).code(1);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
        assert!(stderr.contains("access denied"), "{stderr}");
    }
}

#[test]
fn packages_are_never_downloaded() {
    let (dir, layout) = sandbox("#import \"@preview/cetz:0.3.0\": *\n= Name\n");
    let assert = build_with_layout(&layout, &dir.path().join("out")).code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(stderr.contains("does not download packages"), "{stderr}");
    assert!(stderr.contains("mine.typ:1:9"), "{stderr}");
}

#[test]
fn a_bad_layout_gives_a_located_error_and_keeps_the_earlier_pdf() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("dist");
    build_example(&["-f", "pdf"], &out).success();
    let before = std::fs::read(out.join("resume.pdf")).expect("built");

    let layout = dir.path().join("broken.typ");
    std::fs::write(
        &layout,
        "#import \"/vitae.typ\": *\n= Name\n#let x = (1, 2\n",
    )
    .expect("write");
    let assert = vitae(&root())
        .args(["build", "examples/resume.yaml", "-f", "pdf", "--layout"])
        .arg(&layout)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(
        stderr.contains(&format!("{}:3:", layout.display())),
        "{stderr}"
    );
    assert!(
        stderr.contains("3 | #let x = (1, 2"),
        "the line is shown: {stderr}"
    );
    assert_eq!(
        std::fs::read(out.join("resume.pdf")).expect("still there"),
        before,
        "earlier PDF changed"
    );
}

#[test]
fn layout_warnings_show_and_deny_warnings_fails() {
    let dir = tempfile::tempdir().expect("temp dir");
    let layout = dir.path().join("warn.typ");
    std::fs::write(
        &layout,
        "#set text(font: \"No Such Font\")\n#set document(title: \"T\")\n= Name\n",
    )
    .expect("write");
    let base = |extra: &[&str]| {
        let mut cmd = vitae(&root());
        cmd.args(["build", "examples/resume.yaml", "-f", "pdf", "--layout"])
            .arg(&layout)
            .args(extra)
            .arg("-o")
            .arg(dir.path().join("out"));
        cmd.assert()
    };
    let warned = base(&[]).success();
    let stderr = String::from_utf8_lossy(&warned.get_output().stderr).to_string();
    assert!(
        stderr.contains("warning: unknown font family: no such font"),
        "{stderr}"
    );
    assert!(stderr.contains("warn.typ:1:17"), "{stderr}");
    base(&["--deny-warnings"]).code(1);
}

#[test]
fn a_character_no_font_has_is_a_warning_naming_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("cjk.yaml");
    std::fs::write(&input, "basics:\n  name: Mei\n  label: \"Engineer 漢\"\n").expect("write");
    let assert = vitae(dir.path())
        .args([
            "build",
            "cjk.yaml",
            "-f",
            "pdf",
            "-o",
            "out",
            "--no-system-fonts",
        ])
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(
        stderr.contains("warning: basics.label: no font has 漢 (1 character); system fonts are off (--no-system-fonts); add --font-path DIR\n"),
        "{stderr}"
    );
    vitae(dir.path())
        .args([
            "build",
            "cjk.yaml",
            "-f",
            "pdf",
            "-o",
            "out2",
            "--deny-warnings",
            "--no-system-fonts",
        ])
        .assert()
        .code(1);
    assert!(!dir.path().join("out2/cjk.pdf").exists());
}

#[test]
fn the_library_builds_every_layout_in_every_paged_format() {
    let loaded =
        load_file(&root().join("examples/resume.yaml"), LoadOptions::default()).expect("loads");
    let dir = tempfile::tempdir().expect("temp dir");
    for layout in layouts::BUILTIN {
        let options = BuildOptions {
            out_dir: dir.path().join(layout.name),
            formats: vec![Format::Pdf, Format::Png],
            layout: Some(layout.name.to_string()),
            ppi: 36.0,
            ..BuildOptions::default()
        };
        let report = build::build(&loaded, "resume", &options).expect("builds");
        let pdf = report
            .files
            .iter()
            .find(|f| f.format == Format::Pdf)
            .expect("a PDF");
        let pngs = report
            .files
            .iter()
            .filter(|f| f.format == Format::Png)
            .count();
        assert_eq!(Some(pngs), pdf.pages, "{}: one PNG per page", layout.name);
    }
}

#[test]
fn font_paths_are_read_and_a_missing_one_is_an_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A directory of fonts (here the bundled ones, again) is scanned recursively.
    build_example(
        &["-f", "pdf", "--font-path", "fonts"],
        dir.path().join("ok"),
    )
    .success();
    let assert = build_example(
        &["-f", "pdf", "--font-path", "no/such/dir"],
        dir.path().join("bad"),
    )
    .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(
        stderr.starts_with("error: cannot read font directory no/such/dir"),
        "{stderr}"
    );
    assert!(!dir.path().join("bad").exists());
}

#[test]
fn the_gallery_draws_page_one_of_every_layout() {
    let dir = tempfile::tempdir().expect("temp dir");
    let gallery = dir.path().join("gallery");
    let output = vitae(&root())
        .args(["layouts", "--gallery"])
        .arg(&gallery)
        .output()
        .expect("runs");
    assert!(output.status.success(), "{output:?}");
    for layout in vitae::export::pdf::layouts::BUILTIN {
        let png = std::fs::read(gallery.join(format!("{}.png", layout.name))).expect("written");
        assert_eq!(&png[1..4], b"PNG", "{}", layout.name);
        // The IHDR chunk: width and height, big-endian, at bytes 16..24. A4 at 96 ppi.
        let size = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().expect("4 bytes"));
        assert_eq!((size(16), size(20)), (794, 1123), "{}", layout.name);
    }
}

/// Where each page's text starts: the smallest x of any character, and the page width.
#[derive(Default)]
struct LeftEdges {
    pages: Vec<(f64, f64)>,
}

impl pdf_extract::OutputDev for LeftEdges {
    fn begin_page(
        &mut self,
        _page: u32,
        media: &pdf_extract::MediaBox,
        _art: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), pdf_extract::OutputError> {
        self.pages.push((f64::MAX, media.urx - media.llx));
        Ok(())
    }
    fn end_page(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
    fn output_character(
        &mut self,
        trm: &pdf_extract::Transform,
        _width: f64,
        _spacing: f64,
        _size: f64,
        char: &str,
    ) -> Result<(), pdf_extract::OutputError> {
        if !char.trim().is_empty()
            && let Some(page) = self.pages.last_mut()
        {
            page.0 = page.0.min(trm.m31);
        }
        Ok(())
    }
    fn begin_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
    fn end_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
    fn end_line(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
}

/// The sidebar's side column is on page 1 only: later pages set text from the left margin,
/// where the side column (and its tint) used to continue.
#[test]
fn the_sidebar_column_is_on_page_one_only() {
    let engine = Engine::new(&[] as &[PathBuf]).expect("fonts load");
    for path in ["data/resume.yaml", "examples/resume.yaml"] {
        let pdf = pdf_of(&engine, &document(path), "sidebar");
        let doc = pdf_extract::Document::load_mem(&pdf).expect("PDF parses");
        let mut edges = LeftEdges::default();
        pdf_extract::output_doc(&doc, &mut edges).expect("text extracts");
        assert!(edges.pages.len() >= 2, "{path}: one page only");
        for (i, (left, width)) in edges.pages.iter().enumerate().skip(1) {
            assert!(
                *left < 0.15 * width,
                "{path}, page {}: text starts at {left:.0} of {width:.0} pt",
                i + 1
            );
        }
        // Page 1 has both columns: text at the left margin (the side column) too.
        assert!(
            edges.pages[0].0 < 0.15 * edges.pages[0].1,
            "{path}: no side column"
        );
    }
}

/// The minimal layout in `layouts/README.md`, made of the kit, compiles and shows every string
/// of the bundled example.
#[test]
fn the_readme_minimal_layout_compiles_and_shows_everything() {
    let readme = std::fs::read_to_string(root().join("layouts/README.md")).expect("readme");
    let after = &readme[readme.find("## A minimal layout").expect("section")..];
    let start = after.find("```typst\n").expect("code block") + "```typst\n".len();
    let source = &after[start..start + after[start..].find("```").expect("block end")];
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("minimal.typ");
    std::fs::write(&path, source).expect("write");
    let engine = Engine::new(&[] as &[PathBuf]).expect("fonts load");
    let doc = document("examples/resume.yaml");
    let text = fold(&pages(&pdf_of(&engine, &doc, path.to_str().expect("utf-8"))).concat());
    for (field, value) in doc.texts() {
        assert!(
            text.contains(&fold(&value)),
            "{field} = {value:?} is missing"
        );
    }
}

/// Every built-in layout lays out every résumé the project ships, with no Typst warning.
#[test]
fn every_layout_builds_every_fixture_without_warnings() {
    let engine = Engine::new(&[] as &[PathBuf]).expect("fonts");
    let mut files = vec![
        "data/resume.yaml".to_string(),
        "examples/resume.yaml".to_string(),
    ];
    for entry in std::fs::read_dir(root().join("tests/fixtures")).expect("fixtures") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if name.ends_with(".yaml") || name.ends_with(".json") {
            files.push(format!("tests/fixtures/{name}"));
        }
    }
    files.sort();
    for file in &files {
        let doc = document(file);
        for builtin in layouts::BUILTIN {
            let layout = engine.layout(builtin.name, None).expect("layout");
            let compiled = engine
                .compile(&layout, &doc, &Style::default(), Density::default(), None)
                .unwrap_or_else(|e| panic!("{file} with {}: {e}", builtin.name));
            assert!(
                compiled.warnings.is_empty(),
                "{file} with {}: {:?}",
                builtin.name,
                compiled.warnings
            );
        }
    }
    assert!(files.len() >= 9, "{files:?}");
}
