//! The code buffer the compiler writes into: instructions, deduplicated
//! constant pools and variable slots.

use std::collections::HashMap;

use crate::ast::server::Variable;
use crate::config::{Config, ConfigValue};
use crate::program::bytecode::{Constant, Instruction};
use crate::program::slots;

/// Instructions and pools under construction.
pub(crate) struct Emitter {
    pub code: Vec<Instruction>,
    pub ints: Vec<i64>,
    int_index: HashMap<i64, u32>,
    pub strings: Vec<String>,
    string_index: HashMap<String, u32>,
    /// Variable keys by slot.
    pub slots: Vec<String>,
    slot_index: HashMap<String, u32>,
    pub initial: Vec<(u32, Constant)>,
}

impl Emitter {
    /// Starts with the fixed slots, the band thresholds of `config` and
    /// `$spamtests = ""`.
    pub fn new(config: &Config) -> Emitter {
        let mut emitter = Emitter {
            code: Vec::new(),
            ints: Vec::new(),
            int_index: HashMap::new(),
            strings: Vec::new(),
            string_index: HashMap::new(),
            slots: Vec::new(),
            slot_index: HashMap::new(),
            initial: Vec::new(),
        };
        for name in slots::FIXED {
            emitter.slot(name);
        }
        let bands = &config.bands;
        let thresholds = [
            (slots::LOW_SPAM_MIN, bands.low_min),
            (slots::LOW_SPAM_MAX, bands.low_max),
            (slots::MED_SPAM_MIN, bands.medium_min),
            (slots::MED_SPAM_MAX, bands.medium_max),
            (slots::HIGH_SPAM_MIN, bands.high_min),
            (slots::HIGH_SPAM_MAX, bands.high_max),
        ];
        for (slot, value) in thresholds {
            emitter.initial.push((slot, Constant::Int(value)));
        }
        emitter.initial.push((slots::SPAM_LEVEL, Constant::Int(0)));
        emitter
            .initial
            .push((slots::SPAM_TESTS, Constant::Str(String::new())));
        emitter.initial.push((slots::IS_SPAMMER, Constant::Int(0)));
        emitter
    }

    /// Appends an instruction and returns its index.
    pub fn emit(&mut self, instruction: Instruction) -> u32 {
        self.code.push(instruction);
        self.code.len() as u32 - 1
    }

    /// Index the next instruction will get.
    pub fn here(&self) -> u32 {
        self.code.len() as u32
    }

    /// Points the jump at `at` to `target`.
    pub fn patch(&mut self, at: u32, target: u32) {
        if let Some(instruction) = self.code.get_mut(at as usize) {
            *instruction = match *instruction {
                Instruction::Jump(_) => Instruction::Jump(target),
                Instruction::JumpIfFalse(_) => Instruction::JumpIfFalse(target),
                Instruction::JumpIfFalseOrPop(_) => Instruction::JumpIfFalseOrPop(target),
                Instruction::JumpIfTrueOrPop(_) => Instruction::JumpIfTrueOrPop(target),
                other => other,
            };
        }
    }

    pub fn int(&mut self, value: i64) -> u32 {
        if let Some(&index) = self.int_index.get(&value) {
            return index;
        }
        self.ints.push(value);
        let index = self.ints.len() as u32 - 1;
        self.int_index.insert(value, index);
        index
    }

    pub fn string(&mut self, value: &str) -> u32 {
        if let Some(&index) = self.string_index.get(value) {
            return index;
        }
        self.strings.push(value.to_string());
        let index = self.strings.len() as u32 - 1;
        self.string_index.insert(value.to_string(), index);
        index
    }

    /// Returns the slot of a case-folded variable key, adding one on first
    /// use.
    pub fn slot(&mut self, key: &str) -> u32 {
        if let Some(&slot) = self.slot_index.get(key) {
            return slot;
        }
        self.slots.push(key.to_string());
        let slot = self.slots.len() as u32 - 1;
        self.slot_index.insert(key.to_string(), slot);
        slot
    }

    /// Returns the slot of a variable. A `$Form.Config.ID.FIELD` variable
    /// found in `config` starts with the configured value.
    pub fn variable(&mut self, variable: &Variable, config: &Config) -> u32 {
        let key = variable.key();
        let known = self.slot_index.contains_key(&key);
        let slot = self.slot(&key);
        if !known {
            if let Some(value) = form_config_value(&key, config) {
                self.initial.push((slot, value));
            }
        }
        slot
    }
}

/// Looks up `form.config.ID.FIELD` in the `[form_config]` table, whose
/// keys are `ID.FIELD` in any case.
fn form_config_value(key: &str, config: &Config) -> Option<Constant> {
    let field = key.strip_prefix("form.config.")?;
    let (_, value) = config
        .form_config
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(field))?;
    Some(match value {
        ConfigValue::Int(number) => Constant::Int(*number),
        ConfigValue::Str(text) => Constant::Str(text.clone()),
    })
}
