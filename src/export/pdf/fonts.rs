//! Fonts: the families bundled in `fonts/`, any the user adds with `--font-path`, and, only for
//! characters none of those has, faces taken from the system's fonts.
//!
//! Font files are read into the book up front (cheap: only their name tables), and each face is
//! fully parsed only when Typst first asks for it. System fonts are scanned once, and only when
//! a document needs a character vitae's own fonts lack; then just the families that cover those
//! characters join the book, so Typst's fallback can pick nothing else.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use typst::foundations::Bytes;
use typst::text::{Font, FontBook, FontInfo};
use typst::utils::LazyHash;

/// The bundled sans family.
pub const SANS: &str = "Inter";
/// The bundled serif family.
pub const SERIF: &str = "Vollkorn";

static BUNDLED: [&[u8]; 14] = [
    include_bytes!("../../../fonts/Inter-Regular.otf"),
    include_bytes!("../../../fonts/Inter-Bold.otf"),
    include_bytes!("../../../fonts/Inter-Italic.otf"),
    include_bytes!("../../../fonts/Inter-BoldItalic.otf"),
    include_bytes!("../../../fonts/Vollkorn-Regular.ttf"),
    include_bytes!("../../../fonts/Vollkorn-Bold.ttf"),
    include_bytes!("../../../fonts/Vollkorn-Italic.ttf"),
    include_bytes!("../../../fonts/Vollkorn-BoldItalic.ttf"),
    include_bytes!("../../../fonts/NotoSansHebrew-Regular.ttf"),
    include_bytes!("../../../fonts/NotoSansHebrew-Bold.ttf"),
    include_bytes!("../../../fonts/NotoSansArabic-Regular.ttf"),
    include_bytes!("../../../fonts/NotoSansArabic-Bold.ttf"),
    include_bytes!("../../../fonts/NotoSansDevanagari-Regular.ttf"),
    include_bytes!("../../../fonts/NotoSansDevanagari-Bold.ttf"),
];

/// One face: where its bytes are and, once needed, the parsed font.
#[derive(Clone)]
struct Slot {
    data: Bytes,
    index: u32,
    font: OnceLock<Option<Font>>,
}

/// Every face available to layouts. Cloning shares the font data and every parsed face.
#[derive(Clone)]
pub struct FontSet {
    book: LazyHash<FontBook>,
    slots: Vec<Slot>,
}

impl FontSet {
    /// The bundled fonts, then every font file found under `extra_dirs`.
    pub fn new(extra_dirs: &[impl AsRef<Path>]) -> Result<FontSet, String> {
        let mut book = FontBook::new();
        let mut slots = Vec::new();
        for data in BUNDLED {
            push(&mut book, &mut slots, Bytes::new(data));
        }
        for dir in extra_dirs {
            let dir = dir.as_ref();
            let files = font_files(dir, true)
                .map_err(|e| format!("cannot read font directory {}: {e}", dir.display()))?;
            for path in files {
                // Only regular files: a FIFO named like a font would block the read forever.
                let mut data = Vec::new();
                if crate::confine::open_regular(&path)
                    .ok()
                    .is_some_and(|mut file| file.read_to_end(&mut data).is_ok())
                {
                    push(&mut book, &mut slots, Bytes::new(data));
                }
            }
        }
        Ok(FontSet {
            book: LazyHash::new(book),
            slots,
        })
    }

    pub fn book(&self) -> &LazyHash<FontBook> {
        &self.book
    }

    pub fn font(&self, index: usize) -> Option<Font> {
        let slot = self.slots.get(index)?;
        slot.font
            .get_or_init(|| Font::new(slot.data.clone(), slot.index))
            .clone()
    }

    /// Whether any face covers `c`.
    pub fn covers(&self, c: char) -> bool {
        self.infos().any(|info| info.coverage.contains(c as u32))
    }

    fn infos(&self) -> impl Iterator<Item = &FontInfo> {
        (0..self.slots.len()).filter_map(|i| self.book.info(i))
    }

    /// This set with every face of `families` from `system` added after its own.
    pub fn with_system(&self, system: &SystemFonts, families: &[String]) -> FontSet {
        let mut book = (*self.book).clone();
        let mut slots = self.slots.clone();
        for face in system
            .faces
            .iter()
            .filter(|f| families.contains(&f.info.family))
        {
            book.push(face.info.clone());
            slots.push(Slot {
                data: face.data.clone(),
                index: face.index,
                font: OnceLock::new(),
            });
        }
        FontSet {
            book: LazyHash::new(book),
            slots,
        }
    }
}

fn push(book: &mut FontBook, slots: &mut Vec<Slot>, data: Bytes) {
    for (index, info) in FontInfo::iter(&data).enumerate() {
        book.push(info);
        slots.push(Slot {
            data: data.clone(),
            index: index as u32,
            font: OnceLock::new(),
        });
    }
}

/// A system font family chosen for characters vitae's own fonts lack.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FallbackFont {
    /// The family's name, e.g. "Noto Sans CJK JP".
    pub family: String,
    /// The characters it was chosen for, in code-point order.
    #[serde(serialize_with = "as_text")]
    pub chars: Vec<char>,
}

/// Characters in a manifest read better as one string than as a list of one-letter strings.
fn as_text<S: serde::Serializer>(chars: &[char], s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&chars.iter().collect::<String>())
}

/// The faces installed on this system, scanned once.
pub struct SystemFonts {
    faces: Vec<SystemFace>,
}

struct SystemFace {
    data: Bytes,
    index: u32,
    info: FontInfo,
}

/// How deep the system's font folders are searched, and how many files at most: enough for any
/// real system, and a bound on a folder that links to itself.
const MAX_DEPTH: usize = 8;
const MAX_SYSTEM_FILES: usize = 20_000;

impl SystemFonts {
    /// Scans the usual font folders of this operating system.
    pub fn scan() -> SystemFonts {
        Self::scan_dirs(&system_dirs())
    }

    /// Scans `dirs`, in order; files are memory-mapped, so only the tables read are loaded.
    pub fn scan_dirs(dirs: &[PathBuf]) -> SystemFonts {
        let mut faces = Vec::new();
        let mut seen = BTreeSet::new();
        for dir in dirs {
            let Ok(files) = font_files(dir, false) else {
                continue;
            };
            for path in files {
                if seen.len() >= MAX_SYSTEM_FILES {
                    break;
                }
                let key = path.canonicalize().unwrap_or_else(|_| path.clone());
                if !seen.insert(key) {
                    continue;
                }
                let Some(data) = map(&path) else { continue };
                for (index, info) in FontInfo::iter(&data).enumerate() {
                    faces.push(SystemFace {
                        data: data.clone(),
                        index: index as u32,
                        info,
                    });
                }
            }
        }
        SystemFonts { faces }
    }

    /// The families that together cover most of `missing`, best first: a family made for the
    /// document's language wins (Japanese forms for `ja`, Simplified Chinese for `zh`), then the
    /// one covering most characters, then a sans over a serif, then the name, so the choice does
    /// not depend on the order files were found in.
    pub fn choose(&self, missing: &BTreeSet<char>, lang: &str) -> Vec<FallbackFont> {
        let mut families: Vec<&str> = self.faces.iter().map(|f| f.info.family.as_str()).collect();
        families.sort_unstable();
        families.dedup();
        let mut left = missing.clone();
        let mut chosen = Vec::new();
        while !left.is_empty() {
            let best = families
                .iter()
                .filter(|family| !chosen.iter().any(|c: &FallbackFont| c.family == **family))
                .map(|family| (*family, self.covered(family, &left)))
                .filter(|(_, chars)| !chars.is_empty())
                .max_by(|(a, ca), (b, cb)| {
                    (preference(a, lang, &left), ca.len(), !a.contains("Serif"))
                        .cmp(&(preference(b, lang, &left), cb.len(), !b.contains("Serif")))
                        .then_with(|| b.cmp(a))
                });
            let Some((family, chars)) = best else { break };
            left.retain(|c| !chars.contains(c));
            chosen.push(FallbackFont {
                family: family.to_string(),
                chars,
            });
        }
        chosen
    }

    /// The characters of `chars` that some face of `family` has.
    fn covered(&self, family: &str, chars: &BTreeSet<char>) -> Vec<char> {
        let faces: Vec<&FontInfo> = self
            .faces
            .iter()
            .filter(|f| f.info.family == family)
            .map(|f| &f.info)
            .collect();
        chars
            .iter()
            .copied()
            .filter(|&c| faces.iter().any(|info| info.coverage.contains(c as u32)))
            .collect()
    }
}

/// How well a family's name suits a language, higher is better: a family made for it ranks
/// by the order of `marks` (Noto's and Source Han's CJK families name their region), a
/// monospace family lowest. Without a CJK language, the characters decide: kana is Japanese,
/// hangul Korean, other Han Simplified Chinese.
fn preference(family: &str, lang: &str, chars: &BTreeSet<char>) -> usize {
    let lang = lang.to_ascii_lowercase();
    let traditional = ["-tw", "-hk", "-mo", "-hant"]
        .iter()
        .any(|region| lang.contains(region));
    let script = match lang.split('-').next().unwrap_or("") {
        code @ ("ja" | "ko" | "zh") => code,
        _ if chars.iter().any(|c| matches!(*c as u32, 0x3040..=0x30FF)) => "ja",
        _ if chars
            .iter()
            .any(|c| matches!(*c as u32, 0xAC00..=0xD7AF | 0x1100..=0x11FF)) =>
        {
            "ko"
        }
        _ => "zh",
    };
    let marks: &[&str] = match script {
        "ja" => &[" JP", " Japanese"],
        "ko" => &[" KR", " Korean"],
        "zh" if traditional && lang.contains("-hk") => &[" HK", " TC", "Traditional"],
        "zh" if traditional => &[" TC", " HK", "Traditional"],
        _ => &[" SC", "Simplified"],
    };
    let padded = format!("{family} ");
    if family.contains("Mono") {
        return 0;
    }
    match marks.iter().position(|m| padded.contains(m)) {
        Some(i) => 1 + marks.len() - i,
        None => 1,
    }
}

/// Where this operating system keeps fonts.
fn system_dirs() -> Vec<PathBuf> {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let mut dirs = Vec::new();
    if cfg!(target_os = "macos") {
        dirs.extend(["/System/Library/Fonts", "/Library/Fonts"].map(PathBuf::from));
        dirs.extend(home.map(|h| h.join("Library/Fonts")));
    } else if cfg!(windows) {
        let windir = std::env::var_os("WINDIR").unwrap_or_else(|| "C:\\Windows".into());
        dirs.push(PathBuf::from(windir).join("Fonts"));
        if let Some(local) = std::env::var_os("LOCALAPPDATA") {
            dirs.push(PathBuf::from(local).join("Microsoft\\Windows\\Fonts"));
        }
    } else {
        dirs.extend(["/usr/share/fonts", "/usr/local/share/fonts"].map(PathBuf::from));
        match std::env::var_os("XDG_DATA_HOME") {
            Some(data) => dirs.push(PathBuf::from(data).join("fonts")),
            None => dirs.extend(home.as_ref().map(|h| h.join(".local/share/fonts"))),
        }
        dirs.extend(home.map(|h| h.join(".fonts")));
    }
    dirs
}

/// The font files under `dir`, sorted, so the same folder always gives the same order and
/// output. With `strict`, an unreadable folder is an error; otherwise it is skipped.
fn font_files(dir: &Path, strict: bool) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    walk(dir, 0, strict, &mut out)?;
    Ok(out)
}

fn walk(dir: &Path, depth: usize, strict: bool, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if strict && depth == 0 => return Err(e),
        Err(_) => return Ok(()),
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if out.len() >= MAX_SYSTEM_FILES {
            break;
        }
        if path.is_dir() {
            if depth < MAX_DEPTH {
                walk(&path, depth + 1, strict, out)?;
            }
        } else if is_font_file(&path) {
            out.push(path);
        }
    }
    Ok(())
}

/// A font file, memory-mapped: a CJK collection is tens of megabytes, of which finding its
/// family and coverage reads a few kilobytes.
fn map(path: &Path) -> Option<Bytes> {
    // Opened without blocking and only if a regular file: a FIFO in a font folder is skipped.
    let file = crate::confine::open_regular(path).ok()?;
    // SAFETY: the map is read-only. A font file changed by another program while vitae runs can
    // make a glyph come out wrong, as in every program that maps fonts (Typst's own CLI does).
    let mmap = unsafe { memmap2::Mmap::map(&file) }.ok()?;
    Some(Bytes::new(mmap))
}

fn is_font_file(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        matches!(
            e.to_ascii_lowercase().as_str(),
            "ttf" | "otf" | "ttc" | "otc"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_family_made_for_the_language_wins() {
        let han = BTreeSet::from(['東']);
        let rank = |family: &str, lang: &str| preference(family, lang, &han);
        assert!(rank("Noto Sans CJK JP", "ja") > rank("Noto Sans CJK SC", "ja"));
        assert!(rank("Noto Sans CJK SC", "zh") > rank("Noto Sans CJK TC", "zh"));
        assert!(rank("Noto Sans CJK TC", "zh-TW") > rank("Noto Sans CJK HK", "zh-TW"));
        assert!(rank("Noto Sans CJK HK", "zh-HK") > rank("Noto Sans CJK TC", "zh-HK"));
        assert!(rank("Noto Sans CJK TC", "zh-Hant") > rank("Noto Sans CJK SC", "zh-Hant"));
        assert!(rank("Noto Sans CJK KR", "ko-KR") > rank("Noto Sans CJK JP", "ko-KR"));
        assert!(rank("Noto Sans CJK SC", "pt-BR") > rank("Noto Sans CJK HK", "pt-BR"));
        assert_eq!(rank("Noto Sans Mono CJK JP", "ja"), 0);
        assert_eq!(rank("Noto Sans Thai", "th"), 1);
        let kana = BTreeSet::from(['東', 'の']);
        assert!(
            preference("Noto Sans CJK JP", "en", &kana)
                > preference("Noto Sans CJK SC", "en", &kana)
        );
        let hangul = BTreeSet::from(['한']);
        assert!(
            preference("Noto Sans CJK KR", "de", &hangul)
                > preference("Noto Sans CJK SC", "de", &hangul)
        );
    }

    #[test]
    fn the_bundled_fonts_cover_hebrew_arabic_persian_and_devanagari() {
        let set = FontSet::new(&[] as &[PathBuf]).expect("bundled fonts");
        for c in "אבג עברית العربية فارسی گچپژ हिन्दी Ελληνικά Кириллица ąłőșț".chars()
        {
            assert!(c == ' ' || set.covers(c), "{c}");
        }
        assert!(!set.covers('東'));
    }

    #[test]
    fn nothing_is_chosen_when_no_family_covers_the_characters() {
        let none = SystemFonts { faces: Vec::new() };
        assert!(none.choose(&BTreeSet::from(['東']), "ja").is_empty());
    }

    #[test]
    fn the_fewest_families_cover_the_characters_each_chosen_for_its_own() {
        let bundled = |bytes: &'static [u8]| {
            let data = Bytes::new(bytes);
            FontInfo::iter(&data)
                .enumerate()
                .map(|(i, info)| SystemFace {
                    data: data.clone(),
                    index: i as u32,
                    info,
                })
                .collect::<Vec<_>>()
        };
        let mut faces = bundled(BUNDLED[8]);
        faces.extend(bundled(BUNDLED[10]));
        faces.extend(bundled(BUNDLED[0]));
        let system = SystemFonts { faces };
        let chosen = system.choose(&BTreeSet::from(['א', 'ב', 'ع', '☃']), "he");
        assert_eq!(
            chosen,
            vec![
                FallbackFont {
                    family: "Noto Sans Hebrew".into(),
                    chars: vec!['א', 'ב']
                },
                FallbackFont {
                    family: "Noto Sans Arabic".into(),
                    chars: vec!['ع']
                },
            ]
        );
    }
}
