//! `cargo bench --bench watch`: what `vitae watch` does on a save of `data/resume.yaml`, with
//! the session's engine warm: a PDF after a one-highlight edit, and after a layout setting
//! (the accent colour) changed. Every iteration is a new edit (a counter in the text), so
//! Typst's memo never has the whole answer already.

use criterion::{Criterion, criterion_group, criterion_main};
use std::path::PathBuf;
use vitae::build::BuildOptions;
use vitae::export::Format;
use vitae::watch::{Outcome, Session};

const HIGHLIGHT: &str = "Architected a real-time";

/// A copy of `data/resume.yaml` in a temp folder, and a warm session building its PDF.
fn session() -> (tempfile::TempDir, PathBuf, String, Session) {
    let original = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/resume.yaml");
    let text = std::fs::read_to_string(original).expect("data/resume.yaml");
    assert!(text.contains(HIGHLIGHT) && text.contains("\n  layout: classic\n"));
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("resume.yaml");
    std::fs::write(&file, &text).expect("copy");
    let options = BuildOptions {
        out_dir: dir.path().join("out"),
        formats: vec![Format::Pdf],
        ..BuildOptions::default()
    };
    let mut session = Session::new(&file, options);
    assert!(session.build().is_built());
    (dir, file, text, session)
}

fn rebuild(session: &mut Session, file: &PathBuf, text: &str) {
    std::fs::write(file, text).expect("edit");
    let rebuild = session.rebuild(std::slice::from_ref(file));
    assert!(
        matches!(rebuild.outcome, Outcome::Built(_)),
        "{:?}",
        rebuild.outcome
    );
}

fn warm_rebuilds(c: &mut Criterion) {
    let (_dir, file, text, mut session) = session();
    let mut n = 0u64;
    c.bench_function(
        "watch: rebuild PDF after a one-highlight edit (warm)",
        |b| {
            b.iter(|| {
                n += 1;
                let edited = text.replacen(HIGHLIGHT, &format!("Architected ({n}) a real-time"), 1);
                rebuild(&mut session, &file, &edited)
            })
        },
    );
    c.bench_function(
        "watch: rebuild PDF after a layout-setting change (warm)",
        |b| {
            b.iter(|| {
                n += 1;
                let accent = format!(
                    "\n  layout: classic\n  accent: \"#{:06x}\"\n",
                    n & 0xff_ffff
                );
                let edited = text.replacen("\n  layout: classic\n", &accent, 1);
                rebuild(&mut session, &file, &edited)
            })
        },
    );
    assert_eq!(session.engines_created(), 1);
}

/// The same edit with the preview on (`--serve`): the PDF, then page SVGs from the memo.
fn warm_rebuild_with_preview(c: &mut Criterion) {
    let (_dir, file, text, session) = session();
    let mut session = Session::new(&file, session.options().clone()).with_preview(true);
    assert!(session.build().is_built());
    let mut n = 0u64;
    c.bench_function(
        "watch: rebuild PDF + SVG preview after a one-highlight edit (warm)",
        |b| {
            b.iter(|| {
                n += 1;
                let edited = text.replacen(HIGHLIGHT, &format!("Architected ({n}) a real-time"), 1);
                rebuild(&mut session, &file, &edited)
            })
        },
    );
}

/// Where a warm rebuild's time goes: reading the résumé, laying out the edited document with
/// the warm engine, writing the PDF.
fn warm_stages(c: &mut Criterion) {
    use vitae::export::pdf::{Density, Engine, Style};
    use vitae::model::{LoadOptions, ResolveOptions, load_bytes, resolve};
    let (_dir, _file, text, _session) = session();
    let engine = Engine::new(&[] as &[PathBuf]).expect("fonts");
    let layout = engine.layout("classic", None).expect("layout");
    let style = Style::default();
    let document = |n: u64| {
        let edited = text.replacen(HIGHLIGHT, &format!("Architected ({n}) a real-time"), 1);
        let loaded = load_bytes(
            "resume.yaml",
            edited.as_bytes(),
            false,
            LoadOptions::default(),
        )
        .expect("loads");
        resolve(&loaded, &loaded.resume, &ResolveOptions::default()).0
    };
    let compiled = engine
        .compile(&layout, &document(0), &style, Density::default(), None)
        .expect("compiles");
    let mut n = 0u64;
    c.bench_function("watch stage: load + resolve the edited résumé", |b| {
        b.iter(|| {
            n += 1;
            document(n)
        })
    });
    c.bench_function(
        "watch stage: compile after a one-highlight edit (warm)",
        |b| {
            b.iter_batched(
                || {
                    n += 1;
                    document(n)
                },
                |doc| {
                    engine
                        .compile(&layout, &doc, &style, Density::default(), None)
                        .expect("compiles")
                },
                criterion::BatchSize::SmallInput,
            )
        },
    );
    c.bench_function("watch stage: PDF of the compiled document", |b| {
        b.iter(|| {
            engine
                .pdf(&compiled, "bench", None, vitae::export::pdf::Standard::Ua1)
                .expect("pdf")
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(50);
    targets = warm_rebuilds, warm_rebuild_with_preview, warm_stages
}
criterion_main!(benches);
