//! AST of `rules.mailrules`, the server rule file.
//!
//! A file is a list of rule lines. Each rule is
//! `selector ":" [condition] action ("AND" action)*`:
//!
//! ```text
//! X-Mailer: "*Mass Mail*" SET $spamlevel += 60 AND $spamtests += "BULK;"
//! ^^^^^^^^  ^^^^^^^^^^^^^ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
//! selector  condition     actions (one SET with two assignments)
//! ```

use serde::Serialize;

use crate::span::Span;

/// A parsed `rules.mailrules` file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MailRules {
    pub rules: Vec<Rule>,
}

/// One rule line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rule {
    /// The whole line without its line end.
    pub span: Span,
    pub selector: Selector,
    /// `None` when the line has no test, as in `^: SET $x = 1`: the actions
    /// then run every time the selector's event happens.
    pub condition: Option<Condition>,
    /// At least one action.
    pub actions: Vec<Action>,
}

/// When a rule runs, and what its pattern condition tests.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Selector {
    pub kind: SelectorKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub enum SelectorKind {
    /// `^`: once, before any header.
    Begin,
    /// A header name such as `Subject`, stored as written; compare
    /// case-insensitively. Runs once per occurrence of that header.
    Header(String),
    /// `*`: once per header of any name.
    AnyHeader,
    /// Empty (the line starts with `:`, or `'':`): after the last header.
    HeadersEnd,
    /// `@`: at the end of each attachment's headers.
    Attachment,
    /// `<`: for each `<a href>` and `<img src>` link of an HTML body.
    Link,
    /// `>`: at the end of the body.
    Body,
    /// `.`: at the end of the message.
    MessageEnd,
}

/// The test of a rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Condition {
    pub kind: ConditionKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ConditionKind {
    /// `["NOT"] pattern`: tests the selector's data.
    Pattern { negated: bool, pattern: Pattern },
    /// `IF (expr)`.
    If(Expr),
}

/// A pattern test, as written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pattern {
    pub kind: PatternKind,
    /// The pattern text as the matcher reads it. A `"text"` pattern has
    /// `\"` and `\\` resolved; the three regex forms have only `\"`
    /// resolved, so `\\` reaches the regex parser as an escaped backslash;
    /// `/…/` has only `\/` resolved. Every other backslash is kept, so regex
    /// escapes reach the regex parser.
    pub text: String,
    /// Span of the whole pattern, prefix and quotes included.
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub enum PatternKind {
    /// `"text"`: case-insensitive substring test, or a case-insensitive
    /// glob over the whole value when the text has `*` or `?`.
    Simple,
    /// `regexp:"…"`: POSIX basic syntax, case-sensitive.
    BasicRegex,
    /// `eregexp:"…"`: POSIX extended syntax, case-sensitive.
    ExtendedRegex,
    /// `eregexpi:"…"`: POSIX extended syntax, case-insensitive.
    ExtendedRegexIgnoreCase,
    /// `/pattern/flags`: regex-automata (Perl-like) syntax. `flags` contains
    /// the letters as written; the checker rejects unknown ones.
    Perl { flags: String },
}

/// An expression inside `IF (…)` or on the right of an assignment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ExprKind {
    Int(i64),
    Str(Template),
    Var(Variable),
    /// `@name(args)`.
    Call {
        name: String,
        name_span: Span,
        args: Vec<Expr>,
    },
    Unary {
        op: UnaryOp,
        operand: Box<Expr>,
    },
    Binary {
        op: BinaryOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    /// `value =~ /re/flags` or `value !~ /re/flags`.
    Match {
        value: Box<Expr>,
        negated: bool,
        pattern: Pattern,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum UnaryOp {
    /// `NOT` or `!`.
    Not,
    /// `-`.
    Negate,
}

/// Binary operators from loosest to tightest binding: `Or`; `And`; the
/// comparisons; `Add` and `Subtract`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum BinaryOp {
    Or,
    And,
    Equal,
    NotEqual,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    Add,
    Subtract,
}

/// A `$name` reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Variable {
    /// The name as written, without `$` or braces: `spamlevel`,
    /// `Form.Config.1202.Checkbox`.
    pub name: String,
    pub span: Span,
}

impl Variable {
    /// The case-folded name that identifies the variable. `lsSpammer` is
    /// accepted as a spelling of `IsSpammer`, as FirstClass's own help page
    /// prints it that way.
    pub fn key(&self) -> String {
        variable_key(&self.name)
    }
}

/// Case-folds a variable name and maps known alternative spellings to one
/// key.
pub fn variable_key(name: &str) -> String {
    let key = name.to_ascii_lowercase();
    if key == "lsspammer" {
        "isspammer".to_string()
    } else {
        key
    }
}

/// A string literal in an expression or action, split at interpolations.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Template {
    pub parts: Vec<TemplatePart>,
    /// Span of the literal, quotes included.
    pub span: Span,
}

impl Template {
    /// Returns the text when the literal has no interpolation.
    pub fn as_literal(&self) -> Option<String> {
        let mut text = String::new();
        for part in &self.parts {
            match part {
                TemplatePart::Text(piece) => text.push_str(piece),
                _ => return None,
            }
        }
        Some(text)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum TemplatePart {
    /// Literal text with escapes resolved (`\"`, `\\`, `\$`, `\n`, `\t`).
    Text(String),
    /// `$name` or `${name}`.
    Var(Variable),
    /// `\1` … `\9`: a capture group of the rule's own regex test.
    Capture { group: u8, span: Span },
}

/// One action of a rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Action {
    pub kind: ActionKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ActionKind {
    /// `SET $a = 1 AND $b += 2`; the assignments after the first are the
    /// `AND $var op expr` continuations.
    Set(Vec<Assignment>),
    /// `SPAM`: mark as junk and machine-generated.
    Spam,
    /// `DISCARDHEADER`: drop the current header.
    DiscardHeader,
    /// `INJECT "Name: value"`: add a header.
    Inject(Template),
    /// `REPLACE "Name: value"`: replace a header, or add it when absent.
    Replace(Template),
    /// `DISCARDMESSAGE`: reject with `552 Delivery Failed`.
    DiscardMessage,
    /// `NDN` or `NDN "text"`: reject with `550 5.7.1`.
    Ndn(Option<Template>),
    /// `DONE`: stop all rule processing for this message.
    Done,
}

/// `$var op value` inside `SET`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assignment {
    pub target: Variable,
    pub op: AssignOp,
    pub value: Expr,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum AssignOp {
    /// `=`
    Set,
    /// `+=`: adds numbers, concatenates strings.
    Add,
    /// `-=`: subtracts numbers.
    Subtract,
}
