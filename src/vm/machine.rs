//! The interpreter: runs one rule's instructions against the variable
//! slots and records what the actions decide.
//!
//! Every instruction costs one unit of the message's instruction budget,
//! plus one unit per [`BYTES_PER_UNIT`] bytes of the strings it reads and
//! one per [`COPIED_BYTES_PER_UNIT`] bytes of the strings it pushes, so
//! the budget bounds time even when every value is as long as
//! `max_string_bytes` (or, for the body, `max_body_text_bytes`) allows.
//! A rule whose code does something a validated program cannot do (pop an
//! empty stack, index past a pool) stops that rule and nothing else, so a
//! damaged program cannot panic the VM.

use crate::message::{Header, HeaderAt};
use crate::program::bytecode::{Builtin, Instruction, ServerCode};
use crate::program::Lists;
use crate::verdict::{Fired, HeaderChanges, Reply};

use super::functions;
use super::value::Value;

/// Bytes of string data an instruction may read (compare, search, lower,
/// join) per unit of the instruction budget.
pub(crate) const BYTES_PER_UNIT: usize = 64;

/// Bytes of string data an instruction may push (copy) per unit of the
/// instruction budget. Copying is far cheaper than reading character by
/// character, so loading the body into an expression stays affordable.
pub(crate) const COPIED_BYTES_PER_UNIT: usize = 1024;

/// Why rule processing stopped for the message, weakest first: when a
/// rule both stops and rejects, the rejection counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Stop {
    /// `DONE`.
    Done,
    /// `NDN` or `DISCARDMESSAGE`.
    Rejected,
    /// The instruction budget ran out. This one stops at once; the others
    /// let the current rule finish its actions.
    Budget,
}

/// Decisions of the actions so far.
#[derive(Debug, Default)]
pub(crate) struct Decisions {
    pub junk: bool,
    pub changes: HeaderChanges,
    pub reply: Option<Reply>,
    pub stop: Option<Stop>,
    pub fired: Vec<Fired>,
    pub limits_hit: Vec<String>,
    /// Location of each name of `changes.remove`, in the same order.
    pub removed_headers: Vec<HeaderAt>,
}

impl Decisions {
    /// Stops the rules, keeping the strongest reason.
    pub fn stop(&mut self, stop: Stop) {
        self.stop = self.stop.max(Some(stop));
    }

    /// Records a run-time limit once.
    pub fn hit(&mut self, limit: &str) {
        if !self.limits_hit.iter().any(|known| known == limit) {
            self.limits_hit.push(limit.to_string());
        }
    }
}

/// The state of the server tier for one message.
pub(crate) struct Machine<'p> {
    pub code: &'p ServerCode,
    pub lists: &'p Lists,
    /// Text of `NDN` without an argument.
    pub ndn_text: &'p str,
    /// The message's headers, for `@hasheader` and `@headercount`.
    pub headers: &'p [Header],
    pub max_string_bytes: usize,
    pub explain: bool,
    pub slots: Vec<Value>,
    stack: Vec<Value>,
    /// Instructions left for this message.
    pub budget: u64,
    /// Groups of the rule's last regex match; index 0 is the whole match.
    pub captures: Vec<String>,
    /// Name and place of the header the current event is about, for
    /// `DISCARDHEADER`.
    pub current_header: Option<(String, HeaderAt)>,
    pub decisions: Decisions,
}

impl<'p> Machine<'p> {
    pub fn new(
        code: &'p ServerCode,
        lists: &'p Lists,
        ndn_text: &'p str,
        headers: &'p [Header],
        limits: &crate::limits::Limits,
        explain: bool,
    ) -> Machine<'p> {
        let mut slots = vec![Value::Unset; code.slots.len()];
        for (slot, constant) in &code.initial {
            if let Some(target) = slots.get_mut(*slot as usize) {
                *target = Value::from(constant);
            }
        }
        Machine {
            code,
            lists,
            ndn_text,
            headers,
            max_string_bytes: limits.max_string_bytes,
            explain,
            slots,
            stack: Vec::new(),
            budget: limits.max_instructions,
            captures: Vec::new(),
            current_header: None,
            decisions: Decisions::default(),
        }
    }

    /// True when the instruction budget stopped the rules.
    pub fn budget_ran_out(&self) -> bool {
        self.decisions.stop == Some(Stop::Budget)
    }

    /// True once `DONE`, a rejection or the budget has stopped the rules.
    pub fn stopped(&self) -> bool {
        self.decisions.stop.is_some()
    }

    /// Sets a slot to a value of the message. Those are bounded by the
    /// message limits (`max_body_text_bytes` and the like), not by
    /// `max_string_bytes`, which bounds what rules build.
    pub fn set_input(&mut self, slot: u32, value: Value) {
        if let Some(target) = self.slots.get_mut(slot as usize) {
            *target = value;
        }
    }

    /// Stores a value computed by a rule. `$IsSpammer` is read once at
    /// the end, so setting it lets rule processing continue.
    fn store(&mut self, slot: u32, value: Value) {
        let value = self.bound(value);
        self.set_input(slot, value);
    }

    pub fn slot(&self, slot: u32) -> &Value {
        self.slots.get(slot as usize).unwrap_or(&Value::Unset)
    }

    /// Runs rule `rule` from its first instruction to its `Return`.
    /// `matched` is the text its pattern matched, for `--explain`.
    pub fn run_rule(&mut self, rule: u32, matched: Option<String>) {
        let Some(info) = self.code.rules.get(rule as usize) else {
            return;
        };
        let mut matched = matched;
        let mut pc = info.entry as usize;
        self.stack.clear();
        loop {
            if self.budget == 0 {
                self.decisions.stop(Stop::Budget);
                self.decisions.hit("max_instructions");
                return;
            }
            self.budget -= 1;
            let Some(&instruction) = self.code.code.get(pc) else {
                return;
            };
            pc += 1;
            self.charge_operands(instruction);
            match self.step(instruction, &mut matched) {
                Flow::Next => {}
                Flow::Jump(target) => pc = target as usize,
                Flow::Return => return,
            }
            if self.decisions.stop == Some(Stop::Budget) {
                return;
            }
        }
    }

    /// Takes one budget unit per [`BYTES_PER_UNIT`] bytes of string data
    /// read.
    pub fn charge(&mut self, bytes: usize) {
        let units = (bytes / BYTES_PER_UNIT) as u64;
        self.budget = self.budget.saturating_sub(units);
    }

    /// Charges the string operands `instruction` reads from the stack.
    fn charge_operands(&mut self, instruction: Instruction) {
        use Instruction as I;
        let count = match instruction {
            I::Concat(count) => count as usize,
            I::Add | I::Subtract | I::Compare(_) => 2,
            I::Call(builtin) => builtin.arity(),
            I::Negate
            | I::Not
            | I::Truth
            | I::InWordList(_)
            | I::Match(_)
            | I::NotMatch(_)
            | I::Inject
            | I::Replace
            | I::Ndn => 1,
            _ => 0,
        };
        let start = self.stack.len().saturating_sub(count);
        let bytes: usize = self.stack[start..]
            .iter()
            .map(|value| match value {
                Value::Str(text) => text.len(),
                _ => 0,
            })
            .sum();
        self.charge(bytes);
    }

    fn pop(&mut self) -> Option<Value> {
        self.stack.pop()
    }

    fn push(&mut self, value: Value) {
        let value = self.bound(value);
        if let Value::Str(text) = &value {
            let units = (text.len() / COPIED_BYTES_PER_UNIT) as u64;
            self.budget = self.budget.saturating_sub(units);
        }
        self.stack.push(value);
    }

    /// Cuts a string value to `max_string_bytes`, at a character boundary,
    /// and records the limit.
    fn bound(&mut self, value: Value) -> Value {
        match value {
            Value::Str(mut text) if text.len() > self.max_string_bytes => {
                let mut end = self.max_string_bytes;
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                text.truncate(end);
                self.decisions.hit("max_string_bytes");
                Value::Str(text)
            }
            other => other,
        }
    }

    fn step(&mut self, instruction: Instruction, matched: &mut Option<String>) -> Flow {
        use Instruction as I;
        match instruction {
            I::PushInt(index) => match self.code.ints.get(index as usize) {
                Some(&number) => self.push(Value::Int(number)),
                None => return Flow::Return,
            },
            I::PushStr(index) => match self.code.strings.get(index as usize) {
                Some(text) => self.push(Value::Str(text.clone())),
                None => return Flow::Return,
            },
            I::Load(slot) => {
                let value = self.slot(slot).clone();
                self.push(value);
            }
            I::Store(slot) => {
                let Some(value) = self.pop() else {
                    return Flow::Return;
                };
                self.store(slot, value);
            }
            I::PushCapture(group) => {
                let text = self
                    .captures
                    .get(group as usize)
                    .cloned()
                    .unwrap_or_default();
                self.push(Value::Str(text));
            }
            I::Concat(count) => {
                let count = (count as usize).min(self.stack.len());
                let parts = self.stack.split_off(self.stack.len() - count);
                let mut text = String::new();
                for part in &parts {
                    text.push_str(&part.text());
                    if text.len() > self.max_string_bytes {
                        break;
                    }
                }
                self.push(Value::Str(text));
            }
            I::Add | I::Subtract | I::Compare(_) => {
                let (Some(right), Some(left)) = (self.pop(), self.pop()) else {
                    return Flow::Return;
                };
                let result = match instruction {
                    I::Add => left.plus(right),
                    I::Subtract => left.subtract(&right),
                    I::Compare(comparison) => Value::from_bool(left.compare(&right, comparison)),
                    _ => return Flow::Return,
                };
                self.push(result);
            }
            I::Negate | I::Not | I::Truth => {
                let Some(value) = self.pop() else {
                    return Flow::Return;
                };
                self.push(match instruction {
                    I::Negate => Value::Int(value.to_int().saturating_neg()),
                    I::Not => Value::from_bool(!value.is_true()),
                    _ => Value::from_bool(value.is_true()),
                });
            }
            I::Jump(target) => return Flow::Jump(target),
            I::JumpIfFalse(target) => match self.pop() {
                Some(value) if value.is_true() => {}
                Some(_) => return Flow::Jump(target),
                None => return Flow::Return,
            },
            I::JumpIfFalseOrPop(target) | I::JumpIfTrueOrPop(target) => {
                let jump_when = matches!(instruction, I::JumpIfTrueOrPop(_));
                match self.stack.last() {
                    Some(value) if value.is_true() == jump_when => return Flow::Jump(target),
                    Some(_) => {
                        self.stack.pop();
                    }
                    None => return Flow::Return,
                }
            }
            I::Call(builtin) => return self.call(builtin),
            I::InWordList(index) => {
                let Some(text) = self.pop() else {
                    return Flow::Return;
                };
                let found = self
                    .code
                    .word_lists
                    .get(index as usize)
                    .and_then(|name| self.lists.word_lists.get(name))
                    .is_some_and(|list| functions::in_word_list(list, &text.text()));
                self.push(Value::from_bool(found));
            }
            I::Match(index) | I::NotMatch(index) => {
                let Some(text) = self.pop() else {
                    return Flow::Return;
                };
                let Some(set) = self.code.expression_patterns.get(index as usize) else {
                    return Flow::Return;
                };
                let found = set.is_match(0, &text.text());
                self.push(Value::from_bool(
                    found == matches!(instruction, I::Match(_)),
                ));
            }
            I::Fire(rule) => self.fire(rule, matched.take()),
            I::Spam => self.decisions.junk = true,
            I::DiscardHeader => {
                // Two rules discarding one field remove it once.
                if let Some((name, at)) = &self.current_header {
                    if !self.decisions.removed_headers.contains(at) {
                        self.decisions.changes.remove.push(name.clone());
                        self.decisions.removed_headers.push(at.clone());
                    }
                }
            }
            I::Inject | I::Replace => {
                let Some(text) = self.pop() else {
                    return Flow::Return;
                };
                if let Some(header) = split_header(&text.text()) {
                    let list = if instruction == I::Inject {
                        &mut self.decisions.changes.add
                    } else {
                        &mut self.decisions.changes.replace
                    };
                    list.push(header);
                }
            }
            I::DiscardMessage => self.reject(552, "Delivery Failed".to_string()),
            I::Ndn => {
                let Some(text) = self.pop() else {
                    return Flow::Return;
                };
                let text = match reply_text(&text.text()) {
                    text if text.is_empty() => reply_text(self.ndn_text),
                    text => text,
                };
                self.reject(550, format!("5.7.1 {text}"));
            }
            I::NdnDefault => {
                let text = format!("5.7.1 {}", reply_text(self.ndn_text));
                self.reject(550, text);
            }
            I::Done => self.decisions.stop(Stop::Done),
            I::Return => return Flow::Return,
        }
        Flow::Next
    }

    fn call(&mut self, builtin: Builtin) -> Flow {
        let arity = builtin.arity();
        if self.stack.len() < arity {
            return Flow::Return;
        }
        let args = self.stack.split_off(self.stack.len() - arity);
        let result = functions::call(builtin, &args, self.lists, self.headers);
        self.push(result);
        Flow::Next
    }

    fn fire(&mut self, rule: u32, matched: Option<String>) {
        if !self.explain {
            return;
        }
        let Some(info) = self.code.rules.get(rule as usize) else {
            return;
        };
        let file = self
            .code
            .files
            .get(info.file as usize)
            .cloned()
            .unwrap_or_default();
        self.decisions.fired.push(Fired {
            file,
            line: info.line,
            matched,
        });
    }

    /// Rejects the message; the first rejection's reply stays.
    fn reject(&mut self, code: u16, text: String) {
        if self.decisions.reply.is_none() {
            self.decisions.reply = Some(Reply { code, text });
        }
        self.decisions.stop(Stop::Rejected);
    }
}

/// The interpreter's next step after an instruction.
enum Flow {
    Next,
    Jump(u32),
    Return,
}

/// Splits `Name: value` into a header, with line breaks in the value
/// turned into spaces so an interpolated value cannot start a new header.
/// Returns `None` when there is no colon or the name is empty or invalid.
fn split_header(text: &str) -> Option<(String, String)> {
    let (name, value) = text.split_once(':')?;
    let name = name.trim();
    let valid_name = !name.is_empty()
        && name
            .bytes()
            .all(|byte| byte.is_ascii_graphic() && byte != b':');
    if !valid_name {
        return None;
    }
    Some((name.to_string(), single_line(value.trim())))
}

/// Longest reply text, in bytes. An SMTP reply line is at most 512 bytes
/// (the limit E0117 checks), and the code, its space and CR LF take 6.
pub(crate) const MAX_REPLY_BYTES: usize = 506;

/// Returns the text as an SMTP reply on one line of printable ASCII, at
/// most [`MAX_REPLY_BYTES`] long with its enhanced status code `5.7.1 `:
/// other characters become `?`, and a longer text is cut.
fn reply_text(text: &str) -> String {
    let max = MAX_REPLY_BYTES - "5.7.1 ".len();
    single_line(text.trim())
        .chars()
        .map(|c| if c.is_ascii() { c } else { '?' })
        .take(max)
        .collect()
}

fn single_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}
