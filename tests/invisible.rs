//! Every character either renders or is reported where it is. Each invisible format character
//! a paste brings along, and one character no font has, goes into every string field of the
//! schema at once; every format builds, the invisible ones are gone from every output, and
//! each is reported at its field.

mod common;
#[path = "common/schema.rs"]
mod schema;

use std::path::Path;

/// Builds `dir/resume.json` into every format; the error output.
fn build_all(dir: &Path) -> String {
    schema::build(dir, "pdf,png,md,txt,json,html,docx")
}

/// The text outputs of a build, by name.
fn texts(dir: &Path) -> Vec<(String, String)> {
    ["resume.md", "resume.txt", "resume.json", "resume.html"]
        .iter()
        .map(|name| {
            let bytes = std::fs::read(dir.join("out").join(name)).expect(name);
            (name.to_string(), String::from_utf8(bytes).expect("UTF-8"))
        })
        .collect()
}

/// `c` in field `n`, between its mark and a word, as a paste leaves it.
fn with(c: char) -> impl Fn(usize) -> String {
    move |n| format!("{}{c}word", schema::mark(n))
}

#[test]
fn removed_characters_leave_no_output_and_are_reported_at_every_field() {
    // Removed from every field: a byte-order mark (U+FEFF) and a noncharacter.
    for c in ['\u{FEFF}', '\u{FFFE}'] {
        let dir = tempfile::tempdir().expect("temp dir");
        let generated = schema::resume_with(dir.path(), &with(c));
        let stderr = build_all(dir.path());
        let escaped = c.escape_unicode().to_string();
        let mut shown = Vec::new();
        for (name, text) in texts(dir.path()) {
            assert!(!text.contains(c), "{escaped} reached {name}");
            shown.extend(schema::marks_in(&text));
        }
        shown.sort_unstable();
        shown.dedup();
        assert!(shown.len() >= 60, "only {} fields shown", shown.len());
        for n in shown {
            let field = &generated.fields[n];
            let warning = format!(
                "{field} holds control or invisible characters ({escaped}); they are removed"
            );
            assert!(
                stderr.contains(&warning),
                "{field} is shown but not reported:\n{stderr}"
            );
        }
    }
}

#[test]
fn line_separators_become_line_breaks_with_a_warning() {
    for c in ['\u{2028}', '\u{2029}'] {
        let dir = tempfile::tempdir().expect("temp dir");
        let generated = schema::resume_with(dir.path(), &with(c));
        let stderr = build_all(dir.path());
        let escaped = c.escape_unicode().to_string();
        for (name, text) in texts(dir.path()) {
            assert!(!text.contains(c), "{escaped} reached {name}");
        }
        for field in [
            "basics.name",
            "basics.summary",
            "work[0].highlights[0].text",
        ] {
            assert!(
                generated.kept.iter().any(|k| k == field),
                "{field} not generated"
            );
            let warning = format!(
                "{field} holds Unicode line separators ({escaped}); they are read as line breaks"
            );
            assert!(stderr.contains(&warning), "no {warning:?}:\n{stderr}");
        }
    }
}

#[test]
fn zero_width_and_direction_marks_build_and_leave_links_and_addresses() {
    for c in [
        '\u{200B}', '\u{200C}', '\u{200D}', '\u{200E}', '\u{200F}', '\u{2060}',
    ] {
        let dir = tempfile::tempdir().expect("temp dir");
        schema::resume_with(dir.path(), &with(c));
        let stderr = build_all(dir.path());
        let escaped = c.escape_unicode().to_string();
        // Prose keeps them (a joiner is part of Persian and of emoji); a token never does.
        for field in [
            "basics.email",
            "basics.phone",
            "basics.url",
            "basics.profiles[0].username",
        ] {
            let warning = format!(
                "{field} holds control or invisible characters ({escaped}); they are removed"
            );
            assert!(stderr.contains(&warning), "no {warning:?}:\n{stderr}");
        }
        let json = texts(dir.path())
            .into_iter()
            .find(|(name, _)| name == "resume.json")
            .map(|(_, t)| t)
            .unwrap_or_default();
        let contract: serde_json::Value = serde_json::from_str(&json).expect("JSON");
        let email = contract["basics"]["email"].as_str().unwrap_or_default();
        assert!(
            !email.contains(c),
            "{escaped} kept in the e-mail address {email:?}"
        );
    }
}

#[test]
fn a_character_no_font_has_is_a_located_warning_and_the_pdf_is_written() {
    // An unassigned code point in the Greek block: no font has it.
    let dir = tempfile::tempdir().expect("temp dir");
    let generated = schema::resume_with(dir.path(), &with('\u{0378}'));
    let stderr = build_all(dir.path());
    let pdf = std::fs::read(dir.path().join("out/resume.pdf")).expect("the PDF is written");
    assert!(
        !String::from_utf8_lossy(&pdf).contains("pdfuaid:part"),
        "a PDF with a character no font has cannot claim PDF/UA-1"
    );
    // The first fields missing glyphs are named, each at its line in the file.
    let text = std::fs::read_to_string(dir.path().join("resume.json")).expect("résumé");
    let mut named = 0;
    let lines: Vec<&str> = stderr.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let Some(message) = line.strip_prefix("warning: ") else {
            continue;
        };
        if !message.contains("no font has \u{0378}") {
            continue;
        }
        let field = message.split(':').next().unwrap_or_default();
        let line_no: usize = lines
            .get(i + 1)
            .and_then(|l| l.trim().strip_prefix("--> resume.json:"))
            .and_then(|at| at.split(':').next())
            .and_then(|l| l.parse().ok())
            .unwrap_or_else(|| panic!("unlocated: {line}"));
        let source = text.lines().nth(line_no - 1).unwrap_or_default();
        let n = schema::marks_in(source);
        assert!(
            n.iter()
                .any(|n| field.starts_with(generated.fields[*n].as_str())),
            "{line} points at {source:?}"
        );
        named += 1;
    }
    assert!(named >= 4, "{stderr}");
}
