//! `rulec run`: apply a rule set to messages, one JSON verdict per line.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::io::{self, IsTerminal, Write};
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Instant;

use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};

use rulec::ast::user::Trigger;
use rulec::config::Band;
use rulec::input::Inputs;
use rulec::message::{self, Envelope, Message};
use rulec::program::Program;
use rulec::user::RunOptions;
use rulec::verdict::{Disposition, Verdict};
use rulec::vm::{self, EvalOptions};

use super::{load_program, FatalError, Status};

#[derive(Args)]
pub struct RunArgs {
    /// Rule-set directory to compile and apply.
    #[arg(long, value_name = "DIR", required_unless_present = "compiled")]
    rules: Option<PathBuf>,
    /// Compiled program written by `rulec compile`. With --rules as well,
    /// the program is rejected when those sources have changed.
    #[arg(long, value_name = "FILE")]
    compiled: Option<PathBuf>,
    /// Run the personal rules of this user (repeatable). Without it, each
    /// --rcpt address maps to the user named by its local part.
    #[arg(long = "user", value_name = "NAME")]
    users: Vec<String>,
    /// Envelope sender (SMTP MAIL FROM), read by server rules as $sender.
    /// Without it, $sender is empty and personal rules read the
    /// Return-Path header.
    #[arg(long, value_name = "ADDR")]
    sender: Option<String>,
    /// IP address of the connecting client, read by rules as $SenderIP.
    #[arg(long, value_name = "IP")]
    sender_ip: Option<String>,
    /// HELO or EHLO name of the client, read by rules as $helo.
    #[arg(long, value_name = "NAME")]
    helo: Option<String>,
    /// Envelope recipient (SMTP RCPT TO), repeatable.
    #[arg(long = "rcpt", value_name = "ADDR")]
    recipients: Vec<String>,
    /// Add the rule lines that fired, with file and line, to each verdict.
    #[arg(long)]
    explain: bool,
    /// Write each accepted message, as rewritten by the rules, into DIR.
    #[arg(long, value_name = "DIR")]
    emit: Option<PathBuf>,
    /// Add `elapsed_us`, the microseconds spent parsing and evaluating the
    /// message, to each verdict.
    #[arg(long)]
    timing: bool,
    /// Trigger of the personal rules that run.
    #[arg(long, value_enum, default_value_t = TriggerArg::Received)]
    trigger: TriggerArg,
    /// The current time for `date sent within` in personal rules, as Unix
    /// seconds; defaults to the clock.
    #[arg(long, value_name = "SECONDS")]
    now: Option<i64>,
    /// Print no progress bar and no summary.
    #[arg(long, short)]
    quiet: bool,
    /// Message files, directories, mbox files, Maildirs, or - for standard
    /// input.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
}

pub fn run(args: &RunArgs) -> Result<Status, FatalError> {
    let program = match load_program(args.rules.as_deref(), args.compiled.as_deref(), true)? {
        Ok(program) => program,
        Err(status) => return Ok(status),
    };
    if let Some(dir) = &args.emit {
        fs::create_dir_all(dir).map_err(|error| {
            FatalError(format!(
                "failed to create --emit directory `{}`: {error}",
                dir.display()
            ))
        })?;
    }

    let envelope = Envelope {
        sender: args.sender.clone(),
        client_ip: args.sender_ip.clone(),
        helo: args.helo.clone(),
        recipients: args.recipients.clone(),
    };
    if let Some(ip) = &args.sender_ip {
        if ip.parse::<IpAddr>().is_err() {
            return Err(FatalError(format!(
                "invalid --sender-ip `{ip}`: give an IPv4 or IPv6 address such as 192.0.2.1"
            )));
        }
    }
    let users = if args.users.is_empty() {
        users_for_recipients(&program, &args.recipients)
    } else {
        args.users.clone()
    };
    for user in &users {
        check_user(&program, user)?;
    }

    let mut user_run = RunOptions::received_now();
    user_run.trigger = args.trigger.into();
    if let Some(now) = args.now {
        user_run.now = now;
    }

    let progress = progress_bar(args.quiet);
    let mut summary = Summary::default();
    let mut input_errors = 0usize;
    let mut output_errors = 0usize;
    let mut emitted_names = EmitNames::default();
    let limits = program.settings.limits.clone();
    let mut stdout = io::BufWriter::new(io::stdout().lock());
    for item in Inputs::new(&args.inputs).max_bytes(limits.max_input_bytes) {
        let input = match item {
            Ok(input) => input,
            Err(error) => {
                input_errors += 1;
                progress.suspend(|| eprintln!("rulec: error: {error}"));
                continue;
            }
        };
        let started = Instant::now();
        let message = Message::parse(&input.bytes, envelope.clone(), &limits);
        let options = EvalOptions {
            user_run: Some(user_run),
            input: input.name.clone(),
            users: users.clone(),
            explain: args.explain,
        };
        let evaluation = vm::evaluate(&program, &message, &options);
        let elapsed = started.elapsed();
        summary.add(&evaluation.verdict);

        if let Some(dir) = &args.emit {
            if evaluation.verdict.disposition == Disposition::Accept {
                let rewritten = message::rewrite_at(
                    &input.bytes,
                    &evaluation.verdict.headers,
                    &evaluation.removed_headers,
                    &evaluation.removed_parts,
                    message::DEFAULT_REMOVAL_NOTICE,
                );
                let path = dir.join(emitted_names.claim(&input.name));
                if let Err(error) = fs::write(&path, rewritten) {
                    // The verdict still goes out; only the copy is missing.
                    output_errors += 1;
                    progress.suspend(|| {
                        eprintln!(
                            "rulec: error: failed to write `{}`: {error}",
                            path.display()
                        )
                    });
                }
            }
        }

        let mut line = serde_json::to_value(&evaluation.verdict)
            .map_err(|error| FatalError(format!("failed to encode a verdict: {error}")))?;
        if args.timing {
            line["elapsed_us"] = serde_json::Value::from(elapsed.as_micros() as u64);
        }
        if !write_line(&mut stdout, &line)? {
            // Standard output was closed, so no reader is left for further
            // verdicts.
            progress.finish_and_clear();
            return Ok(Status::Success);
        }
        progress.inc(1);
    }
    let flushed = stdout.flush();
    progress.finish_and_clear();
    match flushed {
        Err(error) if error.kind() != io::ErrorKind::BrokenPipe => {
            return Err(FatalError(format!(
                "failed to write to standard output: {error}"
            )));
        }
        _ => {}
    }
    if !args.quiet {
        eprint!("{}", summary.render());
    }
    Ok(if input_errors + output_errors > 0 {
        Status::IoFailure
    } else {
        Status::Success
    })
}

/// The `--trigger` values.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum TriggerArg {
    /// Mail delivered to the user.
    Received,
    /// The user's own copy of mail they send.
    Sent,
    /// An item the user deletes.
    Deleted,
    /// Rules the user runs by hand.
    Manual,
}

impl From<TriggerArg> for Trigger {
    fn from(trigger: TriggerArg) -> Trigger {
        match trigger {
            TriggerArg::Received => Trigger::Received,
            TriggerArg::Sent => Trigger::Sent,
            TriggerArg::Deleted => Trigger::Deleted,
            TriggerArg::Manual => Trigger::Manual,
        }
    }
}

/// Rejects user names that could never name a rules file, and warns about
/// users without one: their action lists stay empty.
fn check_user(program: &Program, user: &str) -> Result<(), FatalError> {
    let invalid = user.is_empty()
        || user.contains(['/', '\\'])
        || user.starts_with('.')
        || user.chars().any(char::is_control);
    if invalid {
        return Err(FatalError(format!(
            "invalid --user `{}`: give the NAME of a users/NAME.rules file",
            user.escape_debug()
        )));
    }
    let known = program
        .users
        .keys()
        .any(|name| name.eq_ignore_ascii_case(user));
    if !known {
        eprintln!(
            "rulec: warning: user `{user}` has no personal rules (no users/{user}.rules), \
             so their actions stay empty"
        );
    }
    Ok(())
}

/// Maps `--rcpt` addresses to users by local part, keeping only users that
/// have a rules file, in the order given and without repeats.
fn users_for_recipients(program: &Program, recipients: &[String]) -> Vec<String> {
    let mut users: Vec<String> = Vec::new();
    for recipient in recipients {
        let address = recipient
            .trim()
            .trim_start_matches('<')
            .trim_end_matches('>');
        let local = address.rsplit_once('@').map_or(address, |(local, _)| local);
        let found = program
            .users
            .keys()
            .find(|name| name.eq_ignore_ascii_case(local))
            .cloned();
        if let Some(name) = found {
            if !users.contains(&name) {
                users.push(name);
            }
        }
    }
    users
}

/// Writes one JSON line. Returns false when standard output is closed.
fn write_line(out: &mut impl Write, value: &serde_json::Value) -> Result<bool, FatalError> {
    let mut text = value.to_string();
    text.push('\n');
    match out.write_all(text.as_bytes()) {
        Ok(()) => Ok(true),
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(false),
        Err(error) => Err(FatalError(format!(
            "failed to write to standard output: {error}"
        ))),
    }
}

/// Maximum length of a file name `--emit` writes, in bytes. Common file
/// systems allow 255.
const MAX_EMIT_NAME_BYTES: usize = 200;

/// The file names `--emit` has used in this run, so no two inputs share
/// one.
#[derive(Default)]
struct EmitNames {
    used: HashSet<String>,
}

impl EmitNames {
    /// Returns a file name for an input that no earlier input got: the
    /// flattened input name, shortened when too long, with `-2`, `-3` …
    /// added before the extension on a collision.
    fn claim(&mut self, input: &str) -> String {
        let base = emit_file_name(input);
        let mut name = base.clone();
        let mut counter = 1;
        while !self.used.insert(name.clone()) {
            counter += 1;
            name = match base.rsplit_once('.') {
                Some((stem, extension)) if !stem.is_empty() => {
                    format!("{stem}-{counter}.{extension}")
                }
                _ => format!("{base}-{counter}"),
            };
        }
        name
    }
}

/// Derives a file name for `--emit` from the input name: path separators
/// and other awkward characters become `_`, and a name over
/// [`MAX_EMIT_NAME_BYTES`] keeps only its end.
fn emit_file_name(input: &str) -> String {
    let name: String = input
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-#".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut name = name.trim_start_matches('.');
    if name.len() > MAX_EMIT_NAME_BYTES {
        // Only ASCII is left, so any byte offset is a character boundary.
        name = &name[name.len() - MAX_EMIT_NAME_BYTES..];
    }
    if name.is_empty() {
        "message.eml".to_string()
    } else {
        name.to_string()
    }
}

/// Creates a spinner with a message count on a terminal, and a hidden bar
/// otherwise.
fn progress_bar(quiet: bool) -> ProgressBar {
    if quiet || !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    if let Ok(style) = ProgressStyle::with_template("{spinner} {pos} messages ({per_sec})") {
        bar.set_style(style);
    }
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}

/// Totals printed at the end of a run.
#[derive(Default)]
struct Summary {
    messages: usize,
    bands: BTreeMap<Band, usize>,
    rejected: usize,
    discarded: usize,
    attachments_removed: usize,
    tests: BTreeMap<String, usize>,
}

impl Summary {
    fn add(&mut self, verdict: &Verdict) {
        self.messages += 1;
        *self.bands.entry(verdict.spam.band).or_default() += 1;
        match verdict.disposition {
            Disposition::Accept => {}
            Disposition::Reject => self.rejected += 1,
            Disposition::Discard => self.discarded += 1,
        }
        self.attachments_removed += verdict.attachments_removed.len();
        for test in &verdict.spam.tests {
            *self.tests.entry(test.clone()).or_default() += 1;
        }
    }

    fn render(&self) -> String {
        let bands: Vec<String> = [
            Band::None,
            Band::Low,
            Band::Medium,
            Band::High,
            Band::Extreme,
        ]
        .iter()
        .map(|band| {
            format!(
                "{} {}",
                band.as_str(),
                self.bands.get(band).copied().unwrap_or(0)
            )
        })
        .collect();
        let mut tests: Vec<(&String, &usize)> = self.tests.iter().collect();
        tests.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let top: Vec<String> = tests
            .iter()
            .take(10)
            .map(|(name, count)| format!("{name} {count}"))
            .collect();
        let mut text = format!(
            "rulec: {} messages; bands: {}; rejected {}, discarded {}, attachments removed {}\n",
            self.messages,
            bands.join(", "),
            self.rejected,
            self.discarded,
            self.attachments_removed
        );
        if !top.is_empty() {
            text.push_str(&format!("rulec: most frequent tests: {}\n", top.join(", ")));
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emit_names_are_flat() {
        assert_eq!(
            emit_file_name("corpus/spam/0001.eml"),
            "corpus_spam_0001.eml"
        );
        assert_eq!(emit_file_name("box.mbox#3"), "box.mbox#3");
        assert_eq!(emit_file_name("../x"), "_x");
    }

    #[test]
    fn emit_names_never_repeat() {
        let mut names = EmitNames::default();
        assert_eq!(names.claim("in/a/b.eml"), "in_a_b.eml");
        assert_eq!(names.claim("in/a_b.eml"), "in_a_b-2.eml");
        assert_eq!(names.claim("in/a_b.eml"), "in_a_b-3.eml");
        assert_eq!(names.claim("box.mbox#1"), "box.mbox#1");
    }

    #[test]
    fn long_emit_names_keep_their_end() {
        let long = format!("{}/message.eml", "d".repeat(500));
        let name = emit_file_name(&long);
        assert_eq!(name.len(), MAX_EMIT_NAME_BYTES);
        assert!(name.ends_with("_message.eml"));
    }

    #[test]
    fn empty_summary_has_no_test_line() {
        let text = Summary::default().render();
        assert!(text.starts_with("rulec: 0 messages;"));
        assert!(!text.contains("most frequent tests"));
    }
}
