//! The résumé model: what a file may contain ([`Resume`]), how it is read ([`load`]) and the
//! resolved form every exporter renders ([`Document`]).

mod date;
pub mod document;
pub mod load;
pub mod photo;
pub mod resolve;
mod resume;
pub mod source_map;
mod suggest;
mod text;
mod validate;

pub use date::{Date, EndDate};
pub use document::Document;
pub use load::{LoadOptions, Loaded, load_bytes, load_bytes_in, load_file};
pub use resolve::{ResolveOptions, resolve};
pub use resume::*;
pub use text::Text;
pub use text::is_language_code;
pub use validate::check_lang_flag;

/// The JSON Schema of exactly what the parser accepts.
pub fn json_schema() -> schemars::Schema {
    schemars::schema_for!(Resume)
}

/// Every section id a résumé can use: the JSON Resume sections and its custom ones.
pub fn section_ids(resume: &Resume) -> Vec<String> {
    resolve::section_order(resume)
}
