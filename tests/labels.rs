//! `settings.labels` and a variant's `labels`: the résumé's own words over the locale's, in
//! every format; and languages vitae has no locale for, built from those words.

mod common;

use common::{Run, vitae};
use std::path::Path;
use tempfile::TempDir;
use vitae::locale::Locale;

const GERMAN: &str = "\
basics:
  name: Ada Kovač
  summary: Backend-Entwicklerin.
work:
  - name: Lantern Logistics
    position: Staff Engineer
    startDate: \"2019-03\"
settings:
  lang: de
";

/// Runs `vitae` in a folder holding `resume.yaml` with this text, so messages name
/// `resume.yaml` and not a temporary path.
fn run_in(yaml: &str, args: &[&str]) -> (TempDir, Run) {
    let dir = TempDir::new().unwrap();
    std::fs::write(dir.path().join("resume.yaml"), yaml).unwrap();
    let output = vitae()
        .current_dir(dir.path())
        .args(args)
        .output()
        .expect("vitae runs");
    let run = Run {
        code: output.status.code().expect("vitae exits normally"),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    };
    (dir, run)
}

/// Builds `resume.yaml` to Markdown and text; returns both and the command's stderr.
fn build(yaml: &str, extra: &[&str]) -> (String, String, String) {
    let mut args = vec!["build", "resume.yaml", "-f", "md,txt", "-o", "out"];
    args.extend_from_slice(extra);
    let (dir, run) = run_in(yaml, &args);
    let run = run.expect_code(0);
    let stem = match extra.iter().position(|a| *a == "--variant") {
        Some(i) => format!("resume-{}", extra[i + 1]),
        None => "resume".to_string(),
    };
    let read = |ext: &str| read(&dir.path().join("out").join(format!("{stem}.{ext}")));
    (read("md"), read("txt"), run.stderr)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `vitae locales CODE`, indented to sit under `settings: labels:`.
fn pasted(code: &str) -> String {
    let printed = common::run(["locales", code]).expect_code(0).stdout;
    printed
        .lines()
        .map(|l| format!("    {l}\n"))
        .collect::<String>()
}

#[test]
fn settings_labels_replace_headings_and_present_in_markdown_and_text() {
    let yaml = format!("{GERMAN}  labels: {{sections: {{work: Werdegang}}, present: heute}}\n");
    let (md, txt, stderr) = build(&yaml, &[]);
    assert_eq!(stderr, "");
    assert_eq!(
        md,
        "# Ada Kovač\n\nBackend-Entwicklerin.\n\n## Werdegang\n\n### Staff Engineer · Lantern Logistics\n\n*März 2019 – heute*\n"
    );
    assert_eq!(
        txt,
        "ADA KOVAČ\n\nBackend-Entwicklerin.\n\nWERDEGANG\n=========\n\nStaff Engineer, Lantern Logistics\nMärz 2019 – heute\n"
    );
}

#[test]
fn dates_months_and_contact_labels_can_be_replaced_too() {
    let yaml = GERMAN.replace(
        "  summary: Backend-Entwicklerin.\n",
        "  image: https://example.com/ada.jpg\n",
    ) + "  labels:
    present: jetzt
    range: \" bis \"
    date: \"{month}/{year}\"
    months: {short: [\"01\", \"02\", \"03\", \"04\", \"05\", \"06\", \"07\", \"08\", \"09\", \"10\", \"11\", \"12\"]}
    labels: {photo: Bild}
";
    let (md, txt, stderr) = build(&yaml, &[]);
    assert_eq!(stderr, "");
    assert!(md.contains("[Bild](https://example.com/ada.jpg)"), "{md}");
    assert!(md.contains("*03/2019 bis jetzt*"), "{md}");
    assert!(txt.contains("\n03/2019 bis jetzt\n"), "{txt}");
}

#[test]
fn a_variants_labels_win_over_the_settings() {
    let yaml = format!(
        "{GERMAN}  labels: {{sections: {{work: Werdegang}}, present: bis heute}}\nvariants:\n  kurz: {{labels: {{sections: {{work: Stationen}}}}}}\n"
    );
    let (md, txt, stderr) = build(&yaml, &["--variant", "kurz"]);
    assert_eq!(stderr, "");
    assert!(md.contains("## Stationen\n"), "{md}");
    assert!(!md.contains("Werdegang"), "{md}");
    // What the variant does not give still comes from the settings.
    assert!(md.contains("*März 2019 – bis heute*"), "{md}");
    assert!(txt.contains("STATIONEN\n=========\n"), "{txt}");
    // The full résumé keeps the settings' words.
    let (md, _, _) = build(&yaml, &[]);
    assert!(md.contains("## Werdegang\n"), "{md}");
}

const URDU: &str = "\
basics:
  name: Ada
work:
  - name: Example Ltd
    position: Engineer
    startDate: \"2019-03\"
settings:
  lang: ur
";

#[test]
fn a_language_without_a_locale_builds_from_labels_with_one_warning() {
    let yaml = format!(
        "{URDU}  labels:\n    dir: rtl\n    present: ابھی تک\n    sections: {{work: تجربہ}}\n"
    );
    let (md, txt, stderr) = build(&yaml, &[]);
    assert_eq!(
        stderr,
        format!(
            "warning: settings.lang: no locale for \"ur\"; {} words not in settings.labels stay English (see vitae locales en)\n --> resume.yaml:8:9\n  |\n8 |   lang: ur\n  |         ^\n1 warning\n",
            Locale::WORDS - 2
        )
    );
    assert_eq!(
        md,
        "# Ada\n\n## تجربہ\n\n### Engineer · Example Ltd\n\n*Mar 2019 – ابھی تک*\n"
    );
    assert!(txt.contains("Mar 2019 – ابھی تک\n"), "{txt}");
}

#[test]
fn a_language_without_a_locale_or_labels_exits_1() {
    let (_dir, run) = run_in(URDU, &["build", "resume.yaml", "-f", "md", "-o", "out"]);
    let run = run.expect_code(1);
    assert_eq!(
        run.stderr,
        format!(
            "error: there is no locale for \"ur\"; vitae has: {}\n --> resume.yaml:8:9\n  |\n8 |   lang: ur\n  |         ^\n  = hint: settings.labels can supply vitae's words for it: paste the output of `vitae locales en` there and translate it\n1 error\n",
            Locale::codes()
        )
    );
}

#[test]
fn a_month_list_that_is_not_twelve_long_is_a_located_error() {
    let yaml = format!("{GERMAN}  labels:\n    months:\n      short: [Jan, Feb, Mär]\n");
    let (_dir, run) = run_in(&yaml, &["check", "resume.yaml"]);
    let run = run.expect_code(1);
    assert_eq!(
        run.stderr,
        "error: settings.labels.months.short has 3 month names; it needs 12, January first\n  --> resume.yaml:12:14\n   |\n12 |       short: [Jan, Feb, Mär]\n   |              ^\n1 error\n"
    );
}

#[test]
fn a_locale_printed_by_vitae_locales_pastes_under_settings_labels() {
    // For French itself, and for a language vitae lacks, which then needs no English word.
    for lang in ["fr", "ur"] {
        let yaml = format!(
            "{}  labels:\n{}",
            GERMAN.replace("lang: de", &format!("lang: {lang}")),
            pasted("fr")
        );
        let (md, txt, stderr) = build(&yaml, &[]);
        assert_eq!(stderr, "", "{lang}");
        assert!(
            md.contains("## Expérience professionnelle\n"),
            "{lang}: {md}"
        );
        assert!(md.contains("*mars 2019 – aujourd’hui*"), "{lang}: {md}");
        assert!(
            txt.contains("EXPÉRIENCE PROFESSIONNELLE\n"),
            "{lang}: {txt}"
        );
    }
}

#[test]
fn unknown_keys_in_labels_are_located_warnings_with_a_suggestion() {
    let yaml = format!("{GERMAN}  labels: {{sektions: {{work: Werdegang}}}}\n");
    let (md, _, stderr) = build(&yaml, &[]);
    assert_eq!(
        stderr,
        "warning: unknown field \"sektions\" in settings.labels; did you mean \"sections\"?\n  --> resume.yaml:10:12\n   |\n10 |   labels: {sektions: {work: Werdegang}}\n   |            ^\n   = hint: vitae ignores it; `--strict` makes this an error\n1 warning\n"
    );
    assert!(md.contains("## Berufserfahrung\n"), "{md}");
}

#[test]
fn the_pdf_takes_its_words_from_the_labels_too() {
    // The engineering layout heads the summary with `labels.summary` from /settings.json.
    let yaml = format!("{GERMAN}  labels: {{labels: {{summary: Kurzprofil}}}}\n");
    let (dir, run) = run_in(
        &yaml,
        &[
            "build",
            "resume.yaml",
            "-f",
            "pdf",
            "-o",
            "out",
            "--layout",
            "engineering",
        ],
    );
    run.expect_code(0);
    let pdf = std::fs::read(dir.path().join("out/resume.pdf")).unwrap();
    let text = pdf_extract::extract_text_from_mem(&pdf).expect("text extracts");
    // Layouts may set headings in small capitals, which extract in lower case.
    let text = text.to_lowercase();
    assert!(text.contains("kurzprofil"), "{text}");
    assert_eq!(
        text.matches("profil").count(),
        1,
        "German's Profil is gone: {text}"
    );
}

/// A layout that prints the words `/settings.json` gives it.
const WORDS_LAYOUT: &str = r#"#let settings = json("/settings.json")
#set document(title: settings.document.title)
#set text(lang: settings.lang, font: settings.fonts.sans)
#settings.footer | #settings.present | #settings.labels.email | #settings.dir
"#;

#[test]
fn layouts_get_the_footer_and_words_with_the_labels_over_them() {
    let dir = TempDir::new().unwrap();
    std::fs::write(dir.path().join("words.typ"), WORDS_LAYOUT).unwrap();
    let layout = dir.path().join("words.typ");
    let layout = layout.to_str().unwrap();
    let words = |yaml: &str| {
        let (out, run) = run_in(
            yaml,
            &[
                "build",
                "resume.yaml",
                "-f",
                "pdf",
                "-o",
                "out",
                "--layout",
                layout,
            ],
        );
        run.expect_code(0);
        let pdf = std::fs::read(out.path().join("out/resume.pdf")).unwrap();
        let text = pdf_extract::extract_text_from_mem(&pdf).expect("text extracts");
        common::one_line(&text)
    };
    assert_eq!(
        words(GERMAN),
        "Seite {page} von {pages} | heute | E-Mail | ltr"
    );
    let labelled = format!(
        "{GERMAN}  labels: {{footer: \"S. {{page}}/{{pages}}\", labels: {{email: Mail}}, dir: rtl}}\n"
    );
    assert_eq!(words(&labelled), "S. {page}/{pages} | heute | Mail | rtl");
}

#[test]
fn a_language_flag_without_a_locale_uses_english_and_the_labels_with_a_warning() {
    // What `--lang ur` builds, through the library: the flag is checked by `check_lang_flag`.
    let yaml = GERMAN.replace(
        "settings:\n  lang: de\n",
        "settings:\n  labels: {present: ابھی تک}\n",
    );
    let loaded =
        vitae::model::load_bytes("resume.yaml", yaml.as_bytes(), false, Default::default())
            .expect("loads");
    assert!(vitae::model::check_lang_flag(&loaded.resume, "ur").is_none());
    let options = vitae::build::BuildOptions {
        lang: Some("ur".into()),
        ..Default::default()
    };
    let target = &vitae::build::targets(&loaded, &options).expect("targets")[0];
    let (doc, warnings) = vitae::build::document(&loaded, target);
    let messages: Vec<&str> = warnings.iter().map(|w| w.message.as_str()).collect();
    assert_eq!(
        messages,
        [format!(
            "--lang: no locale for \"ur\"; {} words not in settings.labels stay English (see vitae locales en)",
            Locale::WORDS - 1
        )]
    );
    assert_eq!(doc.lang, "ur");
    assert_eq!(doc.locale.present, "ابھی تک");
    assert_eq!(doc.sections[0].title, "Experience");
    let refused = vitae::model::check_lang_flag(&loaded.resume, "zz-nonsense");
    assert!(refused.is_none(), "labels make any language code buildable");
    let plain = vitae::model::load_bytes("r.yaml", GERMAN.as_bytes(), false, Default::default())
        .expect("loads");
    let refused = vitae::model::check_lang_flag(&plain.resume, "ur").expect("refused");
    assert!(
        refused
            .message
            .starts_with("there is no locale for \"ur\"; vitae has: ar, cs, da"),
        "{}",
        refused.message
    );
}

#[test]
fn the_schema_describes_settings_and_variant_labels() {
    let schema: serde_json::Value =
        serde_json::from_str(&common::run(["schema"]).expect_code(0).stdout).unwrap();
    let defs = &schema["definitions"];
    let labels = defs["Settings"]["properties"]["labels"].to_string();
    assert!(labels.contains("#/definitions/PartialLocale"), "{labels}");
    let variant = defs["Variant"]["properties"]["labels"].to_string();
    assert!(variant.contains("#/definitions/PartialLocale"), "{variant}");
    let partial = defs["PartialLocale"]["properties"]
        .as_object()
        .expect("properties");
    let mut keys: Vec<&str> = partial.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "date", "dir", "footer", "labels", "months", "name", "present", "range", "sections"
        ]
    );
    assert_eq!(defs["PartialMonths"]["properties"]["short"]["maxItems"], 12);
}
