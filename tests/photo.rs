//! Photos: `basics.image` naming an image file beside the résumé reaches photo layouts as bytes;
//! anything else it names is a located error, and a URL stays a link in the text formats.

mod common;

use std::path::Path;
use tempfile::TempDir;

const PNG: &[u8] = include_bytes!("../examples/photo.png");

/// A folder with `resume.yaml` (basics with `image: <image>` plus `extra`) and `me.png`.
fn folder(image: &str, extra: &str) -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("me.png"), PNG).expect("write photo");
    std::fs::write(
        dir.path().join("resume.yaml"),
        format!("basics:\n  name: Ada Kovač\n  image: {image}\n{extra}"),
    )
    .expect("write résumé");
    dir
}

fn build(dir: &Path, args: &[&str]) -> common::Run {
    let mut all = vec![
        "build".to_string(),
        dir.join("resume.yaml").display().to_string(),
    ];
    all.extend(["-o".to_string(), dir.join("out").display().to_string()]);
    all.extend(args.iter().map(|a| a.to_string()));
    common::run(&all)
}

/// How many images a PDF embeds.
fn images_in(pdf: &[u8]) -> usize {
    let raw = String::from_utf8_lossy(pdf);
    raw.matches("/Subtype/Image").count() + raw.matches("/Subtype /Image").count()
}

#[test]
fn a_photo_layout_embeds_the_photo_once() {
    let dir = folder("me.png", "");
    build(dir.path(), &["-f", "pdf,md", "--layout", "sidebar"]).expect_code(0);
    let pdf = std::fs::read(dir.path().join("out/resume.pdf")).expect("pdf");
    assert_eq!(images_in(&pdf), 1);
    let md = std::fs::read_to_string(dir.path().join("out/resume.md")).expect("md");
    assert!(md.contains("(me.png)"), "{md}");
}

#[test]
fn settings_and_variants_can_hide_the_photo() {
    let dir = folder(
        "me.png",
        "settings:\n  photo: false\nvariants:\n  with:\n    photo: true\n",
    );
    build(dir.path(), &["-f", "pdf", "--layout", "sidebar"]).expect_code(0);
    let pdf = std::fs::read(dir.path().join("out/resume.pdf")).expect("pdf");
    assert_eq!(images_in(&pdf), 0);
    build(
        dir.path(),
        &["-f", "pdf", "--layout", "sidebar", "--variant", "with"],
    )
    .expect_code(0);
    let pdf = std::fs::read(dir.path().join("out/resume-with.pdf")).expect("pdf");
    assert_eq!(images_in(&pdf), 1);
}

#[test]
fn a_photo_outside_the_folder_missing_or_not_an_image_is_a_located_error() {
    for (image, reason) in [
        ("../../etc/passwd", "it is outside the résumé's folder"),
        ("/etc/passwd", "it is outside the résumé's folder"),
        (
            "missing.png",
            "there is no such file in the résumé's folder",
        ),
        ("resume.yaml", "it is not an image"),
    ] {
        let dir = folder(image, "");
        let run = build(dir.path(), &["-f", "pdf,md"]).expect_code(1);
        let expected = format!(
            "error: basics.image \"{image}\" cannot be used: {reason}\n --> {}:3:10\n",
            dir.path().join("resume.yaml").display()
        );
        assert!(run.stderr.starts_with(&expected), "{image}: {}", run.stderr);
        assert!(!run.stderr.contains("root:"), "{}", run.stderr);
        assert!(!dir.path().join("out/resume.pdf").exists());
        assert!(!dir.path().join("out/resume.md").exists());
    }
}

#[test]
fn a_photo_url_stays_a_link_and_the_pdf_says_it_shows_none() {
    let dir = folder("https://example.com/me.jpg", "");
    let run = build(dir.path(), &["-f", "pdf,md", "--layout", "sidebar"]).expect_code(0);
    assert!(
        run.stderr.contains(
            "warning: basics.image is a URL; the PDF shows no photo, since vitae downloads nothing"
        ),
        "{}",
        run.stderr
    );
    let md = std::fs::read_to_string(dir.path().join("out/resume.md")).expect("md");
    assert!(md.contains("(https://example.com/me.jpg)"), "{md}");
    let pdf = std::fs::read(dir.path().join("out/resume.pdf")).expect("pdf");
    assert_eq!(images_in(&pdf), 0);
}
