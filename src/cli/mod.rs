//! Command-line parsing and dispatch to one module per subcommand.

mod check;
mod compile;
mod render;
mod run;

use std::fs;
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use rulec::program::Program;
use rulec::ruleset::RuleSet;

/// Exit status of a subcommand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Everything was fine.
    Success,
    /// The rules or messages had errors, which were printed.
    Failure,
    /// Some inputs or outputs failed with an I/O error, which was printed,
    /// but the run went on with the rest.
    IoFailure,
}

/// A failure that ends the command with exit code 2.
#[derive(Debug)]
pub struct FatalError(pub String);

impl From<io::Error> for FatalError {
    fn from(error: io::Error) -> FatalError {
        FatalError(error.to_string())
    }
}

#[derive(Parser)]
#[command(
    name = "rulec",
    version,
    about = "Check, compile and run mail-filtering rules"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check rule sets or single rule files and report every problem.
    Check(check::CheckArgs),
    /// Apply a rule set to messages and print one JSON verdict per message.
    Run(run::RunArgs),
    /// Compile a rule set to a program file for `rulec run --compiled`.
    Compile(compile::CompileArgs),
    /// Print the bytecode of a rule set as a numbered listing.
    Listing(compile::ListingArgs),
}

/// Parses the command line, runs the subcommand and maps its result to an
/// exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let result = match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Run(args) => run::run(&args),
        Command::Compile(args) => compile::compile(&args),
        Command::Listing(args) => compile::listing(&args),
    };
    match result {
        Ok(Status::Success) => ExitCode::SUCCESS,
        Ok(Status::Failure) => ExitCode::from(1),
        Ok(Status::IoFailure) => ExitCode::from(2),
        Err(FatalError(message)) => {
            let _ = writeln!(io::stderr(), "rulec: error: {message}");
            ExitCode::from(2)
        }
    }
}

/// Writes to stdout, treating a closed pipe as success: `rulec … | head`
/// must not fail.
pub fn write_stdout(text: &str) -> Result<(), FatalError> {
    let mut stdout = io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(error) => Err(FatalError(format!(
            "failed to write to standard output: {error}"
        ))),
    }
}

/// Builds the program to run: compiled from `rules`, or loaded from
/// `compiled` and, when `rules` is given too, checked against its sources.
/// Returns `Err(Status::Failure)` inside `Ok` when the rules have errors,
/// which are printed to stderr. With `skip_broken_users`, errors in a
/// user's personal rules are printed and leave out only that user.
pub fn load_program(
    rules: Option<&Path>,
    compiled: Option<&Path>,
    skip_broken_users: bool,
) -> Result<Result<Program, Status>, FatalError> {
    let set = match rules {
        Some(dir) => Some(RuleSet::load(dir).map_err(|error| {
            FatalError(format!(
                "failed to read rule set `{}`: {error}",
                dir.display()
            ))
        })?),
        None => None,
    };
    if let Some(path) = compiled {
        let bytes = fs::read(path)
            .map_err(|error| FatalError(format!("failed to read `{}`: {error}", path.display())))?;
        let program = Program::from_bytes(&bytes).map_err(|error| {
            FatalError(format!(
                "cannot use compiled program `{}`: {error}; run `rulec compile` again",
                path.display()
            ))
        })?;
        if let Some(set) = &set {
            if Program::source_hash_of(set) != program.source_hash {
                return Err(FatalError(format!(
                    "compiled program `{}` is stale: the rules in `{}` differ from the ones it was \
                     compiled; run `rulec compile` again",
                    path.display(),
                    set.root.display()
                )));
            }
        }
        return Ok(Ok(program));
    }
    let Some(set) = set else {
        return Err(FatalError(
            "give --rules DIR or --compiled FILE".to_string(),
        ));
    };
    let compiled = if skip_broken_users {
        Program::compile_skipping_broken_users(&set)
    } else {
        Program::compile(&set).map(|program| rulec::program::Compiled {
            program,
            user_errors: Vec::new(),
        })
    };
    match compiled {
        Ok(compiled) => {
            if !compiled.user_errors.is_empty() {
                let text = render::human(&[(set, compiled.user_errors)]);
                let _ = io::stderr().write_all(text.as_bytes());
            }
            Ok(Ok(compiled.program))
        }
        Err(diagnostics) => {
            let text = render::human(&[(set, diagnostics)]);
            let _ = io::stderr().write_all(text.as_bytes());
            Ok(Err(Status::Failure))
        }
    }
}
