//! Text fields that may be translated: `"text"` or `{en: "text", de: "Text"}`.

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A text field: one string, or translations keyed by language code, in the order written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Text {
    Plain(String),
    Translated(Vec<(String, String)>),
    /// An unquoted number where text was expected (`score: 4.0`). serde has already turned it
    /// into a number; this is its shortest form, used when the source's own spelling (kept by
    /// the source map) is not at hand.
    Number(String),
}

/// Which translation a lookup found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick<'a> {
    /// Untranslated text, or the requested language.
    Exact(&'a str),
    /// The requested language is missing; this is the fallback's text.
    Fallback { lang: &'a str, text: &'a str },
}

impl Text {
    /// The text in `lang`, else in `default`, else the first translation given.
    pub fn pick<'a>(&'a self, lang: &str, default: &str) -> Pick<'a> {
        match self {
            Text::Plain(text) | Text::Number(text) => Pick::Exact(text),
            Text::Translated(map) => {
                let find = |want: &str| map.iter().find(|(l, _)| l == want);
                if let Some((_, text)) = find(lang) {
                    return Pick::Exact(text);
                }
                let (l, t) = find(default)
                    .or(map.first())
                    .map(|(l, t)| (l.as_str(), t.as_str()))
                    .unwrap_or(("", ""));
                Pick::Fallback { lang: l, text: t }
            }
        }
    }

    /// The language codes this text is given in (empty when untranslated).
    pub fn languages(&self) -> impl Iterator<Item = &str> {
        let map: &[(String, String)] = match self {
            Text::Plain(_) | Text::Number(_) => &[],
            Text::Translated(map) => map,
        };
        map.iter().map(|(l, _)| l.as_str())
    }
}

impl Default for Text {
    fn default() -> Self {
        Text::Plain(String::new())
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Self {
        Text::Plain(text.to_string())
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TextVisitor)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("text, or a map from language code to text")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
        Ok(Text::Plain(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
        Ok(Text::Plain(v))
    }

    // YAML reads `postalCode: 10115` or `score: 3.9` as numbers; they are text here.
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
        Ok(Text::Number(v.to_string()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
        Ok(Text::Number(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
        Ok(Text::Number(v.to_string()))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
        Ok(Text::Number(v.to_string()))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
        let mut entries: Vec<(String, String)> = Vec::new();
        while let Some((lang, text)) = map.next_entry::<String, String>()? {
            if !is_language_code(&lang) {
                return Err(de::Error::custom(format!(
                    "\"{lang}\" is not a language code (expected a code such as \"en\", \"de\" or \"pt-BR\")"
                )));
            }
            if entries.iter().any(|(l, _)| *l == lang) {
                return Err(de::Error::custom(format!(
                    "the translation \"{lang}\" is given twice"
                )));
            }
            entries.push((lang, text));
        }
        if entries.is_empty() {
            return Err(de::Error::custom(
                "a map of translations needs at least one language",
            ));
        }
        Ok(Text::Translated(entries))
    }
}

/// `en`, `de`, `pt-BR`, `zh-Hant`: two or three letters, then optional subtags.
pub fn is_language_code(code: &str) -> bool {
    let mut parts = code.split(['-', '_']);
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_lowercase())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// A language code as [`is_language_code`] reads it.
pub(crate) const LANGUAGE_CODE_PATTERN: &str = "^[a-z]{2,3}([-_][A-Za-z0-9]{2,8})*$";

/// A text that must say something (`basics.name`): not blank, nor translated only into blanks.
pub(crate) fn non_blank_schema(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "description": "Text with inline Markdown, or a map from language code to such text; not blank.",
        "anyOf": [
            { "type": "string", "pattern": "\\S" },
            { "type": ["number", "boolean"] },
            {
                "type": "object",
                "minProperties": 1,
                "propertyNames": { "pattern": LANGUAGE_CODE_PATTERN },
                "additionalProperties": { "type": "string" },
                "not": { "additionalProperties": { "pattern": "^\\s*$" } }
            }
        ]
    })
}

impl JsonSchema for Text {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Text".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "Text with inline Markdown, or a map from language code to such text.",
            "anyOf": [
                { "type": ["string", "number", "boolean"] },
                {
                    "type": "object",
                    "minProperties": 1,
                    "propertyNames": { "pattern": LANGUAGE_CODE_PATTERN },
                    "additionalProperties": { "type": "string" }
                }
            ]
        })
    }
}
