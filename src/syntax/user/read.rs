//! Pairs of one parsed line to AST nodes.
//!
//! The grammar has already accepted the line. What can still go wrong
//! here is a number or duration too large for 64 bits, which is reported
//! as `E0504`.

use pest::iterators::{Pair, Pairs};

use super::grammar::Rule as G;
use super::Line;
use crate::ast::user::*;
use crate::diag::{codes, Diagnostic};
use crate::span::{FileId, SourceFile, Span};
use crate::verdict::Priority;

/// Reads the pairs of one line that starts at byte `offset` of the file.
pub(super) struct Reader<'a> {
    file: FileId,
    source: &'a SourceFile,
    offset: usize,
    /// Values out of range found on the line.
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Reader<'a> {
    pub fn new(file: FileId, source: &'a SourceFile, offset: usize) -> Reader<'a> {
        Reader {
            file,
            source,
            offset,
            diagnostics: Vec::new(),
        }
    }

    fn span(&self, pair: &Pair<G>) -> Span {
        let span = pair.as_span();
        self.source.span(
            self.file,
            self.offset + span.start(),
            self.offset + span.end(),
        )
    }

    fn invalid(&mut self, span: Span, message: String) {
        self.diagnostics
            .push(Diagnostic::error(codes::INVALID_VALUE, span, message));
    }

    /// Classifies a `statement` pair (the one child of `line`).
    pub fn statement(&mut self, pair: Pair<G>) -> Option<Line> {
        match pair.as_rule() {
            G::condition => return Some(Line::Condition(self.condition(pair)?)),
            G::actions => return Some(Line::Actions(self.actions(pair))),
            _ => {}
        }
        let rule = pair.as_rule();
        let mut inner = pair.into_inner().filter(|p| !is_line_keyword(p.as_rule()));
        match rule {
            G::rule_header => {
                let name = inner.next()?;
                Some(Line::Header {
                    name_span: self.span(&name),
                    name: unescape(&name),
                })
            }
            G::when_line => Some(Line::When {
                trigger: trigger(inner.next()?.as_str()),
            }),
            G::if_line => {
                let next = inner.next()?;
                if next.as_rule() != G::match_mode {
                    return Some(Line::If(self.condition(next)?));
                }
                let mode = if next.as_str().eq_ignore_ascii_case("any") {
                    MatchMode::Any
                } else {
                    MatchMode::All
                };
                Some(Line::IfBlock { mode })
            }
            G::then_line => Some(Line::Then(match inner.next() {
                Some(actions) => self.actions(actions),
                None => Vec::new(),
            })),
            _ => None,
        }
    }

    // ------------------------------------------------------- conditions

    fn condition(&mut self, pair: Pair<G>) -> Option<Condition> {
        let span = self.span(&pair);
        let mut negated = false;
        let mut kind = None;
        for part in pair.into_inner() {
            match part.as_rule() {
                G::negation => negated = true,
                G::always => kind = Some(ConditionKind::Always),
                G::has_attachments => {
                    if part.into_inner().any(|p| p.as_rule() == G::no) {
                        negated = !negated;
                    }
                    kind = Some(ConditionKind::HasAttachments);
                }
                G::message_is => {
                    for piece in part.into_inner() {
                        match piece.as_rule() {
                            G::no_t => negated = !negated,
                            G::message_kind => {
                                kind = Some(ConditionKind::MessageIs(message_kind(piece.as_str())))
                            }
                            _ => {}
                        }
                    }
                }
                G::test => kind = Some(ConditionKind::Test(self.test(part)?)),
                _ => {}
            }
        }
        Some(Condition {
            negated,
            kind: kind?,
            span,
        })
    }

    fn test(&mut self, pair: Pair<G>) -> Option<Test> {
        let mut inner = pair.into_inner();
        let field = self.field(inner.next()?)?;
        let comparison = self.comparison(inner.next()?);
        let value = self.value(inner.next()?)?;
        Some(Test {
            field,
            comparison,
            value,
        })
    }

    fn field(&mut self, pair: Pair<G>) -> Option<Field> {
        // The pair's own span can end in the space before the comparison,
        // so the field's span runs from its first piece to its last.
        let pieces: Vec<Pair<G>> = pair.into_inner().collect();
        let span = self.span(pieces.first()?).to(self.span(pieces.last()?));
        let mut kind = None;
        let mut part = None;
        for piece in pieces {
            match piece.as_rule() {
                G::header_field => {
                    let name = piece.into_inner().find(|p| p.as_rule() == G::string)?;
                    kind = Some(FieldKind::Header(unescape(&name)));
                }
                G::field_name => kind = Some(field_kind(&normalise(piece.as_str()))),
                G::field_part => part = Some(address_part(&normalise(piece.as_str()))),
                _ => {}
            }
        }
        Some(Field {
            kind: kind?,
            part,
            span,
        })
    }

    fn comparison(&mut self, pair: Pair<G>) -> Comparison {
        let span = self.span(&pair);
        let text = normalise(pair.as_str());
        let negated = text.split(' ').any(|word| word == "not");
        let op = if text.contains("within") {
            CompareOp::Within
        } else if text.contains("least") {
            CompareOp::AtLeast
        } else if text.contains("most") {
            CompareOp::AtMost
        } else if text.contains("over") || text.contains("above") {
            CompareOp::Over
        } else if text.contains("under") || text.contains("below") {
            CompareOp::Under
        } else if text.contains("contain") {
            CompareOp::Contains
        } else if text.contains("start") {
            CompareOp::StartsWith
        } else if text.contains("end") {
            CompareOp::EndsWith
        } else if text.contains("regex") {
            CompareOp::MatchesRegex
        } else if text.contains("match") {
            CompareOp::Matches
        } else {
            CompareOp::Is
        };
        Comparison { op, negated, span }
    }

    fn value(&mut self, pair: Pair<G>) -> Option<Value> {
        let span = self.span(&pair);
        let inner = pair.into_inner().next()?;
        let kind = match inner.as_rule() {
            G::string => ValueKind::Text(unescape(&inner)),
            G::duration => ValueKind::Duration {
                seconds: self.duration(inner.into_inner(), span)?,
            },
            G::quantity => self.quantity(inner.into_inner())?,
            _ => ValueKind::Word(inner.as_str().to_ascii_lowercase()),
        };
        Some(Value { kind, span })
    }

    fn duration(&mut self, parts: Pairs<G>, span: Span) -> Option<u64> {
        let mut total: u64 = 0;
        for part in parts {
            let mut digits = "";
            let mut unit = "";
            for piece in part.into_inner() {
                match piece.as_rule() {
                    G::number => digits = piece.as_str(),
                    G::time_unit => unit = piece.as_str(),
                    _ => {}
                }
            }
            let scale = match unit.get(..1).unwrap_or("").to_ascii_lowercase().as_str() {
                "w" => 7 * 86_400,
                "d" => 86_400,
                "h" => 3_600,
                "m" => 60,
                _ => 1,
            };
            let seconds = digits
                .parse::<u64>()
                .ok()
                .and_then(|count| count.checked_mul(scale))
                .and_then(|seconds| total.checked_add(seconds));
            match seconds {
                Some(seconds) => total = seconds,
                None => {
                    self.invalid(
                        span,
                        format!("duration `{}` is too long", span_text(self.source, span)),
                    );
                    return None;
                }
            }
        }
        Some(total)
    }

    fn quantity(&mut self, parts: Pairs<G>) -> Option<ValueKind> {
        let mut value = None;
        let mut unit = None;
        for part in parts {
            match part.as_rule() {
                G::number => match part.as_str().parse::<u64>() {
                    Ok(number) => value = Some(number),
                    Err(_) => {
                        let message = format!("number {} is too large", part.as_str());
                        self.invalid(self.span(&part), message);
                        return None;
                    }
                },
                G::size_unit => unit = Some(size_unit(part.as_str())),
                _ => {}
            }
        }
        Some(ValueKind::Number {
            value: value?,
            unit,
        })
    }

    // ---------------------------------------------------------- actions

    pub fn actions(&mut self, pair: Pair<G>) -> Vec<Action> {
        pair.into_inner()
            .filter_map(|action| self.action(action))
            .collect()
    }

    fn action(&mut self, pair: Pair<G>) -> Option<Action> {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        let mut strings = Vec::new();
        let mut word = None;
        for piece in pair.into_inner() {
            match piece.as_rule() {
                G::string => strings.push(unescape(&piece)),
                G::subject_prefix => {
                    let prefix = piece.into_inner().find(|p| p.as_rule() == G::string)?;
                    word = Some(unescape(&prefix));
                }
                G::priority | G::icon_name => word = Some(piece.as_str().to_string()),
                _ => {}
            }
        }
        let mut strings = strings.into_iter();
        let kind = match rule {
            G::file_into => ActionKind::FileInto {
                folder: strings.next()?,
            },
            G::delete_silently => ActionKind::DeleteSilently,
            G::set_priority => ActionKind::SetPriority(priority(&word?)),
            G::set_icon => ActionKind::SetIcon(strings.next().or(word)?),
            G::notify => ActionKind::Notify(strings.next()),
            G::forward => ActionKind::Forward(strings.next()?),
            G::redirect => ActionKind::Redirect(strings.next()?),
            G::auto_reply => ActionKind::AutoReply {
                text: strings.next()?,
                subject_prefix: word,
            },
            G::mark_read => ActionKind::MarkRead,
            G::stop => ActionKind::Stop,
            _ => return None,
        };
        Some(Action { kind, span })
    }
}

fn is_line_keyword(rule: G) -> bool {
    matches!(rule, G::kw_rule | G::kw_when | G::kw_if | G::kw_then)
}

fn span_text(source: &SourceFile, span: Span) -> &str {
    source
        .text
        .get(span.start as usize..span.end as usize)
        .unwrap_or("")
}

/// Lower-cases a keyword phrase and collapses its inner spaces and tabs.
fn normalise(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_lowercase()
}

/// Returns the text of a `string` pair without quotes, with `\"` and `\\`
/// resolved. Other backslashes stay, so `\d` reaches the regex parser.
pub(super) fn unescape(pair: &Pair<G>) -> String {
    let text = pair.as_str();
    let inner = text.get(1..text.len().saturating_sub(1)).unwrap_or("");
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some(escaped @ ('"' | '\\')) => out.push(escaped),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

fn trigger(text: &str) -> Trigger {
    match text.to_ascii_lowercase().as_str() {
        "sent" => Trigger::Sent,
        "deleted" => Trigger::Deleted,
        "manual" => Trigger::Manual,
        _ => Trigger::Received,
    }
}

fn message_kind(text: &str) -> MessageKind {
    let text = normalise(text);
    if text.starts_with("list") {
        MessageKind::ListMail
    } else if text == "bounce" {
        MessageKind::Bounce
    } else if text.starts_with("auto") && text.ends_with("reply") {
        MessageKind::AutoReply
    } else {
        MessageKind::Automated
    }
}

fn field_kind(name: &str) -> FieldKind {
    match name {
        "sender" => FieldKind::Sender,
        "from" => FieldKind::From,
        "to" => FieldKind::To,
        "cc" => FieldKind::Cc,
        "recipients" | "recipient" => FieldKind::Recipients,
        "subject" => FieldKind::Subject,
        "body" => FieldKind::Body,
        "attachment" | "attachments" => FieldKind::Attachment,
        "spam level" => FieldKind::SpamLevel,
        "spam band" => FieldKind::SpamBand,
        "spam tests" => FieldKind::SpamTests,
        "size" => FieldKind::Size,
        "date sent" => FieldKind::DateSent,
        other => FieldKind::Unknown(other.to_string()),
    }
}

fn address_part(text: &str) -> AddressPart {
    match text {
        "domain" => AddressPart::Domain,
        "local part" => AddressPart::LocalPart,
        "name" => AddressPart::Name,
        _ => AddressPart::Address,
    }
}

fn size_unit(text: &str) -> SizeUnit {
    match text.to_ascii_lowercase().as_str() {
        "kb" => SizeUnit::Kilobytes,
        "mb" => SizeUnit::Megabytes,
        "gb" => SizeUnit::Gigabytes,
        _ => SizeUnit::Bytes,
    }
}

fn priority(text: &str) -> Priority {
    match text.to_ascii_lowercase().as_str() {
        "urgent" => Priority::Urgent,
        "high" => Priority::High,
        "low" => Priority::Low,
        _ => Priority::Normal,
    }
}
