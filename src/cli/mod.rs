//! Command-line parsing and dispatch to one module per subcommand.

mod check;
mod render;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exit status of a subcommand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Everything was fine.
    Success,
    /// The rules or messages had errors, which were printed.
    Failure,
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
    };
    match result {
        Ok(Status::Success) => ExitCode::SUCCESS,
        Ok(Status::Failure) => ExitCode::from(1),
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
            "cannot write to standard output: {error}"
        ))),
    }
}
