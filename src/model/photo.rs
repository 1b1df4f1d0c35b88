//! A photo: `basics.image` naming an image file beside the résumé.
//!
//! The file is read once, when the résumé is loaded, under the same rule as every file a résumé
//! names (inside its folder, checked on what was opened), and reaches layouts as bytes in
//! Typst's virtual file system, never as a path they could use to read elsewhere. A URL stays a
//! link for the text formats; the PDF does not download it.
//!
//! A raster image's width and height are read from its header (by `imagesize`, which reads
//! only that) when it is loaded, and an image over [`MAX_PHOTO_PIXELS`] or [`MAX_PHOTO_SIDE`]
//! is refused then: a 110 KB PNG can claim 30,000 × 30,000 pixels, which decoding would turn
//! into gigabytes. Nothing decodes an image before this check.

use super::Resume;
use super::load::Loaded;
use crate::confine::{self, Refused};
use crate::diag::Diagnostic;
use std::path::Path;
use std::sync::Arc;

/// The largest photo vitae reads: a portrait needs well under a megabyte.
pub const MAX_PHOTO_BYTES: u64 = 10 * 1024 * 1024;

/// The most pixels a photo may have: 40 megapixels, more than any camera's portrait, and
/// 160 MB once decoded to RGBA.
pub const MAX_PHOTO_PIXELS: u64 = 40_000_000;

/// The widest or tallest a photo may be, in pixels: a strip of 20,000 × 2,000 is already odd.
pub const MAX_PHOTO_SIDE: u32 = 20_000;

/// An image file's contents and format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Photo {
    pub bytes: Arc<[u8]>,
    pub format: ImageFormat,
    /// Width and height, from the header; `None` for SVG, which has no pixels.
    pub pixels: Option<Pixels>,
}

/// An image's width and height in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pixels {
    pub width: u32,
    pub height: u32,
}

impl Pixels {
    /// The size a raster image's header states, read without decoding it; `None` for SVG or
    /// when the header cannot be read.
    pub fn of(format: ImageFormat, bytes: &[u8]) -> Option<Pixels> {
        if format == ImageFormat::Svg {
            return None;
        }
        let size = imagesize::blob_size(bytes).ok()?;
        // A side beyond u32 is over any limit; saturating keeps it so.
        let side = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Some(Pixels {
            width: side(size.width),
            height: side(size.height),
        })
    }

    /// Whether this is within [`MAX_PHOTO_PIXELS`] and [`MAX_PHOTO_SIDE`].
    pub fn within_limits(self) -> bool {
        self.width <= MAX_PHOTO_SIDE
            && self.height <= MAX_PHOTO_SIDE
            && u64::from(self.width) * u64::from(self.height) <= MAX_PHOTO_PIXELS
    }
}

/// The image formats Typst reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ImageFormat {
    Png,
    Jpeg,
    Gif,
    Webp,
    Svg,
}

impl ImageFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Png => "png",
            ImageFormat::Jpeg => "jpg",
            ImageFormat::Gif => "gif",
            ImageFormat::Webp => "webp",
            ImageFormat::Svg => "svg",
        }
    }

    /// The format by the file's first bytes, whatever its name says.
    pub fn sniff(bytes: &[u8]) -> Option<ImageFormat> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(ImageFormat::Png)
        } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
            Some(ImageFormat::Jpeg)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(ImageFormat::Gif)
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(ImageFormat::Webp)
        } else if looks_like_svg(bytes) {
            Some(ImageFormat::Svg)
        } else {
            None
        }
    }
}

fn looks_like_svg(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]);
    let head = head.trim_start_matches('\u{feff}').trim_start();
    (head.starts_with("<?xml") || head.starts_with("<svg") || head.starts_with("<!--"))
        && head.contains("<svg")
}

/// Whether `image` is a web address rather than a file: it has a scheme (`https:`), or it
/// starts with `//`.
pub fn is_url(image: &str) -> bool {
    let image = image.trim();
    // A one-letter "scheme" is a Windows drive (`C:\me.png`), not a URL.
    image.starts_with("//") || crate::link::scheme(image).is_some_and(|s| s.len() > 1)
}

/// For a PDF or PNG build: a photo given as a URL is not shown, since vitae downloads nothing.
pub fn url_warning(loaded: &Loaded, resume: &Resume) -> Option<Diagnostic> {
    let image = resume.basics.as_ref()?.image.as_deref()?;
    (is_url(image) && resume.settings.photo != Some(false)).then(|| {
        Diagnostic::warning("basics.image is a URL; the PDF shows no photo, since vitae downloads nothing")
            .with_location(Some(loaded.locate_within("basics.image")))
            .with_hint("put the image file beside the résumé and give its name, e.g. `image: photo.jpg`; `settings.photo: false` hides it")
    })
}

/// Reads the photo `basics.image` names, if it names a file. A file outside the résumé's
/// folder, a missing one, or one that is not an image is a located error.
pub fn read(loaded: &Loaded) -> Result<Option<Photo>, Box<Diagnostic>> {
    let Some(image) = loaded
        .resume
        .basics
        .as_ref()
        .and_then(|b| b.image.as_deref())
        .map(str::trim)
        .filter(|i| !i.is_empty() && !is_url(i))
    else {
        return Ok(None);
    };
    let fail = |reason: &str| {
        Box::new(
            Diagnostic::error(format!("basics.image \"{image}\" cannot be used: {reason}"))
                .with_location(Some(loaded.locate_within("basics.image")))
                .with_hint(
                    "give a PNG, JPEG, GIF, WebP or SVG file inside the résumé's folder, relative to it, or a URL",
                ),
        )
    };
    let Some(dir) = &loaded.dir else {
        return Err(fail(
            "it is a file, but this résumé was not read from a folder",
        ));
    };
    let path = confine::resolve_inside(dir, Path::new(image))
        .map_err(|refused| fail(&refused.in_folder()))?;
    let bytes = confine::read_inside(dir, &path, MAX_PHOTO_BYTES).map_err(|refused| {
        fail(&match refused {
            Refused::Outside => "it is outside the résumé's folder".to_string(),
            other => other.to_string(),
        })
    })?;
    let format = ImageFormat::sniff(&bytes).ok_or_else(|| fail("it is not an image"))?;
    let pixels = match format {
        ImageFormat::Svg => None,
        _ => Some(
            Pixels::of(format, &bytes)
                .ok_or_else(|| fail("its width and height cannot be read from its header"))?,
        ),
    };
    if let Some(p) = pixels.filter(|p| !p.within_limits()) {
        // In tenths of a megapixel, rounded up: an image just over the limit must not read
        // as being at it.
        let tenths = (u64::from(p.width) * u64::from(p.height)).div_ceil(100_000);
        return Err(Box::new(
            Diagnostic::error(format!(
                "basics.image \"{image}\" cannot be used: it is {}×{} pixels ({}.{} \
                 megapixels); vitae reads photos of at most {} megapixels and {MAX_PHOTO_SIDE} \
                 pixels a side",
                p.width,
                p.height,
                tenths / 10,
                tenths % 10,
                MAX_PHOTO_PIXELS / 1_000_000,
            ))
            .with_location(Some(loaded.locate_within("basics.image")))
            .with_hint("a portrait needs far fewer: scale it down, e.g. to 800×800 pixels"),
        ));
    }
    Ok(Some(Photo {
        bytes: bytes.into(),
        format,
        pixels,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_images_by_their_bytes() {
        assert_eq!(
            ImageFormat::sniff(b"\x89PNG\r\n\x1a\n...."),
            Some(ImageFormat::Png)
        );
        assert_eq!(
            ImageFormat::sniff(&[0xff, 0xd8, 0xff, 0xe0]),
            Some(ImageFormat::Jpeg)
        );
        assert_eq!(ImageFormat::sniff(b"GIF89a.."), Some(ImageFormat::Gif));
        assert_eq!(
            ImageFormat::sniff(b"RIFF\x00\x00\x00\x00WEBPVP8 "),
            Some(ImageFormat::Webp)
        );
        assert_eq!(
            ImageFormat::sniff(b"<?xml version=\"1.0\"?>\n<svg xmlns=\"...\"/>"),
            Some(ImageFormat::Svg)
        );
        assert_eq!(ImageFormat::sniff(b"root:x:0:0:root:/root:/bin/bash"), None);
        assert_eq!(ImageFormat::sniff(b"<html><svg"), None);
        assert_eq!(ImageFormat::sniff(b""), None);
    }

    #[test]
    fn sizes_come_from_the_header_alone() {
        // JPEG: SOI, an APP0 segment to skip, then a baseline frame of 200 × 100; no scan data.
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0xAA, 0xBB];
        jpeg.extend([0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00, 0x64, 0x00, 0xC8, 0x03]);
        let size = |width, height| Some(Pixels { width, height });
        assert_eq!(Pixels::of(ImageFormat::Jpeg, &jpeg), size(200, 100));
        // A Huffman table (C4) is not a frame.
        let mut dht = vec![0xFF, 0xD8, 0xFF, 0xC4, 0x00, 0x03, 0x00];
        dht.extend([0xFF, 0xC2, 0x00, 0x11, 0x08, 0x00, 0x0A, 0x00, 0x14, 0x03]);
        assert_eq!(Pixels::of(ImageFormat::Jpeg, &dht), size(20, 10));
        assert_eq!(Pixels::of(ImageFormat::Jpeg, &[0xFF, 0xD8, 0xFF]), None);
        let gif = b"GIF89a\x20\x00\x10\x00\x00\x00";
        assert_eq!(Pixels::of(ImageFormat::Gif, gif), size(32, 16));
        let png = include_bytes!("../../examples/photo.png");
        assert_eq!(Pixels::of(ImageFormat::Png, png), size(96, 96));
        assert_eq!(Pixels::of(ImageFormat::Png, &png[..20]), None);
        assert_eq!(Pixels::of(ImageFormat::Svg, b"<svg/>"), None);
    }

    #[test]
    fn limits_hold_for_pixels_and_for_each_side() {
        let ok = |width, height| Pixels { width, height }.within_limits();
        assert!(ok(96, 96));
        assert!(ok(8000, 5000), "exactly 40 megapixels");
        assert!(!ok(8000, 5001));
        assert!(ok(20_000, 2000));
        assert!(!ok(20_001, 1), "a side over 20,000 px");
        assert!(!ok(1, 20_001));
        assert!(!ok(u32::MAX, u32::MAX), "no overflow");
    }

    #[test]
    fn tells_urls_from_files() {
        for url in [
            "https://example.com/me.jpg",
            "http://x/y.png",
            "//cdn.example.com/me.png",
            "data:image/png;base64,AAAA",
        ] {
            assert!(is_url(url), "{url}");
        }
        for file in ["me.jpg", "photos/me.png", "../me.png", "/etc/passwd", "C"] {
            assert!(!is_url(file), "{file}");
        }
    }
}
