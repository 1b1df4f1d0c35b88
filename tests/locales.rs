//! Locales: every language vitae lists builds with its own headings, month names and
//! "present"; unknown codes are refused with the list of languages.

mod common;

use common::{build_md_txt, run};
use vitae::locale::Locale;

/// The codes `vitae locales` lists, first column.
fn listed() -> Vec<String> {
    let out = run(["locales"]).expect_code(0);
    out.stdout
        .lines()
        .map(|line| line.split_whitespace().next().unwrap_or("").to_string())
        .collect()
}

const WORK: &str = "\
basics:
  name: Ada Lovelace
work:
  - name: Example Ltd
    position: Engineer
    startDate: \"2019-03\"
";

#[test]
fn vitae_locales_lists_at_least_24_languages_with_their_names() {
    let out = run(["locales"]).expect_code(0);
    let codes = listed();
    assert!(codes.len() >= 24, "{}", out.stdout);
    for code in [
        "en", "de", "fr", "es", "it", "pt", "nl", "pl", "cs", "sv", "da", "no", "fi", "tr", "ru",
        "uk", "el", "ja", "zh", "ko", "he", "ar", "fa", "hi",
    ] {
        assert!(codes.iter().any(|c| c == code), "{code}: {}", out.stdout);
    }
    assert!(out.stdout.contains("fr  Français"), "{}", out.stdout);
    assert!(out.stdout.contains("ja  日本語"), "{}", out.stdout);
}

#[test]
fn vitae_locales_code_prints_the_file_as_yaml() {
    let out = run(["locales", "fr"]).expect_code(0);
    assert!(
        out.stdout.starts_with("# locales/fr.yaml\n"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("work: Expérience professionnelle"),
        "{}",
        out.stdout
    );
    let parsed: Locale = serde_yaml::from_str(&out.stdout).expect("the output is a locale file");
    assert_eq!(parsed.sections, Locale::for_lang("fr").sections);

    let out = run(["locales", "zz-nonsense"]).expect_code(1);
    assert!(
        out.stderr
            .contains("there is no locale for \"zz-nonsense\""),
        "{}",
        out.stderr
    );
}

#[test]
fn every_listed_language_builds_with_its_own_headings() {
    let english = Locale::for_lang("en");
    for code in listed() {
        let locale = Locale::resolve(&code).expect("a listed code resolves");
        // examples/resume.yaml sets its own titles for work and volunteer; education is left to
        // the locale.
        let heading = &locale.sections.education;
        let printed = run(["locales", &code]).expect_code(0).stdout;
        assert!(
            printed.contains(&format!("education: {heading}")),
            "{code}: {printed}"
        );
        let built = build_md_txt("examples/resume.yaml", &["--lang", &code]);
        assert!(
            built.md.contains(&format!("## {heading}\n")),
            "{code}: {}",
            built.md
        );
        if code != "en" {
            assert!(!built.md.contains("## Education\n"), "{code}: {}", built.md);
        }
    }
    assert_eq!(english.sections.education, "Education");
}

#[test]
fn work_heading_months_and_present_follow_the_language() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("resume.yaml");
    std::fs::write(&file, WORK).unwrap();
    let file = file.to_str().unwrap();
    for code in listed() {
        let locale = Locale::resolve(&code).unwrap();
        let built = build_md_txt(file, &["--lang", &code]);
        assert!(
            built.md.contains(&format!("## {}\n", locale.sections.work)),
            "{code}: {}",
            built.md
        );
        if code != "en" {
            assert!(!built.md.contains("## Experience"), "{code}: {}", built.md);
        }
        let dates = format!(
            "{}{}{}",
            locale.month_year(3, 2019),
            locale.range,
            locale.present
        );
        assert!(
            common::one_line(&built.txt).contains(&dates),
            "{code}: {dates:?} in {}",
            built.txt
        );
    }
}

#[test]
fn regional_tags_resolve_to_their_language() {
    let built = build_md_txt("examples/resume.yaml", &["--lang", "pt-BR"]);
    assert!(built.md.contains("## Formação acadêmica\n"), "{}", built.md);
    let built = build_md_txt("examples/resume.yaml", &["--lang", "nb"]);
    assert!(built.md.contains("## Utdanning\n"), "{}", built.md);
    assert_eq!(
        Locale::resolve("zh-Hant").map(|l| l.lang.as_str()),
        Some("zh")
    );
}

#[test]
fn an_unknown_language_code_exits_1_naming_it_and_listing_the_languages() {
    let out = run([
        "build",
        "examples/resume.yaml",
        "-f",
        "md",
        "--lang",
        "zz-nonsense",
    ])
    .expect_code(1);
    assert!(out.stderr.contains("\"zz-nonsense\""), "{}", out.stderr);
    assert!(
        out.stderr.contains("ar, cs, da, de, el, en, es"),
        "{}",
        out.stderr
    );
}

#[test]
fn an_unknown_settings_lang_is_a_located_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("resume.yaml");
    std::fs::write(
        &file,
        format!("{WORK}settings:\n  lang: zz\nvariants:\n  x:\n    lang: qq-Latn\n"),
    )
    .unwrap();
    let out = run(["check", file.to_str().unwrap()]).expect_code(1);
    assert!(
        out.stderr
            .contains("there is no locale for \"zz\"; vitae has: ar, cs, da"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("resume.yaml:8:9"), "{}", out.stderr);
    assert!(
        out.stderr.contains("there is no locale for \"qq-Latn\""),
        "{}",
        out.stderr
    );
}

/// Whether a language's words need the system's CJK fonts, and none is installed.
fn no_cjk_font_for(code: &str) -> bool {
    let cjk = ["ja", "zh", "ko"].contains(&code);
    let installed = ["/usr/share/fonts", "/usr/local/share/fonts"]
        .iter()
        .any(|dir| {
            std::process::Command::new("find")
                .args([dir, "-iname", "*cjk*"])
                .output()
                .is_ok_and(|o| !o.stdout.is_empty())
        });
    cjk && !installed
}

#[test]
fn every_language_builds_pdf_md_and_txt_with_no_warning_and_its_own_headings() {
    for code in listed() {
        if no_cjk_font_for(&code) {
            eprintln!("skipped {code}: no CJK font on this machine (install fonts-noto-cjk)");
            continue;
        }
        let locale = Locale::resolve(&code).expect("a listed code resolves");
        let out = tempfile::tempdir().unwrap();
        let out_dir = out.path().to_str().unwrap();
        let run = run([
            "build",
            "examples/resume.yaml",
            "--lang",
            &code,
            "-f",
            "pdf,md,txt",
            "-o",
            out_dir,
            "--deny-warnings",
        ])
        .expect_code(0);
        assert!(!run.stderr.contains("warning"), "{code}: {}", run.stderr);
        let pdf = std::fs::read(out.path().join("resume.pdf")).expect("the PDF is written");
        let text: String = pdf_extract::extract_text_from_mem(&pdf)
            .expect("text extracts")
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        // Right-to-left scripts and Devanagari (whose vowel signs are drawn before the consonant
        // they follow) are stored in drawing order, not reading order.
        let reordered = locale.dir == vitae::locale::Direction::Rtl || code == "hi";
        for word in [&locale.sections.education, &locale.sections.skills] {
            let found = if reordered {
                contains_in_any_order(&text, word)
            } else {
                text.contains(&squash(word))
            };
            assert!(found, "{code}: {word} in {text}");
        }
        if code != "en" {
            assert!(!text.contains("Education"), "{code}: {text}");
        }
    }
}

#[test]
fn missing_translations_warn_only_when_the_file_has_that_language() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("resume.yaml");
    std::fs::write(
        &file,
        "basics:\n  name: Ada\n  label:\n    en: Engineer\n    de: Ingenieurin\nwork:\n  - name: Example Ltd\n    position:\n      en: Lead\n    startDate: \"2019-03\"\nsettings:\n  lang: en\n",
    )
    .unwrap();
    let file = file.to_str().unwrap();
    // German is in the file, so the one field without it is worth a warning.
    let de = build_md_txt(file, &["--lang", "de"]);
    assert!(
        de.run
            .stderr
            .contains("warning: work[0].position has no \"de\" translation; using \"en\""),
        "{}",
        de.run.stderr
    );
    assert!(de.md.contains("Ingenieurin"), "{}", de.md);
    // No French anywhere: French headings around the file's own words, and nothing to warn of.
    let fr = build_md_txt(file, &["--lang", "fr"]);
    assert!(!fr.run.stderr.contains("warning"), "{}", fr.run.stderr);
    assert!(fr.md.contains("Engineer"), "{}", fr.md);
    assert!(
        fr.md
            .contains(&format!("## {}\n", Locale::for_lang("fr").sections.work)),
        "{}",
        fr.md
    );
}

fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Whether `text` has the letters of `word` as one run, in any order. Right-to-left and
/// Devanagari text is stored in drawing order, and an extractor reads it back letter by letter
/// except inside a ligature (Arabic lam-alef, Devanagari conjuncts): no order of letters is right
/// for every extractor, but the run of letters is there.
fn contains_in_any_order(text: &str, word: &str) -> bool {
    let letters = |s: &str| -> Vec<char> {
        let mut v: Vec<char> = s
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{200C}')
            .collect();
        v.sort_unstable();
        v
    };
    let want = letters(word);
    let chars: Vec<char> = text.chars().filter(|c| *c != '\u{200C}').collect();
    chars
        .windows(want.len())
        .any(|w| letters(&w.iter().collect::<String>()) == want)
}
