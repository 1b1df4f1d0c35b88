//! The README's two commands share one build: `cargo test` after `cargo run` must not compile
//! Typst again. That holds while dev-dependencies turn on no feature of a shared crate that
//! `[dependencies]` leaves off (see the comment in Cargo.toml).

use std::process::Command;

#[test]
fn cargo_build_reuses_what_cargo_test_compiled() {
    // `cargo test` built everything the tests need; a plain build must find Typst fresh.
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["build", "--message-format=json", "--quiet"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let recompiled: Vec<String> = stdout
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-artifact" && m["fresh"] == false)
        .filter_map(|m| m["target"]["name"].as_str().map(str::to_string))
        .filter(|name| name.starts_with("typst"))
        .collect();
    assert!(
        recompiled.is_empty(),
        "cargo build compiled {recompiled:?} again after cargo test: a dev-dependency turns on \
         a feature of a shared crate; enable it in [dependencies] too (compare the `features` of \
         `cargo build --message-format=json` and `cargo test --no-run --message-format=json`)"
    );
}
