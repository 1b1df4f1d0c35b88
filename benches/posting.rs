//! `cargo bench --bench posting`: matching a job posting against `data/resume.yaml`. Postings
//! of 1 MiB and 5 MiB of distinct words are the worst case for counting phrases (every pair
//! and triple is new); each is matched whole, to show the matching is linear, and as vitae reads
//! it (its first `MAX_POSTING_WORDS` words). A real posting is the everyday case.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::PathBuf;
use vitae::model::{LoadOptions, ResolveOptions, load_bytes, resolve};
use vitae::tailor::job::Posting;
use vitae::tailor::relevance::match_posting;

/// `bytes` of distinct words (`zqa zqb …`) after a line that names two terms of the résumé.
fn distinct_words(bytes: usize) -> String {
    let mut text = String::from("We want Kubernetes and Golang engineers.\n");
    let mut i = 0usize;
    while text.len() < bytes {
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
        text.push_str("zq");
        text.push_str(std::str::from_utf8(&word).expect("ASCII"));
        text.push(' ');
        i += 1;
    }
    text
}

fn matching(c: &mut Criterion) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(root.join("data/resume.yaml")).expect("data/resume.yaml");
    let loaded = load_bytes("resume.yaml", &bytes, false, LoadOptions::default()).expect("loads");
    let (doc, _) = resolve(&loaded, &loaded.resume, &ResolveOptions::default());

    let backend =
        std::fs::read_to_string(root.join("tests/postings/backend.md")).expect("a posting");
    c.bench_function("match tests/postings/backend.md", |b| {
        b.iter(|| match_posting(&doc, black_box(&backend)))
    });

    let mut group = c.benchmark_group("match a posting of distinct words");
    // A whole 5 MiB posting takes about a second unoptimised: ten samples are enough.
    group.sample_size(10);
    for mib in [1, 5] {
        let text = distinct_words(mib << 20);
        group.bench_function(format!("{mib} MiB, whole"), |b| {
            b.iter(|| match_posting(&doc, black_box(&text)))
        });
        group.bench_function(format!("{mib} MiB, as read"), |b| {
            b.iter_batched(
                || text.clone(),
                |text| {
                    let posting = Posting::new("posting.md", text);
                    match_posting(&doc, &posting.text)
                },
                BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, matching);
criterion_main!(benches);
