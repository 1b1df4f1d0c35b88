//! Words vitae itself prints: section headings, month names, "present", labels.
//!
//! Each language is one YAML file in `locales/`, embedded in the binary and listed once, in
//! [`SOURCES`]. Adding a language is adding its file there. `vitae locales` lists them and
//! `vitae locales fr` prints one, ready to copy. The résumé's own text is chosen by `--lang`
//! and may be in any language; only these words need a locale.

use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

/// The embedded locale files, by language code, sorted by code. The one list of languages.
macro_rules! locales {
    ($($code:literal),* $(,)?) => {
        &[$(($code, include_str!(concat!("../locales/", $code, ".yaml")))),*]
    };
}

const SOURCES: &[(&str, &str)] = locales![
    "ar", "cs", "da", "de", "el", "en", "es", "fa", "fi", "fr", "he", "hi", "it", "ja", "ko", "nl",
    "no", "pl", "pt", "ru", "sv", "tr", "uk", "zh",
];

/// The words of one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Locale {
    /// Language code, e.g. "en": the file's name.
    #[serde(skip)]
    pub lang: String,
    /// The language's name in itself, e.g. "Français".
    pub name: String,
    /// Text direction.
    pub dir: Direction,
    /// Month names, January first.
    pub months: Months,
    /// How a month and a year are written: `{month}` (abbreviated) and `{year}`.
    pub date: String,
    /// The end of an ongoing range.
    pub present: String,
    /// Between the start and the end of a range, spaces included: " – ".
    pub range: String,
    /// Labels for contact details and entry facts, used by layouts and exporters.
    pub labels: Labels,
    /// Default section headings.
    pub sections: Sections,
}

/// Left-to-right or right-to-left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Ltr,
    Rtl,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Months {
    /// Full names ("January"), in the form used with a year alone.
    pub full: [String; 12],
    /// Abbreviated names ("Jan"), the ones dates are printed with.
    pub short: [String; 12],
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labels {
    pub email: String,
    pub phone: String,
    pub website: String,
    pub location: String,
    pub contact: String,
    pub summary: String,
    pub score: String,
    pub courses: String,
    pub roles: String,
    pub kind: String,
    pub level: String,
    pub page: String,
    pub photo: String,
}

/// The default heading of each JSON Resume section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sections {
    pub work: String,
    pub volunteer: String,
    pub education: String,
    pub awards: String,
    pub certificates: String,
    pub publications: String,
    pub skills: String,
    pub languages: String,
    pub interests: String,
    pub references: String,
    pub projects: String,
}

static LOCALES: LazyLock<Vec<Locale>> = LazyLock::new(|| {
    SOURCES
        .iter()
        .map(|(code, source)| {
            // The embedded files are checked by the unit test `every_locale_file_is_complete`,
            // so this is never reached.
            let mut locale: Locale = serde_yaml::from_str(source)
                .unwrap_or_else(|e| panic!("locales/{code}.yaml is malformed: {e}"));
            locale.lang = (*code).to_string();
            locale
        })
        .collect()
});

impl Locale {
    /// Every built-in locale, sorted by code.
    pub fn all() -> &'static [Locale] {
        &LOCALES
    }

    /// The codes of the built-in locales, comma-separated: "ar, cs, da, …".
    pub fn codes() -> String {
        SOURCES
            .iter()
            .map(|(code, _)| *code)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The locale closest to a BCP 47 tag: case-insensitive, `_` as `-`, by primary language
    /// (`pt-BR` → pt, `zh-Hant` → zh, `nb`/`nn` → no). None when vitae has no such language.
    pub fn resolve(tag: &str) -> Option<&'static Locale> {
        let tag = tag.trim().to_ascii_lowercase().replace('_', "-");
        let primary = tag.split('-').next().unwrap_or("");
        let primary = match primary {
            "nb" | "nn" => "no",
            "iw" => "he",
            other => other,
        };
        LOCALES.iter().find(|l| l.lang == primary)
    }

    /// The locale for a language tag, English when vitae has none (validation reports those).
    pub fn for_lang(lang: &str) -> &'static Locale {
        Self::resolve(lang).unwrap_or_else(|| Self::english())
    }

    fn english() -> &'static Locale {
        Self::resolve("en").unwrap_or_else(|| unreachable!("locales/en.yaml is embedded"))
    }

    /// The message for a tag without a locale.
    pub fn unknown(tag: &str) -> String {
        format!(
            "there is no locale for \"{tag}\"; vitae has: {}",
            Self::codes()
        )
    }

    /// The abbreviated name of a month, 1–12.
    pub fn month(&self, month: u8) -> &str {
        &self.months.short[usize::from(month.clamp(1, 12)) - 1]
    }

    /// A month and a year, e.g. "Mar 2019" or "2019年3月".
    pub fn month_year(&self, month: u8, year: impl std::fmt::Display) -> String {
        self.date
            .replace("{month}", self.month(month))
            .replace("{year}", &year.to_string())
    }

    /// The default heading of a JSON Resume section.
    pub fn section_title(&self, id: &str) -> Option<&str> {
        let s = &self.sections;
        Some(match id {
            "work" => &s.work,
            "volunteer" => &s.volunteer,
            "education" => &s.education,
            "awards" => &s.awards,
            "certificates" => &s.certificates,
            "publications" => &s.publications,
            "skills" => &s.skills,
            "languages" => &s.languages,
            "interests" => &s.interests,
            "references" => &s.references,
            "projects" => &s.projects,
            _ => return None,
        })
    }

    /// This locale as its file reads, for `vitae locales CODE`.
    pub fn to_yaml(&self) -> String {
        serde_yaml::to_string(self).unwrap_or_else(|e| unreachable!("a locale serialises: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_locale_file_is_complete() {
        assert!(SOURCES.len() >= 24);
        assert!(SOURCES.windows(2).all(|w| w[0].0 < w[1].0), "sorted");
        for (code, source) in SOURCES {
            let l: Locale =
                serde_yaml::from_str(source).unwrap_or_else(|e| panic!("locales/{code}.yaml: {e}"));
            let mut words: Vec<&str> = vec![&l.name, &l.date, &l.present, &l.range];
            words.extend(l.months.full.iter().map(String::as_str));
            words.extend(l.months.short.iter().map(String::as_str));
            let b = &l.labels;
            words.extend(
                [
                    &b.email,
                    &b.phone,
                    &b.website,
                    &b.location,
                    &b.contact,
                    &b.summary,
                    &b.score,
                    &b.courses,
                    &b.roles,
                    &b.kind,
                    &b.level,
                    &b.page,
                    &b.photo,
                ]
                .map(String::as_str),
            );
            for id in crate::model::resolve::DEFAULT_ORDER {
                words.push(l.section_title(id).unwrap_or(""));
            }
            for w in words {
                assert!(
                    !w.trim().is_empty(),
                    "locales/{code}.yaml has an empty word"
                );
            }
            assert!(
                l.date.contains("{month}") && l.date.contains("{year}"),
                "{code}"
            );
            let rtl = ["ar", "fa", "he"].contains(code);
            assert_eq!(l.dir == Direction::Rtl, rtl, "{code}");
        }
        assert_eq!(Locale::all().len(), SOURCES.len());
    }

    #[test]
    fn english_and_german_keep_their_words() {
        let en = Locale::for_lang("en");
        assert_eq!(en.month(3), "Mar");
        assert_eq!(en.month_year(3, 2019), "Mar 2019");
        assert_eq!(en.present, "present");
        assert_eq!(en.range, " – ");
        assert_eq!(en.section_title("work"), Some("Experience"));
        assert_eq!(en.section_title("talks"), None);
        let de = Locale::for_lang("de-AT");
        assert_eq!(de.month(9), "Sept.");
        assert_eq!(de.section_title("work"), Some("Berufserfahrung"));
        assert_eq!(de.labels.page, "Seite");
    }

    #[test]
    fn tags_resolve_to_the_closest_locale() {
        let code = |tag: &str| Locale::resolve(tag).map(|l| l.lang.as_str());
        assert_eq!(code("pt-BR"), Some("pt"));
        assert_eq!(code("PT_br"), Some("pt"));
        assert_eq!(code("zh-TW"), Some("zh"));
        assert_eq!(code("zh-Hant"), Some("zh"));
        assert_eq!(code("nb"), Some("no"));
        assert_eq!(code("nn-NO"), Some("no"));
        assert_eq!(code("FR"), Some("fr"));
        assert_eq!(code("zz-nonsense"), None);
        assert_eq!(code(""), None);
        assert_eq!(Locale::for_lang("zz").lang, "en");
        assert!(
            Locale::unknown("zz")
                .starts_with("there is no locale for \"zz\"; vitae has: ar, cs, da")
        );
    }

    #[test]
    fn dates_follow_each_language() {
        assert_eq!(Locale::for_lang("ja").month_year(1, 2020), "2020年1月");
        assert_eq!(Locale::for_lang("fr").month_year(2, 2020), "févr. 2020");
        assert_eq!(Locale::for_lang("he").dir, Direction::Rtl);
    }

    #[test]
    fn a_locale_prints_as_its_file_reads() {
        for l in Locale::all() {
            let back: Locale = serde_yaml::from_str(&l.to_yaml()).expect("round trip");
            assert_eq!(back.sections, l.sections);
            assert_eq!(back.months, l.months);
        }
    }
}
