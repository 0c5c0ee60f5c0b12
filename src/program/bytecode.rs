//! The server-tier bytecode: instructions, constant pools, rules and the
//! per-event rule tables.
//!
//! Each rule compiles to one straight run of instructions that ends with
//! [`Instruction::Return`]. Jumps go forward only, by index into
//! [`ServerCode::code`], so one rule never executes more instructions than
//! the code contains and the operand stack never grows past that count.
//! Expressions run on an operand stack of values; variables live in
//! numbered slots fixed at compile time.

use serde::{Deserialize, Serialize};

/// One bytecode instruction. Operands are indices into the pools and
/// tables of [`ServerCode`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Instruction {
    /// Pushes the integer at this index of the integer pool.
    PushInt(u32),
    /// Pushes the string at this index of the string pool.
    PushStr(u32),
    /// Pushes the value of a variable slot.
    Load(u32),
    /// Pops a value into a variable slot.
    Store(u32),
    /// Pushes capture group N of the rule's last regex match, or "".
    PushCapture(u8),
    /// Pops N values and pushes their concatenation as a string.
    Concat(u32),
    /// Pops b and a and pushes a + b: a sum when both read as integers,
    /// otherwise the concatenation.
    Add,
    /// Pops b and a and pushes a - b, both read as integers.
    Subtract,
    /// Pops a and pushes -a.
    Negate,
    /// Pops a and pushes 1 when it is false, else 0.
    Not,
    /// Pops a and pushes 1 when it is true, else 0.
    Truth,
    /// Pops b and a and pushes 1 when `a op b` holds, else 0.
    Compare(Comparison),
    /// Continues at this index.
    Jump(u32),
    /// Pops a and continues at this index when a is false.
    JumpIfFalse(u32),
    /// Continues at this index, keeping the top value, when it is false;
    /// otherwise pops it (the left side of `AND`).
    JumpIfFalseOrPop(u32),
    /// Continues at this index, keeping the top value, when it is true;
    /// otherwise pops it (the left side of `OR`).
    JumpIfTrueOrPop(u32),
    /// Pops the function's arguments (last argument on top) and pushes its
    /// result.
    Call(Builtin),
    /// Pops a text and pushes 1 when the word list at this index of
    /// [`ServerCode::word_lists`] has a word or phrase of it.
    InWordList(u32),
    /// Pops a text and pushes 1 when the expression pattern at this index
    /// matches it. Only a rule's pattern condition sets `\1` … `\9`.
    Match(u32),
    /// Pops a text and pushes 1 when the expression pattern at this index
    /// does not match it.
    NotMatch(u32),
    /// Records that the rule at this index fired.
    Fire(u32),
    /// `SPAM`: marks the message as junk.
    Spam,
    /// `DISCARDHEADER`: drops the current header.
    DiscardHeader,
    /// `INJECT`: pops `Name: value` and adds that header.
    Inject,
    /// `REPLACE`: pops `Name: value` and replaces that header.
    Replace,
    /// `DISCARDMESSAGE`: rejects with 552 and stops the rules.
    DiscardMessage,
    /// `NDN "text"`: pops the text, rejects with 550 and stops the rules.
    Ndn,
    /// `NDN`: rejects with 550 and the configured text, and stops the
    /// rules.
    NdnDefault,
    /// `DONE`: stops all rule processing for the message.
    Done,
    /// Ends the rule's code.
    Return,
}

/// The comparison of [`Instruction::Compare`]. Two values that both read
/// as integers compare as numbers, any other pair as case-sensitive
/// strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Comparison {
    Equal,
    NotEqual,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
}

/// A function of the rule language. Arguments are pushed in order, so the
/// last one is on top of the stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Builtin {
    /// `@IsTrustedIP(ip)`: the IP is in a trusted network.
    IsTrustedIp,
    /// `@istrustedaddress(address)`: the address or its domain is trusted.
    IsTrustedAddress,
    /// `@isblockedip(ip)`: the IP is in a blocked network.
    IsBlockedIp,
    /// `@isblockedaddress(address)`: the address or its domain is blocked.
    IsBlockedAddress,
    /// `@inblocklist(text, case_sensitive)`: the text contains an entry of
    /// `rules.subjectblock`. The compiler pushes 0 for a missing flag.
    InBlockList,
    /// `@hasheader(name)`: the message has a header of that name.
    HasHeader,
    /// `@headercount(name)`: how often the header occurs.
    HeaderCount,
    /// `@isupper(text)`: the text has letters and none in lower case.
    IsUpper,
    /// `@len(text)`: the length in characters.
    Len,
    /// `@lower(text)`: the text in lower case.
    Lower,
    /// `@domain(address)`: the domain of an address, in lower case.
    Domain,
}

impl Builtin {
    /// Number of values the function pops.
    pub fn arity(self) -> usize {
        match self {
            Builtin::InBlockList => 2,
            _ => 1,
        }
    }

    /// Returns the name as the listing prints it.
    pub fn name(self) -> &'static str {
        match self {
            Builtin::IsTrustedIp => "@IsTrustedIP",
            Builtin::IsTrustedAddress => "@istrustedaddress",
            Builtin::IsBlockedIp => "@isblockedip",
            Builtin::IsBlockedAddress => "@isblockedaddress",
            Builtin::InBlockList => "@inblocklist",
            Builtin::HasHeader => "@hasheader",
            Builtin::HeaderCount => "@headercount",
            Builtin::IsUpper => "@isupper",
            Builtin::Len => "@len",
            Builtin::Lower => "@lower",
            Builtin::Domain => "@domain",
        }
    }
}

/// A constant value of the program: an initial slot value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Constant {
    Int(i64),
    Str(String),
}

/// One compiled rule line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleInfo {
    /// Index into [`ServerCode::files`].
    pub file: u32,
    /// 1-based source line.
    pub line: u32,
    /// Index of the rule's first instruction.
    pub entry: u32,
    pub test: RuleTest,
}

/// How the event's data decides whether a rule runs. An `IF` condition is
/// part of the rule's code and counts as [`RuleTest::Always`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RuleTest {
    /// The code runs on every event of the rule's selector.
    Always,
    /// The code runs when pattern `pattern` of the rule's table matches
    /// the event's data, or, when `negated`, when it does not match.
    Pattern {
        pattern: u32,
        negated: bool,
        /// The rule's strings use `\1` … `\9`, so the VM extracts capture
        /// groups before running it.
        captures: bool,
    },
}

/// The rules of one event (one selector, or one header name), in file
/// order, with the pattern matcher over their pattern conditions.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RuleTable {
    /// Rules that run whatever the pattern matcher finds: no condition,
    /// `IF`, and `NOT` patterns. Ascending rule indices.
    pub always: Vec<u32>,
    /// The rule of each pattern of `patterns`, by pattern index. Ascending,
    /// because patterns are added in rule order.
    pub pattern_rules: Vec<u32>,
    /// One matcher over the table's patterns; `None` when it has none.
    pub patterns: Option<crate::pattern::PatternSet>,
}

impl RuleTable {
    /// True when the table has no rule at all.
    pub fn is_empty(&self) -> bool {
        self.always.is_empty() && self.pattern_rules.is_empty()
    }
}

/// The compiled `rules.mailrules`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ServerCode {
    pub code: Vec<Instruction>,
    pub ints: Vec<i64>,
    pub strings: Vec<String>,
    /// Variable names by slot, case-folded, for the listing.
    pub slots: Vec<String>,
    /// Values that slots hold before the first rule runs: band
    /// thresholds, `$Form.Config` values, `$spamtests = ""`.
    pub initial: Vec<(u32, Constant)>,
    /// Source file names, referenced by [`RuleInfo::file`].
    pub files: Vec<String>,
    pub rules: Vec<RuleInfo>,
    /// Patterns used by `=~` and `!~` inside expressions.
    pub expression_patterns: Vec<crate::pattern::PatternSet>,
    /// Word-list names (`lists.bad`) used by [`Instruction::InWordList`],
    /// each a key of the program's word lists.
    pub word_lists: Vec<String>,
    pub events: Events,
}

/// The rule tables of every event.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Events {
    /// `^`
    pub begin: RuleTable,
    /// Named-header rules keyed by the lower-case header name.
    pub headers: std::collections::BTreeMap<String, RuleTable>,
    /// `*`
    pub any_header: RuleTable,
    /// The empty selector: after the last header.
    pub headers_end: RuleTable,
    /// `@`
    pub attachment: RuleTable,
    /// `<`
    pub link: RuleTable,
    /// `>`
    pub body: RuleTable,
    /// `.`
    pub message_end: RuleTable,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The VM walks a `Vec<Instruction>`; a larger instruction means fewer
    /// per cache line, so a change to this size should be deliberate.
    #[test]
    fn instruction_size_is_pinned() {
        assert_eq!(std::mem::size_of::<Instruction>(), 8);
    }
}
