//! The events of one message, in FirstClass order, and the dispatch of
//! each event to the rules of its table.
//!
//! For an event with data (a header value, an attachment name, a link,
//! the body) the table's pattern matcher runs once on the data; the rules
//! whose patterns matched, plus the rules that run regardless (no
//! condition, `IF`, `NOT` patterns), then run in file order.

use crate::message::{Attachment, HeaderAt, Message};
use crate::program::bytecode::{RuleTable, RuleTest};
use crate::program::slots;

use super::functions;
use super::machine::Machine;
use super::value::Value;

/// A rule chosen to run on one event.
struct Candidate {
    rule: u32,
    /// Index of the dispatched table it came from.
    table: usize,
    /// Its pattern, when a positive pattern test selected it.
    pattern: Option<u32>,
}

impl Machine<'_> {
    /// Sets the variables that hold for the whole message.
    pub(crate) fn load_message(&mut self, message: &Message) {
        let first = |name: &str| {
            message
                .header(name)
                .map(|header| header.value.clone())
                .unwrap_or_default()
        };
        self.set_input(slots::SUBJECT, Value::Str(first("Subject")));
        self.set_input(slots::FROM, Value::Str(first("From")));
        self.set_input(slots::TO, Value::Str(first("To")));
        self.set_input(slots::CC, Value::Str(first("Cc")));
        let envelope = |text: Option<&str>| Value::Str(text.unwrap_or_default().to_string());
        self.set_input(slots::SENDER, envelope(message.sender()));
        self.set_input(slots::SENDER_IP, envelope(message.client_ip()));
        self.set_input(slots::HELO, envelope(message.helo()));
        self.set_input(
            slots::RCPT_COUNT,
            Value::Int(message.recipient_count() as i64),
        );
        self.set_input(slots::SIZE, Value::Int(message.size() as i64));
    }

    /// Adds the fail-safe level of a message over a scanning limit to
    /// `$spamlevel`, with the test `OVER_LIMIT`, before any rule runs.
    pub(crate) fn add_over_limit_level(&mut self, level: i64) {
        let raised = self.slot(slots::SPAM_LEVEL).to_int().saturating_add(level);
        self.set_input(slots::SPAM_LEVEL, Value::Int(raised));
        let tests = format!("{}OVER_LIMIT;", self.slot(slots::SPAM_TESTS).text());
        self.set_input(slots::SPAM_TESTS, Value::Str(tests));
    }

    /// Runs every event of the message until the rules stop.
    pub(crate) fn run_events(&mut self, message: &Message) {
        let events = &self.code.events;
        self.dispatch(&[&events.begin], "");
        self.run_headers(message);
        if !self.stopped() {
            self.current_header = None;
            self.dispatch(&[&events.headers_end], "");
        }
        if !self.stopped() && self.needs_attachments() {
            for attachment in message.attachments() {
                self.run_attachment(attachment);
                if self.stopped() {
                    break;
                }
            }
        }
        self.current_header = None;
        if !self.stopped() && !events.link.is_empty() {
            for link in message.links() {
                self.set_input(slots::LINK_URL, Value::Str(link.clone()));
                self.dispatch(&[&events.link], link);
                if self.stopped() {
                    break;
                }
            }
        }
        if !self.stopped() && !events.body.is_empty() {
            let body = message.body_text();
            self.set_input(slots::BODY, Value::Str(body.to_string()));
            self.dispatch(&[&events.body], body);
        }
        if !self.stopped() {
            self.dispatch(&[&events.message_end], "");
        }
    }

    fn run_headers(&mut self, message: &Message) {
        let events = &self.code.events;
        if events.headers.is_empty() && events.any_header.is_empty() {
            return;
        }
        for header in message.headers() {
            if self.stopped() {
                return;
            }
            let named = events.headers.get(&header.name.to_ascii_lowercase());
            self.enter_header(&header.name, &header.value, HeaderAt::Top(header.index));
            match named {
                Some(named) => self.dispatch(&[named, &events.any_header], &header.value),
                None => self.dispatch(&[&events.any_header], &header.value),
            }
        }
    }

    /// True when some rule looks at attachments or their headers.
    fn needs_attachments(&self) -> bool {
        !self.code.events.attachment.is_empty() || !self.code.events.headers.is_empty()
    }

    /// Runs the named-header rules on the part's headers, then the `@`
    /// rules.
    fn run_attachment(&mut self, attachment: &Attachment) {
        let events = &self.code.events;
        for header in &attachment.headers {
            if self.stopped() {
                return;
            }
            if let Some(named) = events.headers.get(&header.name.to_ascii_lowercase()) {
                let at = HeaderAt::Part {
                    path: attachment.part_path.clone(),
                    index: header.index,
                };
                self.enter_header(&header.name, &header.value, at);
                self.dispatch(&[named], &header.value);
            }
        }
        self.current_header = None;
        if self.stopped() || events.attachment.is_empty() {
            return;
        }
        let name = attachment.name.clone().unwrap_or_default();
        self.set_input(slots::ATTACH_NAME, Value::Str(name.clone()));
        self.set_input(
            slots::ATTACH_TYPE,
            Value::Str(attachment.content_type.clone()),
        );
        self.dispatch(&[&events.attachment], matching_name(&name));
    }

    fn enter_header(&mut self, name: &str, value: &str, at: HeaderAt) {
        self.current_header = Some((name.to_string(), at));
        self.set_input(slots::HEADER, Value::Str(name.to_string()));
        self.set_input(slots::VALUE, Value::Str(value.to_string()));
    }

    /// Runs the rules of `tables` that `data` selects, in file order.
    pub(crate) fn dispatch(&mut self, tables: &[&RuleTable], data: &str) {
        if self.stopped() {
            return;
        }
        let mut candidates = Vec::new();
        for (index, table) in tables.iter().enumerate() {
            self.select(table, index, data, &mut candidates);
        }
        if tables.len() > 1 {
            candidates.sort_by_key(|candidate| candidate.rule);
        }
        for candidate in candidates {
            if self.stopped() {
                return;
            }
            let table = tables[candidate.table];
            let mut matched = None;
            self.captures.clear();
            if let (Some(pattern), Some(set)) = (candidate.pattern, &table.patterns) {
                let wants_captures = matches!(
                    self.code
                        .rules
                        .get(candidate.rule as usize)
                        .map(|rule| rule.test),
                    Some(RuleTest::Pattern { captures: true, .. })
                );
                if wants_captures || self.explain {
                    // Each rule that requests its match runs the pattern
                    // again over the whole data.
                    self.charge(data.len());
                }
                if wants_captures {
                    self.captures =
                        functions::captures(set, pattern as usize, data).unwrap_or_default();
                }
                if self.explain {
                    matched = functions::matched_text(set, pattern as usize, data);
                }
            }
            self.run_rule(candidate.rule, matched);
        }
    }

    /// Adds the rules of `table` that run on `data`, in file order.
    fn select(&self, table: &RuleTable, index: usize, data: &str, out: &mut Vec<Candidate>) {
        let mut matched: Vec<usize> = match &table.patterns {
            Some(set) => set.matches(data),
            None => Vec::new(),
        };
        matched.sort_unstable();
        let start = out.len();
        for &pattern in &matched {
            let Some(&rule) = table.pattern_rules.get(pattern) else {
                continue;
            };
            let positive = matches!(
                self.code.rules.get(rule as usize).map(|info| info.test),
                Some(RuleTest::Pattern { negated: false, .. })
            );
            if positive {
                out.push(Candidate {
                    rule,
                    table: index,
                    pattern: Some(pattern as u32),
                });
            }
        }
        for &rule in &table.always {
            let runs = match self.code.rules.get(rule as usize).map(|info| info.test) {
                Some(RuleTest::Always) => true,
                Some(RuleTest::Pattern {
                    pattern,
                    negated: true,
                    ..
                }) => matched.binary_search(&(pattern as usize)).is_err(),
                _ => false,
            };
            if runs {
                out.push(Candidate {
                    rule,
                    table: index,
                    pattern: None,
                });
            }
        }
        out[start..].sort_by_key(|candidate| candidate.rule);
    }
}

/// Returns the attachment name that patterns test: trailing dots and spaces are
/// dropped, as Windows drops them, so `invoice.exe.` runs as an `.exe`.
pub(crate) fn matching_name(name: &str) -> &str {
    name.trim_end_matches(['.', ' '])
}
