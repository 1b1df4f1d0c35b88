//! RenderCV: `cv:` with the person's details and `sections:` of titled entry lists, `design:`
//! and `locale:`. A section is read by the type of its entries (RenderCV tells them apart by
//! their keys): experience, education, publication, one-line, normal, bullet, numbered or text.

use super::{Out, append, dates, education_dates, key_text, set, set_list, strings, text};
use serde_yaml::{Mapping, Value};

pub(super) fn convert(root: &Mapping, out: &mut Out) {
    for (key, value) in root {
        match key_text(key).as_str() {
            "cv" => cv(value.as_mapping().cloned().unwrap_or_default(), out),
            "design" => design(value, out),
            "locale" => locale(value, out),
            other => out.unmapped(other, value),
        }
    }
}

fn cv(cv: Mapping, out: &mut Out) {
    let mut basics = Mapping::new();
    for (key, value) in &cv {
        let key = key_text(key);
        let path = format!("cv.{key}");
        match key.as_str() {
            "name" => set(&mut basics, "name", text(value)),
            "headline" | "label" => set(&mut basics, "label", text(value)),
            "email" => set(&mut basics, "email", text(value)),
            "phone" => set(
                &mut basics,
                "phone",
                text(value).map(|p| p.trim_start_matches("tel:").to_string()),
            ),
            "website" => set(&mut basics, "url", text(value)),
            "photo" => set(&mut basics, "image", text(value)),
            "location" => {
                if let Some(place) = text(value) {
                    let mut location = Mapping::new();
                    location.insert(Value::from("city"), Value::from(place));
                    basics.insert(Value::from("location"), Value::Mapping(location));
                }
            }
            "social_networks" => {
                let Some(items) = value.as_sequence() else {
                    out.unmapped(&path, value);
                    continue;
                };
                let mut profiles: Vec<Value> = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let from = format!("{path}[{i}]");
                    match item.as_mapping() {
                        Some(p) => {
                            out.from(format!("basics.profiles[{}]", profiles.len()), &from);
                            profiles.push(profile(p, &from, out));
                        }
                        None => out.unmapped(&from, item),
                    }
                }
                if !profiles.is_empty() {
                    basics.insert(Value::from("profiles"), Value::Sequence(profiles));
                }
            }
            "sections" => {}
            _ if value.is_null() => {}
            _ => out.unmapped(&path, value),
        }
    }
    out.doc
        .insert(Value::from("basics"), Value::Mapping(basics));
    out.from("basics", "cv");
    if let Some(sections) = cv.get("sections").filter(|s| !s.is_null()) {
        let Some(sections) = sections.as_mapping() else {
            out.unmapped("cv.sections", sections);
            return;
        };
        for (title, entries) in sections {
            let at = format!("cv.sections.{}", key_text(title));
            let title = text(title).unwrap_or_default();
            match entries.as_sequence() {
                Some(entries) => section(&title, &at, entries, out),
                None if entries.is_null() => {}
                None => out.unmapped(&at, entries),
            }
        }
    }
}

/// A profile (at `path`) with its address, for the networks RenderCV knows.
fn profile(p: &Mapping, path: &str, out: &mut Out) -> Value {
    let network = p.get("network").and_then(text).unwrap_or_default();
    let user = p.get("username").and_then(text).unwrap_or_default();
    let url = match network.to_ascii_lowercase().as_str() {
        "linkedin" => Some(format!("https://linkedin.com/in/{user}")),
        "github" => Some(format!("https://github.com/{user}")),
        "gitlab" => Some(format!("https://gitlab.com/{user}")),
        "x" | "twitter" => Some(format!("https://x.com/{user}")),
        "bluesky" => Some(format!("https://bsky.app/profile/{user}")),
        "instagram" => Some(format!("https://instagram.com/{user}")),
        "orcid" => Some(format!("https://orcid.org/{user}")),
        "researchgate" => Some(format!("https://researchgate.net/profile/{user}")),
        "stackoverflow" => Some(format!("https://stackoverflow.com/users/{user}")),
        "youtube" => Some(format!("https://youtube.com/@{user}")),
        "google scholar" => Some(format!("https://scholar.google.com/citations?user={user}")),
        "telegram" => Some(format!("https://t.me/{user}")),
        "leetcode" => Some(format!("https://leetcode.com/{user}")),
        "imdb" => Some(format!("https://imdb.com/name/{user}")),
        "mastodon" => user
            .trim_start_matches('@')
            .split_once('@')
            .map(|(name, host)| format!("https://{host}/@{name}")),
        _ => None,
    };
    let mut m = Mapping::new();
    set(&mut m, "network", Some(network).filter(|n| !n.is_empty()));
    set(&mut m, "username", Some(user).filter(|u| !u.is_empty()));
    set(&mut m, "url", url);
    rest(p, &["network", "username"], path, out);
    Value::Mapping(m)
}

/// What a section's entries are, by the keys of its first entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Experience,
    Education,
    Publication,
    OneLine,
    Normal,
    Bullet,
    Numbered,
    Text,
}

fn kind(entry: &Value) -> Kind {
    let Some(m) = entry.as_mapping() else {
        return Kind::Text;
    };
    let has = |k: &str| m.contains_key(k);
    if has("company") && has("position") {
        Kind::Experience
    } else if has("institution") && has("area") {
        Kind::Education
    } else if has("title") && has("authors") {
        Kind::Publication
    } else if has("label") && has("details") {
        Kind::OneLine
    } else if has("bullet") {
        Kind::Bullet
    } else if has("number") || has("reversed_number") {
        Kind::Numbered
    } else {
        Kind::Normal
    }
}

/// A section titled `title`, at `at` in the input (`cv.sections.<key>`).
fn section(title: &str, at: &str, entries: &[Value], out: &mut Out) {
    let Some(first) = entries.first() else { return };
    let lower = title.to_lowercase().replace('_', " ");
    let path = |i: usize| format!("{at}[{i}]");
    match kind(first) {
        Kind::Experience => {
            let target = if lower.contains("volunteer") {
                "volunteer"
            } else if out.doc.contains_key("work") {
                // A second experience section stays a section of its own.
                return custom(title, at, entries, out);
            } else {
                "work"
            };
            for (i, e) in entries.iter().enumerate() {
                let Some(m) = e.as_mapping().cloned() else {
                    out.unmapped(&path(i), e);
                    continue;
                };
                let entry = experience(&m, &path(i), target, out);
                out.push(target, entry, &path(i));
            }
            retitle(out, target, title, at);
        }
        Kind::Education => {
            for (i, e) in entries.iter().enumerate() {
                let Some(m) = e.as_mapping().cloned() else {
                    out.unmapped(&path(i), e);
                    continue;
                };
                let entry = education(&m, &path(i), out);
                out.push("education", entry, &path(i));
            }
            retitle(out, "education", title, at);
        }
        Kind::Publication => {
            for (i, e) in entries.iter().enumerate() {
                let Some(m) = e.as_mapping().cloned() else {
                    out.unmapped(&path(i), e);
                    continue;
                };
                let entry = publication(&m, &path(i), out);
                out.push("publications", entry, &path(i));
            }
            retitle(out, "publications", title, at);
        }
        Kind::OneLine if lower.contains("skill") || lower.contains("technolog") => {
            for (i, e) in entries.iter().enumerate() {
                let Some(m) = e.as_mapping().cloned() else {
                    out.unmapped(&path(i), e);
                    continue;
                };
                let mut entry = Mapping::new();
                set(&mut entry, "name", m.get("label").and_then(text));
                let details = m.get("details").and_then(text).unwrap_or_default();
                set_list(
                    &mut entry,
                    "keywords",
                    details
                        .split([',', ';'])
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty())
                        .collect(),
                );
                rest(&m, &["label", "details"], &path(i), out);
                out.push("skills", entry, &path(i));
            }
            retitle(out, "skills", title, at);
        }
        Kind::Text
            if ["summary", "about", "about me", "profile", "welcome"]
                .iter()
                .any(|w| lower.starts_with(w))
                && !out
                    .doc
                    .get("basics")
                    .and_then(Value::as_mapping)
                    .is_some_and(|b| b.contains_key("summary")) =>
        {
            let mut paragraphs: Vec<String> = Vec::new();
            for (i, e) in entries.iter().enumerate() {
                match text(e) {
                    Some(t) => paragraphs.push(t),
                    None if e.is_null() => {}
                    None => out.unmapped(&path(i), e),
                }
            }
            if let Some(Value::Mapping(basics)) = out.doc.get_mut("basics") {
                basics.insert(Value::from("summary"), Value::from(paragraphs.join("\n\n")));
            }
            out.from("basics.summary", at);
        }
        Kind::Normal if lower.contains("project") && !out.doc.contains_key("projects") => {
            for (i, e) in entries.iter().enumerate() {
                let Some(m) = e.as_mapping().cloned() else {
                    out.unmapped(&path(i), e);
                    continue;
                };
                let entry = project(&m, &path(i), out);
                out.push("projects", entry, &path(i));
            }
            retitle(out, "projects", title, at);
        }
        _ => custom(title, at, entries, out),
    }
}

/// A section title RenderCV shows (of the section at `at`), kept when it is not vitae's own
/// word for the section.
fn retitle(out: &mut Out, id: &str, title: &str, at: &str) {
    let default = crate::locale::Locale::for_lang("en").section_title(id);
    let shown = title.replace('_', " ");
    let lower = shown.to_lowercase();
    if default.is_some_and(|d| d.to_lowercase() == lower) || lower == id {
        return;
    }
    let settings = out.settings();
    let titles = settings
        .entry(Value::from("titles"))
        .or_insert_with(|| Value::Mapping(Mapping::new()));
    if let Value::Mapping(t) = titles {
        t.insert(Value::from(id), Value::from(capitalise(&shown)));
    }
    out.from(format!("settings.titles.{id}"), at);
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn experience(m: &Mapping, path: &str, target: &str, out: &mut Out) -> Mapping {
    let mut e = Mapping::new();
    let org = if target == "volunteer" {
        "organization"
    } else {
        "name"
    };
    set(&mut e, org, m.get("company").and_then(text));
    set(&mut e, "position", m.get("position").and_then(text));
    if target == "work" {
        set(&mut e, "location", m.get("location").and_then(text));
    }
    set(&mut e, "url", m.get("url").and_then(text));
    let fallback = if target == "work" {
        "description"
    } else {
        "summary"
    };
    dates(
        out,
        path,
        m,
        ["date", "start_date", "end_date"],
        &mut e,
        fallback,
    );
    set(&mut e, "summary", m.get("summary").and_then(text));
    highlights(m, path, &mut e, out);
    let mut known = vec![
        "company",
        "position",
        "url",
        "date",
        "start_date",
        "end_date",
        "summary",
        "highlights",
    ];
    if target == "work" {
        known.push("location");
    } else if let Some(place) = m.get("location").and_then(text) {
        append(&mut e, "summary", &place);
        out.kept_in(&format!("{path}.location"), &Value::from(place), "summary");
        known.push("location");
    }
    rest(m, &known, path, out);
    e
}

fn education(m: &Mapping, path: &str, out: &mut Out) -> Mapping {
    let mut e = Mapping::new();
    set(&mut e, "institution", m.get("institution").and_then(text));
    set(&mut e, "area", m.get("area").and_then(text));
    set(&mut e, "studyType", m.get("degree").and_then(text));
    set(&mut e, "url", m.get("url").and_then(text));
    // Education has no free text of its own: what RenderCV shows under it becomes courses, the
    // list vitae shows there.
    let mut courses: Vec<String> = Vec::new();
    education_dates(
        out,
        path,
        m,
        ["date", "start_date", "end_date"],
        &mut e,
        &mut courses,
    );
    for key in ["location", "summary"] {
        if let Some(t) = m.get(key).and_then(text) {
            out.kept_in(&format!("{path}.{key}"), &Value::from(t.clone()), "courses");
            courses.push(t);
        }
    }
    for h in m.get("highlights").map(strings).unwrap_or_default() {
        courses.extend(flatten(&h, out, path));
    }
    set_list(&mut e, "courses", courses);
    rest(
        m,
        &[
            "institution",
            "area",
            "degree",
            "url",
            "date",
            "start_date",
            "end_date",
            "location",
            "summary",
            "highlights",
        ],
        path,
        out,
    );
    e
}

fn publication(m: &Mapping, path: &str, out: &mut Out) -> Mapping {
    let mut e = Mapping::new();
    set(&mut e, "name", m.get("title").and_then(text));
    set(&mut e, "publisher", m.get("journal").and_then(text));
    let mut dated = Mapping::new();
    dates(
        out,
        path,
        m,
        ["date", "start_date", "end_date"],
        &mut dated,
        "summary",
    );
    if let Some(d) = dated.get("startDate") {
        e.insert(Value::from("releaseDate"), d.clone());
    }
    let doi = m.get("doi").and_then(text);
    let url = m
        .get("url")
        .and_then(text)
        .or_else(|| doi.as_ref().map(|d| format!("https://doi.org/{d}")));
    set(&mut e, "url", url);
    let mut summary: Vec<String> = Vec::new();
    let authors = m.get("authors").map(strings).unwrap_or_default();
    if !authors.is_empty() {
        summary.push(authors.join(", "));
    }
    if let Some(d) = &doi {
        summary.push(format!("DOI: [{d}](https://doi.org/{d})"));
    }
    if let Some(t) = dated.get("summary").and_then(text) {
        summary.push(t);
    }
    if let Some(t) = m.get("summary").and_then(text) {
        summary.push(t);
    }
    if !summary.is_empty() {
        e.insert(Value::from("summary"), Value::from(summary.join("\n\n")));
    }
    rest(
        m,
        &[
            "title", "journal", "date", "doi", "url", "authors", "summary",
        ],
        path,
        out,
    );
    e
}

fn project(m: &Mapping, path: &str, out: &mut Out) -> Mapping {
    let mut e = Mapping::new();
    set(&mut e, "name", m.get("name").and_then(text));
    set(&mut e, "url", m.get("url").and_then(text));
    dates(
        out,
        path,
        m,
        ["date", "start_date", "end_date"],
        &mut e,
        "description",
    );
    if let Some(s) = m.get("summary").and_then(text) {
        append(&mut e, "description", &s);
    }
    if let Some(place) = m.get("location").and_then(text) {
        append(&mut e, "description", &place);
        out.kept_in(
            &format!("{path}.location"),
            &Value::from(place),
            "description",
        );
    }
    highlights(m, path, &mut e, out);
    rest(
        m,
        &[
            "name",
            "url",
            "date",
            "start_date",
            "end_date",
            "summary",
            "location",
            "highlights",
        ],
        path,
        out,
    );
    e
}

/// A section vitae has no kind for (at `at` in the input): a custom section of the same title.
fn custom(title: &str, at: &str, entries: &[Value], out: &mut Out) {
    let mut list: Vec<Value> = Vec::new();
    // Where each entry of `list` came from.
    let mut from: Vec<String> = Vec::new();
    // Bullets, numbered items and text lines of one section are one untitled entry.
    let mut loose: Vec<String> = Vec::new();
    let mut loose_text: Vec<String> = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let path = format!("{at}[{i}]");
        if entry.is_mapping() && !matches!(kind(entry), Kind::Bullet | Kind::Numbered) {
            from.push(path.clone());
        }
        match (kind(entry), entry.as_mapping()) {
            (Kind::Text, _) => match text(entry) {
                Some(t) => loose_text.push(t),
                None if entry.is_null() => {}
                None => out.unmapped(&path, entry),
            },
            (Kind::Bullet, Some(m)) => {
                loose.extend(m.get("bullet").and_then(text));
                rest(m, &["bullet"], &path, out);
            }
            (Kind::Numbered, Some(m)) => {
                loose.extend(m.get("number").or(m.get("reversed_number")).and_then(text));
                rest(m, &["number", "reversed_number"], &path, out);
            }
            (Kind::OneLine, Some(m)) => {
                let mut e = Mapping::new();
                set(&mut e, "title", m.get("label").and_then(text));
                set(&mut e, "summary", m.get("details").and_then(text));
                rest(m, &["label", "details"], &path, out);
                list.push(Value::Mapping(e));
            }
            (Kind::Experience, Some(m)) => {
                let mut e = Mapping::new();
                set(&mut e, "title", m.get("position").and_then(text));
                set(&mut e, "subtitle", m.get("company").and_then(text));
                set(&mut e, "location", m.get("location").and_then(text));
                set(&mut e, "url", m.get("url").and_then(text));
                dates(
                    out,
                    &path,
                    m,
                    ["date", "start_date", "end_date"],
                    &mut e,
                    "summary",
                );
                if let Some(s) = m.get("summary").and_then(text) {
                    append(&mut e, "summary", &s);
                }
                highlights(m, &path, &mut e, out);
                rest(
                    m,
                    &[
                        "position",
                        "company",
                        "location",
                        "url",
                        "date",
                        "start_date",
                        "end_date",
                        "summary",
                        "highlights",
                    ],
                    &path,
                    out,
                );
                list.push(Value::Mapping(e));
            }
            (_, Some(m)) => {
                let mut e = Mapping::new();
                let name = m
                    .get("name")
                    .or(m.get("title"))
                    .or(m.get("institution"))
                    .and_then(text);
                set(&mut e, "title", name);
                for (from, to) in [("location", "location"), ("url", "url")] {
                    set(&mut e, to, m.get(from).and_then(text));
                }
                if let Some(sub) = m.get("area").or(m.get("journal")).and_then(text) {
                    set(&mut e, "subtitle", Some(sub));
                }
                dates(
                    out,
                    &path,
                    m,
                    ["date", "start_date", "end_date"],
                    &mut e,
                    "summary",
                );
                if let Some(s) = m.get("summary").and_then(text) {
                    append(&mut e, "summary", &s);
                }
                let authors = m.get("authors").map(strings).unwrap_or_default();
                if !authors.is_empty() {
                    append(&mut e, "summary", &authors.join(", "));
                }
                highlights(m, &path, &mut e, out);
                rest(
                    m,
                    &[
                        "name",
                        "title",
                        "institution",
                        "location",
                        "url",
                        "area",
                        "journal",
                        "date",
                        "start_date",
                        "end_date",
                        "summary",
                        "authors",
                        "highlights",
                    ],
                    &path,
                    out,
                );
                list.push(Value::Mapping(e));
            }
            (_, None) => out.unmapped(&path, entry),
        }
    }
    if !loose.is_empty() || !loose_text.is_empty() {
        let mut e = Mapping::new();
        e.insert(Value::from("title"), Value::from(""));
        if !loose_text.is_empty() {
            e.insert(Value::from("summary"), Value::from(loose_text.join("\n\n")));
        }
        set_list(&mut e, "highlights", loose);
        list.insert(0, Value::Mapping(e));
        from.insert(0, at.to_string());
    }
    let mut section = Mapping::new();
    section.insert(
        Value::from("title"),
        Value::from(capitalise(&title.replace('_', " "))),
    );
    section.insert(Value::from("entries"), Value::Sequence(list));
    let custom = out
        .doc
        .entry(Value::from("custom"))
        .or_insert_with(|| Value::Mapping(Mapping::new()));
    if let Value::Mapping(c) = custom {
        let mut id = slug(title);
        while c.contains_key(id.as_str()) {
            id.push('-');
            id.push('2');
        }
        c.insert(Value::from(id.clone()), Value::Mapping(section));
        out.from(format!("custom.{id}"), at);
        for (k, path) in from.into_iter().enumerate() {
            out.from(format!("custom.{id}.entries[{k}]"), path);
        }
    }
}

/// RenderCV's highlights, nested bullets flattened: a sub-bullet becomes a highlight of its own
/// after its parent.
fn highlights(m: &Mapping, path: &str, e: &mut Mapping, out: &mut Out) {
    let mut list: Vec<String> = Vec::new();
    for h in m.get("highlights").map(strings).unwrap_or_default() {
        list.extend(flatten(&h, out, path));
    }
    set_list(e, "highlights", list);
}

fn flatten(highlight: &str, out: &mut Out, path: &str) -> Vec<String> {
    let mut lines = highlight.lines();
    let first = lines.next().unwrap_or("").trim().to_string();
    let mut items = vec![first];
    let mut nested = false;
    for line in lines {
        let t = line.trim();
        if let Some(sub) = t.strip_prefix("- ").or(t.strip_prefix("* ")) {
            items.push(sub.trim().to_string());
            nested = true;
        } else if let Some(last) = items.last_mut()
            && !t.is_empty()
        {
            last.push(' ');
            last.push_str(t);
        }
    }
    if nested {
        out.note(format!(
            "{path}: nested bullets became highlights of their own, after their parent"
        ));
    }
    items.retain(|i| !i.is_empty());
    items
}

/// Reports the keys of `m` not in `known` (kept in the top comment).
fn rest(m: &Mapping, known: &[&str], path: &str, out: &mut Out) {
    for (k, v) in m {
        let k = key_text(k);
        if !known.contains(&k.as_str()) && !v.is_null() {
            out.unmapped(&format!("{path}.{k}"), v);
        }
    }
}

/// A custom section id from a title: lower case, words joined by `-`.
fn slug(title: &str) -> String {
    let s: String = title
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    let parts: Vec<&str> = s.split('-').filter(|p| !p.is_empty()).collect();
    if parts.is_empty() {
        "section".to_string()
    } else {
        parts.join("-")
    }
}

/// RenderCV's theme, as the nearest layout; page size and primary colour too.
fn design(value: &Value, out: &mut Out) {
    let Some(d) = value.as_mapping() else {
        out.unmapped("design", value);
        return;
    };
    for (key, v) in d {
        let key = key_text(key);
        match key.as_str() {
            "theme" => {
                let theme = text(v).unwrap_or_default();
                let layout = match theme.as_str() {
                    "sb2nov" => "compact",
                    "engineeringresumes" | "engineeringclassic" => "engineering",
                    "moderncv" => "sidebar",
                    _ => "classic",
                };
                out.note(format!("RenderCV's theme {theme} is the layout {layout}"));
                out.setting("layout", Value::from(layout), "design.theme");
            }
            "page" => {
                let size = v.get("size").and_then(text);
                match size.as_deref() {
                    Some("us-letter") => {
                        out.setting("pageSize", Value::from("letter"), "design.page.size");
                    }
                    Some("a4") => out.setting("pageSize", Value::from("a4"), "design.page.size"),
                    _ => {}
                }
                out.unmapped("design.page", v);
            }
            "colors" => {
                if let Some(c) = v.get("primary").and_then(text).and_then(|c| hex(&c)) {
                    out.setting("accent", Value::from(c), "design.colors.primary");
                }
                out.unmapped("design.colors", v);
            }
            _ => out.unmapped(&format!("design.{key}"), v),
        }
    }
}

/// `rgb(0, 79, 144)` or `#004f90` as `#rrggbb`.
fn hex(color: &str) -> Option<String> {
    let c = color.trim();
    if c.starts_with('#') && c.len() == 7 && c[1..].chars().all(|h| h.is_ascii_hexdigit()) {
        return Some(c.to_lowercase());
    }
    let inner = c.strip_prefix("rgb(")?.strip_suffix(')')?;
    let parts: Vec<u8> = inner
        .split(',')
        .map(|p| p.trim().parse().ok())
        .collect::<Option<_>>()?;
    match parts[..] {
        [r, g, b] => Some(format!("#{r:02x}{g:02x}{b:02x}")),
        _ => None,
    }
}

/// RenderCV's `locale.language` (a name or a code) as `settings.lang`.
fn locale(value: &Value, out: &mut Out) {
    let language = value.get("language").and_then(text);
    let code = language
        .as_deref()
        .map(|l| match l.to_lowercase().as_str() {
            "english" => "en".to_string(),
            "german" | "deutsch" => "de".to_string(),
            "french" => "fr".to_string(),
            "spanish" => "es".to_string(),
            "italian" => "it".to_string(),
            "portuguese" => "pt".to_string(),
            "turkish" => "tr".to_string(),
            "russian" => "ru".to_string(),
            "chinese" | "mandarin" => "zh".to_string(),
            "japanese" => "ja".to_string(),
            "korean" => "ko".to_string(),
            "hindi" => "hi".to_string(),
            "indonesian" => "id".to_string(),
            "dutch" => "nl".to_string(),
            "polish" => "pl".to_string(),
            "danish" => "da".to_string(),
            "swedish" => "sv".to_string(),
            "norwegian" => "no".to_string(),
            "finnish" => "fi".to_string(),
            "czech" => "cs".to_string(),
            "greek" => "el".to_string(),
            "hebrew" => "he".to_string(),
            "arabic" => "ar".to_string(),
            "persian" | "farsi" => "fa".to_string(),
            "ukrainian" => "uk".to_string(),
            other => other.to_string(),
        });
    if let Some(code) = code.filter(|c| crate::locale::Locale::resolve(c).is_some()) {
        out.setting("lang", Value::from(code), "locale.language");
    }
    out.unmapped("locale", value);
}
