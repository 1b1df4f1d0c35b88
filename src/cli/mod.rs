//! The `vitae` command: parses arguments, calls the library, prints results. Exit codes:
//! 0 success, 1 invalid input or failed build, 2 usage (clap's own).

mod args;
mod import;
mod matching;
mod report;
mod watch;

use args::{
    BuildArgs, CheckArgs, Cli, Command, CompletionsArgs, LayoutsArgs, LocalesArgs, ManArgs,
    NewArgs, SchemaArgs, VariantsArgs,
};
use clap::{CommandFactory, Parser};
use report::Reporter;
use std::io::{Read, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;
use vitae::build::{self, BuildOptions};
use vitae::diag::{Diagnostic, Diagnostics, Severity};
use vitae::export::pdf::layouts;
use vitae::export::{Format, Renderer};
use vitae::locale::Locale;
use vitae::model::load::MAX_FILE_BYTES;
use vitae::model::{LoadOptions, Loaded, load_bytes_in, load_file};
use vitae::{Error, output};

/// Why a command failed.
enum Failure {
    /// The library's error, printed as diagnostics.
    Error(Error),
    /// `--deny-warnings` and there were warnings (printed already).
    Denied,
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure::Error(error)
    }
}

type Outcome = Result<(), Failure>;

/// The name `-` reads from standard input; as an output folder, writes to standard output.
const STDIO: &str = "-";
/// How standard input is named in messages.
const STDIN_NAME: &str = "<stdin>";

/// Runs the command line and returns the process exit code.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let mut rep = Reporter::new(cli.error_format, cli.color, cli.quiet, cli.verbose);
    let result = match cli.command {
        Command::Build(a) => build(a, &mut rep),
        Command::Watch(a) => watch::watch(
            a,
            &mut rep,
            (cli.error_format, cli.color, cli.quiet, cli.verbose),
        ),
        Command::Check(a) => check(a, &mut rep),
        Command::New(a) => new(a, &mut rep),
        Command::Schema(a) => schema(a).map_err(Failure::from),
        Command::Layouts(a) => list_layouts(a, &mut rep),
        Command::Variants(a) => variants(a, &mut rep),
        Command::Import(a) => import::import(&a.file, a.output.as_deref(), &mut rep),
        Command::Match(a) => matching::run(a, &mut rep),
        Command::Locales(a) => locales(a).map_err(Failure::from),
        Command::Completions(a) => completions(a),
        Command::Man(a) => man(a, &mut rep),
    };
    let success = match result {
        Ok(()) => true,
        Err(Failure::Error(error)) => {
            fail(&error, &mut rep);
            false
        }
        Err(Failure::Denied) => {
            rep.deny();
            false
        }
    };
    rep.finish(success);
    if success {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// Exits with clap's usage error (exit code 2), with the usage of the subcommand `name`.
fn usage(name: &str, kind: clap::error::ErrorKind, message: impl std::fmt::Display) -> ! {
    let mut command = Cli::command();
    command.build();
    match command.find_subcommand_mut(name) {
        Some(sub) => sub.error(kind, message).exit(),
        None => command.error(kind, message).exit(),
    }
}

fn completions(a: CompletionsArgs) -> Outcome {
    let mut command = Cli::command();
    let mut out = std::io::stdout().lock();
    clap_complete::generate(a.shell, &mut command, "vitae", &mut out);
    out.flush()
        .map_err(|e| Error::Other(format!("cannot write the completions: {e}")))?;
    Ok(())
}

/// `vitae man`: the page of `vitae` on standard output, or with `-o DIR` one page per command.
fn man(a: ManArgs, rep: &mut Reporter) -> Outcome {
    let render = |command: clap::Command| -> Result<(String, Vec<u8>), Error> {
        let page = clap_mangen::Man::new(command);
        let mut roff = Vec::new();
        page.render(&mut roff)
            .map_err(|e| Error::Other(format!("cannot render the manual page: {e}")))?;
        Ok((page.get_filename(), roff))
    };
    let mut command = Cli::command().disable_help_subcommand(true);
    command.build();
    match a.out_dir {
        None => {
            let (_, roff) = render(command)?;
            let mut out = std::io::stdout().lock();
            out.write_all(&roff)
                .and_then(|()| out.flush())
                .map_err(|e| Error::Other(format!("cannot write the manual page: {e}")))?;
        }
        Some(dir) => {
            rep.with_summary();
            let mut pages = vec![render(command.clone())?];
            for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
                pages.push(render(sub.clone())?);
            }
            for (name, roff) in pages {
                let path = dir.join(name);
                output::write_atomic(&path, &roff)?;
                rep.file(&path, roff.len(), None, "");
            }
        }
    }
    Ok(())
}

fn list_layouts(a: LayoutsArgs, rep: &mut Reporter) -> Outcome {
    match a.gallery {
        Some(dir) => {
            rep.with_summary();
            for path in vitae::gallery::write(&dir)? {
                let bytes = std::fs::metadata(&path).map_or(0, |m| m.len() as usize);
                rep.file(&path, bytes, Some(1), "");
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

fn fail(error: &Error, rep: &mut Reporter) {
    match error {
        Error::Invalid(Diagnostics(list)) => rep.emit(list),
        Error::Overflow { message, report } => {
            rep.emit(&[Diagnostic::error(message.clone())]);
            for line in report {
                rep.detail(&format!("  fit: {line}"));
            }
        }
        other => rep.emit(&[Diagnostic::error(other.to_string())]),
    }
}

/// Whether a FILE argument means standard input.
fn is_stdio(path: &Path) -> bool {
    path.as_os_str() == STDIO
}

/// How a résumé is named in messages.
fn display_name(file: &Path) -> String {
    if is_stdio(file) {
        STDIN_NAME.to_string()
    } else {
        file.display().to_string()
    }
}

/// Loads the résumé (`-` is standard input) and prints its warnings.
fn load(file: &Path, strict: bool, rep: &mut Reporter) -> Result<Loaded, Error> {
    let started = Instant::now();
    let options = LoadOptions {
        strict,
        ..LoadOptions::default()
    };
    let loaded = if is_stdio(file) {
        load_stdin(options)?
    } else {
        load_file(file, options)?
    };
    rep.stage("load", &display_name(file), started.elapsed());
    rep.emit(&loaded.warnings);
    Ok(loaded)
}

/// Reads a résumé from standard input, at most [`MAX_FILE_BYTES`] of it. It is JSON when it
/// starts with `{`, and lives in the current folder (a layout it names is looked for there).
fn load_stdin(options: LoadOptions) -> Result<Loaded, Error> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::Other(format!("cannot read {STDIN_NAME}: {e}")))?;
    let body = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&bytes);
    let is_json = body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    let dir = std::env::current_dir()
        .ok()
        .and_then(|d| d.canonicalize().ok());
    Ok(load_bytes_in(STDIN_NAME, &bytes, is_json, dir, options)?)
}

/// The job posting `--job` names, read.
fn posting(a: &BuildArgs) -> Result<Option<vitae::tailor::job::Posting>, Error> {
    a.job
        .as_ref()
        .map(|path| {
            Ok(vitae::tailor::job::Posting::new(
                path.display().to_string(),
                read_text(path, "the job posting ")?,
            ))
        })
        .transpose()
}

/// A text file, or standard input for `-`, of at most [`MAX_FILE_BYTES`] (`import`'s input,
/// `match`'s and `build`'s posting). `label` comes before the name in messages, e.g. "the
/// posting ". A path must name a regular file: a FIFO would block the read forever, and a
/// device never end (see [`vitae::confine::open_regular`]).
fn read_text(path: &Path, label: &str) -> Result<String, Error> {
    let name = path.display();
    let cannot = |e: std::io::Error| Error::Other(format!("cannot read {label}{name}: {e}"));
    let reader: Box<dyn Read> = if is_stdio(path) {
        Box::new(std::io::stdin())
    } else {
        Box::new(
            vitae::confine::open_regular(path)
                .map_err(|e| Error::Other(format!("cannot read {label}{name}: {e}")))?,
        )
    };
    let mut bytes = Vec::new();
    reader
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Error::Other(format!(
            "{label}{name} is larger than {} MiB",
            MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    String::from_utf8(bytes).map_err(|_| Error::Other(format!("{label}{name} is not UTF-8 text")))
}

/// `-o -`: the one text format the build may print, or a usage error (exit 2).
fn stdout_format(a: &BuildArgs) -> Format {
    use clap::error::ErrorKind;
    let mut formats = a.formats.clone();
    formats.sort();
    formats.dedup();
    match formats[..] {
        [f @ (Format::Markdown | Format::Text | Format::Json)] if a.variants.len() <= 1 => f,
        [_] if a.variants.len() > 1 => usage(
            "build",
            ErrorKind::ArgumentConflict,
            "`-o -` prints one document, but more than one --variant was given",
        ),
        _ => usage(
            "build",
            ErrorKind::ArgumentConflict,
            format!(
                "`-o -` prints one text format to standard output: give exactly one of \
                 `-f md`, `-f txt` or `-f json` (got `-f {}`)",
                a.formats
                    .iter()
                    .map(|f| f.extension())
                    .collect::<Vec<_>>()
                    .join(",")
            ),
        ),
    }
}

fn build(a: BuildArgs, rep: &mut Reporter) -> Outcome {
    let to_stdout = is_stdio(&a.out_dir);
    if to_stdout {
        stdout_format(&a);
        rep.records_to_stderr();
    }
    rep.with_summary();
    let mut loaded = load(&a.file, a.strict, rep)?;
    // After loading: the résumé's own `labels` may supply the words of a language vitae lacks.
    if let Some(lang) = &a.lang
        && let Some(refused) = vitae::model::check_lang_flag(&loaded.resume, lang)
    {
        return Err(Error::Invalid(Diagnostics(vec![refused])).into());
    }
    // Printed already; the build report repeats only what building adds.
    let loaded_warnings = std::mem::take(&mut loaded.warnings);
    let stem = if is_stdio(&a.file) {
        "resume".to_string()
    } else {
        a.file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("resume")
            .to_string()
    };
    let options = a.options(posting(&a)?);
    if options.deny_warnings && !loaded_warnings.is_empty() {
        return Err(Failure::Denied);
    }
    if to_stdout {
        return build_to_stdout(&loaded, &options, rep);
    }
    let started = Instant::now();
    let report = match build::build(&loaded, &stem, &options) {
        Ok(report) => report,
        // The library denies warnings by returning them as errors; they are shown as the
        // warnings they are, followed by the line saying they were denied.
        Err(Error::Invalid(Diagnostics(list))) if options.deny_warnings => {
            let warnings: Vec<Diagnostic> = list
                .into_iter()
                .map(|mut d| {
                    d.severity = Severity::Warning;
                    d
                })
                .collect();
            rep.emit(&warnings);
            return Err(Failure::Denied);
        }
        Err(error) => return Err(error.into()),
    };
    rep.stage(
        "build",
        &format!(
            "{} file{} into {} (render and write)",
            report.files.len(),
            if report.files.len() == 1 { "" } else { "s" },
            options.out_dir.display()
        ),
        started.elapsed(),
    );
    rep.emit(&report.warnings);
    for font in &report.fallback_fonts {
        rep.note(&fallback_note(font));
    }
    for file in &report.files {
        rep.file(&file.path, file.bytes, file.pages, "");
    }
    let mut shown = Vec::new();
    for file in report.files.iter().filter(|f| !f.fit_report.is_empty()) {
        if shown.contains(&&file.variant) {
            continue;
        }
        shown.push(&file.variant);
        let who = file.variant.as_deref().unwrap_or("résumé");
        rep.status(&format!("fit {who}:"));
        for change in &file.fit_report {
            rep.status(&format!("  {change}"));
        }
    }
    let mut shown = Vec::new();
    for file in &report.files {
        let Some(job) = &file.job else { continue };
        if shown.contains(&&file.variant) {
            continue;
        }
        shown.push(&file.variant);
        for line in job_lines(file.variant.as_deref(), job, &report.files) {
            rep.status(&line);
        }
    }
    Ok(())
}

/// How a target covers its posting: the terms shown before fitting, what the paged files
/// left out, and what the résumé lacks.
fn job_lines(
    variant: Option<&str>,
    job: &vitae::tailor::job::JobCoverage,
    files: &[vitae::build::Written],
) -> Vec<String> {
    let total = job.before.shown.len() + job.before.missing.len();
    let who = variant.map_or(String::new(), |v| format!(" (variant {v})"));
    let mut lines = vec![format!(
        "job {}{who}: the résumé shows {} of its {total} terms",
        job.posting,
        job.before.shown.len()
    )];
    // What fitting left out, from the paged file of the same target.
    let paged = files
        .iter()
        .find(|f| f.variant.as_deref() == variant && f.format.is_paged() && f.job.is_some());
    if let Some(after) = paged.and_then(|f| f.job.as_ref()) {
        let lost = job.before.lost_in(&after.after);
        if lost.is_empty() {
            let format = paged.map_or("PDF".to_string(), |f| f.format.extension().to_uppercase());
            lines.push(format!("  the {format} shows every one of them"));
        } else {
            lines.push(format!("  left out by fitting: {}", lost.join(", ")));
        }
    }
    if !job.before.missing.is_empty() {
        lines.push(format!("  lacks: {}", job.before.missing.join(", ")));
    }
    lines
}

/// Which system font stood in for vitae's own, once per family.
fn fallback_note(font: &vitae::export::pdf::FallbackFont) -> String {
    let n = font.chars.len();
    let sample: String = font.chars.iter().take(8).collect();
    format!(
        "characters vitae's fonts lack come from the system font \"{}\" ({n} character{}: {sample}{})",
        font.family,
        if n == 1 { "" } else { "s" },
        if n > 8 { "…" } else { "" }
    )
}

/// `build -o -`: renders the one document in its one text format and prints it; nothing is
/// written to disk. Rendered through the library's renderers, as `build::build` would.
fn build_to_stdout(loaded: &Loaded, options: &BuildOptions, rep: &mut Reporter) -> Outcome {
    let started = Instant::now();
    let targets = build::targets(loaded, options)?;
    let [target] = &targets[..] else {
        return Err(Error::Other(format!(
            "`-o -` prints one document, but this build makes {} (one per variant); \
             choose one with --variant NAME",
            targets.len()
        ))
        .into());
    };
    let format = options.formats[0];
    let renderer: Box<dyn Renderer> = match format {
        Format::Markdown => Box::new(vitae::export::markdown::Markdown),
        Format::Text => Box::new(vitae::export::text::PlainText {
            width: options.text_width,
        }),
        Format::Json => Box::new(vitae::export::json::Json),
        Format::Pdf | Format::Png | Format::Html | Format::Docx | Format::JsonResume => {
            unreachable!("refused by stdout_format")
        }
    };
    let (doc, mut warnings) = build::document(loaded, target);
    let rendered = renderer.render(&doc)?;
    for warning in rendered.warnings {
        if !warnings.contains(&warning) {
            warnings.push(warning);
        }
    }
    let who = target.variant.as_deref().unwrap_or("résumé");
    rep.stage(
        "render",
        &format!("{who} as {}", format.extension()),
        started.elapsed(),
    );
    rep.emit(&warnings);
    if options.deny_warnings && !warnings.is_empty() {
        return Err(Failure::Denied);
    }
    let bytes = rendered.files.concat();
    let started = Instant::now();
    let mut out = std::io::stdout().lock();
    out.write_all(&bytes)
        .and_then(|()| out.flush())
        .map_err(|e| Error::Other(format!("cannot write to standard output: {e}")))?;
    rep.stage("write", "standard output", started.elapsed());
    rep.file(Path::new(STDIO), bytes.len(), None, "");
    Ok(())
}

fn check(a: CheckArgs, rep: &mut Reporter) -> Outcome {
    rep.with_summary();
    let loaded = load(&a.file, a.strict, rep)?;
    let started = Instant::now();
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
    let count = targets.len();
    for target in targets {
        for warning in build::document(&loaded, &target).1 {
            if !resolved.contains(&warning) {
                resolved.push(warning);
            }
        }
    }
    rep.stage(
        "check",
        &format!("{count} document{}", if count == 1 { "" } else { "s" }),
        started.elapsed(),
    );
    rep.emit(&resolved);
    let warnings = loaded.warnings.len() + resolved.len();
    if a.deny_warnings && warnings > 0 {
        return Err(Failure::Denied);
    }
    let note = if warnings == 0 {
        String::new()
    } else {
        format!(
            " ({warnings} warning{})",
            if warnings == 1 { "" } else { "s" }
        )
    };
    rep.status(&format!(
        "{}: ok{note}",
        report::escape_controls(&display_name(&a.file))
    ));
    if a.ats {
        ats(&loaded, a.layout, rep)?;
    }
    Ok(())
}

/// `check --ats`: the full résumé's PDF, read back; every field that did not come back in
/// reading order is named.
fn ats(loaded: &Loaded, layout: Option<String>, rep: &mut Reporter) -> Outcome {
    let started = Instant::now();
    let options = BuildOptions {
        layout,
        isolation: vitae::export::pdf::isolate::Isolation::this_program(),
        ..BuildOptions::default()
    };
    let target = build::targets(loaded, &options)?.remove(0);
    let engine = vitae::export::pdf::Engine::new(&options.font_dirs)?
        .with_system_fonts(options.system_fonts)
        .with_isolation(options.isolation.clone());
    let typesetter = build::typesetter(loaded, &target, &options, &engine)?;
    let (doc, _) = build::document(loaded, &target);
    let pdf = vitae::export::pdf::Pdf {
        typesetter: &typesetter,
        standard: options.standard,
        ident: "ats".into(),
    };
    let rendered = vitae::export::Renderer::render(&pdf, &doc)?;
    let Some(bytes) = rendered.files.first() else {
        return Ok(());
    };
    let report = vitae::tailor::ats::check(&doc, bytes)?;
    rep.stage("ats", "build and read back the PDF", started.elapsed());
    rep.status(&format!(
        "ATS: {:.1}% of fields in reading order ({} of {})",
        report.percent(),
        report.in_order(),
        report.fields.len()
    ));
    for miss in report.misses() {
        let how = match miss.found {
            vitae::tailor::ats::Found::OutOfOrder => "out of order",
            _ => "missing",
        };
        let text: String = miss.text.chars().take(60).collect();
        rep.status(&format!(
            "  {how}: {} \"{}\"",
            miss.path,
            report::escape_controls(&text)
        ));
    }
    Ok(())
}

const STARTER: &str = include_str!("../../data/starter.yaml");
/// What the starter's comments say before `vitae new` names the real file.
const STARTER_BUILD: &str = "`vitae build resume.yaml`";
const STARTER_SCHEMA: &str =
    "Write `vitae schema -o vitae.schema.json` beside it for completion in editors,";
/// The schema `vitae new` writes beside the résumé, which the starter's first line names.
const SCHEMA_NAME: &str = "vitae.schema.json";

fn new(a: NewArgs, rep: &mut Reporter) -> Outcome {
    rep.with_summary();
    if a.output.exists() {
        return Err(Error::Other(format!(
            "{} already exists; vitae new never overwrites a file",
            a.output.display()
        ))
        .into());
    }
    // A JSON string is a valid double-quoted YAML scalar, so any name is written safely.
    let name = serde_json::to_string(&a.name).map_err(|e| Error::Other(e.to_string()))?;
    let text = STARTER
        .replace("\"{{name}}\"", &name)
        .replace(
            STARTER_BUILD,
            &format!(
                "`vitae build {}`",
                shell_word(&a.output.display().to_string())
            ),
        )
        .replace(
            STARTER_SCHEMA,
            "Editors complete it from the vitae.schema.json beside it. Edit it,",
        );
    output::write_atomic(&a.output, text.as_bytes())?;
    rep.file(&a.output, text.len(), None, "");

    // The schema the starter's first line points editors at. One from an older vitae is
    // replaced, atomically; an identical one is left alone.
    let schema_path = a.output.with_file_name(SCHEMA_NAME);
    let schema = schema_text()?;
    match std::fs::read(&schema_path) {
        Ok(old) if old == schema.as_bytes() => {
            rep.status(&format!("{} is up to date", schema_path.display()));
        }
        old => {
            output::write_atomic(&schema_path, schema.as_bytes())?;
            let note = if old.is_ok() {
                ", replacing an older schema"
            } else {
                ""
            };
            rep.file(&schema_path, schema.len(), None, note);
        }
    }
    Ok(())
}

/// A path as a shell word for the starter's comment: bare when it is plain, else single-quoted.
/// Control characters are escaped, so that the comment stays one line.
fn shell_word(text: &str) -> String {
    let plain = |c: char| c.is_alphanumeric() || "._-/+@%,:=".contains(c);
    if !text.is_empty() && text.chars().all(plain) {
        return text.to_string();
    }
    let quoted = report::escape_controls(text).replace('\'', "'\\''");
    format!("'{quoted}'")
}

/// The JSON Schema as `vitae schema` prints it.
fn schema_text() -> Result<String, Error> {
    let mut text = serde_json::to_string_pretty(&vitae::model::json_schema())
        .map_err(|e| Error::Other(e.to_string()))?;
    text.push('\n');
    Ok(text)
}

fn schema(a: SchemaArgs) -> Result<(), Error> {
    let text = schema_text()?;
    match a.output {
        Some(path) => output::write_atomic(&path, text.as_bytes()),
        None => {
            print!("{text}");
            Ok(())
        }
    }
}

fn variants(a: VariantsArgs, rep: &mut Reporter) -> Outcome {
    let loaded = load(&a.file, false, rep)?;
    if loaded.resume.variants.is_empty() {
        println!(
            "{} defines no variants",
            report::escape_controls(&display_name(&a.file))
        );
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
        if let Some(posting) = &target.job {
            println!(
                "  job:      {} (highlights in order of relevance)",
                report::escape_controls(&posting.name)
            );
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
