//! Words vitae itself prints: section headings, month names, "present", labels.
//!
//! English and German are built in; any other language falls back to English for these words
//! (the résumé's own text is still chosen by `--lang`).

use serde::Serialize;

/// The words of one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Locale {
    /// Language code, e.g. "en".
    pub lang: &'static str,
    #[serde(skip)]
    months: [&'static str; 12],
    /// The end of an ongoing range.
    pub present: &'static str,
    /// Labels for contact details and entry facts, used by layouts and exporters.
    pub labels: Labels,
    #[serde(skip)]
    titles: &'static [(&'static str, &'static str)],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Labels {
    pub email: &'static str,
    pub phone: &'static str,
    pub website: &'static str,
    pub location: &'static str,
    pub contact: &'static str,
    pub summary: &'static str,
    pub score: &'static str,
    pub courses: &'static str,
    pub roles: &'static str,
    pub kind: &'static str,
    pub level: &'static str,
    pub page: &'static str,
    pub photo: &'static str,
}

pub const EN: Locale = Locale {
    lang: "en",
    months: [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ],
    present: "present",
    labels: Labels {
        email: "Email",
        phone: "Phone",
        website: "Website",
        location: "Location",
        contact: "Contact",
        summary: "Summary",
        score: "Grade",
        courses: "Courses",
        roles: "Roles",
        kind: "Type",
        level: "Level",
        page: "Page",
        photo: "Photo",
    },
    titles: &[
        ("work", "Experience"),
        ("volunteer", "Volunteering"),
        ("education", "Education"),
        ("awards", "Awards"),
        ("certificates", "Certifications"),
        ("publications", "Publications"),
        ("skills", "Skills"),
        ("languages", "Languages"),
        ("interests", "Interests"),
        ("references", "References"),
        ("projects", "Projects"),
    ],
};

pub const DE: Locale = Locale {
    lang: "de",
    months: [
        "Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sept.", "Okt.", "Nov.",
        "Dez.",
    ],
    present: "heute",
    labels: Labels {
        email: "E-Mail",
        phone: "Telefon",
        website: "Website",
        location: "Ort",
        contact: "Kontakt",
        summary: "Profil",
        score: "Note",
        courses: "Kurse",
        roles: "Rollen",
        kind: "Art",
        level: "Niveau",
        page: "Seite",
        photo: "Foto",
    },
    titles: &[
        ("work", "Berufserfahrung"),
        ("volunteer", "Ehrenamt"),
        ("education", "Ausbildung"),
        ("awards", "Auszeichnungen"),
        ("certificates", "Zertifikate"),
        ("publications", "Publikationen"),
        ("skills", "Kenntnisse"),
        ("languages", "Sprachen"),
        ("interests", "Interessen"),
        ("references", "Referenzen"),
        ("projects", "Projekte"),
    ],
};

impl Locale {
    /// The built-in words for a language code (`de-AT` → German), English when unknown.
    pub fn for_lang(lang: &str) -> Locale {
        match lang.split(['-', '_']).next().unwrap_or("") {
            "de" => DE,
            _ => EN,
        }
    }

    /// The abbreviated name of a month, 1–12.
    pub fn month(&self, month: u8) -> &'static str {
        self.months[usize::from(month.clamp(1, 12)) - 1]
    }

    /// The default heading of a JSON Resume section.
    pub fn section_title(&self, id: &str) -> Option<&'static str> {
        self.titles.iter().find(|(k, _)| *k == id).map(|(_, v)| *v)
    }
}
