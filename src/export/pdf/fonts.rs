//! Fonts: the families bundled in `fonts/`, plus any the user adds with `--font-path`.
//! Font files are read into the book up front (cheap: only their name tables), and each face is
//! fully parsed only when Typst first asks for it.

use std::path::Path;
use std::sync::OnceLock;
use typst::foundations::Bytes;
use typst::text::{Font, FontBook, FontInfo};

/// The bundled sans family.
pub const SANS: &str = "Inter";
/// The bundled serif family.
pub const SERIF: &str = "Vollkorn";

static BUNDLED: [&[u8]; 8] = [
    include_bytes!("../../../fonts/Inter-Regular.otf"),
    include_bytes!("../../../fonts/Inter-Bold.otf"),
    include_bytes!("../../../fonts/Inter-Italic.otf"),
    include_bytes!("../../../fonts/Inter-BoldItalic.otf"),
    include_bytes!("../../../fonts/Vollkorn-Regular.ttf"),
    include_bytes!("../../../fonts/Vollkorn-Bold.ttf"),
    include_bytes!("../../../fonts/Vollkorn-Italic.ttf"),
    include_bytes!("../../../fonts/Vollkorn-BoldItalic.ttf"),
];

/// One face: where its bytes are and, once needed, the parsed font.
struct Slot {
    data: Bytes,
    index: u32,
    font: OnceLock<Option<Font>>,
}

/// Every face available to layouts.
pub struct FontSet {
    book: FontBook,
    slots: Vec<Slot>,
}

impl FontSet {
    /// The bundled fonts, then every font file found under `extra_dirs`.
    pub fn new(extra_dirs: &[impl AsRef<Path>]) -> Result<FontSet, String> {
        let mut set = FontSet {
            book: FontBook::new(),
            slots: Vec::new(),
        };
        for data in BUNDLED {
            set.add(Bytes::new(data));
        }
        for dir in extra_dirs {
            set.add_dir(dir.as_ref())?;
        }
        Ok(set)
    }

    fn add(&mut self, data: Bytes) {
        for (index, info) in FontInfo::iter(&data).enumerate() {
            self.book.push(info);
            self.slots.push(Slot {
                data: data.clone(),
                index: index as u32,
                font: OnceLock::new(),
            });
        }
    }

    fn add_dir(&mut self, dir: &Path) -> Result<(), String> {
        let entries = std::fs::read_dir(dir)
            .map_err(|e| format!("cannot read font directory {}: {e}", dir.display()))?;
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        // Sorted, so the same directory always yields the same font order and output.
        paths.sort();
        for path in paths {
            if path.is_dir() {
                self.add_dir(&path)?;
            } else if is_font_file(&path)
                && let Ok(data) = std::fs::read(&path)
            {
                self.add(Bytes::new(data));
            }
        }
        Ok(())
    }

    pub fn book(&self) -> &FontBook {
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
        let mut i = 0;
        while let Some(info) = self.book.info(i) {
            if info.coverage.contains(c as u32) {
                return true;
            }
            i += 1;
        }
        false
    }
}

fn is_font_file(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        matches!(
            e.to_ascii_lowercase().as_str(),
            "ttf" | "otf" | "ttc" | "otc"
        )
    })
}
