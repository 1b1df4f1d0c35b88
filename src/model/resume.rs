//! The résumé as written: JSON Resume 1.0 plus vitae's additive extensions.
//!
//! Field names and meanings follow JSON Resume; doc comments become the JSON Schema's
//! descriptions (`vitae schema`).

use super::date::{Date, EndDate};
use super::text::{LANGUAGE_CODE_PATTERN, Text};
use crate::locale::PartialLocale;
use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;

/// What validation requires of a link (or of text that becomes part of one): no control
/// characters, so no line breaks ([`crate::link::policy`]).
const NO_CONTROL_CHARACTERS: &str = r"^[^\u0000-\u001F\u007F-\u009F]*$";

/// A résumé: JSON Resume 1.0 sections, custom sections, settings and variants.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
#[schemars(title = "vitae résumé", description = "A superset of JSON Resume 1.0.")]
pub struct Resume {
    /// The JSON Schema this document claims to follow; ignored.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Who you are and how to reach you. Required.
    #[schemars(required, with = "Basics")]
    #[serde(alias = "bio")]
    pub basics: Option<Basics>,
    #[serde(default)]
    pub work: Vec<Work>,
    #[serde(default)]
    pub volunteer: Vec<Volunteer>,
    #[serde(default)]
    pub education: Vec<Education>,
    #[serde(default)]
    pub awards: Vec<Award>,
    #[serde(default)]
    pub certificates: Vec<Certificate>,
    #[serde(default)]
    pub publications: Vec<Publication>,
    #[serde(default)]
    pub skills: Vec<Skill>,
    #[serde(default)]
    pub languages: Vec<Language>,
    #[serde(default)]
    #[serde(alias = "hobbies")]
    pub interests: Vec<Interest>,
    #[serde(default)]
    pub references: Vec<Reference>,
    #[serde(default)]
    pub projects: Vec<Project>,
    /// Sections JSON Resume does not define, keyed by an id of your choice.
    #[serde(default)]
    pub custom: IndexMap<String, CustomSection>,
    /// Document metadata (JSON Resume `meta`).
    pub meta: Option<Meta>,
    /// How vitae builds this résumé (vitae extension).
    #[serde(default)]
    pub settings: Settings,
    /// Named tailored versions of this résumé (vitae extension).
    #[serde(default)]
    pub variants: IndexMap<String, Variant>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Basics {
    /// Your name. Required, and not blank.
    #[schemars(schema_with = "super::text::non_blank_schema")]
    pub name: Text,
    /// A headline, e.g. "Senior Backend Engineer".
    pub label: Option<Text>,
    /// A photo: an image file (PNG, JPEG, GIF, WebP, SVG) in the résumé's folder, given
    /// relative to it, or the URL of one (kept as a link; the PDF does not download it).
    #[schemars(extend("pattern" = NO_CONTROL_CHARACTERS))]
    #[serde(alias = "picture")]
    pub image: Option<String>,
    #[schemars(extend("pattern" = NO_CONTROL_CHARACTERS))]
    pub email: Option<String>,
    #[schemars(extend("pattern" = NO_CONTROL_CHARACTERS))]
    pub phone: Option<String>,
    /// Your website.
    #[schemars(extend("pattern" = NO_CONTROL_CHARACTERS))]
    #[serde(alias = "website")]
    pub url: Option<String>,
    /// A short introduction; paragraphs and lists allowed.
    pub summary: Option<Text>,
    pub location: Option<Location>,
    #[serde(default)]
    pub profiles: Vec<Profile>,
    /// A status line such as "Open to opportunities" (vitae extension).
    pub availability: Option<Text>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    pub address: Option<Text>,
    pub postal_code: Option<Text>,
    pub city: Option<Text>,
    /// ISO 3166-1 alpha-2 code, e.g. "DE".
    pub country_code: Option<String>,
    #[serde(alias = "state")]
    pub region: Option<Text>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Profile {
    /// e.g. "GitHub".
    pub network: Option<Text>,
    pub username: Option<String>,
    #[schemars(extend("pattern" = NO_CONTROL_CHARACTERS))]
    pub url: Option<String>,
}

/// A highlight: plain text, or text with tags for tailoring.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Highlight {
    Plain(Text),
    Tagged(TaggedHighlight),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TaggedHighlight {
    pub text: Text,
    #[serde(default)]
    pub tags: Vec<String>,
}

impl Highlight {
    pub fn text(&self) -> &Text {
        match self {
            Highlight::Plain(text) | Highlight::Tagged(TaggedHighlight { text, .. }) => text,
        }
    }

    pub fn tags(&self) -> &[String] {
        match self {
            Highlight::Plain(_) => &[],
            Highlight::Tagged(h) => &h.tags,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Work {
    /// The company.
    #[serde(alias = "company")]
    pub name: Option<Text>,
    pub location: Option<Text>,
    /// What the company does.
    pub description: Option<Text>,
    pub position: Option<Text>,
    #[schemars(extend("pattern" = NO_CONTROL_CHARACTERS))]
    #[serde(alias = "website")]
    pub url: Option<String>,
    #[serde(default, deserialize_with = "super::date::optional")]
    pub start_date: Option<Date>,
    /// Leave out, or write "present", for a current role.
    #[serde(default, deserialize_with = "super::date::optional_end")]
    pub end_date: Option<EndDate>,
    pub summary: Option<Text>,
    #[serde(default)]
    pub highlights: Vec<Highlight>,
    /// Tags for tailoring (vitae extension).
    #[serde(default)]
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Volunteer {
    pub organization: Option<Text>,
    pub position: Option<Text>,
    #[schemars(extend("pattern" = NO_CONTROL_CHARACTERS))]
    #[serde(alias = "website")]
    pub url: Option<String>,
    #[serde(default, deserialize_with = "super::date::optional")]
    pub start_date: Option<Date>,
    #[serde(default, deserialize_with = "super::date::optional_end")]
    pub end_date: Option<EndDate>,
    pub summary: Option<Text>,
    #[serde(default)]
    pub highlights: Vec<Highlight>,
    #[serde(default)]
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Education {
    pub institution: Option<Text>,
    #[schemars(extend("pattern" = NO_CONTROL_CHARACTERS))]
    pub url: Option<String>,
    /// Field of study, e.g. "Computer Science".
    pub area: Option<Text>,
    /// e.g. "Bachelor".
    pub study_type: Option<Text>,
    #[serde(default, deserialize_with = "super::date::optional")]
    pub start_date: Option<Date>,
    #[serde(default, deserialize_with = "super::date::optional_end")]
    pub end_date: Option<EndDate>,
    /// Grade point average or final grade.
    #[serde(alias = "gpa")]
    pub score: Option<Text>,
    #[serde(default)]
    pub courses: Vec<Text>,
    #[serde(default)]
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Award {
    pub title: Option<Text>,
    #[serde(default, deserialize_with = "super::date::optional")]
    #[serde(alias = "awardDate")]
    pub date: Option<Date>,
    pub awarder: Option<Text>,
    pub summary: Option<Text>,
    #[serde(default)]
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Certificate {
    pub name: Option<Text>,
    #[serde(default, deserialize_with = "super::date::optional")]
    pub date: Option<Date>,
    #[schemars(extend("pattern" = NO_CONTROL_CHARACTERS))]
    pub url: Option<String>,
    pub issuer: Option<Text>,
    #[serde(default)]
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Publication {
    pub name: Option<Text>,
    pub publisher: Option<Text>,
    #[serde(default, deserialize_with = "super::date::optional")]
    pub release_date: Option<Date>,
    #[schemars(extend("pattern" = NO_CONTROL_CHARACTERS))]
    #[serde(alias = "website")]
    pub url: Option<String>,
    pub summary: Option<Text>,
    #[serde(default)]
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Skill {
    pub name: Option<Text>,
    /// e.g. "Master".
    pub level: Option<Text>,
    #[serde(default)]
    pub keywords: Vec<Text>,
    #[serde(default)]
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Language {
    pub language: Option<Text>,
    pub fluency: Option<Text>,
    #[serde(default)]
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Interest {
    pub name: Option<Text>,
    #[serde(default)]
    pub keywords: Vec<Text>,
    #[serde(default)]
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Reference {
    pub name: Option<Text>,
    pub reference: Option<Text>,
    #[serde(default)]
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Project {
    pub name: Option<Text>,
    pub description: Option<Text>,
    #[serde(default)]
    pub highlights: Vec<Highlight>,
    /// Technologies, shown with the project.
    #[serde(default)]
    pub keywords: Vec<Text>,
    #[serde(default, deserialize_with = "super::date::optional")]
    pub start_date: Option<Date>,
    #[serde(default, deserialize_with = "super::date::optional_end")]
    pub end_date: Option<EndDate>,
    #[schemars(extend("pattern" = NO_CONTROL_CHARACTERS))]
    pub url: Option<String>,
    /// e.g. "Team lead".
    #[serde(default)]
    pub roles: Vec<Text>,
    /// The company or organisation the project was for.
    pub entity: Option<Text>,
    /// e.g. "application".
    #[serde(rename = "type")]
    pub kind: Option<Text>,
    #[serde(default)]
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Meta {
    #[schemars(extend("pattern" = NO_CONTROL_CHARACTERS))]
    pub canonical: Option<String>,
    pub version: Option<Text>,
    /// ISO 8601 date or date-time; used as the PDF's date when SOURCE_DATE_EPOCH is unset.
    pub last_modified: Option<String>,
    /// A JSON Resume theme's name: read so that such files build, used by nothing here.
    pub theme: Option<String>,
}

/// A section JSON Resume does not define (vitae extension).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CustomSection {
    /// The section's heading.
    pub title: Text,
    #[serde(default)]
    pub entries: Vec<CustomEntry>,
}

/// A generic entry of a custom section.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CustomEntry {
    pub title: Text,
    pub subtitle: Option<Text>,
    pub location: Option<Text>,
    /// A single date; or use startDate and endDate.
    #[serde(default, deserialize_with = "super::date::optional")]
    pub date: Option<Date>,
    #[serde(default, deserialize_with = "super::date::optional")]
    pub start_date: Option<Date>,
    #[serde(default, deserialize_with = "super::date::optional_end")]
    pub end_date: Option<EndDate>,
    #[schemars(extend("pattern" = NO_CONTROL_CHARACTERS))]
    pub url: Option<String>,
    /// Paragraphs and lists allowed.
    pub summary: Option<Text>,
    #[serde(default)]
    pub highlights: Vec<Highlight>,
    #[serde(default)]
    pub keywords: Vec<Text>,
    #[serde(default)]
    pub tags: Vec<String>,
}

/// How vitae builds this résumé (vitae extension).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    /// The default language of the content, headings and dates, e.g. "en".
    #[schemars(extend("pattern" = LANGUAGE_CODE_PATTERN))]
    pub lang: Option<String>,
    /// Sections to show first, in this order, by id (work, education, … or a custom id).
    #[serde(default)]
    pub order: Vec<String>,
    /// Section headings to use instead of the defaults, by section id.
    #[serde(default)]
    pub titles: IndexMap<String, Text>,
    /// vitae's own words to use instead of the locale's: any part of a locale file (`vitae
    /// locales CODE` prints one), e.g. `{sections: {work: Werdegang}, present: heute}`. With
    /// these, a language vitae has no locale for builds, with English for the rest.
    pub labels: Option<PartialLocale>,
    /// The PDF layout: a built-in one (`vitae layouts` lists them) or a .typ file in the résumé's folder.
    #[serde(default)]
    #[schemars(schema_with = "layout_schema")]
    pub layout: Option<String>,
    pub page_size: Option<PageSize>,
    /// The accent colour of the PDF, as #rrggbb.
    #[schemars(extend("pattern" = "^#[0-9A-Fa-f]{6}$"))]
    pub accent: Option<String>,
    /// Whether layouts that show a photo show `basics.image` (default: yes).
    pub photo: Option<bool>,
    /// Tags the default build (no variant) leaves out: long-form material kept for a variant
    /// such as `portfolio`. Variants choose with their own `tags` and `exclude`.
    #[serde(default)]
    pub exclude: Vec<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PageSize {
    #[default]
    A4,
    Letter,
}

/// Whether a variant keeps items that carry no tags.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Untagged {
    #[default]
    Keep,
    Drop,
}

/// A tailored version of the résumé (vitae extension).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Variant {
    /// Keep tagged items carrying any of these tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Drop items carrying any of these tags; wins over `tags`.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// What happens to items without tags: keep (default) or drop.
    #[serde(default)]
    pub untagged: Untagged,
    /// Which sections to show, in this order; all when left out.
    pub sections: Option<Vec<String>>,
    #[serde(default)]
    pub limits: Limits,
    /// The PDF layout of this variant: a built-in one or a .typ file in the résumé's folder.
    #[serde(default)]
    #[schemars(schema_with = "layout_schema")]
    pub layout: Option<String>,
    /// The language of this variant, e.g. "de".
    #[schemars(extend("pattern" = LANGUAGE_CODE_PATTERN))]
    pub lang: Option<String>,
    /// Page budget: fit the PDF to at most this many pages.
    #[schemars(range(min = 1))]
    pub pages: Option<u32>,
    /// Replaces basics.label.
    pub label: Option<Text>,
    /// Replaces basics.summary.
    pub summary: Option<Text>,
    /// Shows or hides the photo, overriding `settings.photo`.
    pub photo: Option<bool>,
    /// vitae's own words for this variant, over `settings.labels`: any part of a locale file.
    pub labels: Option<PartialLocale>,
    /// A job posting (a text or Markdown file inside the résumé's folder, relative to it): each
    /// entry's highlights are ordered by relevance to it, and fitting to `pages` keeps the most
    /// relevant.
    pub job: Option<String>,
}

/// Upper bounds on what a variant shows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Limits {
    /// At most this many entries in a section, by section id.
    #[serde(default)]
    pub entries: IndexMap<String, u32>,
    /// At most this many highlights per entry: one number for all sections, or one per section.
    pub highlights: Option<HighlightLimit>,
}

#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum HighlightLimit {
    All(u32),
    PerSection(IndexMap<String, u32>),
}

/// A layout: the name of a built-in one, or a Typst file (`.typ`) in the résumé's folder.
fn layout_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let names: Vec<&str> = crate::export::pdf::layouts::BUILTIN
        .iter()
        .map(|b| b.name)
        .collect();
    schemars::json_schema!({
        "description": "A built-in layout (`vitae layouts` lists them), or a .typ file in the résumé's folder, given relative to it.",
        "anyOf": [
            { "type": "string", "enum": names },
            { "type": "string", "pattern": "\\.typ$" },
            { "type": "null" }
        ]
    })
}

impl HighlightLimit {
    pub fn for_section(&self, section: &str) -> Option<u32> {
        match self {
            HighlightLimit::All(n) => Some(*n),
            HighlightLimit::PerSection(map) => map.get(section).copied(),
        }
    }
}

// Hand-written rather than `#[serde(untagged)]`: untagged enums buffer their input, which loses
// the error's location, hides unknown keys from the warning pass and says only "did not match".
impl<'de> Deserialize<'de> for Highlight {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Highlight;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a highlight: text, a map of translations, or a mapping with `text` and `tags`",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Highlight, E> {
                Ok(Highlight::Plain(Text::Plain(v.to_string())))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Highlight, E> {
                Ok(Highlight::Plain(Text::Number(v.to_string())))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Highlight, E> {
                Ok(Highlight::Plain(Text::Number(v.to_string())))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Highlight, E> {
                Ok(Highlight::Plain(Text::Number(v.to_string())))
            }
            // As any text: `true` is read as the word.
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Highlight, E> {
                Ok(Highlight::Plain(Text::Number(v.to_string())))
            }
            /// `{text, tags}`, or translations `{en: …, de: …}`: `text` or `tags` decides.
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Highlight, A::Error> {
                let mut text: Option<Text> = None;
                let mut tags: Option<Vec<String>> = None;
                let mut translations: Vec<(String, String)> = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "text" if text.is_some() => {
                            return Err(de::Error::custom("the key \"text\" is given twice"));
                        }
                        "tags" if tags.is_some() => {
                            return Err(de::Error::custom("the key \"tags\" is given twice"));
                        }
                        "text" => text = Some(map.next_value()?),
                        "tags" => tags = Some(map.next_value()?),
                        lang if super::text::is_language_code(lang) => {
                            translations.push((key.clone(), map.next_value::<String>()?));
                        }
                        other => {
                            return Err(de::Error::custom(format!(
                                "unknown field \"{other}\" in a highlight (expected `text` and `tags`, or language codes)"
                            )));
                        }
                    }
                }
                match (text, tags, translations.is_empty()) {
                    (Some(text), tags, true) => Ok(Highlight::Tagged(TaggedHighlight {
                        text,
                        tags: tags.unwrap_or_default(),
                    })),
                    (None, None, false) => Ok(Highlight::Plain(Text::Translated(translations))),
                    (None, None, true) => {
                        Err(de::Error::custom("a highlight cannot be an empty mapping"))
                    }
                    (None, Some(_), _) => Err(de::Error::custom("missing field `text`")),
                    (Some(_), _, false) => Err(de::Error::custom(format!(
                        "a highlight with `text` cannot also have \"{}\"; put translations under `text`",
                        translations[0].0
                    ))),
                }
            }
        }
        deserializer.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for HighlightLimit {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = HighlightLimit;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a whole number, or a map from section id to a whole number")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<HighlightLimit, E> {
                u32::try_from(v)
                    .map(HighlightLimit::All)
                    .map_err(|_| E::custom("the limit is too large"))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<HighlightLimit, E> {
                u64::try_from(v)
                    .map_err(|_| E::custom(format!("a limit cannot be negative (found {v})")))
                    .and_then(|v| self.visit_u64(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<HighlightLimit, A::Error> {
                IndexMap::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(HighlightLimit::PerSection)
            }
        }
        deserializer.deserialize_any(V)
    }
}
