//! Compiler: checked server-rule AST to bytecode.
//!
//! Takes the `rules.mailrules` AST of a checked rule set and gives a
//! [`ServerCode`]: one run of instructions per rule and, per event, a
//! [`RuleTable`] that lists the event's rules in file order together with
//! one pattern matcher over all their pattern conditions. The VM runs that
//! matcher once per event value and then only the rules it selects, so
//! the cost of an event grows with the rules that match, not with the
//! rules that exist.
//!
//! The compiler still reports what it cannot compile as diagnostics (an
//! unknown function, a pattern that does not build), so it never trusts
//! that the checker ran.

mod actions;
mod emitter;
mod expr;

use std::collections::BTreeSet;

use crate::ast::server::{ConditionKind, MailRules, Pattern, Rule, SelectorKind};
use crate::config::Config;
use crate::diag::{codes, Diagnostic};
use crate::limits::Limits;
use crate::pattern::PatternSet;
use crate::program::bytecode::{Instruction, RuleInfo, RuleTable, RuleTest, ServerCode};

use emitter::Emitter;

/// The parts of a rule set that the server rules compile against.
pub struct Context<'a> {
    pub config: &'a Config,
    pub limits: &'a Limits,
    /// Lower-case names of the word lists of the rule set (`lists.bad`).
    pub word_lists: BTreeSet<String>,
}

/// Compiles `rules.mailrules` (or nothing, for a rule set without one);
/// `file_name` is the name `--explain` and the listing show for it.
///
/// # Errors
///
/// Every problem found, as diagnostics; the checker reports the same
/// problems first, so these show up only when it was skipped.
pub fn compile_server(
    rules: Option<(&MailRules, String)>,
    context: &Context,
) -> Result<ServerCode, Vec<Diagnostic>> {
    let mut compiler = Compiler {
        emitter: Emitter::new(context.config),
        config: context.config,
        limits: context.limits,
        word_list_names: &context.word_lists,
        word_lists: Vec::new(),
        expression_patterns: Vec::new(),
        diagnostics: Vec::new(),
        rule_uses_captures: false,
        rules: Vec::new(),
        tables: Tables::default(),
        files: Vec::new(),
    };
    if let Some((rules, file_name)) = rules {
        compiler.files.push(file_name);
        for rule in &rules.rules {
            compiler.rule(rule, 0);
        }
    }
    compiler.finish()
}

/// Compilation state of one rule file.
pub(crate) struct Compiler<'a> {
    emitter: Emitter,
    config: &'a Config,
    limits: &'a Limits,
    word_list_names: &'a BTreeSet<String>,
    word_lists: Vec<String>,
    expression_patterns: Vec<PatternSet>,
    diagnostics: Vec<Diagnostic>,
    /// Set while compiling a rule whose strings use `\1` … `\9`.
    rule_uses_captures: bool,
    rules: Vec<RuleInfo>,
    tables: Tables,
    files: Vec<String>,
}

/// Rule tables under construction: rule indices and, per pattern rule, its
/// pattern, before the matchers are built.
#[derive(Default)]
struct Tables {
    begin: TableBuilder,
    headers: std::collections::BTreeMap<String, TableBuilder>,
    any_header: TableBuilder,
    headers_end: TableBuilder,
    attachment: TableBuilder,
    link: TableBuilder,
    body: TableBuilder,
    message_end: TableBuilder,
}

#[derive(Default)]
struct TableBuilder {
    always: Vec<u32>,
    pattern_rules: Vec<u32>,
    patterns: Vec<Pattern>,
}

impl<'a> Compiler<'a> {
    /// Compiles one rule line and files it under its event.
    fn rule(&mut self, rule: &Rule, file: u32) {
        let index = self.rules.len() as u32;
        let entry = self.emitter.here();
        self.rule_uses_captures = false;

        let mut skip = None;
        let mut pattern = None;
        match rule.condition.as_ref().map(|condition| &condition.kind) {
            None => {}
            Some(ConditionKind::If(expr)) => {
                self.expression(expr, 0);
                skip = Some(self.emitter.emit(Instruction::JumpIfFalse(0)));
            }
            Some(ConditionKind::Pattern {
                negated,
                pattern: p,
            }) => {
                pattern = Some((*negated, p));
            }
        }
        self.emitter.emit(Instruction::Fire(index));
        for action in &rule.actions {
            self.action(action);
        }
        let end = self.emitter.emit(Instruction::Return);
        if let Some(at) = skip {
            self.emitter.patch(at, end);
        }

        let table = self.table(&rule.selector.kind);
        let test = match pattern {
            None => {
                table.always.push(index);
                RuleTest::Always
            }
            Some((negated, p)) => {
                let pattern_index = table.patterns.len() as u32;
                table.patterns.push(p.clone());
                table.pattern_rules.push(index);
                if negated {
                    table.always.push(index);
                }
                RuleTest::Pattern {
                    pattern: pattern_index,
                    negated,
                    captures: self.rule_uses_captures,
                }
            }
        };
        if pattern.is_some() && !selector_has_data(&rule.selector.kind) {
            self.diagnostics.push(
                Diagnostic::error(
                    codes::PATTERN_WITHOUT_DATA,
                    rule.selector.span,
                    "this selector has no data for a pattern to test",
                )
                .with_help("use `IF (…)` with a variable such as $subject instead"),
            );
        }
        self.rules.push(RuleInfo {
            file,
            line: rule.span.line,
            entry,
            test,
        });
    }

    fn table(&mut self, selector: &SelectorKind) -> &mut TableBuilder {
        let tables = &mut self.tables;
        match selector {
            SelectorKind::Begin => &mut tables.begin,
            SelectorKind::Header(name) => {
                tables.headers.entry(name.to_ascii_lowercase()).or_default()
            }
            SelectorKind::AnyHeader => &mut tables.any_header,
            SelectorKind::HeadersEnd => &mut tables.headers_end,
            SelectorKind::Attachment => &mut tables.attachment,
            SelectorKind::Link => &mut tables.link,
            SelectorKind::Body => &mut tables.body,
            SelectorKind::MessageEnd => &mut tables.message_end,
        }
    }

    /// Builds one matcher over `patterns`, reporting patterns that do not
    /// translate.
    pub(crate) fn pattern_set(&mut self, patterns: &[Pattern]) -> Option<PatternSet> {
        let mut translated = Vec::with_capacity(patterns.len());
        let mut failed = false;
        for pattern in patterns {
            match crate::pattern::translate(&pattern.kind, &pattern.text, self.limits) {
                Ok(done) => translated.push(done),
                Err(error) => {
                    failed = true;
                    let mut diagnostic = Diagnostic::error(error.code, pattern.span, error.message);
                    if let Some(help) = error.help {
                        diagnostic = diagnostic.with_help(help);
                    }
                    self.diagnostics.push(diagnostic);
                }
            }
        }
        if failed {
            return None;
        }
        Some(PatternSet::new(translated, self.limits))
    }

    fn build_table(&mut self, builder: TableBuilder) -> RuleTable {
        let patterns = if builder.patterns.is_empty() {
            None
        } else {
            self.pattern_set(&builder.patterns)
        };
        RuleTable {
            always: builder.always,
            pattern_rules: builder.pattern_rules,
            patterns,
        }
    }

    fn finish(mut self) -> Result<ServerCode, Vec<Diagnostic>> {
        let tables = std::mem::take(&mut self.tables);
        let mut events = crate::program::bytecode::Events {
            begin: self.build_table(tables.begin),
            headers: Default::default(),
            any_header: self.build_table(tables.any_header),
            headers_end: self.build_table(tables.headers_end),
            attachment: self.build_table(tables.attachment),
            link: self.build_table(tables.link),
            body: self.build_table(tables.body),
            message_end: self.build_table(tables.message_end),
        };
        for (name, builder) in tables.headers {
            let table = self.build_table(builder);
            events.headers.insert(name, table);
        }
        if !self.diagnostics.is_empty() {
            return Err(self.diagnostics);
        }
        Ok(ServerCode {
            code: self.emitter.code,
            ints: self.emitter.ints,
            strings: self.emitter.strings,
            slots: self.emitter.slots,
            initial: self.emitter.initial,
            files: self.files,
            rules: self.rules,
            expression_patterns: self.expression_patterns,
            word_lists: self.word_lists,
            events,
        })
    }
}

/// True for selectors whose events carry data for a pattern: a header
/// value, an attachment name, a link or the body.
fn selector_has_data(selector: &SelectorKind) -> bool {
    !matches!(
        selector,
        SelectorKind::Begin | SelectorKind::HeadersEnd | SelectorKind::MessageEnd
    )
}
