//! Words vitae itself prints: section headings, month names, "present", labels.
//!
//! Each language is one YAML file in `locales/`, embedded in the binary and listed once, in
//! [`SOURCES`]. Adding a language is adding its file there. `vitae locales` lists them and
//! `vitae locales fr` prints one, ready to copy. The résumé's own text is chosen by `--lang`
//! and may be in any language; only these words need a locale.
//!
//! A résumé may replace any of these words with `settings.labels` and a variant's `labels`
//! ([`PartialLocale`]: the shape of a locale file, every key optional), which also lets it
//! use a language vitae has no file for, with English for the words it does not give. The
//! resolved document carries the result ([`crate::model::Document::locale`]), so that every
//! format prints the same words.

use schemars::JsonSchema;
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
    /// The page footer of a document of more than one page: `{page}` and `{pages}`.
    pub footer: String,
    /// Labels for contact details and entry facts, used by layouts and exporters.
    pub labels: Labels,
    /// Default section headings.
    pub sections: Sections,
}

/// Left-to-right or right-to-left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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

/// A locale's words as a résumé may override them (`settings.labels`, a variant's `labels`):
/// any part of a locale file, every key optional, so `vitae locales CODE` can be pasted whole.
///
/// Unknown keys are not refused here: the loader reports them as warnings with a suggestion,
/// as everywhere else in the résumé.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PartialLocale {
    /// The language's name, as in a locale file; accepted so a whole file can be pasted, and
    /// ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Text direction: ltr or rtl.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dir: Option<Direction>,
    /// Month names, January first: `full` and `short` (the ones dates are printed with), 12 each.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub months: Option<PartialMonths>,
    /// How a month and a year are written, with `{month}` and `{year}`: "{month} {year}".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The end of an ongoing range: "present".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub present: Option<String>,
    /// Between the start and the end of a range, spaces included: " – ".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<String>,
    /// The page footer, with `{page}` and `{pages}`: "Page {page} of {pages}".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub footer: Option<String>,
    /// Labels for contact details and entry facts: email, phone, website, location, contact,
    /// summary, score, courses, roles, earlier (heads the roles a page budget lists in one
    /// paragraph), kind, level, page, photo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<PartialLabels>,
    /// Default section headings, by section id: work, education, skills …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sections: Option<PartialSections>,
}

/// Month names in a [`PartialLocale`]. Lists of any length parse, so that validation can say
/// where a list is short instead of serde's bare "invalid length".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PartialMonths {
    /// Full names ("January"), 12, January first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 12, max = 12))]
    pub full: Option<Vec<String>>,
    /// Abbreviated names ("Jan"), 12, January first: the ones dates are printed with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 12, max = 12))]
    pub short: Option<Vec<String>>,
}

/// A struct of words, all required (in a locale file), and its partial twin, all optional (in
/// a résumé's overrides), from one list of fields so the two cannot drift apart.
macro_rules! words {
    ($(#[$meta:meta])* $full:ident, $partial:ident { $($field:ident),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $full {
            $(pub $field: String,)*
        }

        $(#[$meta])*
        /// Every key optional: these replace the locale's.
        #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
        pub struct $partial {
            $(
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $field: Option<String>,
            )*
        }

        impl $full {
            /// How many words this holds.
            pub const COUNT: usize = [$(stringify!($field)),*].len();

            /// Every word, in the order of the fields.
            pub fn words(&self) -> Vec<&str> {
                vec![$(self.$field.as_str()),*]
            }

            fn apply(&mut self, over: &$partial) {
                $(if let Some(v) = &over.$field {
                    self.$field.clone_from(v);
                })*
            }
        }

        impl $partial {
            /// How many words this gives.
            pub fn count(&self) -> usize {
                [$(self.$field.is_some()),*].into_iter().filter(|given| *given).count()
            }

            fn overlay(&mut self, over: &$partial) {
                $(if over.$field.is_some() {
                    self.$field.clone_from(&over.$field);
                })*
            }
        }
    };
}

words! {
    /// Labels for contact details and entry facts, used by layouts and exporters.
    Labels, PartialLabels {
        email, phone, website, location, contact, summary, score, courses, roles, earlier, kind,
        level, page, photo,
    }
}

words! {
    /// The default heading of each JSON Resume section.
    Sections, PartialSections {
        work, volunteer, education, awards, certificates, publications, skills, languages,
        interests, references, projects,
    }
}

impl PartialLocale {
    /// These words with `over`'s on top: a variant's labels over the settings'.
    pub fn overlaid(&self, over: &PartialLocale) -> PartialLocale {
        let mut out = self.clone();
        for (mine, theirs) in [
            (&mut out.name, &over.name),
            (&mut out.date, &over.date),
            (&mut out.present, &over.present),
            (&mut out.range, &over.range),
            (&mut out.footer, &over.footer),
        ] {
            if theirs.is_some() {
                mine.clone_from(theirs);
            }
        }
        if over.dir.is_some() {
            out.dir = over.dir;
        }
        if let Some(theirs) = &over.months {
            let months = out.months.get_or_insert_with(PartialMonths::default);
            if theirs.full.is_some() {
                months.full.clone_from(&theirs.full);
            }
            if theirs.short.is_some() {
                months.short.clone_from(&theirs.short);
            }
        }
        if let Some(theirs) = &over.labels {
            out.labels
                .get_or_insert_with(PartialLabels::default)
                .overlay(theirs);
        }
        if let Some(theirs) = &over.sections {
            out.sections
                .get_or_insert_with(PartialSections::default)
                .overlay(theirs);
        }
        out
    }

    /// How many of a locale's [`Locale::WORDS`] these replace.
    pub fn count(&self) -> usize {
        let months = self.months.as_ref().map_or(0, |m| {
            [&m.full, &m.short]
                .into_iter()
                .flatten()
                .map(|list| list.len().min(12))
                .sum()
        });
        let formats = [&self.date, &self.present, &self.range, &self.footer]
            .into_iter()
            .filter(|w| w.is_some())
            .count();
        months
            + formats
            + self.labels.as_ref().map_or(0, PartialLabels::count)
            + self.sections.as_ref().map_or(0, PartialSections::count)
    }
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

    /// The words a document in `lang` uses: the built-in locale (English when vitae has none
    /// for `lang`) with `labels` over it.
    pub fn with_labels(lang: &str, labels: Option<&PartialLocale>) -> Locale {
        let mut locale = Self::for_lang(lang).clone();
        if let Some(labels) = labels {
            locale.apply(labels);
        }
        locale
    }

    /// How many words a locale has: 24 month names, `date`, `present`, `range`, `footer`, the
    /// labels and the headings. The name and the text direction are not words to translate.
    pub const WORDS: usize = 24 + 4 + Labels::COUNT + Sections::COUNT;

    fn apply(&mut self, over: &PartialLocale) {
        if let Some(dir) = over.dir {
            self.dir = dir;
        }
        if let Some(months) = &over.months {
            // Validation refuses lists that are not 12 long; one that slips through (a library
            // caller that skipped validation) leaves the locale's names.
            for (list, given) in [
                (&mut self.months.full, &months.full),
                (&mut self.months.short, &months.short),
            ] {
                if let Some(twelve) = given
                    .as_ref()
                    .and_then(|g| <[String; 12]>::try_from(g.clone()).ok())
                {
                    *list = twelve;
                }
            }
        }
        for (word, given) in [
            (&mut self.date, &over.date),
            (&mut self.present, &over.present),
            (&mut self.range, &over.range),
            (&mut self.footer, &over.footer),
        ] {
            if let Some(v) = given {
                word.clone_from(v);
            }
        }
        if let Some(labels) = &over.labels {
            self.labels.apply(labels);
        }
        if let Some(sections) = &over.sections {
            self.sections.apply(sections);
        }
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
            let mut words: Vec<&str> = vec![&l.name, &l.date, &l.present, &l.range, &l.footer];
            words.extend(l.months.full.iter().map(String::as_str));
            words.extend(l.months.short.iter().map(String::as_str));
            words.extend(l.labels.words());
            words.extend(l.sections.words());
            assert_eq!(
                words.len(),
                Locale::WORDS + 1,
                "{code}: the name is not counted"
            );
            for id in crate::model::sections::ids() {
                assert!(l.section_title(id).is_some(), "{code}: {id}");
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
            assert!(
                l.footer.contains("{page}") && l.footer.contains("{pages}"),
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

    fn partial(yaml: &str) -> PartialLocale {
        serde_yaml::from_str(yaml).expect("a partial locale")
    }

    #[test]
    fn labels_replace_only_the_words_they_give() {
        let labels = partial("{sections: {work: Werdegang}, present: bis heute, dir: rtl}");
        let de = Locale::with_labels("de", Some(&labels));
        assert_eq!(de.sections.work, "Werdegang");
        assert_eq!(de.present, "bis heute");
        assert_eq!(de.dir, Direction::Rtl);
        assert_eq!(de.sections.education, "Ausbildung");
        assert_eq!(de.month(3), "März");
        assert_eq!(de.lang, "de");
        assert_eq!(Locale::with_labels("de", None), *Locale::for_lang("de"));
    }

    #[test]
    fn months_are_replaced_as_whole_lists_of_twelve() {
        let months = (1..=12)
            .map(|m| format!("M{m}"))
            .collect::<Vec<_>>()
            .join(", ");
        let labels = partial(&format!(
            "{{months: {{short: [{months}]}}, date: \"{{year}}/{{month}}\"}}"
        ));
        let l = Locale::with_labels("en", Some(&labels));
        assert_eq!(l.month_year(3, 2019), "2019/M3");
        assert_eq!(l.months.full[2], "March");
        // A short list (refused by validation) leaves the locale's names.
        let short = partial("{months: {short: [a, b]}}");
        assert_eq!(Locale::with_labels("en", Some(&short)).month(2), "Feb");
    }

    #[test]
    fn a_language_without_a_locale_starts_from_english() {
        let labels = partial("{sections: {work: تجربہ}, dir: rtl}");
        let ur = Locale::with_labels("ur", Some(&labels));
        assert_eq!(ur.sections.work, "تجربہ");
        assert_eq!(ur.sections.skills, "Skills");
        assert_eq!(ur.dir, Direction::Rtl);
        assert_eq!(ur.lang, "en");
    }

    #[test]
    fn a_variants_labels_go_over_the_settings() {
        let settings = partial(
            "{present: heute, sections: {work: Werdegang, skills: Können}, months: {full: [a,b,c,d,e,f,g,h,i,j,k,l]}}",
        );
        let variant = partial(
            "{present: jetzt, sections: {work: Stationen}, months: {short: [A,B,C,D,E,F,G,H,I,J,K,L]}}",
        );
        let both = settings.overlaid(&variant);
        assert_eq!(both.present.as_deref(), Some("jetzt"));
        let sections = both.sections.as_ref().expect("sections");
        assert_eq!(sections.work.as_deref(), Some("Stationen"));
        assert_eq!(sections.skills.as_deref(), Some("Können"));
        let months = both.months.as_ref().expect("months");
        assert_eq!(months.full.as_ref().map(|m| m[0].as_str()), Some("a"));
        assert_eq!(months.short.as_ref().map(|m| m[0].as_str()), Some("A"));
        // present, 2 headings, 24 month names.
        assert_eq!(both.count(), 27);
        assert_eq!(PartialLocale::default().count(), 0);
    }

    #[test]
    fn a_whole_locale_file_is_a_partial_locale_giving_every_word() {
        for l in Locale::all() {
            let p: PartialLocale = serde_yaml::from_str(&l.to_yaml()).expect("parses");
            assert_eq!(p.count(), Locale::WORDS, "{}", l.lang);
            let mut rebuilt = Locale::with_labels("en", Some(&p));
            rebuilt.lang.clone_from(&l.lang);
            rebuilt.name.clone_from(&l.name);
            assert_eq!(&rebuilt, l);
        }
    }
}
