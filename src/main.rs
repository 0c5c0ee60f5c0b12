//! The `rulec` command: thin glue over the library.
//!
//! Exit codes: 0 success, 1 the rules or messages had errors (diagnostics
//! printed), 2 usage or I/O failure. A closed stdout pipe is not an error.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main()
}
