//! Untrusted input stays bounded (issue 18, item 4): a job posting of 5 MiB, a photo whose
//! header claims a billion pixels, and a FIFO wherever vitae reads a file. Each test drives the
//! CLI as a user would, under a timeout that turns a hang into a failure; speed itself is
//! measured by `cargo bench --bench posting`, not here.

mod common;

use std::path::Path;
use std::time::Duration;
use tempfile::TempDir;

/// A folder holding `resume.yaml` with `text`.
fn folder(text: &str) -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("resume.yaml"), text).expect("write résumé");
    dir
}

/// The files a build left in `dir`, but for the lock file that serialises builds into it.
fn outputs_in(dir: &Path) -> Vec<std::path::PathBuf> {
    common::files_in(dir)
        .into_iter()
        .filter(|p| !p.ends_with(".vitae.lock"))
        .collect()
}

/// What a finished `vitae` did, and the most memory it held.
struct Measured {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    /// Peak resident set in KiB, from the kernel's account of this child alone (`wait4`).
    peak_kib: u64,
}

/// Runs `vitae args` in `dir`, killing it after `limit`, and reads its peak memory.
///
/// `getrusage(RUSAGE_CHILDREN)` would report the largest of every child the test process ever
/// waited for, including other tests' running in parallel; `wait4` reports this one.
#[cfg(unix)]
#[allow(clippy::zombie_processes)] // reaped by `wait4`, which clippy does not know
fn measured(dir: &Path, args: &[&str], limit: Duration) -> Measured {
    use std::io::Read;
    use std::process::{Command, Stdio};
    use std::time::Instant;

    let mut child = Command::new(assert_cmd::cargo::cargo_bin("vitae"))
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("vitae starts");
    let pid = libc::pid_t::try_from(child.id()).expect("a pid");
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                pipe.read_to_end(&mut bytes).expect("read output");
            }
            String::from_utf8(bytes).expect("UTF-8 output")
        })
    };
    let stdout = drain(child.stdout.take().map(|p| Box::new(p) as _));
    let stderr = drain(child.stderr.take().map(|p| Box::new(p) as _));
    let started = Instant::now();
    let mut status = 0;
    // SAFETY: rusage is plain data, for which all zeroes is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is our own child, not yet reaped; both pointers are to live locals.
        let reaped = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if reaped == pid {
            break;
        }
        assert_eq!(reaped, 0, "wait4 failed");
        if started.elapsed() > limit {
            child.kill().expect("kill vitae");
            child.wait().expect("reap vitae");
            panic!("vitae {args:?} ran for more than {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Measured {
        code: libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status)),
        stdout: stdout.join().expect("stdout"),
        stderr: stderr.join().expect("stderr"),
        // Linux reports KiB; macOS bytes, which only makes the bound stricter.
        peak_kib: u64::try_from(usage.ru_maxrss).unwrap_or(0),
    }
}

// 1. A job posting is matched in linear time, up to a number of words.

const RESUME_FOR_POSTING: &str = "basics:\n  name: Ada Kovač\nwork:\n  - name: Acme\n    \
    position: Engineer\n    startDate: \"2020-01\"\n    highlights:\n      - Ran Kubernetes \
    clusters for Go services\n      - Wrote Kafka consumers\n";

/// `zqa`, `zqb`, … `zqaa`, …: distinct words that are neither stop words nor terms, the
/// worst case for counting phrases (every pair and triple is new).
fn distinct(i: usize) -> String {
    let mut word = Vec::new();
    let mut n = i;
    loop {
        word.push(b'a' + (n % 26) as u8);
        n /= 26;
        if n == 0 {
            break;
        }
    }
    word.reverse();
    format!("zq{}", String::from_utf8(word).expect("ASCII"))
}

/// A posting just under the 5 MiB any file may have: a first line naming Kubernetes and Go,
/// a second of distinct words, and Kafka at the end. Also the column of word 50,001 (the first
/// not matched) on the second line.
fn huge_posting() -> (String, usize) {
    let head = "We want Kubernetes and Golang engineers.\n";
    let tail = "\nKafka too.\n";
    let mut line = String::new();
    let mut column_of_cut = 0;
    let mut i = 0;
    while head.len() + line.len() + tail.len() < 5 * 1024 * 1024 - 16 {
        // The head has 6 words, so word 50,001 is number 49,994 (from 0) here.
        if i == 50_000 - 6 {
            column_of_cut = line.chars().count() + 1;
        }
        line.push_str(&distinct(i));
        line.push(' ');
        i += 1;
    }
    (format!("{head}{line}{tail}"), column_of_cut)
}

#[cfg(unix)]
#[test]
fn a_five_megabyte_posting_of_distinct_words_is_matched_up_to_its_limit() {
    let dir = folder(RESUME_FOR_POSTING);
    let (posting, column) = huge_posting();
    assert!(posting.len() > 5 * 1024 * 1024 - 64 && posting.len() <= 5 * 1024 * 1024);
    std::fs::write(dir.path().join("posting.md"), &posting).expect("write posting");

    // It took minutes when phrases were counted by comparing each with every other.
    let run = measured(
        dir.path(),
        &["match", "resume.yaml", "--job", "posting.md"],
        Duration::from_secs(20),
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    // Kafka comes after the 50,000th word, so it is not among the terms.
    assert_eq!(
        run.stdout,
        "The résumé shows 2 of the posting's 2 terms (100%).\n\
         \x20 Kubernetes: work[0].highlights[0]\n\
         \x20 Go: work[0].highlights[0]\n\
         Most relevant:\n\
         \x20 1. work[0].highlights[0] (1.220; Kubernetes, Go): Ran Kubernetes clusters for Go services\n"
    );
    let warning = format!(
        "warning: the job posting posting.md has more than 50000 words; only the first 50000 \
         are matched\n --> posting.md:2:{column}\n"
    );
    assert!(run.stderr.starts_with(&warning), "{}", run.stderr);
    assert!(
        run.stderr.ends_with(
            "  = hint: a job posting has a few thousand words at most: is this the right file?\n\
             1 warning\n"
        ),
        "{}",
        run.stderr
    );
    // Half a million words are not even split into strings; generous, for an unoptimised build.
    assert!(run.peak_kib < 256 * 1024, "{} KiB", run.peak_kib);
}

#[cfg(unix)]
#[test]
fn a_build_for_a_huge_posting_warns_once_and_deny_warnings_refuses_it() {
    let dir = folder(RESUME_FOR_POSTING);
    std::fs::write(dir.path().join("posting.md"), huge_posting().0).expect("write posting");
    let args = [
        "build",
        "resume.yaml",
        "--job",
        "posting.md",
        "-f",
        "md,txt",
    ];
    let run = measured(
        dir.path(),
        &[&args[..], &["-o", "out"]].concat(),
        Duration::from_secs(20),
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        run.stderr
            .matches("warning: the job posting posting.md has more than 50000 words")
            .count(),
        1,
        "{}",
        run.stderr
    );
    assert!(dir.path().join("out/resume-posting.md").exists());

    let denied = measured(
        dir.path(),
        &[&args[..], &["-o", "denied", "--deny-warnings"]].concat(),
        Duration::from_secs(20),
    );
    assert_eq!(denied.code, Some(1), "{}", denied.stderr);
    assert!(
        denied.stderr.starts_with(
            "warning: the job posting posting.md has more than 50000 words; only the first 50000 are matched\n"
        ) && denied
            .stderr
            .ends_with("error: 1 warning, denied by --deny-warnings\n"),
        "{}",
        denied.stderr
    );
    assert!(outputs_in(&dir.path().join("denied")).is_empty());
}

// 2. A photo's pixels are counted from its header, before anything decodes it.

/// The CRC-32 of PNG chunks (ISO 3309), bit by bit: a few bytes are checked here.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A PNG of `width` × `height` RGBA pixels: a valid signature and IHDR chunk, then IEND. What
/// it claims is all any decoder would need to allocate its pixels.
fn png_header(width: u32, height: u32) -> Vec<u8> {
    let chunk = |kind: &[u8], data: &[u8]| {
        let mut out = u32::try_from(data.len())
            .expect("short")
            .to_be_bytes()
            .to_vec();
        let body = [kind, data].concat();
        out.extend(&body);
        out.extend(crc32(&body).to_be_bytes());
        out
    };
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend(height.to_be_bytes());
    ihdr.extend([8, 6, 0, 0, 0]); // 8 bits, RGBA, deflate, no filter, no interlace
    [
        b"\x89PNG\r\n\x1a\n".to_vec(),
        chunk(b"IHDR", &ihdr),
        chunk(b"IEND", &[]),
    ]
    .concat()
}

/// A baseline JPEG's start: SOI, a JFIF segment, and a frame of `width` × `height` (at most
/// 65,535 a side in JPEG), three components.
fn jpeg_header(width: u16, height: u16) -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
    out.extend(b"JFIF\0\x01\x01\x00\x00\x01\x00\x01\x00\x00");
    out.extend([0xFF, 0xC0, 0x00, 0x11, 0x08]);
    out.extend(height.to_be_bytes());
    out.extend(width.to_be_bytes());
    out.extend([0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01]);
    out.extend([0xFF, 0xD9]);
    out
}

#[cfg(unix)]
#[test]
fn a_photo_over_the_pixel_limits_is_refused_from_its_header_located() {
    for (file, bytes, size) in [
        (
            "huge.png",
            png_header(30_000, 30_000),
            "30000×30000 pixels (900.0 megapixels)",
        ),
        (
            "huge.jpg",
            jpeg_header(65_000, 65_000),
            "65000×65000 pixels (4225.0 megapixels)",
        ),
        (
            "strip.png",
            png_header(20_001, 10),
            "20001×10 pixels (0.3 megapixels)",
        ),
        // 40.008 megapixels, rounded up so that it does not read as 40.0.
        (
            "large.png",
            png_header(8_000, 5_001),
            "8000×5001 pixels (40.1 megapixels)",
        ),
    ] {
        let dir = folder(&format!("basics:\n  name: Ada Kovač\n  image: {file}\n"));
        std::fs::write(dir.path().join(file), &bytes).expect("write photo");
        let run = measured(
            dir.path(),
            &["build", "resume.yaml", "-f", "pdf,html,docx", "-o", "out"],
            Duration::from_secs(20),
        );
        assert_eq!(run.code, Some(1), "{file}: {}", run.stderr);
        assert_eq!(
            run.stderr,
            format!(
                "error: basics.image \"{file}\" cannot be used: it is {size}; vitae reads photos \
                 of at most 40 megapixels and 20000 pixels a side\n \
                 --> resume.yaml:3:10\n  |\n3 |   image: {file}\n  |          ^\n  \
                 = hint: a portrait needs far fewer: scale it down, e.g. to 800×800 pixels\n\
                 1 error\n"
            ),
            "{file}"
        );
        assert!(outputs_in(&dir.path().join("out")).is_empty(), "{file}");
        // Decoding 900 megapixels takes gigabytes; reading a header takes nothing.
        assert!(run.peak_kib < 200 * 1024, "{file}: {} KiB", run.peak_kib);
    }
}

#[cfg(unix)]
#[test]
fn a_photo_whose_size_cannot_be_read_is_refused() {
    let dir = folder("basics:\n  name: Ada Kovač\n  image: cut.png\n");
    std::fs::write(dir.path().join("cut.png"), &png_header(96, 96)[..20]).expect("photo");
    let run = measured(
        dir.path(),
        &["check", "resume.yaml"],
        Duration::from_secs(10),
    );
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.starts_with(
            "error: basics.image \"cut.png\" cannot be used: its width and height cannot be \
             read from its header\n --> resume.yaml:3:10\n"
        ),
        "{}",
        run.stderr
    );
}

// 3. A FIFO (or any file that is not a regular file) is refused, never waited on.

/// Makes a FIFO at `path`: opening it for reading would block until a writer came.
#[cfg(unix)]
fn mkfifo(path: &Path) {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).expect("no NUL");
    // SAFETY: `c` is a valid NUL-terminated path for the duration of the call.
    let made = unsafe { libc::mkfifo(c.as_ptr(), 0o644) };
    assert_eq!(made, 0, "mkfifo {}", path.display());
}

/// Runs `vitae args` in `dir`; a command that blocks is killed after 10 s and fails the test.
#[cfg(unix)]
fn run_in(dir: &Path, args: &[&str]) -> Measured {
    measured(dir, args, Duration::from_secs(10))
}

const FIFO: &str = "it is not a regular file (a FIFO)";

#[cfg(unix)]
#[test]
fn a_fifo_as_the_resume_is_refused_and_standard_input_still_reads() {
    let dir = tempfile::tempdir().expect("temp dir");
    mkfifo(&dir.path().join("resume.yaml"));
    for args in [
        &["check", "resume.yaml"][..],
        &["build", "resume.yaml", "-o", "out"],
    ] {
        let run = run_in(dir.path(), args);
        assert_eq!(run.code, Some(1), "{args:?}: {}", run.stderr);
        assert_eq!(
            run.stderr,
            format!("error: cannot read resume.yaml: {FIFO}\n"),
            "{args:?}"
        );
        assert_eq!(run.stdout, "", "{args:?}");
    }
    assert!(outputs_in(&dir.path().join("out")).is_empty());

    // `-` is standard input, pipe or not.
    let output = common::vitae()
        .current_dir(dir.path())
        .args(["check", "-"])
        .write_stdin("basics:\n  name: Ada Kovač\n")
        .timeout(Duration::from_secs(10))
        .output()
        .expect("vitae runs");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_as_the_job_posting_is_refused_by_build_and_match() {
    let dir = folder(RESUME_FOR_POSTING);
    mkfifo(&dir.path().join("pipe.md"));
    let run = run_in(
        dir.path(),
        &[
            "build",
            "resume.yaml",
            "--job",
            "pipe.md",
            "-f",
            "md",
            "-o",
            "out",
        ],
    );
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_eq!(
        run.stderr,
        format!("error: cannot read the job posting pipe.md: {FIFO}\n")
    );
    assert!(outputs_in(&dir.path().join("out")).is_empty());

    let run = run_in(dir.path(), &["match", "resume.yaml", "--job", "pipe.md"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_eq!(
        run.stderr,
        format!("error: cannot read the posting pipe.md: {FIFO}\n")
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_a_variant_names_as_its_posting_is_a_located_error() {
    let dir = folder(&format!(
        "{RESUME_FOR_POSTING}variants:\n  acme:\n    job: pipe.md\n"
    ));
    mkfifo(&dir.path().join("pipe.md"));
    for args in [
        &["check", "resume.yaml"][..],
        &[
            "build",
            "resume.yaml",
            "--variant",
            "acme",
            "-f",
            "md",
            "-o",
            "out",
        ],
    ] {
        let run = run_in(dir.path(), args);
        assert_eq!(run.code, Some(1), "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.starts_with(&format!(
                "error: job posting \"pipe.md\" cannot be used: {FIFO}\n  --> resume.yaml:12:10\n"
            )),
            "{args:?}: {}",
            run.stderr
        );
    }
    assert!(outputs_in(&dir.path().join("out")).is_empty());
}

#[cfg(unix)]
#[test]
fn a_fifo_as_the_layout_is_refused_on_the_command_line_and_located_in_the_resume() {
    let dir = folder("basics:\n  name: Ada Kovač\n");
    mkfifo(&dir.path().join("pipe.typ"));
    let run = run_in(
        dir.path(),
        &[
            "build",
            "resume.yaml",
            "--layout",
            "pipe.typ",
            "-f",
            "pdf",
            "-o",
            "out",
        ],
    );
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_eq!(
        run.stderr,
        format!("error: cannot use layout pipe.typ: {FIFO}\n")
    );
    assert!(outputs_in(&dir.path().join("out")).is_empty());

    std::fs::write(
        dir.path().join("resume.yaml"),
        "basics:\n  name: Ada Kovač\nsettings:\n  layout: pipe.typ\n",
    )
    .expect("write résumé");
    let run = run_in(dir.path(), &["check", "resume.yaml"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.starts_with(&format!(
            "error: layout \"pipe.typ\" cannot be used: {FIFO}\n --> resume.yaml:4:11\n"
        )),
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_as_the_photo_is_a_located_error() {
    let dir = folder("basics:\n  name: Ada Kovač\n  image: pipe.png\n");
    mkfifo(&dir.path().join("pipe.png"));
    let run = run_in(
        dir.path(),
        &["build", "resume.yaml", "-f", "pdf,html", "-o", "out"],
    );
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.starts_with(&format!(
            "error: basics.image \"pipe.png\" cannot be used: {FIFO}\n --> resume.yaml:3:10\n"
        )),
        "{}",
        run.stderr
    );
    assert!(outputs_in(&dir.path().join("out")).is_empty());
}

#[cfg(unix)]
#[test]
fn a_fifo_as_the_import_source_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    mkfifo(&dir.path().join("resume.json"));
    let run = run_in(dir.path(), &["import", "resume.json", "-o", "resume.yaml"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_eq!(
        run.stderr,
        format!("error: cannot read resume.json: {FIFO}\n")
    );
    assert!(!dir.path().join("resume.yaml").exists());
}

#[cfg(unix)]
#[test]
fn a_fifo_in_a_font_folder_is_skipped() {
    let dir = folder("basics:\n  name: Ada Kovač\n");
    std::fs::create_dir(dir.path().join("fonts")).expect("mkdir");
    mkfifo(&dir.path().join("fonts/pipe.ttf"));
    let run = run_in(
        dir.path(),
        &[
            "build",
            "resume.yaml",
            "-f",
            "pdf",
            "--font-path",
            "fonts",
            "-o",
            "out",
        ],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(dir.path().join("out/resume.pdf").exists());
}

#[cfg(target_os = "linux")]
#[test]
fn devices_and_directories_are_refused_too() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("folder.yaml")).expect("mkdir");
    for (file, reason) in [
        ("/dev/zero", "it is not a regular file (a character device)"),
        ("folder.yaml", "it is a directory"),
    ] {
        let run = run_in(dir.path(), &["check", file]);
        assert_eq!(run.code, Some(1), "{file}: {}", run.stderr);
        assert_eq!(run.stderr, format!("error: cannot read {file}: {reason}\n"));
    }
}
