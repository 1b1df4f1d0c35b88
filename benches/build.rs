//! `cargo bench`: the stages of a build of `data/resume.yaml`, a whole build, fitting a variant
//! and a 32-role career to one page against a plain build of each, and all variants in
//! parallel against serially.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::PathBuf;
use vitae::build::{self, BuildOptions};
use vitae::export::Format;
use vitae::export::pdf::{Density, Engine, Standard, Style};
use vitae::model::{LoadOptions, ResolveOptions, load_bytes, resolve};
use vitae::tailor::fit;

/// Forgets Typst's memoised results, which live for the whole process, so every iteration
/// costs what a fresh `vitae` process pays.
fn cold() {
    typst::comemo::evict(0);
}

fn input() -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/resume.yaml");
    std::fs::read(path).expect("data/resume.yaml")
}

fn stages(c: &mut Criterion) {
    let bytes = input();
    let loaded = load_bytes("resume.yaml", &bytes, false, LoadOptions::default()).expect("loads");
    let (doc, _) = resolve(&loaded, &loaded.resume, &ResolveOptions::default());
    let engine = Engine::new(&[] as &[PathBuf]).expect("fonts");
    let layout = engine.layout("classic", None).expect("layout");
    let style = Style::default();
    let compiled = engine
        .compile(&layout, &doc, &style, Density::default(), None)
        .expect("compiles");

    c.bench_function("parse data/resume.yaml", |b| {
        b.iter(|| {
            load_bytes(
                "resume.yaml",
                black_box(&bytes),
                false,
                LoadOptions::default(),
            )
            .expect("loads")
        })
    });
    c.bench_function("resolve", |b| {
        b.iter(|| {
            resolve(
                &loaded,
                black_box(&loaded.resume),
                &ResolveOptions::default(),
            )
        })
    });
    c.bench_function("markdown + text", |b| {
        b.iter(|| {
            (
                vitae::export::markdown::render(black_box(&doc)),
                vitae::export::text::render(black_box(&doc), 80),
            )
        })
    });
    c.bench_function("fonts + library (engine start)", |b| {
        b.iter(|| Engine::new(&[] as &[PathBuf]).expect("fonts"))
    });
    // Typst memoises across compiles: a warm compile of unchanged input is nearly free.
    // Alternating between two densities makes every compile lay the document out again.
    let mut spacing = 1.0;
    let mut relayout = |engine: &Engine| {
        spacing = if spacing == 1.0 { 0.999 } else { 1.0 };
        let density = Density {
            spacing,
            ..Density::default()
        };
        engine
            .compile(&layout, black_box(&doc), &style, density, None)
            .expect("compiles")
    };
    c.bench_function("compile (cold)", |b| {
        b.iter(|| {
            cold();
            relayout(&engine)
        })
    });
    c.bench_function("recompile after one density change (warm)", |b| {
        b.iter(|| relayout(&engine))
    });
    c.bench_function("PDF write", |b| {
        b.iter(|| {
            engine
                .pdf(black_box(&compiled), "bench", None, Standard::Ua1)
                .expect("pdf")
        })
    });
}

fn whole_build(c: &mut Criterion) {
    let bytes = input();
    let out = tempfile::tempdir().expect("tmp");
    c.bench_function("build pdf+md+txt (parse to files, fresh engine)", |b| {
        b.iter(|| {
            cold();
            let loaded =
                load_bytes("resume.yaml", &bytes, false, LoadOptions::default()).expect("loads");
            let options = BuildOptions {
                out_dir: out.path().to_path_buf(),
                ..BuildOptions::default()
            };
            build::build(&loaded, "resume", &options).expect("builds")
        })
    });
}

fn fitting(c: &mut Criterion) {
    let bytes = input();
    let loaded = load_bytes("resume.yaml", &bytes, false, LoadOptions::default()).expect("loads");
    fit_against_plain(c, &loaded, Some("backend"), "backend variant, fresh engine");
    // The held-out long career of the fitting tests: 32 roles, five pages as laid out.
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/career30.yaml");
    let bytes = std::fs::read(path).expect("tests/fixtures/career30.yaml");
    let loaded = load_bytes("career30.yaml", &bytes, false, LoadOptions::default()).expect("loads");
    fit_against_plain(c, &loaded, None, "32-role career, fresh engine");
}

/// A plain build of a target against fitting it to one page, each from a fresh engine.
fn fit_against_plain(
    c: &mut Criterion,
    loaded: &vitae::model::Loaded,
    variant: Option<&str>,
    group: &str,
) {
    let target = build::targets(
        loaded,
        &BuildOptions {
            variants: variant.into_iter().map(String::from).collect(),
            ..BuildOptions::default()
        },
    )
    .expect("the target")
    .remove(0);
    let (doc, _) = build::document(loaded, &target);
    let style = Style::default();
    let mut group = c.benchmark_group(group);
    group.bench_function("single build (no page budget)", |b| {
        b.iter(|| {
            cold();
            let engine = Engine::new(&[] as &[PathBuf]).expect("fonts");
            let layout = engine
                .layout(&target.layout, target.layout_confine.as_deref())
                .expect("layout");
            let compiled = engine
                .compile(&layout, &doc, &style, Density::default(), None)
                .expect("compiles");
            engine
                .pdf(&compiled, "bench", None, Standard::Ua1)
                .expect("pdf")
        })
    });
    group.bench_function("fit to one page", |b| {
        b.iter(|| {
            cold();
            let engine = Engine::new(&[] as &[PathBuf]).expect("fonts");
            let layout = engine
                .layout(&target.layout, target.layout_confine.as_deref())
                .expect("layout");
            let fitted = fit::fit(doc.clone(), 1, None, |d, density| {
                engine.compile(&layout, d, &style, density, None)
            })
            .expect("fits");
            assert_eq!(fitted.compiled.pages(), 1);
            engine
                .pdf(&fitted.compiled, "bench", None, Standard::Ua1)
                .expect("pdf")
        })
    });
    group.finish();
}

fn variants(c: &mut Criterion) {
    let bytes = input();
    let loaded = load_bytes("resume.yaml", &bytes, false, LoadOptions::default()).expect("loads");
    let out = tempfile::tempdir().expect("tmp");
    let options = BuildOptions {
        out_dir: out.path().to_path_buf(),
        formats: vec![Format::Pdf, Format::Markdown, Format::Text],
        all_variants: true,
        ..BuildOptions::default()
    };
    let mut group = c.benchmark_group("all variants");
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool");
        group.bench_function(format!("{threads} thread(s)"), |b| {
            b.iter(|| {
                cold();
                pool.install(|| build::build(&loaded, "resume", &options).expect("builds"))
            })
        });
    }
    group.finish();
}

/// The largest résumé vitae accepts: 39,000 entries in custom sections of 100, just under the
/// limit of 200,000 values (4 MiB). Loading and checking it must stay linear (it once took
/// minutes); a 4.9 MiB file of 50,000 entries is refused by the value limit at once.
fn large_input(c: &mut Criterion) {
    let mut text = String::from("basics:\n  name: Ada\ncustom:\n");
    let entries = 39_000;
    for n in 0..entries {
        if n % 100 == 0 {
            text.push_str(&format!("  s{n}:\n    title: S\n    entries:\n"));
        }
        text.push_str(&format!(
            "      - title: Entry {n} with a title of some weight\n        summary: Did a thing of a length {n}.\n"
        ));
    }
    let bytes = text.into_bytes();
    let mut group = c.benchmark_group(format!("{entries} entries, {} bytes", bytes.len()));
    group.sample_size(10);
    group.bench_function("load and validate", |b| {
        b.iter(|| {
            load_bytes("big.yaml", black_box(&bytes), false, LoadOptions::default()).expect("loads")
        })
    });
    let loaded = load_bytes("big.yaml", &bytes, false, LoadOptions::default()).expect("loads");
    group.bench_function("resolve", |b| {
        b.iter(|| {
            resolve(
                &loaded,
                black_box(&loaded.resume),
                &ResolveOptions::default(),
            )
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(4));
    targets = stages, whole_build, fitting, variants, large_input
}
criterion_main!(benches);
