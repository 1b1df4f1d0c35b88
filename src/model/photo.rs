//! A photo: `basics.image` naming an image file beside the résumé.
//!
//! The file is read once, when the résumé is loaded, under the same rule as every file a résumé
//! names (inside its folder, checked on what was opened), and reaches layouts as bytes in
//! Typst's virtual file system, never as a path they could use to read elsewhere. A URL stays a
//! link for the text formats; the PDF does not download it.

use super::Resume;
use super::load::Loaded;
use crate::confine::{self, Refused};
use crate::diag::Diagnostic;
use std::path::Path;
use std::sync::Arc;

/// The largest photo vitae reads: a portrait needs well under a megabyte.
pub const MAX_PHOTO_BYTES: u64 = 10 * 1024 * 1024;

/// An image file's contents and format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Photo {
    pub bytes: Arc<[u8]>,
    pub format: ImageFormat,
}

/// The image formats Typst reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
            .with_location(loaded.locate("basics.image"))
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
                .with_location(loaded.locate("basics.image"))
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
    Ok(Some(Photo {
        bytes: bytes.into(),
        format,
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
