//! `vitae watch`: the library's session driven with explicit change events (no timing), and
//! the command with its preview server, end to end.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use vitae::build::BuildOptions;
use vitae::export::Format;
use vitae::watch::{Built, Failed, Outcome, Rebuild, Session};

/// The words the edit puts in: in no version of the résumé before it.
const ORIGINAL: &str = "Architected a real-time";
const EDITED: &str = "Orchestrated a real-time";

/// A copy of `data/resume.yaml` in a folder of its own, with the outputs going to `out/` in it.
fn copy() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("resume.yaml");
    std::fs::copy(common::root().join("data/resume.yaml"), &file).expect("copies the résumé");
    let out = dir.path().join("out");
    (dir, file, out)
}

fn options(out: &Path, formats: &[Format]) -> BuildOptions {
    BuildOptions {
        out_dir: out.to_path_buf(),
        formats: formats.to_vec(),
        ..BuildOptions::default()
    }
}

fn edit(file: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(file).expect("reads the copy");
    assert!(text.contains(from), "the résumé has {from:?}");
    std::fs::write(file, text.replacen(from, to, 1)).expect("writes the copy");
}

fn built(rebuild: Rebuild) -> Box<Built> {
    match rebuild.outcome {
        Outcome::Built(built) => built,
        Outcome::Failed(failed) => panic!("expected a good build: {:?}", failed.diagnostics),
        Outcome::Unaffected => panic!("expected a good build, not none"),
    }
}

fn failed(rebuild: Rebuild) -> Failed {
    match rebuild.outcome {
        Outcome::Failed(failed) => failed,
        // Not the whole build: a preview holds megabytes of SVG.
        Outcome::Built(built) => panic!("expected a failed build, got {:?}", built.report.files),
        Outcome::Unaffected => panic!("expected a failed build, not none"),
    }
}

/// A YAML syntax error at the first highlight: a double-quoted string that never ends where
/// it should.
const BROKEN_FROM: &str = "- text: >-\n          Architected";
const BROKEN_TO: &str = "- text: \"Architected";

fn pdf_text(path: &Path) -> String {
    let bytes = std::fs::read(path).expect("reads the PDF");
    pdf_extract::extract_text_from_mem(&bytes).expect("text extracts")
}

#[test]
fn a_rebuild_after_an_edit_has_the_edit_and_reuses_the_engine() {
    let (_dir, file, out) = copy();
    let mut session = Session::new(&file, options(&out, &[Format::Pdf, Format::Text]));
    let first = built(session.build());
    assert!(!first.engine_reused, "the first build makes the engine");
    assert_eq!(first.pages, Some(2));
    let pdf = out.join("resume.pdf");
    assert!(pdf_text(&pdf).contains("Architected"));

    edit(&file, ORIGINAL, EDITED);
    let second = built(session.rebuild(std::slice::from_ref(&file)));
    assert!(second.engine_reused, "the rebuild reuses the engine");
    let text = pdf_text(&pdf);
    assert!(
        text.contains("Orchestrated"),
        "the PDF has the edit:\n{text}"
    );
    assert!(!text.contains("Architected"));
    let txt = std::fs::read_to_string(out.join("resume.txt")).expect("text output");
    assert!(txt.contains("Orchestrated"));

    // A third rebuild, and still the one engine: fonts were parsed once.
    edit(&file, EDITED, ORIGINAL);
    built(session.rebuild(std::slice::from_ref(&file)));
    assert_eq!(session.engines_created(), 1);
}

#[test]
fn a_change_to_an_unrelated_file_does_not_rebuild() {
    let (dir, file, out) = copy();
    let mut session = Session::new(&file, options(&out, &[Format::Text]));
    built(session.build());
    let other = dir.path().join("notes.txt");
    std::fs::write(&other, "x").expect("writes");
    let outputs = out.join("resume.txt");
    let before = std::fs::read(&outputs).expect("reads");
    let rebuild = session.rebuild(&[other, out.join("resume.txt")]);
    assert!(matches!(rebuild.outcome, Outcome::Unaffected));
    assert_eq!(std::fs::read(&outputs).expect("reads"), before);
    // The résumé, named another way (relative to nothing, with `.`), still counts.
    let dotted = file
        .parent()
        .expect("has a folder")
        .join(".")
        .join("resume.yaml");
    assert!(session.watched().matters(&dotted));
}

#[test]
fn a_bad_edit_is_located_and_leaves_the_last_outputs_byte_identical() {
    let (_dir, file, out) = copy();
    let mut session = Session::new(&file, options(&out, &[Format::Pdf, Format::Markdown]));
    built(session.build());
    let pdf = out.join("resume.pdf");
    let md = out.join("resume.md");
    let (good_pdf, good_md) = (
        std::fs::read(&pdf).expect("pdf"),
        std::fs::read(&md).expect("md"),
    );
    let good = std::fs::read_to_string(&file).expect("reads");

    let line = good
        .lines()
        .position(|l| l.contains(ORIGINAL))
        .expect("the highlight's line")
        + 1;
    edit(&file, BROKEN_FROM, BROKEN_TO);
    let broken = failed(session.rebuild(std::slice::from_ref(&file)));
    let located = broken
        .diagnostics
        .iter()
        .find_map(|d| d.location.as_ref())
        .expect("the error is located");
    assert!(located.file.ends_with("resume.yaml"));
    assert!(
        located.line + 1 >= line,
        "located at line {} (the edit is on line {line}): {:?}",
        located.line,
        broken.diagnostics
    );
    assert_eq!(std::fs::read(&pdf).expect("pdf"), good_pdf, "PDF untouched");
    assert_eq!(
        std::fs::read(&md).expect("md"),
        good_md,
        "Markdown untouched"
    );

    // A validation error: a month that does not exist, located on its line.
    std::fs::write(&file, &good).expect("restores");
    let date_line = good
        .lines()
        .position(|l| l.contains("startDate:"))
        .expect("a start date")
        + 1;
    let date = good
        .lines()
        .nth(date_line - 1)
        .and_then(|l| l.split('"').nth(1))
        .expect("a quoted start date")
        .to_string();
    let bad_date = good.replacen(&format!("\"{date}\""), "\"2020-13\"", 1);
    std::fs::write(&file, bad_date).expect("writes");
    let invalid = failed(session.rebuild(std::slice::from_ref(&file)));
    let at = invalid
        .diagnostics
        .iter()
        .find_map(|d| d.location.as_ref())
        .expect("located");
    assert_eq!(at.line, date_line, "{:?}", invalid.diagnostics);
    assert_eq!(std::fs::read(&pdf).expect("pdf"), good_pdf, "PDF untouched");

    // The fix rebuilds, with the engine of the first build.
    std::fs::write(&file, good.replacen(ORIGINAL, EDITED, 1)).expect("fixes");
    let fixed = built(session.rebuild(std::slice::from_ref(&file)));
    assert!(fixed.engine_reused);
    assert!(pdf_text(&pdf).contains("Orchestrated"));
    assert_eq!(session.engines_created(), 1);
}

#[test]
fn the_preview_is_one_svg_per_page_with_its_text() {
    let (_dir, file, out) = copy();
    let mut session = Session::new(&file, options(&out, &[Format::Text])).with_preview(true);
    let first = built(session.build());
    let preview = first.preview.expect("a preview");
    let shown = preview.first().expect("one document");
    assert_eq!(shown.pages.len(), 2);
    assert_eq!(first.pages, Some(2));
    assert!(shown.pages[0].starts_with("<svg"));
    assert!(shown.pages[0].contains("Architected"));
    edit(&file, ORIGINAL, EDITED);
    let second = built(session.rebuild(std::slice::from_ref(&file)));
    assert!(
        second.preview.expect("a preview").documents[0].pages[0].contains("Orchestrated"),
        "the new page has the edit"
    );
    // A bad edit keeps the last good preview.
    edit(&file, "- text: >-\n          Orchestrated", BROKEN_TO);
    failed(session.rebuild(std::slice::from_ref(&file)));
    assert!(
        session.preview().expect("kept").documents[0].pages[0].contains("Orchestrated"),
        "the last good pages stay"
    );
}

#[test]
fn the_preview_has_every_document_of_the_build_in_its_order() {
    let (_dir, file, out) = copy();
    let mut opts = options(&out, &[Format::Text]);
    opts.all_variants = true;
    let mut session = Session::new(&file, opts).with_preview(true);
    let preview = built(session.build()).preview.expect("a preview");
    let names: Vec<Option<&str>> = preview
        .documents
        .iter()
        .map(|d| d.variant.as_deref())
        .collect();
    assert_eq!(
        names,
        [Some("backend"), Some("leadership"), Some("portfolio")]
    );
    // Each laid out as the build lays it out: the one-page variants in one page.
    assert_eq!(preview.documents[0].pages.len(), 1);
    assert_eq!(preview.documents[1].pages.len(), 1);
    assert!(preview.documents[2].pages.len() > 2);
}

#[test]
fn a_user_layout_and_font_folders_are_watched() {
    let (dir, file, out) = copy();
    let layout = dir.path().join("mine.typ");
    std::fs::copy(common::root().join("layouts/classic.typ"), &layout).expect("copies a layout");
    let fonts = dir.path().join("fonts");
    std::fs::create_dir(&fonts).expect("font folder");
    let mut opts = options(&out, &[Format::Text]);
    opts.layout = Some(layout.display().to_string());
    opts.font_dirs = vec![fonts.clone()];
    let mut session = Session::new(&file, opts);
    built(session.build());
    assert!(session.watched().matters(&layout));
    assert!(session.watched().matters(&fonts.join("New.otf")));
    assert!(
        session
            .watched()
            .folders()
            .contains(&dir.path().canonicalize().expect("dir"))
    );
}

#[test]
fn a_variants_posting_is_watched_and_an_edit_of_it_reorders_the_highlights() {
    let (dir, file, out) = copy();
    let posting = dir.path().join("acme.md");
    std::fs::write(&posting, "We want wearable health-data integrations.\n").expect("posting");
    edit(
        &file,
        "\nvariants:\n",
        "\nvariants:\n  acme: {job: acme.md}\n",
    );
    let mut opts = options(&out, &[Format::Markdown]);
    opts.variants = vec!["acme".to_string()];
    let mut session = Session::new(&file, opts);
    built(session.build());
    assert!(session.watched().matters(&posting));
    // Whether the wearable highlight comes before the API-gateway one (both of the latest role).
    let wearable_first = || {
        let md = std::fs::read_to_string(out.join("resume-acme.md")).expect("the variant");
        let at = |s: &str| md.find(s).expect(s);
        at("first wearable health-data integration") < at("serverless API gateway")
    };
    assert!(wearable_first());
    std::fs::write(&posting, "We want a serverless API gateway.\n").expect("edit");
    built(session.rebuild(std::slice::from_ref(&posting)));
    assert!(!wearable_first());
}

#[test]
fn a_changed_font_makes_a_new_engine_and_nothing_else_does() {
    let (dir, file, out) = copy();
    let fonts = dir.path().join("fonts");
    std::fs::create_dir(&fonts).expect("font folder");
    let mut opts = options(&out, &[Format::Pdf]);
    opts.font_dirs = vec![fonts.clone()];
    let mut session = Session::new(&file, opts);
    built(session.build());
    built(session.rebuild(std::slice::from_ref(&file)));
    assert_eq!(session.engines_created(), 1);
    // The fonts were read when the engine was made: a new font needs a new engine.
    let font = fonts.join("Extra.ttf");
    std::fs::copy(common::root().join("fonts/Vollkorn-Regular.ttf"), &font).expect("a font");
    let rebuilt = built(session.rebuild(&[font]));
    assert!(!rebuilt.engine_reused);
    assert_eq!(session.engines_created(), 2);
}

#[test]
fn variants_and_page_budgets_build_as_in_vitae_build() {
    let (_dir, file, out) = copy();
    let mut opts = options(&out, &[Format::Pdf, Format::Text]);
    opts.variants = vec!["backend".to_string()];
    opts.max_pages = Some(1);
    let mut session = Session::new(&file, opts);
    let first = built(session.build());
    let pdf = first
        .report
        .files
        .iter()
        .find(|f| f.format == Format::Pdf)
        .expect("a PDF");
    assert!(pdf.path.ends_with("resume-backend.pdf"), "{:?}", pdf.path);
    assert_eq!(pdf.pages, Some(1));
    assert_eq!(first.pages, Some(1));
}

// ---- the command, end to end ----

/// The `vitae watch` child, killed when the test ends however it ends.
struct Watching(Child);

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Status code and body of a GET, with a hand-written HTTP/1.1 request.
fn get(port: u16, path: &str) -> (u16, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .expect("sends");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("reads");
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header");
    let head = String::from_utf8_lossy(&response[..split]).to_string();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status");
    (status, response[split + 4..].to_vec())
}

/// The first event of `/events`: the state as it is now.
fn first_event(port: u16) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    write!(
        stream,
        "GET /events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
    )
    .expect("sends");
    let mut received = Vec::new();
    let mut buffer = [0; 4096];
    // The stream stays open: read up to the end of the first event (a blank line after data).
    loop {
        let n = stream.read(&mut buffer).expect("reads the stream");
        assert!(n > 0, "the stream ended early");
        received.extend_from_slice(&buffer[..n]);
        let text = String::from_utf8_lossy(&received);
        if let Some(body) = text.split_once("\r\n\r\n").map(|(_, b)| b)
            && let Some((event, _)) = body.split_once("\n\n")
        {
            assert!(text.starts_with("HTTP/1.1 200"), "{text}");
            assert!(text.contains("text/event-stream"));
            return event.to_string();
        }
    }
}

#[test]
fn watch_serve_previews_the_pages_and_follows_edits() {
    let (dir, file, out) = copy();
    let child = Command::new(env!("CARGO_BIN_EXE_vitae"))
        .args(["watch", "--serve", "127.0.0.1:0"])
        .arg(&file)
        .arg("-o")
        .arg(&out)
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        // Never read: a full pipe would stop the child.
        .stderr(Stdio::null())
        .spawn()
        .expect("vitae watch starts");
    let mut child = Watching(child);
    let stdout = child.0.stdout.take().expect("stdout");
    // Standard output is read on a thread, so that a silent child cannot hang the test.
    let (send, lines) = std::sync::mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if send.send(line).is_err() {
                break;
            }
        }
    });
    let mut seen = Vec::new();
    let port: u16 = loop {
        let line = lines
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("no address printed; stdout so far: {seen:?}"));
        if let Some(url) = line.strip_prefix("serving the preview at http://127.0.0.1:") {
            break url.trim_end_matches('/').parse().expect("a port");
        }
        seen.push(line);
    };
    assert_ne!(port, 0, "the real port is printed");

    // The first build is served before its line is printed.
    loop {
        let line = lines
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("the first build never finished: {seen:?}"));
        if line.starts_with("built ") {
            break;
        }
        seen.push(line);
    }
    let (status, page) = get(port, "/");
    assert_eq!(status, 200);
    let page = String::from_utf8(page).expect("HTML");
    assert!(page.contains("/page/1.svg"), "{page}");
    assert!(page.contains("/events"));

    // The first SVG may be a moment behind the PDF; wait for it as for the edit below.
    let svg_has = |word: &str| {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let (status, body) = get(port, "/page/1.svg");
            if status == 200 && String::from_utf8_lossy(&body).contains(word) {
                return true;
            }
            if Instant::now() > deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    assert!(svg_has("Architected"), "page 1 is served as SVG");

    edit(&file, ORIGINAL, EDITED);
    assert!(svg_has("Orchestrated"), "the SVG follows the edit");

    // A bad edit: the event stream carries the located error, and the last good pages stay.
    edit(&file, "- text: >-\n          Orchestrated", BROKEN_TO);
    let deadline = Instant::now() + Duration::from_secs(20);
    let event = loop {
        let event = first_event(port);
        if event.contains("\"error\":\"error: ") {
            break event;
        }
        assert!(Instant::now() < deadline, "no error event: {event}");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(
        event.contains("resume.yaml:"),
        "the error is located: {event}"
    );
    let (status, svg) = get(port, "/page/1.svg");
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&svg).contains("Orchestrated"));
    edit(&file, BROKEN_TO, "- text: >-\n          Orchestrated");
    let deadline = Instant::now() + Duration::from_secs(20);
    while !first_event(port).contains("\"error\":null") {
        assert!(Instant::now() < deadline, "the fix never rebuilt");
        std::thread::sleep(Duration::from_millis(100));
    }

    let (status, pdf) = get(port, "/files/resume.pdf");
    assert_eq!(status, 200);
    assert!(pdf.starts_with(b"%PDF"));
    for refused in [
        "/../Cargo.toml",
        "/files/../../etc/passwd",
        "/files/..%2F..%2Fetc%2Fpasswd",
        "/files/",
        "/files/resume.yaml",
        "/page/0.svg",
        "/page/99.svg",
        "/out/resume.pdf",
        "/resume.yaml",
    ] {
        assert_eq!(get(port, refused).0, 404, "{refused} is refused");
    }

    // Ctrl-C stops it cleanly.
    #[cfg(unix)]
    {
        let pid = libc::pid_t::try_from(child.0.id()).expect("a pid");
        // SAFETY: sends SIGINT to the child this test started.
        unsafe {
            libc::kill(pid, libc::SIGINT);
        }
        let deadline = Instant::now() + Duration::from_secs(10);
        let status = loop {
            if let Some(status) = child.0.try_wait().expect("waits") {
                break status;
            }
            assert!(
                Instant::now() < deadline,
                "vitae watch did not stop on Ctrl-C"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        assert!(status.success(), "{status:?}");
    }
}

/// Rough warm-rebuild times, printed: `cargo test --test watch -- --ignored --nocapture`. The
/// criterion benches (`cargo bench --bench watch`) measure the same on the release build.
#[test]
#[ignore = "prints timings; run by hand"]
fn warm_rebuild_timings() {
    use vitae::export::pdf::{Density, Engine, Standard, Style};
    use vitae::model::{LoadOptions, ResolveOptions, load_bytes, resolve};
    let median = |mut times: Vec<Duration>| {
        times.sort();
        times[times.len() / 2].as_secs_f64() * 1000.0
    };
    let (_dir, file, out) = copy();
    let text = std::fs::read_to_string(&file).expect("reads");
    let highlight =
        |n: usize| text.replacen(ORIGINAL, &format!("Architected ({n}) a real-time"), 1);
    let run = |preview: bool, edit: &dyn Fn(usize) -> String| {
        let mut session = Session::new(&file, options(&out, &[Format::Pdf])).with_preview(preview);
        built(session.build());
        let times: Vec<Duration> = (1..=30)
            .map(|n| {
                std::fs::write(&file, edit(n)).expect("edit");
                let rebuild = session.rebuild(std::slice::from_ref(&file));
                assert!(rebuild.is_built());
                rebuild.took
            })
            .collect();
        median(times)
    };
    let accent = |n: usize| {
        text.replacen(
            "\n  layout: classic\n",
            &format!("\n  layout: classic\n  accent: \"#{:06x}\"\n", n),
            1,
        )
    };
    println!(
        "rebuild PDF, one-highlight edit: {:.1} ms",
        run(false, &highlight)
    );
    println!(
        "rebuild PDF, accent change:      {:.1} ms",
        run(false, &accent)
    );
    println!(
        "rebuild PDF + SVG preview:       {:.1} ms",
        run(true, &highlight)
    );

    let engine = Engine::new(&[] as &[PathBuf]).expect("fonts");
    let layout = engine.layout("classic", None).expect("layout");
    let style = Style::default();
    let mut load = Vec::new();
    let mut compile = Vec::new();
    let mut pdf = Vec::new();
    for n in 100..130 {
        let started = Instant::now();
        let edited = highlight(n);
        let loaded = load_bytes(
            "resume.yaml",
            edited.as_bytes(),
            false,
            LoadOptions::default(),
        )
        .expect("loads");
        let doc = resolve(&loaded, &loaded.resume, &ResolveOptions::default()).0;
        load.push(started.elapsed());
        let started = Instant::now();
        let compiled = engine
            .compile(&layout, &doc, &style, Density::default(), None)
            .expect("compiles");
        compile.push(started.elapsed());
        let started = Instant::now();
        engine
            .pdf(&compiled, "t", None, Standard::Ua1)
            .expect("pdf");
        pdf.push(started.elapsed());
    }
    // The same document again: what Typst's memo alone costs.
    let edited = highlight(100);
    let loaded = load_bytes(
        "resume.yaml",
        edited.as_bytes(),
        false,
        LoadOptions::default(),
    )
    .expect("loads");
    let doc = resolve(&loaded, &loaded.resume, &ResolveOptions::default()).0;
    let again: Vec<Duration> = (0..10)
        .map(|_| {
            let started = Instant::now();
            engine
                .compile(&layout, &doc, &style, Density::default(), None)
                .expect("compiles");
            started.elapsed()
        })
        .collect();
    println!("  load + resolve:                {:.1} ms", median(load));
    println!("  compile (unchanged document):  {:.1} ms", median(again));
    println!(
        "  compile (warm, after the edit): {:.1} ms",
        median(compile)
    );
    println!("  PDF:                           {:.1} ms", median(pdf));
}
