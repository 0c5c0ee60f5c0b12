//! `rulec compile`: write a rule set's compiled program to a file, and
//! `rulec listing`: print its bytecode.

use std::fs;
use std::path::PathBuf;

use clap::Args;

use super::{load_program, write_stdout, FatalError, Status};

#[derive(Args)]
pub struct CompileArgs {
    /// Rule-set directory to compile.
    #[arg(long, value_name = "DIR")]
    rules: PathBuf,
    /// File to write the compiled program to.
    #[arg(short, long, value_name = "FILE")]
    output: PathBuf,
}

pub fn compile(args: &CompileArgs) -> Result<Status, FatalError> {
    let program = match load_program(Some(&args.rules), None, false)? {
        Ok(program) => program,
        Err(status) => return Ok(status),
    };
    fs::write(&args.output, program.to_bytes()).map_err(|error| {
        FatalError(format!(
            "failed to write `{}`: {error}",
            args.output.display()
        ))
    })?;
    Ok(Status::Success)
}

#[derive(Args)]
pub struct ListingArgs {
    /// Rule-set directory to compile and list, server rules first, then
    /// each user's personal rules.
    #[arg(long, value_name = "DIR", required_unless_present = "compiled")]
    rules: Option<PathBuf>,
    /// Compiled program to list instead.
    #[arg(long, value_name = "FILE")]
    compiled: Option<PathBuf>,
}

pub fn listing(args: &ListingArgs) -> Result<Status, FatalError> {
    let program = match load_program(args.rules.as_deref(), args.compiled.as_deref(), false)? {
        Ok(program) => program,
        Err(status) => return Ok(status),
    };
    let mut text = program.listing();
    for (user, rules) in &program.users {
        let file = program.user_files.get(user).map_or("", String::as_str);
        text.push_str(&format!("\nuser {user} ({file})\n"));
        text.push_str(&rules.listing());
    }
    write_stdout(&text)?;
    Ok(Status::Success)
}
