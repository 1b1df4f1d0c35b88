//! The standard sections in one table: each one's id, its kind, its place in the default order
//! and how long fitting keeps it. Resolving, the locales' tests, the layouts' compact lists and
//! fitting all read this, so a section is added in one place (with its heading in each locale
//! and its entries in `resolve`).

use super::document::SectionKind;

/// One standard section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SectionInfo {
    /// The id in the résumé, in `settings.order` and in locales' `sections`.
    pub id: &'static str,
    pub kind: SectionKind,
    /// When fitting drops whole entries: sections with a lower number lose theirs first (0:
    /// projects, awards and the like; 1: work; 2: education, skills and languages, which a
    /// reader looks for however short the page).
    pub keep: u8,
    /// Short facts (a name, a level, keywords) rather than stories.
    pub compact: bool,
}

const fn section(id: &'static str, kind: SectionKind, keep: u8, compact: bool) -> SectionInfo {
    SectionInfo {
        id,
        kind,
        keep,
        compact,
    }
}

/// The standard sections, in the order they are shown unless `settings.order` says otherwise
/// (custom sections go after projects).
pub const SECTIONS: [SectionInfo; 11] = [
    section("work", SectionKind::Work, 1, false),
    section("projects", SectionKind::Projects, 0, false),
    section("education", SectionKind::Education, 2, false),
    section("certificates", SectionKind::Certificates, 0, false),
    section("awards", SectionKind::Awards, 0, false),
    section("publications", SectionKind::Publications, 0, false),
    section("volunteer", SectionKind::Volunteer, 0, false),
    section("skills", SectionKind::Skills, 2, true),
    section("languages", SectionKind::Languages, 2, true),
    section("interests", SectionKind::Interests, 0, true),
    section("references", SectionKind::References, 0, false),
];

/// A standard section by id.
pub fn by_id(id: &str) -> Option<&'static SectionInfo> {
    SECTIONS.iter().find(|s| s.id == id)
}

/// A standard section by kind; custom sections have none.
pub fn by_kind(kind: SectionKind) -> Option<&'static SectionInfo> {
    SECTIONS.iter().find(|s| s.kind == kind)
}

/// The ids in the default order.
pub fn ids() -> impl Iterator<Item = &'static str> {
    SECTIONS.iter().map(|s| s.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_kinds_are_each_listed_once() {
        for s in &SECTIONS {
            assert_eq!(by_id(s.id), Some(s));
            assert_eq!(by_kind(s.kind), Some(s));
        }
        assert_eq!(by_kind(SectionKind::Custom), None);
        assert_eq!(by_id("talks"), None);
    }

    #[test]
    fn every_locale_names_every_section() {
        for locale in crate::locale::Locale::all() {
            for id in ids() {
                assert!(locale.section_title(id).is_some(), "{}: {id}", locale.lang);
            }
        }
    }
}
