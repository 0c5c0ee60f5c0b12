//! Building the server AST from the pest pairs of one rule line.
//!
//! The grammar has already accepted the line, so the shape of the pairs is
//! known. A pair that is not where the grammar puts it is a bug, and it is
//! reported as an E0001 diagnostic rather than a panic. What the grammar
//! cannot check is done here: integers must fit in `i64`, and no
//! expression tree may be higher than [`Limits::max_expression_depth`],
//! because later passes walk expressions recursively.

use pest::iterators::{Pair, Pairs};

use super::server::LineContext;
use super::server_grammar::Rule as G;
use crate::ast::server::{
    Action, ActionKind, AssignOp, Assignment, BinaryOp, Condition, ConditionKind, Expr, ExprKind,
    Pattern, PatternKind, Rule, Selector, Template, TemplatePart, UnaryOp, Variable,
};
use crate::diag::{codes, Diagnostic};
use crate::limits::Limits;
use crate::span::Span;

type Built<T> = Result<T, Diagnostic>;

/// An expression with the height of its tree (a leaf has height 1).
struct Sized {
    expr: Expr,
    height: usize,
}

/// Turns the pairs of one parsed line into a [`Rule`].
pub(super) struct Builder<'a> {
    context: &'a LineContext<'a>,
    max_depth: usize,
}

impl<'a> Builder<'a> {
    pub fn new(context: &'a LineContext<'a>, limits: &Limits) -> Builder<'a> {
        Builder {
            context,
            max_depth: limits.max_expression_depth,
        }
    }

    /// Builds the rule from the pairs of `rule_line`.
    pub fn rule(&self, mut pairs: Pairs<G>, selector: Selector) -> Built<Rule> {
        let line = self.expect(pairs.next(), G::rule_line)?;
        let mut condition = None;
        let mut actions = Vec::new();
        for pair in line.into_inner() {
            match pair.as_rule() {
                G::condition => condition = Some(self.condition(pair)?),
                G::actions => actions = self.actions(pair)?,
                _ => {}
            }
        }
        let text = self.context.line.text;
        Ok(Rule {
            span: self.context.span(0, text.len()),
            selector,
            condition,
            actions,
        })
    }

    /// Returns the file span of a pair, without trailing white space: pest
    /// skips the spaces before an optional part even when the part is
    /// absent, and they end up inside the enclosing pair.
    fn span(&self, pair: &Pair<G>) -> Span {
        let start = pair.as_span().start();
        let text = pair.as_str().trim_end_matches([' ', '\t']);
        self.context.span(start, start + text.len())
    }

    /// Returns the pair if it has the expected rule, else an internal
    /// error diagnostic for the line.
    fn expect<'i>(&self, pair: Option<Pair<'i, G>>, rule: G) -> Built<Pair<'i, G>> {
        match pair {
            Some(pair) if pair.as_rule() == rule => Ok(pair),
            other => {
                let found = other.map(|pair| format!("{:?}", pair.as_rule()));
                let message = format!(
                    "internal parser error: expected {rule:?}, found {}",
                    found.as_deref().unwrap_or("nothing")
                );
                let text = self.context.line.text;
                Err(Diagnostic::error(
                    codes::SYNTAX,
                    self.context.span(0, text.len()),
                    message,
                ))
            }
        }
    }

    fn first_inner<'i>(&self, pair: Pair<'i, G>, rule: G) -> Built<Pair<'i, G>> {
        self.expect(pair.into_inner().next(), rule)
    }

    // -----------------------------------------------------------------
    // Conditions and patterns
    // -----------------------------------------------------------------

    fn condition(&self, pair: Pair<G>) -> Built<Condition> {
        let span = self.span(&pair);
        let Some(inner) = pair.into_inner().next() else {
            return Err(self.internal(span, "empty condition"));
        };
        let kind = match inner.as_rule() {
            G::if_condition => {
                let mut parts = inner.into_inner();
                let expr = parts.find(|part| part.as_rule() == G::expr);
                let expr = self.expect(expr, G::expr)?;
                ConditionKind::If(self.expr(expr)?.expr)
            }
            _ => {
                let mut negated = false;
                let mut pattern = None;
                for part in inner.into_inner() {
                    match part.as_rule() {
                        G::kw_not => negated = true,
                        _ => pattern = Some(self.pattern(part)?),
                    }
                }
                let Some(pattern) = pattern else {
                    return Err(self.internal(span, "condition without a pattern"));
                };
                ConditionKind::Pattern { negated, pattern }
            }
        };
        Ok(Condition { kind, span })
    }

    /// Builds a pattern from `simple_pattern`, one of the regex prefixes
    /// or `perl_pattern`.
    fn pattern(&self, pair: Pair<G>) -> Built<Pattern> {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        if rule == G::perl_pattern {
            return self.perl_pattern(pair);
        }
        let kind = match rule {
            G::simple_pattern => PatternKind::Simple,
            G::basic_regex => PatternKind::BasicRegex,
            G::extended_regex => PatternKind::ExtendedRegex,
            G::extended_regex_nocase => PatternKind::ExtendedRegexIgnoreCase,
            _ => return Err(self.internal(span, "unknown pattern kind")),
        };
        let quoted = self.first_inner(pair, G::quoted_pattern)?;
        let raw = self.first_inner(quoted, G::pattern_text)?.as_str();
        let text = if kind == PatternKind::Simple {
            unescape_simple_pattern(raw)
        } else {
            unescape_regex_pattern(raw)
        };
        Ok(Pattern { kind, text, span })
    }

    fn perl_pattern(&self, pair: Pair<G>) -> Built<Pattern> {
        let span = self.span(&pair);
        let mut text = String::new();
        let mut flags = String::new();
        for part in pair.into_inner() {
            match part.as_rule() {
                G::perl_text => text = unescape_perl_pattern(part.as_str()),
                G::perl_flags => flags = part.as_str().to_string(),
                _ => {}
            }
        }
        Ok(Pattern {
            kind: PatternKind::Perl { flags },
            text,
            span,
        })
    }

    // -----------------------------------------------------------------
    // Actions
    // -----------------------------------------------------------------

    fn actions(&self, pair: Pair<G>) -> Built<Vec<Action>> {
        pair.into_inner()
            .filter(|part| part.as_rule() != G::and_kw)
            .map(|part| self.action(part))
            .collect()
    }

    fn action(&self, pair: Pair<G>) -> Built<Action> {
        let span = self.span(&pair);
        let kind = match pair.as_rule() {
            G::set_action => ActionKind::Set(self.assignments(pair)?),
            G::inject_action => ActionKind::Inject(self.action_string(pair)?),
            G::replace_action => ActionKind::Replace(self.action_string(pair)?),
            G::ndn_action => {
                let text = pair.into_inner().find(|part| part.as_rule() == G::string);
                ActionKind::Ndn(text.map(|text| self.template(text)).transpose()?)
            }
            G::discard_header => ActionKind::DiscardHeader,
            G::discard_message => ActionKind::DiscardMessage,
            G::spam_action => ActionKind::Spam,
            G::done_action => ActionKind::Done,
            _ => return Err(self.internal(span, "unknown action")),
        };
        Ok(Action { kind, span })
    }

    fn action_string(&self, pair: Pair<G>) -> Built<Template> {
        let text = pair.into_inner().find(|part| part.as_rule() == G::string);
        self.template(self.expect(text, G::string)?)
    }

    fn assignments(&self, pair: Pair<G>) -> Built<Vec<Assignment>> {
        pair.into_inner()
            .filter(|part| part.as_rule() == G::assignment)
            .map(|part| self.assignment(part))
            .collect()
    }

    fn assignment(&self, pair: Pair<G>) -> Built<Assignment> {
        let span = self.span(&pair);
        let mut parts = pair.into_inner();
        let target = self.variable(self.expect(parts.next(), G::variable)?)?;
        let op = self.expect(parts.next(), G::assign_op)?;
        let op = match op.as_str() {
            "+=" => AssignOp::Add,
            "-=" => AssignOp::Subtract,
            _ => AssignOp::Set,
        };
        let value = self.expr(self.expect(parts.next(), G::sum_expr)?)?.expr;
        Ok(Assignment {
            target,
            op,
            value,
            span,
        })
    }

    // -----------------------------------------------------------------
    // Expressions
    // -----------------------------------------------------------------

    /// Builds any expression-level pair. The expression's span is the
    /// pair's, so a parenthesised operand keeps its parentheses: in
    /// `($a OR $b) AND $c` the `OR` node covers `($a OR $b)`.
    fn expr(&self, pair: Pair<G>) -> Built<Sized> {
        let span = self.span(&pair);
        let mut built = self.unwrapped_expr(skip_wrappers(pair))?;
        built.expr.span = span;
        Ok(built)
    }

    fn unwrapped_expr(&self, pair: Pair<G>) -> Built<Sized> {
        match pair.as_rule() {
            G::or_expr | G::and_expr | G::cmp_expr | G::sum_expr => self.binary_chain(pair),
            G::unary_expr => self.unary(pair),
            G::int => self.int(pair, false).map(leaf),
            G::string => self.template(pair).map(|template| {
                let span = template.span;
                leaf(Expr {
                    kind: ExprKind::Str(template),
                    span,
                })
            }),
            G::variable => self.variable(pair).map(|variable| {
                let span = variable.span;
                leaf(Expr {
                    kind: ExprKind::Var(variable),
                    span,
                })
            }),
            G::call => self.call(pair),
            _ => {
                let span = self.span(&pair);
                Err(self.internal(span, "unknown expression"))
            }
        }
    }

    /// Folds `operand (op operand)*` to the left.
    fn binary_chain(&self, pair: Pair<G>) -> Built<Sized> {
        let mut parts = pair.into_inner();
        let first = parts.next();
        let Some(first) = first else {
            return Err(self.internal(self.context.span(0, 0), "empty operator chain"));
        };
        let mut lhs = self.expr(first)?;
        while let Some(op) = parts.next() {
            let operand = parts.next();
            let Some(operand) = operand else {
                return Err(self.internal(self.span(&op), "operator without operand"));
            };
            lhs = if op.as_rule() == G::match_op {
                let pattern = self.perl_pattern(operand)?;
                let span = lhs.expr.span.to(pattern.span);
                let kind = ExprKind::Match {
                    value: Box::new(lhs.expr),
                    negated: op.as_str() == "!~",
                    pattern,
                };
                self.node(kind, span, lhs.height + 1)?
            } else {
                let rhs = self.expr(operand)?;
                let span = lhs.expr.span.to(rhs.expr.span);
                let height = lhs.height.max(rhs.height) + 1;
                let kind = ExprKind::Binary {
                    op: binary_op(op.as_str()),
                    lhs: Box::new(lhs.expr),
                    rhs: Box::new(rhs.expr),
                };
                self.node(kind, span, height)?
            };
        }
        Ok(lhs)
    }

    /// Builds `prefix_op* primary`, folding from the innermost operator
    /// outwards. A `-` right before an integer makes a negative integer.
    fn unary(&self, pair: Pair<G>) -> Built<Sized> {
        let mut parts: Vec<Pair<G>> = pair.into_inner().collect();
        let Some(primary) = parts.pop() else {
            return Err(self.internal(self.context.span(0, 0), "empty unary expression"));
        };
        let mut operand = if primary.as_rule() == G::int
            && parts.last().is_some_and(|op| op.as_rule() == G::negate_op)
        {
            let minus = parts.pop().map(|op| self.span(&op));
            let mut int = self.int(primary, true)?;
            if let Some(minus) = minus {
                int.span = minus.to(int.span);
            }
            leaf(int)
        } else {
            self.expr(primary)?
        };
        while let Some(op) = parts.pop() {
            let span = self.span(&op).to(operand.expr.span);
            let op = if op.as_rule() == G::negate_op {
                UnaryOp::Negate
            } else {
                UnaryOp::Not
            };
            let kind = ExprKind::Unary {
                op,
                operand: Box::new(operand.expr),
            };
            operand = self.node(kind, span, operand.height + 1)?;
        }
        Ok(operand)
    }

    /// Makes an expression node, or an E0205 error when its tree would be
    /// higher than the limit.
    fn node(&self, kind: ExprKind, span: Span, height: usize) -> Built<Sized> {
        if height > self.max_depth {
            let message = format!("expression nests more than {} levels deep", self.max_depth);
            return Err(
                Diagnostic::error(codes::EXPRESSION_TOO_DEEP, span, message).with_help(
                    "split the rule into simpler rules, or raise `max_expression_depth` \
                     in the `[limits]` table of rulec.toml",
                ),
            );
        }
        Ok(Sized {
            expr: Expr { kind, span },
            height,
        })
    }

    fn int(&self, pair: Pair<G>, negative: bool) -> Built<Expr> {
        let span = self.span(&pair);
        let digits = pair.as_str();
        let value = digits.parse::<i128>().ok().and_then(|value| {
            let value = if negative { -value } else { value };
            i64::try_from(value).ok()
        });
        match value {
            Some(value) => Ok(Expr {
                kind: ExprKind::Int(value),
                span,
            }),
            None => {
                let sign = if negative { "-" } else { "" };
                let message = format!(
                    "integer `{sign}{digits}` does not fit in 64 bits; integers range from {} to {}",
                    i64::MIN,
                    i64::MAX
                );
                Err(Diagnostic::error(codes::SYNTAX, span, message))
            }
        }
    }

    fn call(&self, pair: Pair<G>) -> Built<Sized> {
        let span = self.span(&pair);
        let mut name = String::new();
        let mut name_span = span;
        let mut args = Vec::new();
        let mut height = 1;
        for part in pair.into_inner() {
            match part.as_rule() {
                G::function => {
                    name_span = self.span(&part);
                    name = part.as_str().trim_start_matches('@').to_string();
                }
                G::expr => {
                    let arg = self.expr(part)?;
                    height = height.max(arg.height + 1);
                    args.push(arg.expr);
                }
                _ => {}
            }
        }
        let kind = ExprKind::Call {
            name,
            name_span,
            args,
        };
        self.node(kind, span, height)
    }

    fn variable(&self, pair: Pair<G>) -> Built<Variable> {
        let span = self.span(&pair);
        let name = self.first_inner(pair, G::var_name)?;
        Ok(Variable {
            name: name.as_str().to_string(),
            span,
        })
    }

    // -----------------------------------------------------------------
    // Strings
    // -----------------------------------------------------------------

    /// Builds a template from a `string` pair, resolving escapes and
    /// merging adjacent text.
    fn template(&self, pair: Pair<G>) -> Built<Template> {
        let span = self.span(&pair);
        let mut parts = Vec::new();
        let mut text = String::new();
        for part in pair.into_inner() {
            match part.as_rule() {
                G::string_text | G::dollar => text.push_str(part.as_str()),
                G::escape => push_escape(&mut text, part.as_str()),
                G::capture_ref => {
                    flush_text(&mut text, &mut parts);
                    let group = part.as_str().as_bytes()[1] - b'0';
                    let span = self.span(&part);
                    parts.push(TemplatePart::Capture { group, span });
                }
                G::variable => {
                    flush_text(&mut text, &mut parts);
                    parts.push(TemplatePart::Var(self.variable(part)?));
                }
                G::braced_var => {
                    flush_text(&mut text, &mut parts);
                    let span = self.span(&part);
                    let name = self.first_inner(part, G::var_name)?;
                    let name = name.as_str().to_string();
                    parts.push(TemplatePart::Var(Variable { name, span }));
                }
                _ => {}
            }
        }
        flush_text(&mut text, &mut parts);
        Ok(Template { parts, span })
    }

    fn internal(&self, span: Span, what: &str) -> Diagnostic {
        Diagnostic::error(
            codes::SYNTAX,
            span,
            format!("internal parser error: {what}"),
        )
    }
}

/// Descends through the pairs that wrap a single operand: pest builds one
/// per precedence level (`expr`, `or_expr` … `unary_expr`) for every
/// operand, and a `paren_expr` adds another set. Walking them in a loop
/// instead of recursing keeps the builder's stack use proportional to the
/// height of the built tree, which the depth limit bounds, rather than to
/// the number of parentheses times the number of levels.
fn skip_wrappers(mut pair: Pair<G>) -> Pair<G> {
    loop {
        let inner = match pair.as_rule() {
            G::expr | G::or_expr | G::and_expr | G::cmp_expr | G::sum_expr | G::unary_expr => {
                let mut children = pair.clone().into_inner();
                match (children.next(), children.next()) {
                    (Some(only), None) => only,
                    _ => return pair,
                }
            }
            G::paren_expr => match pair
                .clone()
                .into_inner()
                .find(|part| part.as_rule() == G::expr)
            {
                Some(inner) => inner,
                None => return pair,
            },
            _ => return pair,
        };
        pair = inner;
    }
}

fn leaf(expr: Expr) -> Sized {
    Sized { expr, height: 1 }
}

fn binary_op(text: &str) -> BinaryOp {
    match text.to_ascii_lowercase().as_str() {
        "or" | "||" => BinaryOp::Or,
        "and" | "&&" => BinaryOp::And,
        "==" => BinaryOp::Equal,
        "!=" => BinaryOp::NotEqual,
        "<" => BinaryOp::Less,
        "<=" => BinaryOp::LessEqual,
        ">" => BinaryOp::Greater,
        ">=" => BinaryOp::GreaterEqual,
        "+" => BinaryOp::Add,
        _ => BinaryOp::Subtract,
    }
}

fn flush_text(text: &mut String, parts: &mut Vec<TemplatePart>) {
    if !text.is_empty() {
        parts.push(TemplatePart::Text(std::mem::take(text)));
    }
}

/// Appends the character an escape stands for. `\"`, `\\`, `\$`, `\n` and
/// `\t` are resolved; any other escape is kept as written, backslash
/// included, so `"C:\temp"` stays as typed.
fn push_escape(text: &mut String, escape: &str) {
    let mut chars = escape.chars();
    chars.next();
    match chars.next() {
        Some('"') => text.push('"'),
        Some('\\') => text.push('\\'),
        Some('$') => text.push('$'),
        Some('n') => text.push('\n'),
        Some('t') => text.push('\t'),
        _ => text.push_str(escape),
    }
}

/// Resolves the text between the quotes of a `"text"` pattern: `\"` gives
/// `"` and `\\` gives `\`. Any other backslash is kept with the character
/// after it, so `"C:\Windows"` and `"C:\\Windows"` are the same test. Globs
/// have no escapes of their own, so nothing else needs a backslash.
pub(super) fn unescape_simple_pattern(raw: &str) -> String {
    unescape(raw, &['"', '\\'])
}

/// Resolves the text between the quotes of a `regexp:`, `eregexp:` or
/// `eregexpi:` pattern. Only `\"` changes, to `"`. Every other backslash is
/// kept with the character after it, so `\.`, `\d` or `\(` reach the regex
/// parser as written and `\\` stays `\\`, the regex for one literal
/// backslash. A backslash pairs with the character after it when the
/// string is read, which is why `"a\\"` ends after `\\`.
pub(super) fn unescape_regex_pattern(raw: &str) -> String {
    unescape(raw, &['"'])
}

/// Resolves the text between the slashes of `/pattern/flags`: `\/` becomes
/// `/`, every other backslash is kept with the character after it.
pub(super) fn unescape_perl_pattern(raw: &str) -> String {
    unescape(raw, &['/'])
}

/// Replaces `\c` by `c` for each `c` in `resolved`, keeping every other
/// backslash pair as written.
fn unescape(raw: &str, resolved: &[char]) -> String {
    let mut text = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            text.push(c);
            continue;
        }
        match chars.next() {
            Some(next) if resolved.contains(&next) => text.push(next),
            Some(next) => {
                text.push('\\');
                text.push(next);
            }
            None => text.push('\\'),
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regex_pattern_keeps_backslashes() {
        assert_eq!(unescape_regex_pattern(r#"a\"b"#), r#"a"b"#);
        assert_eq!(unescape_regex_pattern(r"a\\"), r"a\\");
        assert_eq!(unescape_regex_pattern(r"\d+\.\("), r"\d+\.\(");
    }

    #[test]
    fn simple_pattern_resolves_quote_and_backslash() {
        assert_eq!(unescape_simple_pattern(r#"a\"b"#), r#"a"b"#);
        assert_eq!(unescape_simple_pattern(r"C:\\Windows\"), r"C:\Windows\");
        assert_eq!(unescape_simple_pattern(r"C:\Windows"), r"C:\Windows");
    }

    #[test]
    fn perl_pattern_resolves_slash() {
        assert_eq!(unescape_perl_pattern(r"a\/b\d"), r"a/b\d");
    }
}
