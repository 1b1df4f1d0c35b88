//! A picture of every built-in layout, so that a layout can be chosen by looking: page 1 of the
//! bundled example résumé, as PNG, one file per layout. The README's images come from here.

use crate::Error;
use crate::export::Renderer;
use crate::export::pdf::{self, Engine, Png, Style, Typesetter};
use crate::model::photo::{ImageFormat, Photo, Pixels};
use crate::model::{LoadOptions, ResolveOptions, load_bytes, resolve};
use crate::output::OutputSet;
use std::path::{Path, PathBuf};

/// The example résumé that ships in the binary.
pub const EXAMPLE: &str = include_str!("../examples/resume.yaml");

/// A placeholder portrait, so that layouts that show a photo are seen with one.
const PHOTO: &[u8] = include_bytes!("../examples/photo.png");

/// The resolution of gallery images: sharp on a screen, small enough for a README.
pub const GALLERY_PPI: f32 = 96.0;

/// Writes `<dir>/<layout>.png` for every built-in layout, as one set (all of them, or none),
/// and returns the files written, in the order of the layouts.
pub fn write(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let loaded = load_bytes(
        "resume.yaml",
        EXAMPLE.as_bytes(),
        false,
        LoadOptions::default(),
    )?;
    let (mut doc, _) = resolve(&loaded, &loaded.resume, &ResolveOptions::default());
    doc.photo = Some(Photo {
        bytes: PHOTO.into(),
        format: ImageFormat::Png,
        pixels: Pixels::of(ImageFormat::Png, PHOTO),
    });
    let engine = Engine::new(&[] as &[PathBuf])?;
    let mut outputs = OutputSet::open(dir)?;
    let mut written = Vec::new();
    for builtin in pdf::layouts::BUILTIN {
        let typesetter = Typesetter {
            engine: &engine,
            layout: engine.layout(builtin.name, None)?,
            style: Style::default(),
            date: None,
            budget: None,
            relevance: None,
        };
        let png = Png {
            typesetter: &typesetter,
            ppi: GALLERY_PPI,
        };
        let rendered = png.render(&doc)?;
        let Some(first) = rendered.files.first() else {
            continue;
        };
        let path = dir.join(format!("{}.png", builtin.name));
        outputs.stage(&path, first)?;
        written.push(path);
    }
    outputs.commit()?;
    Ok(written)
}
