//! Every script: content in Latin with diacritics, Greek, Cyrillic, Hebrew and Arabic comes out
//! of the PDF as written, with vitae's own fonts alone; Chinese, Japanese and Korean with the
//! system's CJK fonts. Right-to-left résumés are mirrored; missing glyphs are reported briefly.

mod common;

use common::Run;
use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};
use std::path::Path;
use tempfile::TempDir;
use vitae::locale::Locale;

/// `vitae build tests/fixtures/scripts/NAME.yaml --lang LANG -f pdf` plus `extra`, with the
/// PDF's bytes when one was written.
fn build(name: &str, lang: &str, extra: &[&str]) -> (Run, Option<Vec<u8>>) {
    let out = TempDir::new().expect("temp dir");
    let file = format!("tests/fixtures/scripts/{name}.yaml");
    let out_dir = out.path().to_str().expect("UTF-8 temp path");
    let mut args = vec!["build", &file, "--lang", lang, "-f", "pdf", "-o", out_dir];
    args.extend(extra);
    let run = common::run(args);
    let pdf = std::fs::read(out.path().join(format!("{name}.pdf"))).ok();
    (run, pdf)
}

/// The PDF's text as an applicant-tracking system extracts it, without white space (layouts
/// and extractors space words differently).
fn squashed_text(pdf: &[u8]) -> String {
    let text = pdf_extract::extract_text_from_mem(pdf).expect("text extracts");
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Right-to-left text is stored in the PDF in visual order, so an extractor that does not
/// apply the bidi algorithm (as `pdf-extract` does not) reads each word backwards.
fn visual(text: &str) -> String {
    squash(text).chars().rev().collect()
}

/// Where a CJK font would come from, if this machine has one; `None` explains the skip.
fn cjk_font() -> Option<String> {
    let dirs = [
        "/usr/share/fonts",
        "/usr/local/share/fonts",
        "/System/Library/Fonts",
    ];
    fn find(dir: &Path, depth: usize) -> Option<String> {
        for entry in std::fs::read_dir(dir).ok()?.flatten() {
            let path = entry.path();
            let name = path.file_name()?.to_string_lossy().to_lowercase();
            if path.is_dir() && depth < 6 {
                if let Some(found) = find(&path, depth + 1) {
                    return Some(found);
                }
            } else if name.contains("cjk") || name.contains("droidsansfallback") {
                return Some(path.display().to_string());
            }
        }
        None
    }
    dirs.iter().find_map(|d| find(Path::new(d), 0))
}

/// Builds a fixture with vitae's own fonts only and denied warnings: every character has a
/// bundled font, and the PDF claims PDF/UA-1.
fn bundled_only(name: &str, lang: &str) -> String {
    let (run, pdf) = build(name, lang, &["--no-system-fonts", "--deny-warnings"]);
    let run = run.expect_code(0);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    squashed_text(&pdf.expect("the PDF is written"))
}

#[test]
fn latin_with_diacritics_uses_the_bundled_fonts() {
    let text = bundled_only("latin", "pl");
    for s in [
        "Zofia Wąsowska-Østergård",
        "Łódź",
        "Kraków, Zürich, Ærøskøbing, São Paulo, İstanbul, Hà Nội and Brașov",
        "ąćęłńóśźż ĄĆĘŁŃÓŚŹŻ ő ű ș ț ğ ı ş",
        &Locale::for_lang("pl").sections.work,
    ] {
        assert!(text.contains(&squash(s)), "{s:?} in {text}");
    }
}

#[test]
fn greek_uses_the_bundled_fonts() {
    let text = bundled_only("greek", "el");
    let work = &Locale::for_lang("el").sections.work;
    for s in [
        "Ελένη Παπαδοπούλου",
        "Εταιρεία Λογισμικού ΑΕ",
        "κατά 40%",
        work,
    ] {
        assert!(text.contains(&squash(s)), "{s:?} in {text}");
    }
}

#[test]
fn cyrillic_uses_the_bundled_fonts() {
    let text = bundled_only("cyrillic", "ru");
    let ru = Locale::for_lang("ru");
    for s in [
        "Анна Соколова",
        "ООО «Ромашка»",
        "Київ, Беларусь, Србија",
        &ru.sections.work,
        &ru.present,
    ] {
        assert!(text.contains(&squash(s)), "{s:?} in {text}");
    }
}

#[test]
fn hebrew_uses_the_bundled_fonts_and_keeps_latin_letter_order() {
    let text = bundled_only("hebrew", "he");
    for s in [
        "דנה כהן",
        "מהנדסת ראשית",
        &Locale::for_lang("he").sections.work,
    ] {
        assert!(text.contains(&visual(s)), "{s:?} in {text}");
    }
    // Latin inside right-to-left text keeps its own order.
    for s in ["Acme Corp", "dana@example.com", "Kubernetes", "PostgreSQL"] {
        assert!(text.contains(&squash(s)), "{s:?} in {text}");
    }
}

#[test]
fn arabic_uses_the_bundled_fonts() {
    let text = bundled_only("arabic", "ar");
    // Words whose letters extract one for one: ligatures such as lam-alef come back as
    // presentation forms in any extractor.
    for s in ["حداد", "مهندسة", "برمجيات", "ناشئة", "شركة"] {
        assert!(text.contains(&visual(s)), "{s:?} in {text}");
    }
    assert!(text.contains("AcmeCorp"), "{text}");
}

/// Chinese, Japanese and Korean, from the system's CJK fonts.
fn cjk(name: &str, lang: &str, expected: &[&str]) {
    let Some(font) = cjk_font() else {
        eprintln!(
            "skipped: no CJK font on this machine (install fonts-noto-cjk; .ci/install-test-packages does)"
        );
        return;
    };
    let (run, pdf) = build(name, lang, &["--deny-warnings"]);
    let run = run.expect_code(0);
    assert!(!run.stderr.contains("warning"), "{font}: {}", run.stderr);
    let text = squashed_text(&pdf.expect("the PDF is written"));
    let locale = Locale::for_lang(lang);
    let words = [locale.sections.work.as_str(), locale.present.as_str()];
    for s in expected.iter().chain(&words) {
        assert!(text.contains(&squash(s)), "{s:?} in {text}");
    }
}

#[test]
fn japanese_uses_a_system_cjk_font() {
    cjk(
        "japanese",
        "ja",
        &[
            "山田 花子",
            "シニアバックエンドエンジニア",
            "東京都",
            "「信頼性」と「速度」",
        ],
    );
}

#[test]
fn chinese_uses_a_system_cjk_font() {
    cjk(
        "chinese",
        "zh",
        &["王小明", "示例科技有限公司", "“可靠性”与“速度”"],
    );
}

#[test]
fn korean_uses_a_system_cjk_font() {
    cjk(
        "korean",
        "ko",
        &["김지수", "예시 주식회사", "분산 시스템 설계와 운영에"],
    );
}

#[test]
fn the_system_font_is_named_once() {
    if cjk_font().is_none() {
        eprintln!("skipped: no CJK font on this machine (install fonts-noto-cjk)");
        return;
    }
    let (run, _) = build("japanese", "ja", &[]);
    let run = run.expect_code(0);
    let notes: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("system font"))
        .collect();
    assert_eq!(notes.len(), 1, "{}", run.stderr);
    assert!(
        notes[0].starts_with("note: characters vitae's fonts lack come from the system font \""),
        "{}",
        notes[0]
    );
}

#[test]
fn a_resume_no_font_covers_gives_a_handful_of_lines() {
    let (run, pdf) = build("japanese", "ja", &["--no-system-fonts"]);
    let run = run.expect_code(0);
    assert!(pdf.is_some());
    // Four fields named, each at its line in the file, then one line for the rest.
    let warnings = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning: "))
        .count();
    assert!(warnings <= 6, "{warnings} warnings:\n{}", run.stderr);
    assert!(
        run.stderr
            .contains("warning: basics.name: no font has 山田花子 (4 characters); system fonts are off (--no-system-fonts); add --font-path DIR\n --> tests/fixtures/scripts/japanese.yaml:2:9\n"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "warning: basics.name: no font has 山田花子 (4 characters); system fonts are off (--no-system-fonts); add --font-path DIR"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "warning: basics.summary: no font has 分散システムの設計と運用… (43 characters)"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("more fields have characters no font has"),
        "{}",
        run.stderr
    );
}

/// Characters on page 1 with where they are drawn.
#[derive(Default)]
struct Glyphs {
    page: u32,
    width: f64,
    chars: Vec<(char, f64, f64, f64)>,
}

impl OutputDev for Glyphs {
    fn begin_page(
        &mut self,
        page: u32,
        media_box: &MediaBox,
        _: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.page = page;
        if page == 1 {
            self.width = media_box.urx - media_box.llx;
        }
        Ok(())
    }
    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn output_character(
        &mut self,
        trm: &Transform,
        _: f64,
        _: f64,
        font_size: f64,
        text: &str,
    ) -> Result<(), OutputError> {
        if self.page == 1 {
            for c in text.chars() {
                // The text matrix scales the font size to its drawn size.
                self.chars
                    .push((c, trm.m31, trm.m32, font_size * trm.m11.abs()));
            }
        }
        Ok(())
    }
    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

fn glyphs(pdf: &[u8]) -> Glyphs {
    let doc = pdf_extract::Document::load_mem(pdf).expect("the PDF parses");
    let mut glyphs = Glyphs::default();
    pdf_extract::output_doc(&doc, &mut glyphs).expect("the PDF's text is read");
    glyphs
}

/// The leftmost and rightmost x of the characters of `text`, each found once on page 1.
fn span(g: &Glyphs, text: &str) -> (f64, f64) {
    let xs: Vec<f64> = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| {
            g.chars
                .iter()
                .find(|(g, ..)| *g == c)
                .unwrap_or_else(|| panic!("{c} is on page 1"))
                .1
        })
        .collect();
    let min = xs.iter().copied().fold(f64::INFINITY, f64::min);
    let max = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (min, max)
}

/// Where the first glyph of `drawn` (in the PDF's drawing order) is, on page 1.
fn run_at(g: &Glyphs, drawn: &str) -> f64 {
    let glyphs: Vec<&(char, f64, f64, f64)> =
        g.chars.iter().filter(|g| !g.0.is_whitespace()).collect();
    let word: Vec<char> = drawn.chars().collect();
    glyphs
        .windows(word.len())
        .find(|w| w.iter().map(|g| g.0).eq(word.iter().copied()))
        .unwrap_or_else(|| panic!("{drawn} is drawn on page 1"))[0]
        .1
}

#[test]
fn a_right_to_left_resume_is_mirrored_in_every_layout() {
    for layout in [
        "classic",
        "sidebar",
        "compact",
        "academic",
        "engineering",
        "modern",
    ] {
        let (run, pdf) = build("hebrew", "he", &["--layout", layout, "--no-system-fonts"]);
        run.expect_code(0);
        let g = glyphs(&pdf.expect("the PDF is written"));
        let half = g.width / 2.0;
        // The name starts at the right margin (the academic layout centres it).
        let (name_left, name_right) = span(&g, "דנהכהן");
        if layout == "academic" {
            assert!(
                (name_left + name_right) / 2.0 - half < 40.0,
                "{layout}: {name_left}–{name_right}"
            );
        } else {
            assert!(name_left > half, "{layout}: the name starts at {name_left}");
            assert!(
                name_right > g.width - 100.0,
                "{layout}: the name ends at {name_right}"
            );
        }
        // Dates stand left of the title they belong to.
        let title_left = run_at(&g, &visual("ראשית"));
        let date = g
            .chars
            .iter()
            .find(|(c, ..)| *c == '–')
            .expect("a date range")
            .1;
        assert!(
            date < title_left,
            "{layout}: date at {date}, title at {title_left}"
        );
        // The PDF draws glyphs in visual order, so Hebrew comes out backwards and an English
        // name inside it must come out forwards.
        let drawn: String = g
            .chars
            .iter()
            .map(|g| g.0)
            .filter(|c| !c.is_whitespace())
            .collect();
        assert!(drawn.contains("AcmeCorp"), "{layout}: {drawn}");
        assert!(drawn.contains(&visual("מהנדסת ראשית")), "{layout}: {drawn}");
    }
}

#[test]
fn a_left_to_right_resume_starts_at_the_left_margin() {
    let (run, pdf) = build("cyrillic", "ru", &["--no-system-fonts"]);
    run.expect_code(0);
    let g = glyphs(&pdf.expect("the PDF is written"));
    let (left, _) = span(&g, "Анна");
    assert!(left < 100.0, "{left}");
}
