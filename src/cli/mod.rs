//! The `vitae` command: parses arguments, calls the library, prints results. Exit codes:
//! 0 success, 1 invalid input or failed build, 2 usage (clap's own).

mod args;
mod report;

use args::{
    BuildArgs, CheckArgs, Cli, Command, ErrorFormat, LayoutsArgs, LocalesArgs, NewArgs,
    PageSizeArg, PdfStandardArg, SchemaArgs, VariantsArgs,
};
use clap::Parser;
use std::path::Path;
use std::process::ExitCode;
use vitae::build::{self, BuildOptions};
use vitae::diag::{Diagnostic, Diagnostics};
use vitae::export::pdf::{Standard, layouts};
use vitae::locale::Locale;
use vitae::model::{LoadOptions, Loaded, PageSize, load_file};
use vitae::{Error, output};

/// Runs the command line and returns the process exit code.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let format = cli.error_format;
    let result = match cli.command {
        Command::Build(a) => build(a, format),
        Command::Check(a) => check(a, format),
        Command::New(a) => new(a),
        Command::Schema(a) => schema(a),
        Command::Layouts(a) => list_layouts(a),
        Command::Variants(a) => variants(a, format),
        Command::Locales(a) => locales(a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            fail(&error, format);
            ExitCode::from(1)
        }
    }
}

fn list_layouts(a: LayoutsArgs) -> Result<(), Error> {
    match a.gallery {
        Some(dir) => {
            for path in vitae::gallery::write(&dir)? {
                println!("wrote {}", path.display());
            }
        }
        None => {
            let width = layouts::BUILTIN
                .iter()
                .map(|l| l.name.len())
                .max()
                .unwrap_or(0);
            for l in layouts::BUILTIN {
                println!("{:<width$}  {}", l.name, l.description);
            }
        }
    }
    Ok(())
}

fn locales(a: LocalesArgs) -> Result<(), Error> {
    match a.lang {
        Some(tag) => {
            let locale =
                Locale::resolve(&tag).ok_or_else(|| Error::Other(Locale::unknown(&tag)))?;
            println!("# locales/{}.yaml", locale.lang);
            print!("{}", locale.to_yaml());
        }
        None => {
            for locale in Locale::all() {
                println!("{:<3} {}", locale.lang, locale.name);
            }
        }
    }
    Ok(())
}

fn fail(error: &Error, format: ErrorFormat) {
    match error {
        Error::Invalid(Diagnostics(list)) => report::emit(list, format),
        Error::Overflow { message, report } => {
            report::emit(&[Diagnostic::error(message.clone())], format);
            if format == ErrorFormat::Human {
                for line in report {
                    eprintln!("  fit: {line}");
                }
            }
        }
        other => report::emit(&[Diagnostic::error(other.to_string())], format),
    }
}

fn load(file: &Path, strict: bool, format: ErrorFormat) -> Result<Loaded, Error> {
    let loaded = load_file(file, LoadOptions { strict })?;
    report::emit(&loaded.warnings, format);
    Ok(loaded)
}

fn build(a: BuildArgs, format: ErrorFormat) -> Result<(), Error> {
    if let Some(lang) = &a.lang
        && Locale::resolve(lang).is_none()
    {
        return Err(Error::Other(Locale::unknown(lang)));
    }
    let mut loaded = load(&a.file, a.strict, format)?;
    // Printed already; the build report repeats only what building adds.
    let loaded_warnings = std::mem::take(&mut loaded.warnings);
    let stem = a
        .file
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("resume")
        .to_string();
    let mut formats = a.formats.clone();
    formats.dedup();
    let options = BuildOptions {
        out_dir: a.out_dir,
        formats,
        lang: a.lang,
        text_width: usize::from(a.width),
        layout: a.layout,
        page_size: a.page_size.map(|p| match p {
            PageSizeArg::A4 => PageSize::A4,
            PageSizeArg::Letter => PageSize::Letter,
        }),
        variants: a.variants,
        all_variants: a.all_variants,
        tags: a.tags,
        exclude: a.exclude,
        max_pages: a.max_pages,
        allow_overflow: a.allow_overflow,
        ppi: f32::from(a.ppi),
        standard: match a.pdf_standard {
            PdfStandardArg::Ua1 => Standard::Ua1,
            PdfStandardArg::A2b => Standard::A2b,
        },
        font_dirs: a.font_paths,
        system_fonts: !a.no_system_fonts,
        deny_warnings: a.deny_warnings,
        timeout: std::time::Duration::from_secs(u64::from(a.timeout)),
    };
    if options.deny_warnings && !loaded_warnings.is_empty() {
        return Err(Error::Invalid(Diagnostics(loaded_warnings)));
    }
    let report = build::build(&loaded, &stem, &options)?;
    report::emit(&report.warnings, format);
    for file in &report.files {
        let pages = file
            .pages
            .map(|p| format!(", {p} page{}", if p == 1 { "" } else { "s" }))
            .unwrap_or_default();
        println!(
            "wrote {} ({}{pages})",
            file.path.display(),
            human_bytes(file.bytes)
        );
    }
    let mut shown = Vec::new();
    for file in report.files.iter().filter(|f| !f.fit_report.is_empty()) {
        if shown.contains(&&file.variant) {
            continue;
        }
        shown.push(&file.variant);
        let who = file.variant.as_deref().unwrap_or("résumé");
        println!("fit {who}:");
        for change in &file.fit_report {
            println!("  {change}");
        }
    }
    Ok(())
}

fn human_bytes(n: usize) -> String {
    if n < 1024 {
        format!("{n} B")
    } else {
        format!("{:.1} KiB", n as f64 / 1024.0)
    }
}

fn check(a: CheckArgs, format: ErrorFormat) -> Result<(), Error> {
    let loaded = load(&a.file, a.strict, format)?;
    // Resolve as builds would (the full résumé and each variant), so that missing translations
    // are reported here too.
    let mut resolved: Vec<Diagnostic> = Vec::new();
    let mut targets = build::targets(&loaded, &BuildOptions::default())?;
    if !loaded.resume.variants.is_empty() {
        let all = BuildOptions {
            all_variants: true,
            ..BuildOptions::default()
        };
        targets.extend(build::targets(&loaded, &all)?);
    }
    for target in targets {
        for warning in build::document(&loaded, &target).1 {
            if !resolved.contains(&warning) {
                resolved.push(warning);
            }
        }
    }
    report::emit(&resolved, format);
    let warnings = loaded.warnings.len() + resolved.len();
    let note = if warnings == 0 {
        String::new()
    } else {
        format!(
            " ({warnings} warning{})",
            if warnings == 1 { "" } else { "s" }
        )
    };
    println!("{}: ok{note}", a.file.display());
    Ok(())
}

const STARTER: &str = include_str!("../../data/starter.yaml");

fn new(a: NewArgs) -> Result<(), Error> {
    if a.output.exists() {
        return Err(Error::Other(format!(
            "{} already exists; vitae new never overwrites a file",
            a.output.display()
        )));
    }
    // A JSON string is a valid double-quoted YAML scalar, so any name is written safely.
    let name = serde_json::to_string(&a.name).map_err(|e| Error::Other(e.to_string()))?;
    let text = STARTER.replace("\"{{name}}\"", &name);
    output::write_atomic(&a.output, text.as_bytes())?;
    println!("wrote {}", a.output.display());
    Ok(())
}

fn schema(a: SchemaArgs) -> Result<(), Error> {
    let mut text = serde_json::to_string_pretty(&vitae::model::json_schema())
        .map_err(|e| Error::Other(e.to_string()))?;
    text.push('\n');
    match a.output {
        Some(path) => output::write_atomic(&path, text.as_bytes()),
        None => {
            print!("{text}");
            Ok(())
        }
    }
}

fn variants(a: VariantsArgs, format: ErrorFormat) -> Result<(), Error> {
    let loaded = load(&a.file, false, format)?;
    if loaded.resume.variants.is_empty() {
        println!("{} defines no variants", a.file.display());
        return Ok(());
    }
    let full = build::document(
        &loaded,
        &build::targets(&loaded, &BuildOptions::default())?[0],
    )
    .0;
    let options = BuildOptions {
        all_variants: true,
        ..BuildOptions::default()
    };
    for target in build::targets(&loaded, &options)? {
        let (doc, _) = build::document(&loaded, &target);
        let name = target.variant.clone().unwrap_or_default();
        let pages = target
            .pages
            .map(|p| format!(", {p} page{}", if p == 1 { "" } else { "s" }))
            .unwrap_or_default();
        println!("{name} (layout {}{pages})", target.layout);
        let s = &target.selection;
        if !s.tags.is_empty() {
            println!("  tags:     {}", s.tags.join(", "));
        }
        if !s.exclude.is_empty() {
            println!("  exclude:  {}", s.exclude.join(", "));
        }
        let mut keeps = Vec::new();
        let mut drops = Vec::new();
        for section in &full.sections {
            match doc.sections.iter().find(|s| s.id == section.id) {
                Some(kept) => {
                    let (k, n) = (kept.entries.len(), section.entries.len());
                    let hk: usize = kept.entries.iter().map(|e| e.highlights.len()).sum();
                    let hn: usize = section.entries.iter().map(|e| e.highlights.len()).sum();
                    let highlights = if hn > 0 {
                        format!(", {hk}/{hn} highlights")
                    } else {
                        String::new()
                    };
                    keeps.push(format!("{} {k}/{n}{highlights}", section.id));
                }
                None => drops.push(section.id.clone()),
            }
        }
        println!("  keeps:    {}", keeps.join("; "));
        if !drops.is_empty() {
            println!("  drops:    {}", drops.join(", "));
        }
    }
    Ok(())
}
