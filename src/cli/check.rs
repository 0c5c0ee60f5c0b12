//! `rulec check`: report every problem of rule sets or single files.

use std::io;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use rulec::check;
use rulec::diag::Severity;
use rulec::ruleset::{classify, FileKind, RuleSet};

use super::render;
use super::{write_stdout, FatalError, Status};

#[derive(Args)]
pub struct CheckArgs {
    /// Output format of the diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Exit with status 1 when there are warnings, as for errors.
    #[arg(long)]
    deny_warnings: bool,
    /// Rule-set directories or single rule files.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Compiler-style text with the source line and a caret.
    Human,
    /// One JSON array of diagnostics.
    Json,
    /// GitHub Actions workflow annotations.
    Github,
}

pub fn run(args: &CheckArgs) -> Result<Status, FatalError> {
    let mut sets = Vec::new();
    for path in &args.paths {
        let (set, only) = load(path)
            .map_err(|error| FatalError(format!("failed to read `{}`: {error}", path.display())))?;
        let mut diagnostics = check::check(&set);
        if let Some(file) = only {
            diagnostics.retain(|diagnostic| {
                let name = &set.sources.get(diagnostic.span.file).name;
                Path::new(name)
                    .canonicalize()
                    .is_ok_and(|path| path == file)
            });
        }
        sets.push((set, diagnostics));
    }

    let output = match args.format {
        Format::Human => render::human(&sets),
        Format::Json => render::json(&sets),
        Format::Github => render::github(&sets),
    };
    write_stdout(&output)?;

    let failed = sets
        .iter()
        .flat_map(|(_, diagnostics)| diagnostics)
        .any(|diagnostic| diagnostic.severity == Severity::Error || args.deny_warnings);
    Ok(if failed {
        Status::Failure
    } else {
        Status::Success
    })
}

/// Loads what a path names. A single rule-set file is checked inside the
/// rule set around it, so its lists and settings are found. The second
/// value then names the file whose diagnostics are wanted.
fn load(path: &Path) -> io::Result<(RuleSet, Option<PathBuf>)> {
    if path.is_dir() {
        return Ok((RuleSet::load(path)?, None));
    }
    let file = path.canonicalize()?;
    let Some(dir) = rule_set_dir_of(&file) else {
        return Ok((RuleSet::load(path)?, None));
    };
    Ok((RuleSet::load(&dir)?, Some(file)))
}

/// Returns the rule-set directory a file belongs to, judged by its name:
/// the parent directory, or the grandparent for `users/NAME.rules`.
fn rule_set_dir_of(file: &Path) -> Option<PathBuf> {
    let parent = file.parent()?;
    let in_users = parent
        .file_name()
        .is_some_and(|name| name.eq_ignore_ascii_case("users"));
    let name = file.file_name()?.to_str()?;
    match classify(name, in_users)? {
        FileKind::User(_) if in_users => parent.parent().map(Path::to_path_buf),
        FileKind::User(_) => None,
        _ => Some(parent.to_path_buf()),
    }
}
