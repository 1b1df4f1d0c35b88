//! Checks serde cannot make: required values that are empty, end dates before start dates,
//! settings and variants that name things that do not exist.

use super::date::{Date, EndDate};
use super::load::Loaded;
use super::text::{Text, is_language_code};
use crate::diag::Diagnostic;
use crate::locale::{Locale, PartialLocale};

/// Every problem found, errors and warnings mixed.
pub fn check(loaded: &Loaded) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let resume = &loaded.resume;
    let error = |path: &str, message: String| {
        Diagnostic::error(message).with_location(Some(loaded.locate_within(path)))
    };

    match &resume.basics {
        None => out.push(
            Diagnostic::error(
                "the résumé has no `basics` section; it needs at least `basics: {name: …}`",
            )
            .with_location(Some(loaded.locate_within(""))),
        ),
        Some(basics) if is_empty(&basics.name) => out.push(error(
            "basics.name",
            "basics.name is empty; a résumé needs a name".to_string(),
        )),
        Some(_) => {}
    }

    let ranges = resume
        .work
        .iter()
        .enumerate()
        .map(|(i, w)| (format!("work[{i}]"), w.start_date, w.end_date));
    let ranges = ranges
        .chain(
            resume
                .volunteer
                .iter()
                .enumerate()
                .map(|(i, v)| (format!("volunteer[{i}]"), v.start_date, v.end_date)),
        )
        .chain(
            resume
                .education
                .iter()
                .enumerate()
                .map(|(i, e)| (format!("education[{i}]"), e.start_date, e.end_date)),
        )
        .chain(
            resume
                .projects
                .iter()
                .enumerate()
                .map(|(i, p)| (format!("projects[{i}]"), p.start_date, p.end_date)),
        )
        .chain(resume.custom.iter().flat_map(|(id, s)| {
            s.entries.iter().enumerate().map(move |(i, e)| {
                (
                    format!("custom.{id}.entries[{i}]"),
                    e.start_date,
                    e.end_date,
                )
            })
        }));
    for (path, start, end) in ranges {
        out.extend(check_range(loaded, &path, start, end));
    }

    out.extend(url_fields(resume).into_iter().filter_map(|(path, url)| {
        match crate::link::policy(url) {
            crate::link::Policy::Invalid { found } => Some(error(
                &path,
                format!(
                    "{path} holds a control character ({}); a URL cannot contain line breaks or control characters",
                    crate::link::escape_char(found)
                ),
            )),
            _ => None,
        }
    }));

    let known_sections = super::section_ids(resume);
    let settings = &resume.settings;
    if let Some(lang) = &settings.lang
        && !is_language_code(lang)
    {
        out.push(error(
            "settings.lang",
            format!("\"{lang}\" is not a language code such as \"en\" or \"de\""),
        ));
    }
    if let Some(labels) = &settings.labels {
        out.extend(check_labels(loaded, "settings.labels", labels));
    }
    if let Some(lang) = &settings.lang
        && is_language_code(lang)
    {
        out.extend(lang_without_locale(
            loaded,
            "settings.lang",
            lang,
            settings.labels.as_ref(),
            "settings.labels",
        ));
    }
    if let Some(accent) = &settings.accent
        && !is_hex_colour(accent)
    {
        out.push(error(
            "settings.accent",
            format!("the accent colour \"{accent}\" is not of the form #rrggbb"),
        ));
    }
    if let Some(layout) = &settings.layout {
        out.extend(layout_problem(loaded, "settings.layout", layout));
    }
    for (i, id) in settings.order.iter().enumerate() {
        out.extend(unknown_section(
            loaded,
            &format!("settings.order[{i}]"),
            id,
            &known_sections,
        ));
    }
    for id in settings.titles.keys() {
        out.extend(unknown_section(
            loaded,
            &format!("settings.titles.{id}"),
            id,
            &known_sections,
        ));
    }

    for (name, variant) in &resume.variants {
        let at = format!("variants.{name}");
        if variant.pages == Some(0) {
            out.push(error(
                &format!("{at}.pages"),
                format!("variant \"{name}\" has a page budget of 0; it needs at least 1"),
            ));
        }
        if let Some(job) = &variant.job {
            out.extend(posting_problem(loaded, &format!("{at}.job"), job));
        }
        if let Some(layout) = &variant.layout {
            out.extend(layout_problem(loaded, &format!("{at}.layout"), layout));
        }
        if let Some(lang) = &variant.lang
            && !is_language_code(lang)
        {
            out.push(error(
                &format!("{at}.lang"),
                format!("\"{lang}\" is not a language code such as \"en\" or \"de\""),
            ));
        }
        if let Some(labels) = &variant.labels {
            out.extend(check_labels(loaded, &format!("{at}.labels"), labels));
        }
        if let Some(lang) = &variant.lang
            && is_language_code(lang)
        {
            let (labels, source) = match (&settings.labels, &variant.labels) {
                (Some(s), Some(v)) => (
                    Some(s.overlaid(v)),
                    format!("settings.labels or {at}.labels"),
                ),
                (Some(s), None) => (Some(s.clone()), "settings.labels".to_string()),
                (None, Some(v)) => (Some(v.clone()), format!("{at}.labels")),
                (None, None) => (None, String::new()),
            };
            out.extend(lang_without_locale(
                loaded,
                &format!("{at}.lang"),
                lang,
                labels.as_ref(),
                &source,
            ));
        }
        for (i, id) in variant.sections.iter().flatten().enumerate() {
            out.extend(unknown_section(
                loaded,
                &format!("{at}.sections[{i}]"),
                id,
                &known_sections,
            ));
        }
        for id in variant.limits.entries.keys() {
            out.extend(unknown_section(
                loaded,
                &format!("{at}.limits.entries.{id}"),
                id,
                &known_sections,
            ));
        }
    }
    out
}

/// Said with every refused language: how to build it anyway.
const LABELS_HINT: &str = "settings.labels can supply vitae's words for it: paste the output of `vitae locales en` there and translate it";

/// A language code (at `path`) that vitae has no locale for: an error without `labels`; with
/// them a warning naming how many words stay English, or nothing when they give every word.
fn lang_without_locale(
    loaded: &Loaded,
    path: &str,
    lang: &str,
    labels: Option<&PartialLocale>,
    source: &str,
) -> Option<Diagnostic> {
    if Locale::resolve(lang).is_some() {
        return None;
    }
    // `path` may be a command-line flag (`--lang`), which has no place in the file.
    let location = loaded.locate(path);
    match labels {
        None => Some(
            Diagnostic::error(Locale::unknown(lang))
                .with_location(location)
                .with_hint(LABELS_HINT),
        ),
        Some(labels) => english_for(lang, path, labels, source)
            .map(|message| Diagnostic::warning(message).with_location(location)),
    }
}

/// The warning for a language without a locale whose words `labels` give only in part, e.g.
/// `settings.lang: no locale for "ur"; 31 words not in settings.labels stay English (see
/// vitae locales en)`; `None` when they give every word.
pub(crate) fn english_for(
    lang: &str,
    at: &str,
    labels: &PartialLocale,
    source: &str,
) -> Option<String> {
    let english = Locale::WORDS.saturating_sub(labels.count());
    (english > 0).then(|| {
        let (words, stay) = if english == 1 {
            ("word", "stays")
        } else {
            ("words", "stay")
        };
        format!(
            "{at}: no locale for \"{lang}\"; {english} {words} not in {source} {stay} English (see vitae locales en)"
        )
    })
}

/// Whether `--lang` (or [`crate::build::BuildOptions::lang`]) can be built: the error to refuse
/// it with, if any. A language vitae has no locale for is accepted when the résumé supplies
/// words for it (`settings.labels`, or a variant's `labels`); its documents then use English
/// for the rest, with a warning from [`super::resolve()`].
pub fn check_lang_flag(resume: &super::Resume, lang: &str) -> Option<Diagnostic> {
    if Locale::resolve(lang).is_some() {
        return None;
    }
    let has_labels =
        resume.settings.labels.is_some() || resume.variants.values().any(|v| v.labels.is_some());
    if is_language_code(lang) && has_labels {
        return None;
    }
    let refused = Diagnostic::error(Locale::unknown(lang));
    Some(if is_language_code(lang) {
        refused.with_hint(LABELS_HINT)
    } else {
        refused
    })
}

/// Month lists of 12 and a date format that shows both the month and the year: what the
/// locale files are checked for, checked here for a résumé's own words.
fn check_labels(loaded: &Loaded, path: &str, labels: &PartialLocale) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let located = |at: String, message: String| {
        let location = Some(loaded.locate_within(&at));
        Diagnostic::error(message).with_location(location)
    };
    if let Some(months) = &labels.months {
        for (key, list) in [("full", &months.full), ("short", &months.short)] {
            if let Some(list) = list
                && list.len() != 12
            {
                let at = format!("{path}.months.{key}");
                out.push(located(
                    at.clone(),
                    format!(
                        "{at} has {} month name{}; it needs 12, January first",
                        list.len(),
                        if list.len() == 1 { "" } else { "s" }
                    ),
                ));
            }
        }
    }
    if let Some(date) = &labels.date {
        let missing: Vec<&str> = ["{month}", "{year}"]
            .into_iter()
            .filter(|p| !date.contains(p))
            .collect();
        if !missing.is_empty() {
            let at = format!("{path}.date");
            out.push(located(
                at.clone(),
                format!(
                    "{at} \"{date}\" has no {}; a date format holds both {{month}} and {{year}}",
                    missing.join(" and ")
                ),
            ));
        }
    }
    out
}

/// Every field that becomes a link (or part of one: an e-mail address, a phone number), by path.
fn url_fields<'r>(resume: &'r super::Resume) -> Vec<(String, &'r str)> {
    let mut out: Vec<(String, &str)> = Vec::new();
    let mut add = |path: String, value: &'r Option<String>| {
        if let Some(v) = value.as_deref() {
            out.push((path, v));
        }
    };
    if let Some(b) = &resume.basics {
        add("basics.url".into(), &b.url);
        add("basics.image".into(), &b.image);
        add("basics.email".into(), &b.email);
        add("basics.phone".into(), &b.phone);
        for (i, p) in b.profiles.iter().enumerate() {
            add(format!("basics.profiles[{i}].url"), &p.url);
        }
    }
    let sections: [(&str, Vec<&'r Option<String>>); 6] = [
        ("work", resume.work.iter().map(|x| &x.url).collect()),
        (
            "volunteer",
            resume.volunteer.iter().map(|x| &x.url).collect(),
        ),
        (
            "education",
            resume.education.iter().map(|x| &x.url).collect(),
        ),
        (
            "certificates",
            resume.certificates.iter().map(|x| &x.url).collect(),
        ),
        (
            "publications",
            resume.publications.iter().map(|x| &x.url).collect(),
        ),
        ("projects", resume.projects.iter().map(|x| &x.url).collect()),
    ];
    for (name, urls) in sections {
        for (i, url) in urls.into_iter().enumerate() {
            add(format!("{name}[{i}].url"), url);
        }
    }
    for (id, section) in &resume.custom {
        for (i, x) in section.entries.iter().enumerate() {
            add(format!("custom.{id}.entries[{i}].url"), &x.url);
        }
    }
    if let Some(meta) = &resume.meta {
        add("meta.canonical".into(), &meta.canonical);
    }
    out
}

/// A layout a résumé names is a built-in one, or a `.typ` file inside the résumé's own folder.
/// A résumé is untrusted: anything else could make vitae read, and quote, any file.
fn layout_problem(loaded: &Loaded, path: &str, spec: &str) -> Option<Diagnostic> {
    use crate::confine::resolve_regular_inside;
    use crate::export::pdf::layouts;
    let located = |message: String| {
        Diagnostic::error(message)
            .with_location(Some(loaded.locate_within(path)))
            .with_hint(
                "name a built-in layout (`vitae layouts` lists them), or a .typ file inside the résumé's folder given relative to it; --layout on the command line may name any file",
            )
    };
    if !layouts::is_path(spec) {
        if layouts::builtin(spec).is_some() {
            return None;
        }
        let names: Vec<String> = layouts::BUILTIN
            .iter()
            .map(|b| b.name.to_string())
            .collect();
        let mut message = format!("there is no layout \"{spec}\"");
        if let Some(best) = super::suggest::closest(spec, &names) {
            message.push_str(&format!("; did you mean \"{best}\"?"));
        }
        return Some(located(message));
    }
    let Some(dir) = &loaded.dir else {
        return Some(located(format!(
            "layout \"{spec}\" is a file, but this résumé was not read from a folder; it can name only a built-in layout"
        )));
    };
    if !spec.ends_with(".typ") {
        return Some(located(format!(
            "layout \"{spec}\" is not a layout: a layout is a Typst file ending in .typ"
        )));
    }
    let reason = match resolve_regular_inside(dir, std::path::Path::new(spec)) {
        Ok(_) => return None,
        Err(refused) => refused.in_folder(),
    };
    Some(located(format!(
        "layout \"{spec}\" cannot be used: {reason}"
    )))
}

/// A job posting a variant names is a file inside the résumé's folder, for the same reason.
fn posting_problem(loaded: &Loaded, path: &str, spec: &str) -> Option<Diagnostic> {
    let located = |message: String| {
        Diagnostic::error(message)
            .with_location(Some(loaded.locate_within(path)))
            .with_hint(
                "name a text or Markdown file inside the résumé's folder, relative to it; `vitae build --job` on the command line may name any file",
            )
    };
    let reason = match &loaded.dir {
        None => "this résumé was not read from a folder".to_string(),
        Some(dir) => {
            match crate::confine::resolve_regular_inside(dir, std::path::Path::new(spec)) {
                Ok(_) => return None,
                Err(refused) => refused.in_folder(),
            }
        }
    };
    Some(located(format!(
        "job posting \"{spec}\" cannot be used: {reason}"
    )))
}

fn check_range(
    loaded: &Loaded,
    path: &str,
    start: Option<Date>,
    end: Option<EndDate>,
) -> Option<Diagnostic> {
    let (Some(start), Some(EndDate::Date(end))) = (start, end) else {
        return None;
    };
    end.ends_before(&start).then(|| {
        Diagnostic::error(format!("{path} ends ({end}) before it starts ({start})"))
            .with_location(Some(loaded.locate_within(&format!("{path}.endDate"))))
    })
}

fn unknown_section(loaded: &Loaded, path: &str, id: &str, known: &[String]) -> Option<Diagnostic> {
    if known.iter().any(|k| k == id) {
        return None;
    }
    let mut message = format!("there is no section \"{id}\"");
    if let Some(best) = super::suggest::closest(id, known) {
        message.push_str(&format!("; did you mean \"{best}\"?"));
    }
    Some(Diagnostic::error(message).with_location(Some(loaded.locate_within(path))))
}

fn is_empty(text: &Text) -> bool {
    match text {
        Text::Plain(t) | Text::Number(t) => t.trim().is_empty(),
        Text::Translated(map) => map.iter().all(|(_, t)| t.trim().is_empty()),
    }
}

fn is_hex_colour(text: &str) -> bool {
    text.strip_prefix('#')
        .is_some_and(|h| h.len() == 6 && h.chars().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diagnostics;
    use crate::model::{LoadOptions, load_bytes};

    const BASICS: &str = "basics: {name: Ada}\n";

    fn load(yaml: &str) -> Result<Loaded, Diagnostics> {
        load_bytes(
            "resume.yaml",
            format!("{BASICS}{yaml}").as_bytes(),
            false,
            LoadOptions::default(),
        )
    }

    /// Each problem as `line:column message`.
    fn problems(list: &[Diagnostic]) -> Vec<String> {
        list.iter()
            .map(|d| match &d.location {
                Some(l) => format!("{}:{} {}", l.line, l.column, d.message),
                None => d.message.clone(),
            })
            .collect()
    }

    fn errors(yaml: &str) -> Vec<String> {
        problems(&load(yaml).expect_err("refused").0)
    }

    fn warnings(yaml: &str) -> Vec<String> {
        problems(&load(yaml).expect("accepted").warnings)
    }

    #[test]
    fn labels_for_a_known_language_need_no_words_of_their_own() {
        assert_eq!(
            warnings("settings:\n  lang: de\n  labels: {sections: {work: Werdegang}}\n"),
            Vec::<String>::new()
        );
    }

    #[test]
    fn an_unknown_language_with_labels_warns_once_at_the_setting() {
        assert_eq!(
            warnings(
                "settings:\n  lang: ur\n  labels: {present: ابھی تک, sections: {work: تجربہ}}\n"
            ),
            [format!(
                "3:9 settings.lang: no locale for \"ur\"; {} words not in settings.labels stay English (see vitae locales en)",
                Locale::WORDS - 2
            )]
        );
        // Every word given: nothing stays English, nothing to say.
        let mut en = Locale::for_lang("en").to_yaml().replace('\n', "\n    ");
        en.insert_str(0, "settings:\n  lang: ur\n  labels:\n    ");
        assert_eq!(warnings(&en), Vec::<String>::new());
    }

    #[test]
    fn an_unknown_language_without_labels_is_an_error_with_a_hint() {
        let refused = load("settings:\n  lang: ur\n").expect_err("refused");
        assert_eq!(
            problems(&refused.0),
            [format!(
                "3:9 there is no locale for \"ur\"; vitae has: {}",
                Locale::codes()
            )]
        );
        assert_eq!(refused.0[0].hint.as_deref(), Some(LABELS_HINT));
    }

    #[test]
    fn a_variants_language_may_take_words_from_either_labels() {
        let yaml = "settings:\n  labels: {present: now}\nvariants:\n  a: {lang: ur, labels: {range: ' to '}}\n  b: {lang: ur}\n  c: {lang: sw, labels: {present: sasa}}\n";
        let n = Locale::WORDS;
        assert_eq!(
            warnings(yaml),
            [
                format!(
                    "5:13 variants.a.lang: no locale for \"ur\"; {} words not in settings.labels or variants.a.labels stay English (see vitae locales en)",
                    n - 2
                ),
                format!(
                    "6:13 variants.b.lang: no locale for \"ur\"; {} words not in settings.labels stay English (see vitae locales en)",
                    n - 1
                ),
                format!(
                    "7:13 variants.c.lang: no locale for \"sw\"; {} words not in settings.labels or variants.c.labels stay English (see vitae locales en)",
                    n - 1
                ),
            ]
        );
        assert_eq!(
            errors("variants:\n  a: {lang: ur}\n")[0],
            format!(
                "3:13 there is no locale for \"ur\"; vitae has: {}",
                Locale::codes()
            )
        );
    }

    #[test]
    fn month_lists_need_twelve_names_and_dates_both_placeholders() {
        assert_eq!(
            errors(
                "settings:\n  labels:\n    months: {short: [jan, feb]}\n    date: \"{month}\"\nvariants:\n  v:\n    labels: {months: {full: []}, date: '{year}'}\n"
            ),
            [
                "4:21 settings.labels.months.short has 2 month names; it needs 12, January first",
                "5:11 settings.labels.date \"{month}\" has no {year}; a date format holds both {month} and {year}",
                "8:29 variants.v.labels.months.full has 0 month names; it needs 12, January first",
                "8:40 variants.v.labels.date \"{year}\" has no {month}; a date format holds both {month} and {year}",
            ]
        );
    }

    #[test]
    fn unknown_keys_in_labels_are_warnings_with_a_suggestion() {
        assert_eq!(
            warnings(
                "settings:\n  labels:\n    sections: {wrok: Werdegang}\n    presnt: heute\n    name: Deutsch\n"
            ),
            [
                "4:16 unknown field \"wrok\" in settings.labels.sections; did you mean \"work\"?",
                "5:5 unknown field \"presnt\" in settings.labels; did you mean \"present\"?",
            ]
        );
    }

    #[test]
    fn the_language_flag_needs_a_locale_or_labels() {
        let resume = |yaml: &str| load(yaml).expect("accepted").resume;
        let plain = resume("");
        assert!(check_lang_flag(&plain, "de-AT").is_none());
        let refused = check_lang_flag(&plain, "ur").expect("refused");
        assert_eq!(
            refused.message,
            format!(
                "there is no locale for \"ur\"; vitae has: {}",
                Locale::codes()
            )
        );
        assert_eq!(refused.hint.as_deref(), Some(LABELS_HINT));
        assert!(check_lang_flag(&resume("settings: {labels: {present: now}}\n"), "ur").is_none());
        assert!(
            check_lang_flag(&resume("variants: {v: {labels: {present: now}}}\n"), "ur").is_none()
        );
        // Not a language code at all: refused whatever the labels.
        let labelled = resume("settings: {labels: {present: now}}\n");
        assert!(check_lang_flag(&labelled, "not a code").is_some());
    }
}
