//! Where cases come from: a small PRNG, and [`generate`], which turns a run's seed and a case
//! number into a case (a mutated seed file and a string for the markup parser). The same seed,
//! number and corpus always give the same case.

use crate::corpus::Seed;
use crate::drive::{Case, Target};
use crate::lines::{floor_char, join_lines, split_lines};
use crate::mutate::{hostile_key, mutate_json, mutate_lines};
use crate::tokens::{MARKDOWN_TOKENS, hostile};

/// splitmix64: small, fast and good enough to choose mutations.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// In `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    /// In `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        if hi <= lo {
            lo
        } else {
            lo + self.below(hi - lo + 1)
        }
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// FNV-1a: the hash of inputs (options of a case, names of saved regressions).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xCBF2_9CE4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01B3)
    })
}

/// A hash of the first `n` generated inputs.
pub fn inputs_digest(seeds: &[Seed], seed: u64, n: u64, target: Target) -> u64 {
    (0..n).fold(0, |h, i| {
        let case = generate(seeds, seed, i, target);
        h.rotate_left(7)
            ^ fnv1a(&case.bytes)
            ^ fnv1a(case.markup.as_bytes()).rotate_left(1)
            ^ u64::from(case.json)
    })
}

/// Case `n` of the run from `seed` for `target`: a function of these (and of the corpus) only.
pub fn generate(seeds: &[Seed], seed: u64, n: u64, target: Target) -> Case {
    let mut rng = Rng::new(Rng::new(seed ^ n.wrapping_mul(0xD1B5_4A32_D192_ED03)).next());
    // Mostly seeds that load as they are: their mutants get past loading into resolve and the
    // exporters; the broken fixtures exercise the error paths. Saved crashes and hangs are
    // replayed as they are but neither mutated nor spliced from: their mutants would mostly crash
    // or hang the same way, slowly.
    let good: Vec<&Seed> = seeds.iter().filter(|s| s.good).collect();
    let pool: Vec<&Seed> = seeds.iter().filter(|s| s.mutable).collect();
    let base = if !good.is_empty() && rng.chance(80) {
        *rng.pick(&good)
    } else {
        *rng.pick(&pool)
    };
    let mut bytes = base.bytes.clone();
    let mut applied: Vec<String> = Vec::new();
    // Gentle cases keep the file well-formed more often than not; rough ones break anything.
    let gentle = rng.chance(65);
    // Large seeds are usually cut down first: it keeps 10,000 cases well inside the time budget,
    // and the cut is a structural mutation too.
    if !base.json && bytes.len() > 6000 && rng.chance(75) {
        applied.push(crop(&mut rng, &mut bytes, gentle).into());
    }
    for _ in 0..rng.range(1, 4) {
        let op = if base.json && (gentle || rng.chance(60)) {
            mutate_json(&mut rng, &mut bytes, gentle)
        } else {
            mutate_lines(&mut rng, &pool, &mut bytes, gentle)
        };
        applied.push(format!("{op:?}"));
    }
    // The importer writes keys of the input into its comment: most of its cases get a key
    // (and a value) made to end a comment line and start YAML.
    if target == Target::Import {
        for _ in 0..rng.range(0, 2) {
            applied.push(hostile_key(&mut rng, &mut bytes, base.json).into());
        }
    }
    let markup = markup_input(&mut rng, &pool);
    Case {
        id: format!("case {n}"),
        index: n,
        origin: format!(
            "{} {} [{}]",
            base.name,
            if gentle { "gentle" } else { "rough" },
            applied.join(", ")
        ),
        bytes,
        json: base.json,
        markup,
        target,
    }
}

/// Keeps the lines before the first top-level key other than `basics`, then a run of lines
/// that usually starts at a top-level key.
fn crop(rng: &mut Rng, bytes: &mut Vec<u8>, gentle: bool) -> &'static str {
    let lines = split_lines(bytes);
    let n = lines.len();
    let top = |l: &Vec<u8>| l.first().is_some_and(u8::is_ascii_alphabetic);
    let head = lines
        .iter()
        .position(|l| top(l) && !l.starts_with(b"basics"))
        .unwrap_or(n);
    let keys: Vec<usize> = (head..n).filter(|&i| top(&lines[i])).collect();
    let from = if !keys.is_empty() && (gentle || rng.chance(70)) {
        *rng.pick(&keys)
    } else {
        rng.range(head, n.saturating_sub(1)).min(n)
    };
    let len = rng.range(20, 120);
    let mut kept: Vec<Vec<u8>> = lines[..head].to_vec();
    kept.extend_from_slice(&lines[from..(from + len).min(n)]);
    *bytes = join_lines(&kept);
    "crop"
}

/// A string for the markup parser: a hostile value or the value of a seed's line, with Markdown
/// tokens inserted.
fn markup_input(rng: &mut Rng, seeds: &[&Seed]) -> String {
    let mut text = if rng.chance(50) {
        hostile(rng)
    } else {
        let lines = split_lines(&rng.pick(seeds).bytes);
        let line: &Vec<u8> = rng.pick(&lines);
        let line = String::from_utf8_lossy(line).into_owned();
        match line.split_once(": ") {
            Some((_, value)) => value.to_string(),
            None => line,
        }
    };
    for _ in 0..rng.range(1, 4) {
        let at = floor_char(&text, rng.below(text.len() + 1));
        let token = if rng.chance(15) {
            hostile(rng)
        } else {
            rng.pick(MARKDOWN_TOKENS).to_string()
        };
        text.insert_str(at, &token);
    }
    text
}
