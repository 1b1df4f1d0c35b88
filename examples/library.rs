//! Using vitae as a library: load a résumé, tailor it, and render it three ways.
//!
//! Run with `cargo run --example library`.

use std::path::{Path, PathBuf};
use vitae::build::{self, BuildOptions};
use vitae::export::pdf::{Density, Engine, Standard, Style};
use vitae::model::{LoadOptions, ResolveOptions, load_file, resolve};

fn main() -> Result<(), vitae::Error> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/resume.yaml");

    // 1. Load: every problem comes back located (file:line:col), warnings included.
    let loaded = load_file(&path, LoadOptions::default())?;
    for warning in &loaded.warnings {
        eprintln!("warning: {warning}");
    }

    // 2. Resolve into the document every exporter reads, here in German.
    let options = ResolveOptions {
        lang: Some("de".into()),
    };
    let (doc, _missing_translations) = resolve(&loaded, &loaded.resume, &options);
    println!(
        "{}\n",
        vitae::export::markdown::render(&doc)
            .lines()
            .take(6)
            .collect::<Vec<_>>()
            .join("\n")
    );

    // 3. Plain text of a variant, selected by its tags and limits.
    let variant = BuildOptions {
        variants: vec!["backend".into()],
        ..BuildOptions::default()
    };
    let target = build::targets(&loaded, &variant)?.remove(0);
    let (tailored, _) = build::document(&loaded, &target);
    println!(
        "{}\n",
        vitae::export::text::render(&tailored, 72)
            .lines()
            .take(8)
            .collect::<Vec<_>>()
            .join("\n")
    );

    // 4. A PDF through embedded Typst, written wherever you like.
    let engine = Engine::new(&[] as &[PathBuf])?;
    let layout = engine.layout("sidebar", None)?;
    let compiled = engine.compile(&layout, &doc, &Style::default(), Density::default(), None)?;
    let pdf = engine.pdf(&compiled, "library-example", None, Standard::Ua1)?;
    let out = std::env::temp_dir().join("vitae-library-example.pdf");
    vitae::output::write_atomic(&out, &pdf)?;
    println!(
        "{} pages, {} bytes → {}",
        compiled.pages(),
        pdf.len(),
        out.display()
    );
    Ok(())
}
