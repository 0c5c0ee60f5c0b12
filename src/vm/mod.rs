//! The virtual machine that runs a compiled [`Program`] on a message.
//!
//! [`evaluate`] runs the server tier (the bytecode of `rules.mailrules`)
//! over the events of the message, turns what it decided into a
//! [`Verdict`], and then, unless the message was rejected or dropped,
//! runs the personal rules of each requested user. It performs no I/O and
//! is bounded by the program's limits: an instruction budget per message
//! and a maximum string length.

mod events;
mod functions;
mod machine;
mod value;

pub use value::Value;

use crate::config::{Band, Bands};
use crate::message::{HeaderAt, Message};
use crate::program::{slots, Program};
use crate::user::{ServerView, UserProgram};
use crate::verdict::{Disposition, Fired, Spam, UserResult, Verdict};

use machine::Machine;

/// Options of one evaluation.
#[derive(Debug, Clone, Default)]
pub struct EvalOptions {
    /// The name the verdict gives the input (`path`, `path#N`).
    pub input: String,
    /// The users whose personal rules run, in the order their results are
    /// listed.
    pub users: Vec<String>,
    /// Record which rules fired.
    pub explain: bool,
    /// Trigger and clock for personal rules; `None` runs `when received`
    /// rules at the current time.
    pub user_run: Option<crate::user::RunOptions>,
}

/// The result of one evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub verdict: Verdict,
    /// Part paths of the attachments `rules.attachmentblock` removed, for
    /// [`crate::message::rewrite_at`].
    pub removed_parts: Vec<String>,
    /// Where each header of `verdict.headers.remove` was, in the same
    /// order, for [`crate::message::rewrite_at`].
    pub removed_headers: Vec<HeaderAt>,
}

/// Applies a program to one message.
///
/// The server rules run over the message's events first. The verdict then
/// gets the band of the final level and, for an accepted message only, the
/// automatic X-SPAM headers, the attachments `rules.attachmentblock`
/// removes and the results of each requested user's rules. A rejected or
/// dropped message gets none of those three, because it is not delivered.
pub fn evaluate(program: &Program, message: &Message, options: &EvalOptions) -> Evaluation {
    let settings = &program.settings;
    let mut machine = Machine::new(
        &program.server,
        &program.lists,
        &settings.ndn_text,
        message.headers(),
        &settings.limits,
        options.explain,
    );
    machine.load_message(message);
    let over_limits = scanning_limits_hit(program, message);
    let over_limit = !over_limits.is_empty();
    if over_limit {
        machine.add_over_limit_level(settings.limits.over_limit_level);
        for limit in over_limits {
            machine.decisions.hit(limit);
        }
    }
    machine.run_events(message);
    // A message that uses up the budget stops the rules early, before
    // the ones that would have raised its level, so it fails safe the
    // same way (once).
    if machine.budget_ran_out() && !over_limit {
        machine.add_over_limit_level(settings.limits.over_limit_level);
    }

    let level = machine.slot(slots::SPAM_LEVEL).to_int();
    let band = band_of(&machine, level);
    let tests = split_tests(&machine.slot(slots::SPAM_TESTS).text());
    let disposition = if machine.decisions.reply.is_some() {
        Disposition::Reject
    } else if machine.slot(slots::IS_SPAMMER).is_true() {
        Disposition::Discard
    } else {
        Disposition::Accept
    };
    let decisions = std::mem::take(&mut machine.decisions);
    let mut removed_headers = decisions.removed_headers;

    let mut verdict = Verdict {
        input: options.input.clone(),
        message_id: message.message_id(),
        disposition,
        reply: decisions.reply,
        spam: Spam {
            level,
            band,
            tests,
            junk: decisions.junk,
        },
        headers: decisions.changes,
        attachments_removed: Vec::new(),
        users: Vec::new(),
        fired: options.explain.then_some(decisions.fired),
        limits_hit: decisions.limits_hit,
    };
    if message.is_truncated() {
        note_limit(&mut verdict, "max_message_bytes");
    }
    let mut removed_parts = Vec::new();
    if verdict.disposition == Disposition::Accept {
        if settings.automatic_headers {
            remove_incoming_spam_headers(message, &mut verdict, &mut removed_headers);
            add_automatic_headers(&mut verdict);
        }
        removed_parts = block_attachments(program, message, &mut verdict);
        run_users(program, message, options, &mut verdict);
    }
    Evaluation {
        verdict,
        removed_parts,
        removed_headers,
    }
}

/// Lists the scanning limits the message goes past: parts of it that the
/// rules would read are not examined. Links count only when some rule
/// reads links, so a program without `<` rules never scans HTML for them.
fn scanning_limits_hit(program: &Program, message: &Message) -> Vec<&'static str> {
    let mut hit = Vec::new();
    if message.headers_truncated() {
        hit.push("max_headers");
    }
    if message.attachments_truncated() {
        hit.push("max_attachments");
    }
    if message.mime_depth_exceeded() {
        hit.push("max_mime_depth");
    }
    if !program.server.events.link.is_empty() && message.links_truncated() {
        hit.push("max_links");
    }
    hit
}

/// Returns the band of `level` under the thresholds the rules ended with.
fn band_of(machine: &Machine, level: i64) -> Band {
    let threshold = |slot| machine.slot(slot).to_int();
    let bands = Bands {
        low_min: threshold(slots::LOW_SPAM_MIN),
        low_max: threshold(slots::LOW_SPAM_MAX),
        medium_min: threshold(slots::MED_SPAM_MIN),
        medium_max: threshold(slots::MED_SPAM_MAX),
        high_min: threshold(slots::HIGH_SPAM_MIN),
        high_max: threshold(slots::HIGH_SPAM_MAX),
    };
    bands.band(level)
}

/// Splits `$spamtests` at `;`, dropping empty names.
fn split_tests(text: &str) -> Vec<String> {
    text.split(';')
        .map(str::trim)
        .filter(|test| !test.is_empty())
        .map(str::to_string)
        .collect()
}

fn note_limit(verdict: &mut Verdict, limit: &str) {
    if !verdict.limits_hit.iter().any(|known| known == limit) {
        verdict.limits_hit.push(limit.to_string());
    }
}

/// The headers rulec adds when automatic headers are on.
const AUTOMATIC_HEADERS: [&str; 3] = ["X-SPAM-Level", "X-SPAM-Warning", "X-SPAM-Tests"];

/// Removes the message's own X-SPAM-Level, X-SPAM-Warning and
/// X-SPAM-Tests fields, so a sender cannot forge the headers that the
/// recipient's mail rules read, and only rulec's reach them.
fn remove_incoming_spam_headers(
    message: &Message,
    verdict: &mut Verdict,
    removed_headers: &mut Vec<HeaderAt>,
) {
    for header in message.headers() {
        if !AUTOMATIC_HEADERS.iter().any(|name| header.is(name)) {
            continue;
        }
        let at = HeaderAt::Top(header.index);
        if !removed_headers.contains(&at) {
            verdict.headers.remove.push(header.name.clone());
            removed_headers.push(at);
        }
    }
}

/// Adds X-SPAM-Level, X-SPAM-Warning and X-SPAM-Tests unless the rules
/// added or replaced a header of that name.
fn add_automatic_headers(verdict: &mut Verdict) {
    let spam = &verdict.spam;
    let mut automatic = Vec::new();
    if spam.level > 0 {
        automatic.push(("X-SPAM-Level", spam.level.to_string()));
    }
    if spam.band != Band::None {
        automatic.push(("X-SPAM-Warning", spam.band.as_str().to_ascii_uppercase()));
    }
    if !spam.tests.is_empty() {
        let tests: String = spam.tests.iter().map(|test| format!("{test};")).collect();
        automatic.push(("X-SPAM-Tests", tests));
    }
    let changes = &mut verdict.headers;
    for (name, value) in automatic {
        let set_by_rules = changes
            .add
            .iter()
            .chain(&changes.replace)
            .any(|(known, _)| known.eq_ignore_ascii_case(name));
        if !set_by_rules {
            changes.add.push((name.to_string(), value));
        }
    }
}

/// Lists the attachments whose names `rules.attachmentblock` matches and
/// returns their part paths.
fn block_attachments(program: &Program, message: &Message, verdict: &mut Verdict) -> Vec<String> {
    let Some(globs) = &program.lists.attachment_block else {
        return Vec::new();
    };
    let mut parts = Vec::new();
    // Attachments past `max_attachments` or `max_mime_depth` are matched
    // too: the block list needs only the name, so padding or nesting
    // cannot slip one past.
    let examined = message
        .attachments()
        .iter()
        .map(|attachment| (&attachment.name, &attachment.part_path));
    let unexamined = message
        .unexamined_attachments()
        .iter()
        .map(|attachment| (&attachment.name, &attachment.part_path));
    for (name, part_path) in examined.chain(unexamined) {
        let Some(name) = name else {
            continue;
        };
        let name_to_match = events::matching_name(name);
        if !name_to_match.is_empty() && globs.is_match(name_to_match) {
            verdict.attachments_removed.push(name.clone());
            // Attachments nested too deep share the path of the part
            // that is removed for them.
            if !parts.contains(part_path) {
                parts.push(part_path.clone());
            }
        }
    }
    parts
}

/// Finds a user's compiled rules by name: the exact spelling first, then
/// ignoring ASCII case, as file names of rule sets are matched.
fn find_user<'p>(program: &'p Program, user: &str) -> Option<(&'p String, &'p UserProgram)> {
    program.users.get_key_value(user).or_else(|| {
        program
            .users
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(user))
    })
}

/// Runs the personal rules of each requested user; a user without a
/// rules file gets no actions.
fn run_users(program: &Program, message: &Message, options: &EvalOptions, verdict: &mut Verdict) {
    let server = ServerView {
        level: verdict.spam.level,
        band: verdict.spam.band,
        tests: verdict.spam.tests.clone(),
    };
    for user in &options.users {
        let mut actions = Vec::new();
        let broken = program
            .broken_users
            .iter()
            .any(|name| name.eq_ignore_ascii_case(user));
        if broken {
            note_limit(verdict, &format!("user {user} rules have errors"));
        } else if let Some((name, rules)) = find_user(program, user) {
            let outcome = match &options.user_run {
                Some(run_options) => crate::user::run_with(
                    rules,
                    message,
                    &server,
                    &program.settings.limits,
                    run_options,
                ),
                None => crate::user::run(rules, message, &server, &program.settings.limits),
            };
            actions = outcome.actions;
            if let Some(fired) = &mut verdict.fired {
                let file = program.user_files.get(name).cloned().unwrap_or_default();
                fired.extend(outcome.fired.iter().map(|rule| Fired {
                    file: file.clone(),
                    line: rule.line,
                    matched: None,
                }));
            }
            for limit in outcome.limits_hit {
                note_limit(verdict, &format!("{limit} (user {user})"));
            }
        }
        verdict.users.push(UserResult {
            user: user.clone(),
            actions,
        });
    }
}
