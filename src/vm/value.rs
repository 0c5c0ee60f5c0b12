//! Run-time values and the rules that combine them.
//!
//! A value is an integer, a string or unset. Where two values meet, both
//! are read as integers when both can be (an unset value reads as 0, a
//! string when it is an optionally signed run of digits); otherwise both
//! are read as strings (an unset value reads as "").

use std::borrow::Cow;
use std::cmp::Ordering;

use crate::program::bytecode::{Comparison, Constant};

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Value {
    /// A variable that was never set.
    #[default]
    Unset,
    Int(i64),
    Str(String),
}

impl Value {
    pub fn from_bool(value: bool) -> Value {
        Value::Int(i64::from(value))
    }

    /// Returns the integer this value reads as, if any.
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Unset => Some(0),
            Value::Int(number) => Some(*number),
            Value::Str(text) => parse_int(text),
        }
    }

    /// Returns the integer this value reads as, or 0.
    pub fn to_int(&self) -> i64 {
        self.as_int().unwrap_or(0)
    }

    /// Returns the value as text.
    pub fn text(&self) -> Cow<'_, str> {
        match self {
            Value::Unset => Cow::Borrowed(""),
            Value::Int(number) => Cow::Owned(number.to_string()),
            Value::Str(text) => Cow::Borrowed(text),
        }
    }

    /// Moves the value out as a string.
    pub fn into_text(self) -> String {
        match self {
            Value::Unset => String::new(),
            Value::Int(number) => number.to_string(),
            Value::Str(text) => text,
        }
    }

    /// Truth: a non-zero integer, or a non-empty string that does not read
    /// as 0.
    pub fn is_true(&self) -> bool {
        match self {
            Value::Unset => false,
            Value::Int(number) => *number != 0,
            Value::Str(text) => match parse_int(text) {
                Some(number) => number != 0,
                None => !text.is_empty(),
            },
        }
    }

    /// `a + b`: the sum when both read as integers, else the concatenation.
    pub fn plus(self, other: Value) -> Value {
        match (self.as_int(), other.as_int()) {
            (Some(a), Some(b)) => Value::Int(a.saturating_add(b)),
            _ => {
                let mut text = self.into_text();
                text.push_str(&other.text());
                Value::Str(text)
            }
        }
    }

    /// `a - b`, both read as integers.
    pub fn subtract(&self, other: &Value) -> Value {
        Value::Int(self.to_int().saturating_sub(other.to_int()))
    }

    pub fn compare(&self, other: &Value, comparison: Comparison) -> bool {
        let ordering = match (self.as_int(), other.as_int()) {
            (Some(a), Some(b)) => a.cmp(&b),
            _ => self.text().as_ref().cmp(other.text().as_ref()),
        };
        match comparison {
            Comparison::Equal => ordering == Ordering::Equal,
            Comparison::NotEqual => ordering != Ordering::Equal,
            Comparison::Less => ordering == Ordering::Less,
            Comparison::LessEqual => ordering != Ordering::Greater,
            Comparison::Greater => ordering == Ordering::Greater,
            Comparison::GreaterEqual => ordering != Ordering::Less,
        }
    }
}

impl From<&Constant> for Value {
    fn from(constant: &Constant) -> Value {
        match constant {
            Constant::Int(number) => Value::Int(*number),
            Constant::Str(text) => Value::Str(text.clone()),
        }
    }
}

/// Reads an optionally signed run of ASCII digits, with surrounding white
/// space allowed, as an integer. Anything else, including overflow, is not
/// an integer.
fn parse_int(text: &str) -> Option<i64> {
    let trimmed = text.trim();
    let digits = trimmed.strip_prefix(['-', '+']).unwrap_or(trimmed);
    if digits.is_empty() || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    trimmed.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: &str) -> Value {
        Value::Str(value.to_string())
    }

    #[test]
    fn integer_strings_compare_as_numbers() {
        assert!(text("10").compare(&Value::Int(9), Comparison::Greater));
        assert!(text(" 7 ").compare(&text("7"), Comparison::Equal));
    }

    #[test]
    fn other_strings_compare_case_sensitively() {
        assert!(text("10a").compare(&text("9"), Comparison::Less));
        assert!(!text("Abc").compare(&text("abc"), Comparison::Equal));
    }

    #[test]
    fn unset_reads_as_zero_or_empty() {
        assert!(Value::Unset.compare(&Value::Int(0), Comparison::Equal));
        assert!(Value::Unset.compare(&text(""), Comparison::Equal));
        assert!(!Value::Unset.is_true());
    }

    #[test]
    fn plus_sums_numbers_and_joins_strings() {
        assert_eq!(Value::Int(2).plus(text("3")), Value::Int(5));
        assert_eq!(text("A;").plus(text("B;")), text("A;B;"));
        assert_eq!(Value::Unset.plus(text("X;")), text("X;"));
        assert_eq!(Value::Unset.plus(Value::Int(4)), Value::Int(4));
        assert_eq!(
            Value::Int(i64::MAX).plus(Value::Int(1)),
            Value::Int(i64::MAX)
        );
    }

    #[test]
    fn truth_of_strings() {
        assert!(!text("0").is_true());
        assert!(!text("").is_true());
        assert!(text("no").is_true());
    }
}
