//! vitae: one YAML résumé, typeset to PDF through embedded Typst, and exported to Markdown,
//! plain text and JSON from the same model.
//!
//! The pipeline, one module each:
//! - [`model`]: read a résumé (a superset of JSON Resume) and resolve it into a [`Document`];
//! - [`markup`]: the inline Markdown every text field may hold;
//! - [`tailor`]: variants (selection by tags, sections, limits) and fitting to a page budget;
//! - [`export`]: Markdown, plain text, JSON, and PDF/PNG through Typst;
//! - [`build`]: all of it for a set of variants and formats, written atomically.
//!
//! ```no_run
//! use vitae::model::{LoadOptions, ResolveOptions, load_file, resolve};
//! let loaded = load_file("data/resume.yaml".as_ref(), LoadOptions::default()).unwrap();
//! let (doc, _warnings) = resolve(&loaded, &loaded.resume, &ResolveOptions::default());
//! println!("{}", vitae::export::markdown::render(&doc));
//! ```

pub mod build;
pub mod confine;
pub mod diag;
mod error;
pub mod export;
pub mod gallery;
pub mod import;
pub mod link;
pub mod locale;
pub mod markup;
pub mod model;
pub mod output;
pub mod tailor;
pub mod watch;

pub use error::Error;
pub use model::Document;
