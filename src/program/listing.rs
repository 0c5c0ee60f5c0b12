//! The numbered disassembly of a program, grouped by event.
//!
//! ```text
//! event ^
//!   rule 0 at rules.mailrules:1
//!     0000  Fire rule 0
//!     0001  PushInt 1
//! ```

use std::fmt::Write;

use super::bytecode::{Instruction, RuleTable, RuleTest};
use super::Program;

impl Program {
    /// Returns the disassembly: for each event, its rules in file order
    /// with their source line and numbered instructions.
    pub fn listing(&self) -> String {
        let events = &self.server.events;
        let mut out = String::new();
        let mut tables: Vec<(String, &RuleTable)> = vec![("^".to_string(), &events.begin)];
        for (name, table) in &events.headers {
            tables.push((format!("header {name}"), table));
        }
        tables.push(("*".to_string(), &events.any_header));
        tables.push((
            "empty selector (end of headers)".to_string(),
            &events.headers_end,
        ));
        tables.push(("@".to_string(), &events.attachment));
        tables.push(("<".to_string(), &events.link));
        tables.push((">".to_string(), &events.body));
        tables.push((".".to_string(), &events.message_end));
        for (name, table) in tables {
            if table.is_empty() {
                continue;
            }
            let _ = writeln!(out, "event {name}");
            let mut rules: Vec<u32> = table
                .always
                .iter()
                .chain(&table.pattern_rules)
                .copied()
                .collect();
            rules.sort_unstable();
            rules.dedup();
            for rule in rules {
                self.list_rule(rule, table, &mut out);
            }
        }
        out
    }

    fn list_rule(&self, rule: u32, table: &RuleTable, out: &mut String) {
        let server = &self.server;
        let Some(info) = server.rules.get(rule as usize) else {
            return;
        };
        let file = server
            .files
            .get(info.file as usize)
            .map_or("?", String::as_str);
        let test = match info.test {
            RuleTest::Always => String::new(),
            RuleTest::Pattern {
                pattern, negated, ..
            } => {
                let regex = table
                    .patterns
                    .as_ref()
                    .and_then(|set| set.get(pattern as usize))
                    .map_or("?", |pattern| pattern.regex());
                let verb = if negated { "does not match" } else { "matches" };
                format!(" when pattern {pattern} `{regex}` {verb}")
            }
        };
        let _ = writeln!(out, "  rule {rule} at {file}:{}{test}", info.line);
        let end = server
            .rules
            .get(rule as usize + 1)
            .map_or(server.code.len(), |next| next.entry as usize);
        for at in info.entry as usize..end.min(server.code.len()) {
            let text = self.instruction_text(server.code[at]);
            let _ = writeln!(out, "    {at:04}  {text}");
        }
    }

    fn instruction_text(&self, instruction: Instruction) -> String {
        let server = &self.server;
        let slot = |slot: u32| {
            server
                .slots
                .get(slot as usize)
                .map_or_else(|| format!("slot {slot}"), |name| format!("${name}"))
        };
        match instruction {
            Instruction::PushInt(index) => match server.ints.get(index as usize) {
                Some(number) => format!("PushInt {number}"),
                None => format!("PushInt #{index}"),
            },
            Instruction::PushStr(index) => match server.strings.get(index as usize) {
                Some(text) => format!("PushStr {text:?}"),
                None => format!("PushStr #{index}"),
            },
            Instruction::Load(index) => format!("Load {}", slot(index)),
            Instruction::Store(index) => format!("Store {}", slot(index)),
            Instruction::PushCapture(group) => format!("PushCapture \\{group}"),
            Instruction::Concat(count) => format!("Concat {count}"),
            Instruction::Compare(comparison) => format!("Compare {comparison:?}"),
            Instruction::Jump(target) => format!("Jump {target:04}"),
            Instruction::JumpIfFalse(target) => format!("JumpIfFalse {target:04}"),
            Instruction::JumpIfFalseOrPop(target) => format!("JumpIfFalseOrPop {target:04}"),
            Instruction::JumpIfTrueOrPop(target) => format!("JumpIfTrueOrPop {target:04}"),
            Instruction::Call(builtin) => format!("Call {}", builtin.name()),
            Instruction::InWordList(index) => match server.word_lists.get(index as usize) {
                Some(name) => format!("InWordList {name:?}"),
                None => format!("InWordList #{index}"),
            },
            Instruction::Match(index) => format!("Match pattern #{index}"),
            Instruction::NotMatch(index) => format!("NotMatch pattern #{index}"),
            Instruction::Fire(rule) => format!("Fire rule {rule}"),
            other => format!("{other:?}"),
        }
    }
}
