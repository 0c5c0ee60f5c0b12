//! `rulec check`: report every problem of rule sets or single files.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use rulec::check;
use rulec::diag::Severity;
use rulec::ruleset::RuleSet;

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
        let set = RuleSet::load(path)
            .map_err(|error| FatalError(format!("failed to read `{}`: {error}", path.display())))?;
        let diagnostics = check::check(&set);
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
