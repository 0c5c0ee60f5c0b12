//! Parser of personal rule files (`grammar/user.pest`).
//!
//! Takes the text of one `users/NAME.rules` file and gives a
//! [`UserRules`] AST plus the syntax errors. Each line is parsed on its
//! own with the grammar's `line` rule, then a builder groups the lines
//! into rules. A line that does not parse is reported at its line and
//! column and the rest of the file is still read, so one run reports every
//! syntax error. A rule with an error is left out of the AST, which keeps
//! the checker from reporting follow-on errors about it.

mod explain;
mod read;

use pest::Parser as _;

use crate::ast::user::*;
use crate::diag::{codes, Diagnostic};
use crate::limits::Limits;
use crate::span::{FileId, SourceFile, Span};

/// The pest parser generated from `grammar/user.pest`.
pub mod grammar {
    /// Parser of one line of a personal rule file; start at `Rule::line`.
    #[derive(pest_derive::Parser)]
    #[grammar = "grammar/user.pest"]
    pub struct UserParser;
}

use grammar::{Rule as G, UserParser};
use read::Reader;

/// Parses a personal rule file.
///
/// Returns the rules that parsed and every syntax and structure error
/// (codes `E0001`, `E0501`, `E0504`) plus the limit errors `E0201` (file
/// over `max_file_bytes`) and `E0202` (more than `max_user_rules` rules).
/// Reading stops at the first rule over the limit, so a huge file costs
/// little.
///
/// # Examples
///
/// ```
/// use rulec::limits::Limits;
/// use rulec::span::{FileId, SourceFile};
///
/// let source = SourceFile::new(
///     "alice.rules",
///     "rule \"Spam\"\n  if spam band is at least high\n  then delete silently\n",
/// );
/// let (rules, diagnostics) =
///     rulec::syntax::user::parse(FileId(0), &source, &Limits::default());
/// assert!(diagnostics.is_empty());
/// assert_eq!(rules.rules[0].name, "Spam");
/// ```
pub fn parse(file: FileId, source: &SourceFile, limits: &Limits) -> (UserRules, Vec<Diagnostic>) {
    pest::set_error_detail(true);
    let whole = source.span(file, 0, source.text.len());
    let mut builder = Builder::new(file, source);

    if source.text.len() as u64 > limits.max_file_bytes {
        builder.diagnostics.push(Diagnostic::error(
            codes::FILE_TOO_LARGE,
            source.span(file, 0, 0),
            format!(
                "rule file is {} bytes, over the limit of {} bytes",
                source.text.len(),
                limits.max_file_bytes
            ),
        ));
        return (builder.finish(whole), builder.diagnostics);
    }

    let mut start = 0;
    for raw in source.text.split_inclusive('\n') {
        let line = raw.trim_end_matches(['\n', '\r']);
        let is_header = first_word_is(line, "rule");
        if is_header && builder.rules_written == limits.max_user_rules {
            builder.diagnostics.push(too_many_rules(
                source.span(file, start, start + line.len()),
                limits,
            ));
            builder.finish_rule();
            builder.rules_written += 1;
            break;
        }
        builder.line(start, line);
        start += raw.len();
    }
    (builder.finish(whole), builder.diagnostics)
}

fn too_many_rules(span: Span, limits: &Limits) -> Diagnostic {
    Diagnostic::error(
        codes::TOO_MANY_RULES,
        span,
        format!(
            "more than {} rules in one personal rule file",
            limits.max_user_rules
        ),
    )
    .with_help("merge rules with `if any`, or raise `max_user_rules` in rulec.toml")
}

fn first_word_is(line: &str, word: &str) -> bool {
    let trimmed = line.trim_start();
    trimmed.len() >= word.len()
        && trimmed.as_bytes()[..word.len()].eq_ignore_ascii_case(word.as_bytes())
        && !trimmed[word.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
}

/// One line, classified by the grammar.
pub(crate) enum Line {
    Header { name: String, name_span: Span },
    When { trigger: Trigger },
    IfBlock { mode: MatchMode },
    If(Condition),
    Condition(Condition),
    Then(Vec<Action>),
    Actions(Vec<Action>),
}

/// The part of a rule the builder is reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// After `rule "…"` (and maybe `when`), before `if`.
    Header,
    /// After `if`; `block` when more conditions may follow (`if all/any`).
    Conditions { block: bool },
    /// After `then`.
    Actions,
}

/// A rule being read.
struct Partial {
    name: String,
    name_span: Span,
    start: usize,
    end: usize,
    trigger: Trigger,
    trigger_span: Option<Span>,
    mode: MatchMode,
    if_span: Option<Span>,
    conditions: Vec<Condition>,
    actions: Vec<Action>,
    stage: Stage,
    /// Set when a line of the rule had an error; the rule is then dropped.
    broken: bool,
}

/// Groups parsed lines into rules and reports lines out of place.
struct Builder<'a> {
    file: FileId,
    source: &'a SourceFile,
    rules: Vec<Rule>,
    rules_written: usize,
    current: Option<Partial>,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> Builder<'a> {
    fn new(file: FileId, source: &'a SourceFile) -> Builder<'a> {
        Builder {
            file,
            source,
            rules: Vec::new(),
            rules_written: 0,
            current: None,
            diagnostics: Vec::new(),
        }
    }

    fn span(&self, start: usize, end: usize) -> Span {
        self.source.span(self.file, start, end)
    }

    /// Parses one line starting at byte `start` and feeds it to the rule
    /// being read.
    fn line(&mut self, start: usize, text: &str) {
        let pair = match UserParser::parse(G::line, text) {
            Ok(mut pairs) => pairs.next(),
            Err(error) => {
                self.syntax_error(start, text, error);
                if first_word_is(text, "rule") || is_rule_typo(text) {
                    // Read the rule's lines into a broken rule, so they are
                    // neither glued onto the rule before nor reported as
                    // lines outside any rule.
                    let span = self.span(start, start + text.len());
                    self.start_rule(String::new(), span, span);
                    if let Some(rule) = &mut self.current {
                        rule.broken = true;
                    }
                } else if let Some(rule) = &mut self.current {
                    // Follow the rule's shape even though the line failed,
                    // so the lines after it are judged in the right place.
                    rule.broken = true;
                    if first_word_is(text, "if") && rule.stage == Stage::Header {
                        rule.stage = Stage::Conditions { block: true };
                    } else if first_word_is(text, "then") {
                        rule.stage = Stage::Actions;
                    }
                }
                return;
            }
        };
        let Some(statement) =
            pair.and_then(|pair| pair.into_inner().find(|p| p.as_rule() != G::EOI))
        else {
            return;
        };
        let statement_span = statement.as_span();
        let line_span = self.span(start + statement_span.start(), start + statement_span.end());
        let mut reader = Reader::new(self.file, self.source, start);
        let line = reader.statement(statement);
        let failed = !reader.diagnostics.is_empty();
        self.diagnostics.append(&mut reader.diagnostics);
        match line {
            Some(line) if !failed => self.place(line, line_span),
            _ => {
                if let Some(rule) = &mut self.current {
                    rule.broken = true;
                }
            }
        }
    }

    fn syntax_error(&mut self, start: usize, text: &str, error: pest::error::Error<G>) {
        let (from, to) = match error.location {
            pest::error::InputLocation::Pos(at) => (at, at),
            pest::error::InputLocation::Span(span) => span,
        };
        let in_actions = self
            .current
            .as_ref()
            .is_some_and(|rule| rule.stage == Stage::Actions);
        if (!in_actions || is_rule_typo(text)) && self.unknown_first_word(start, text) {
            return;
        }
        if let Some(explained) = explain::explain(text, in_actions) {
            let span = self.span(start + explained.from, start + explained.to);
            self.diagnostics.push(
                Diagnostic::error(codes::SYNTAX, span, explained.message).with_help(explained.help),
            );
            return;
        }
        if self.unknown_first_word(start, text) {
            return;
        }
        let help = expected_help(&error, text, from);
        let expected = error
            .renamed_rules(|rule| human_name(*rule).to_string())
            .variant
            .message()
            .to_string();
        let found = found_text(text, from);
        let message = format!("{expected}, found {found}");
        // Underline the word found, not only its first character.
        let skipped = text
            .get(from..)
            .map_or(0, |rest| rest.len() - rest.trim_start().len());
        let to = match found
            .strip_prefix('`')
            .and_then(|word| word.strip_suffix('`'))
        {
            Some(word) if to == from => from + skipped + word.len(),
            _ => to,
        };
        let span = self.span(start + from + skipped, start + to.max(from + skipped));
        let diagnostic = Diagnostic::error(codes::SYNTAX, span, message);
        self.diagnostics.push(match help {
            Some(help) => diagnostic.with_help(help),
            None => diagnostic,
        });
    }

    /// Reports a line whose first word no line can start with, which reads
    /// better than the grammar's list of everything it expected. Returns
    /// whether it reported one.
    fn unknown_first_word(&mut self, start: usize, text: &str) -> bool {
        let first = text
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let first = first.trim_end_matches(',');
        if first.starts_with('#') || LINE_START_WORDS.contains(&first) {
            return false;
        }
        let column = text.len() - text.trim_start().len();
        let span = self.span(start + column, start + column + first.len());
        let diagnostic = Diagnostic::error(
            codes::SYNTAX,
            span,
            format!("unknown word `{first}` at the start of a line"),
        );
        let diagnostic = match suggest(first, LINE_START_WORDS) {
            Some(word) => diagnostic.with_help(format!("did you mean `{word}`?")),
            None => diagnostic.with_help(
                "a line starts with `rule`, `when`, `if`, `then`, a condition or an action",
            ),
        };
        self.diagnostics.push(diagnostic);
        true
    }

    /// Adds a classified line to the rule being read, reporting lines out
    /// of place.
    fn place(&mut self, line: Line, span: Span) {
        if let Line::Header { name, name_span } = line {
            self.start_rule(name, name_span, span);
            return;
        }
        let Some(rule) = self.current.as_mut() else {
            self.diagnostics.push(
                Diagnostic::error(
                    codes::USER_RULE_STRUCTURE,
                    span,
                    "this line is not inside a rule",
                )
                .with_help("start each rule with `rule \"Name\"`"),
            );
            return;
        };
        rule.end = span.end as usize;
        if let Err(diagnostic) = add_line(rule, line, span) {
            // A rule with an earlier error may be out of shape because of
            // it; one report per rule is enough.
            if !rule.broken {
                self.diagnostics.push(diagnostic);
            }
            rule.broken = true;
        }
    }

    /// Ends the rule being read and starts a new one.
    fn start_rule(&mut self, name: String, name_span: Span, span: Span) {
        self.finish_rule();
        self.rules_written += 1;
        self.current = Some(Partial {
            name,
            name_span,
            start: span.start as usize,
            end: span.end as usize,
            trigger: Trigger::Received,
            trigger_span: None,
            mode: MatchMode::All,
            if_span: None,
            conditions: Vec::new(),
            actions: Vec::new(),
            stage: Stage::Header,
            broken: false,
        });
    }

    /// Ends the rule being read: keeps it when it is complete, reports it
    /// when a part is missing.
    fn finish_rule(&mut self) {
        let Some(partial) = self.current.take() else {
            return;
        };
        if partial.broken {
            return;
        }
        let name_span = partial.name_span;
        let missing = match partial.stage {
            Stage::Header => Some((
                "has no `if` line".to_string(),
                "add a condition such as `if always`".to_string(),
            )),
            Stage::Conditions { .. } if partial.conditions.is_empty() => {
                let mode = mode_name(partial.mode);
                Some((
                    format!("has `if {mode}` but no condition"),
                    format!("list one condition per line after `if {mode}`"),
                ))
            }
            Stage::Conditions { .. } => Some((
                "has no `then` line".to_string(),
                "add the actions, such as `then file into \"Folder\"`".to_string(),
            )),
            Stage::Actions if partial.actions.is_empty() => Some((
                "has no actions".to_string(),
                "list actions after `then`, separated by commas".to_string(),
            )),
            Stage::Actions => None,
        };
        if let Some((what, help)) = missing {
            self.diagnostics.push(
                Diagnostic::error(
                    codes::USER_RULE_STRUCTURE,
                    name_span,
                    format!("rule \"{}\" {what}", partial.name),
                )
                .with_help(help),
            );
            return;
        }
        let span = self.span(partial.start, partial.end);
        let if_span = partial.if_span.unwrap_or(name_span);
        let last_condition = partial.conditions.last().map(|c| c.span).unwrap_or(if_span);
        self.rules.push(Rule {
            name: partial.name,
            name_span,
            span,
            trigger: partial.trigger,
            trigger_span: partial.trigger_span,
            conditions: Conditions {
                mode: partial.mode,
                list: partial.conditions,
                span: if_span.to(last_condition),
            },
            actions: partial.actions,
        });
    }

    fn finish(&mut self, whole: Span) -> UserRules {
        self.finish_rule();
        UserRules {
            rules: std::mem::take(&mut self.rules),
            rules_written: self.rules_written,
            span: whole,
        }
    }
}

/// Adds one line to a rule, or returns the error that explains why the
/// line is out of place.
fn add_line(rule: &mut Partial, line: Line, span: Span) -> Result<(), Diagnostic> {
    let misplaced = |message: &str, help: &str| {
        Err(
            Diagnostic::error(codes::USER_RULE_STRUCTURE, span, message.to_string())
                .with_help(help.to_string()),
        )
    };
    match (line, rule.stage) {
        (Line::Header { .. }, _) => Ok(()),
        (Line::When { .. }, _) if rule.trigger_span.is_some() => misplaced(
            "a rule has only one `when` line",
            "keep one of the `when` lines",
        ),
        (Line::When { trigger }, Stage::Header) => {
            rule.trigger = trigger;
            rule.trigger_span = Some(span);
            Ok(())
        }
        (Line::When { .. }, _) => misplaced(
            "`when` comes after `if`",
            "move the `when` line above the `if` line",
        ),
        (Line::IfBlock { mode }, Stage::Header) => {
            rule.stage = Stage::Conditions { block: true };
            rule.mode = mode;
            rule.if_span = Some(span);
            Ok(())
        }
        (Line::If(condition), Stage::Header) => {
            rule.stage = Stage::Conditions { block: false };
            rule.if_span = Some(span);
            rule.conditions.push(condition);
            Ok(())
        }
        (Line::IfBlock { .. } | Line::If(_), _) => misplaced(
            "a rule has only one `if` line",
            "list several conditions after `if all` or `if any`",
        ),
        (Line::Condition(condition), Stage::Conditions { block: true }) => {
            rule.conditions.push(condition);
            Ok(())
        }
        (Line::Condition(_), Stage::Conditions { block: false }) => misplaced(
            "a second condition needs `if all` or `if any`",
            "write `if all` (or `if any`) on its own line, then one condition per line",
        ),
        (Line::Condition(_), Stage::Header) => {
            misplaced("a condition must follow `if`", "write `if` before it")
        }
        (Line::Condition(_), Stage::Actions) => misplaced(
            "a condition after `then`",
            "move the conditions above the `then` line",
        ),
        (Line::Then(_), Stage::Conditions { block: true }) if rule.conditions.is_empty() => {
            let mode = mode_name(rule.mode);
            Err(Diagnostic::error(
                codes::USER_RULE_STRUCTURE,
                rule.if_span.unwrap_or(span),
                format!("`if {mode}` has no condition"),
            )
            .with_help(format!(
                "list one condition per line between `if {mode}` and `then`"
            )))
        }
        (Line::Then(actions), Stage::Conditions { .. }) => {
            rule.stage = Stage::Actions;
            rule.actions.extend(actions);
            Ok(())
        }
        (Line::Then(_), Stage::Header) => misplaced(
            "`then` without `if`",
            "add a condition such as `if always` first",
        ),
        (Line::Then(_), Stage::Actions) => misplaced(
            "a rule has only one `then` line",
            "list more actions on lines after `then`",
        ),
        (Line::Actions(actions), Stage::Actions) => {
            rule.actions.extend(actions);
            Ok(())
        }
        (Line::Actions(_), _) => misplaced(
            "an action before `then`",
            "start the action list with `then`",
        ),
    }
}

fn mode_name(mode: MatchMode) -> &'static str {
    match mode {
        MatchMode::All => "all",
        MatchMode::Any => "any",
    }
}

/// Tells whether a line starts with a misspelling of `rule`, such as
/// `rul "Name"`, so its rule's lines are read as part of a broken rule
/// rather than reported as lines outside any rule.
fn is_rule_typo(text: &str) -> bool {
    let first = text.split_whitespace().next().unwrap_or("");
    !LINE_START_WORDS.contains(&first.to_ascii_lowercase().as_str())
        && suggest(first, &["rule"]).is_some()
}

/// Returns a help line for a word the grammar did not expect: a
/// did-you-mean for a misspelt keyword value, or quotes for a bare word
/// where quoted text belongs.
fn expected_help(error: &pest::error::Error<G>, text: &str, at: usize) -> Option<String> {
    let pest::error::ErrorVariant::ParsingError { positives, .. } = &error.variant else {
        return None;
    };
    let word: String = text
        .get(at..)?
        .trim_start()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .take(64)
        .collect();
    if word.is_empty() {
        return None;
    }
    let choices: &[&str] = if positives.contains(&G::priority) {
        &["urgent", "high", "normal", "low"]
    } else if positives.contains(&G::match_mode) {
        &["all", "any"]
    } else {
        &[]
    };
    if let Some(known) = suggest(&word, choices) {
        return Some(format!("did you mean `{known}`?"));
    }
    if positives.contains(&G::string) {
        return Some(format!("put the text in double quotes: `\"{word}\"`"));
    }
    None
}

/// Words a line can start with, for "unknown word" errors and their
/// suggestions.
const LINE_START_WORDS: &[&str] = &[
    "rule",
    "when",
    "if",
    "then",
    "not",
    "always",
    "has",
    "message",
    "is",
    "header",
    "sender",
    "from",
    "to",
    "cc",
    "recipients",
    "recipient",
    "subject",
    "body",
    "attachment",
    "attachments",
    "spam",
    "date",
    "size",
    "file",
    "delete",
    "set",
    "page",
    "notify",
    "forward",
    "redirect",
    "auto",
    "autoreply",
    "auto-reply",
    "mark",
    "stop",
];

/// Returns the candidate closest to `word` by edit distance, when it is
/// close enough to be a likely typo (at most one edit per three letters).
pub fn suggest<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    let word = word.to_ascii_lowercase();
    let allowed = (word.chars().count() / 3).max(1);
    candidates
        .iter()
        .map(|candidate| (edit_distance(&word, candidate), *candidate))
        .filter(|(distance, _)| *distance <= allowed)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance in characters. Inputs are single words, and the
/// callers cut them to at most 64 characters so the table stays small.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().take(64).collect();
    let b: Vec<char> = b.chars().take(64).collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// Returns what the parser found at a byte offset of a line, for messages.
fn found_text(text: &str, at: usize) -> String {
    let rest = text.get(at..).unwrap_or("").trim_start();
    if rest.is_empty() || rest.starts_with('#') {
        return "end of line".to_string();
    }
    let word: String = rest
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != ',')
        .take(30)
        .collect();
    if word.is_empty() {
        format!("`{}`", rest.chars().next().unwrap_or(' '))
    } else {
        format!("`{word}`")
    }
}

/// Returns the name of a grammar rule as error messages show it.
pub fn human_name(rule: G) -> &'static str {
    match rule {
        G::EOI => "end of line",
        G::line | G::statement => "a rule line",
        G::rule_header => "a rule header",
        G::when_line => "a `when` line",
        G::if_line => "an `if` line",
        G::then_line => "a `then` line",
        G::kw_rule => "`rule`",
        G::kw_when => "`when`",
        G::kw_if => "`if`",
        G::kw_then => "`then`",
        G::trigger => "a trigger (received, sent, deleted or manual)",
        G::match_mode => "`all` or `any`",
        G::condition | G::predicate => "a condition",
        G::negation | G::no_t => "`not`",
        G::always => "`always`",
        G::has_attachments => "`has attachments`",
        G::no => "`no`",
        G::message_is => "`is automated`, `is list mail`, `is bounce` or `is auto reply`",
        G::message_kind => "a message kind (automated, list mail, bounce or auto reply)",
        G::test => "a test",
        G::field => "a field",
        G::header_field | G::kw_header => "`header \"Name\"`",
        G::field_name => "a field name such as `subject` or `from`",
        G::field_part => "a field part (domain, local part, name or address)",
        G::comparison => "a comparison such as `is` or `contains`",
        G::value => "a value",
        G::duration | G::duration_part => "a duration such as `3d 4h` or `2 days`",
        G::time_unit => "a time unit (w, d, h, m or s, or weeks, days, hours, minutes or seconds)",
        G::quantity | G::number => "a number",
        G::size_unit => "a size unit (B, KB, MB or GB)",
        G::word_value | G::word => "a word",
        G::actions | G::action => "an action",
        G::file_into | G::kw_file_into => "`file into`",
        G::delete_silently => "`delete silently`",
        G::set_priority | G::kw_set_priority => "`set priority`",
        G::priority => "a priority (urgent, high, normal or low)",
        G::set_icon | G::kw_set_icon => "`set icon`",
        G::icon_name => "an icon name",
        G::notify | G::kw_notify => "`page` or `notify`",
        G::forward | G::kw_forward => "`forward to`",
        G::redirect | G::kw_redirect => "`redirect to`",
        G::auto_reply | G::kw_auto_reply => "`auto reply`",
        G::subject_prefix | G::kw_with_prefix => "`with subject prefix`",
        G::mark_read => "`mark read`",
        G::stop => "`stop`",
        G::string | G::string_inner => "quoted text",
        G::WHITESPACE | G::COMMENT | G::sp | G::wend => "a space",
    }
}
