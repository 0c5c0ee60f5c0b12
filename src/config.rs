//! `rulec.toml`: optional settings of a rule set.
//!
//! ```toml
//! [bands]            # spam-level thresholds, readable as $LowSpamMin …
//! low_min = 1
//! low_max = 24
//! medium_min = 25
//! medium_max = 49
//! high_min = 50
//! high_max = 100
//!
//! [headers]
//! automatic = true   # add X-SPAM-Level, X-SPAM-Warning, X-SPAM-Tests
//!
//! [replies]
//! ndn = "Message rejected as spam"
//!
//! [form_config]      # values of $Form.Config.ID.FIELD
//! "1202.Checkbox" = 0
//! "1203.String" = "192.0.2.25"
//!
//! [limits]           # see limits.rs for every key and default
//! max_instructions = 1000000
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::limits::Limits;

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub bands: Bands,
    pub headers: HeaderSettings,
    pub replies: Replies,
    /// `$Form.Config.ID.FIELD` values keyed by `ID.FIELD`, case-folded on
    /// lookup.
    pub form_config: BTreeMap<String, ConfigValue>,
    pub limits: Limits,
}

/// Spam-level bands. A level of 0 or below is `none`; above `high_max` is
/// `extreme`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Bands {
    pub low_min: i64,
    pub low_max: i64,
    pub medium_min: i64,
    pub medium_max: i64,
    pub high_min: i64,
    pub high_max: i64,
}

impl Default for Bands {
    fn default() -> Bands {
        Bands {
            low_min: 1,
            low_max: 24,
            medium_min: 25,
            medium_max: 49,
            high_min: 50,
            high_max: 100,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Band {
    None,
    Low,
    Medium,
    High,
    Extreme,
}

impl Band {
    pub fn as_str(self) -> &'static str {
        match self {
            Band::None => "none",
            Band::Low => "low",
            Band::Medium => "medium",
            Band::High => "high",
            Band::Extreme => "extreme",
        }
    }
}

impl Bands {
    /// Returns the band of a spam level. Levels that fall in a gap between
    /// configured bands take the band below them.
    pub fn band(&self, level: i64) -> Band {
        if level > self.high_max {
            Band::Extreme
        } else if level >= self.high_min {
            Band::High
        } else if level >= self.medium_min {
            Band::Medium
        } else if level >= self.low_min && level > 0 {
            Band::Low
        } else {
            Band::None
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HeaderSettings {
    /// Add the X-SPAM-* headers at the end of the message unless the rules
    /// already set them.
    pub automatic: bool,
}

impl Default for HeaderSettings {
    fn default() -> HeaderSettings {
        HeaderSettings { automatic: true }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Replies {
    /// Text of `NDN` without an argument.
    pub ndn: String,
}

impl Default for Replies {
    fn default() -> Replies {
        Replies {
            ndn: "Message rejected by content filter".to_string(),
        }
    }
}

/// A `$Form.Config` value: a number or a string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum ConfigValue {
    Int(i64),
    Str(String),
}

impl<'de> Deserialize<'de> for ConfigValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<ConfigValue, D::Error> {
        deserializer.deserialize_any(ConfigValueVisitor)
    }
}

/// Reads a `[form_config]` value, naming the accepted types on a mismatch
/// instead of serde's message about untagged enums.
struct ConfigValueVisitor;

impl serde::de::Visitor<'_> for ConfigValueVisitor {
    type Value = ConfigValue;

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str("an integer or a string")
    }

    fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<ConfigValue, E> {
        Ok(ConfigValue::Int(value))
    }

    fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<ConfigValue, E> {
        i64::try_from(value)
            .map(ConfigValue::Int)
            .map_err(|_| E::custom(format!("{value} is too large for an integer value")))
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<ConfigValue, E> {
        Ok(ConfigValue::Str(value.to_string()))
    }
}

/// A setting of `rulec.toml` whose value cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    /// The key as written in the file, such as `high_min`.
    pub key: &'static str,
    pub message: String,
}

impl Config {
    /// Checks values that parse but make no sense together: band
    /// thresholds out of order, and limits over what rulec can honour.
    /// Returns every problem, not only the first.
    pub fn validate(&self) -> Vec<ConfigProblem> {
        let mut problems = Vec::new();
        let bands = &self.bands;
        if bands.low_min < 1 {
            problems.push(ConfigProblem {
                key: "low_min",
                message: format!(
                    "`low_min` is {}, but levels of 0 and below are always band `none`; \
                     it must be at least 1",
                    bands.low_min
                ),
            });
        }
        let order = [
            ("low_min", bands.low_min),
            ("low_max", bands.low_max),
            ("medium_min", bands.medium_min),
            ("medium_max", bands.medium_max),
            ("high_min", bands.high_min),
            ("high_max", bands.high_max),
        ];
        for pair in order.windows(2) {
            let ((lower_key, lower), (upper_key, upper)) = (pair[0], pair[1]);
            // A band's min may equal its max; the next band starts above.
            let strict = lower_key.ends_with("_max");
            if (strict && lower >= upper) || (!strict && lower > upper) {
                let relation = if strict { "below" } else { "at most" };
                problems.push(ConfigProblem {
                    key: upper_key,
                    message: format!(
                        "`{lower_key}` ({lower}) must be {relation} `{upper_key}` ({upper})"
                    ),
                });
            }
        }
        if let Err(message) = self.limits.validate() {
            problems.push(ConfigProblem {
                key: "max_expression_depth",
                message,
            });
        }
        problems
    }

    /// Parses the text of `rulec.toml`.
    ///
    /// # Errors
    ///
    /// Returns the TOML error, which carries the byte span of the problem.
    pub fn parse(text: &str) -> Result<Config, toml::de::Error> {
        toml::from_str(text)
    }
}
