//! The résumé model: what a file may contain ([`Resume`]), how it is read ([`load`]) and the
//! resolved form every exporter renders ([`Document`]).

mod date;
pub mod document;
pub mod legacy;
pub mod load;
pub mod photo;
mod recover;
pub mod resolve;
mod resume;
pub mod sections;
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

/// The JSON Schema of what `vitae check --strict` accepts, as far as a schema can say it
/// (draft-07, which editors support best): every key the parser reads and no other, dates as
/// the date parser reads them, built-in layouts by name. What it cannot say: an end before its
/// start, sections that do not exist, files a résumé names, languages vitae has no words for.
pub fn json_schema() -> schemars::Schema {
    let schema = schemars::generate::SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<Resume>();
    let mut value = serde_json::Value::from(schema.clone());
    deny_unknown_keys(&mut value);
    label_rules(&mut value);
    legacy::extend_schema(&mut value);
    schemars::Schema::try_from(value).unwrap_or(schema)
}

/// What validation requires of a résumé's own date format (`labels.date`): both `{month}` and
/// `{year}`. (Its month lists say their length of 12 themselves.)
fn label_rules(schema: &mut serde_json::Value) {
    use serde_json::json;
    if let Some(date) = schema
        .pointer_mut("/definitions/PartialLocale/properties/date")
        .and_then(serde_json::Value::as_object_mut)
    {
        date.insert(
            "allOf".into(),
            json!([{ "pattern": "\\{month\\}" }, { "pattern": "\\{year\\}" }]),
        );
    }
}

/// `additionalProperties: false` on every group of named fields: the parser warns about any
/// other key (and `--strict` refuses it). Maps keyed by the user (`custom`, `variants`,
/// translations) keep their own rule for keys.
fn deny_unknown_keys(node: &mut serde_json::Value) {
    use serde_json::Value;
    match node {
        Value::Object(map) => {
            if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                map.insert("additionalProperties".into(), Value::Bool(false));
            }
            // `#[serde(default)]` beside a schema of its own says `default: null`, which tells
            // an editor nothing.
            if map.get("default") == Some(&Value::Null) {
                map.remove("default");
            }
            map.values_mut().for_each(deny_unknown_keys);
        }
        Value::Array(list) => list.iter_mut().for_each(deny_unknown_keys),
        _ => {}
    }
}

/// Every section id a résumé can use: the JSON Resume sections and its custom ones.
pub fn section_ids(resume: &Resume) -> Vec<String> {
    resolve::section_order(resume)
}
