//! The built-in variables of the server tier: their types, whether rules
//! may assign them, and the events in which they hold a value.
//!
//! Any other `$name` is an administrator's variable: writable, untyped,
//! and 0 or the empty string until a rule sets it.

use crate::ast::server::{variable_key, SelectorKind};
use crate::check::functions::ValueType;

/// The events in which a variable holds a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every rule.
    Everywhere,
    /// Rules on a header name or `*`: the current header.
    Header,
    /// `@` rules: the current attachment.
    Attachment,
    /// `<` rules: the current link.
    Link,
    /// `>` rules: the body text.
    Body,
}

impl Scope {
    /// Whether a rule with this selector runs while the variable is set.
    pub fn includes(self, selector: &SelectorKind) -> bool {
        match self {
            Scope::Everywhere => true,
            Scope::Header => matches!(selector, SelectorKind::Header(_) | SelectorKind::AnyHeader),
            Scope::Attachment => matches!(selector, SelectorKind::Attachment),
            Scope::Link => matches!(selector, SelectorKind::Link),
            Scope::Body => matches!(selector, SelectorKind::Body),
        }
    }

    /// The selectors of the scope, as written before the colon.
    pub fn selectors(self) -> &'static str {
        match self {
            Scope::Everywhere => "any selector",
            Scope::Header => "a header name or `*`",
            Scope::Attachment => "`@`",
            Scope::Link => "`<`",
            Scope::Body => "`>`",
        }
    }
}

/// One built-in variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuiltinVariable {
    /// Canonical spelling, without `$`.
    pub name: &'static str,
    pub kind: ValueType,
    pub writable: bool,
    pub scope: Scope,
    /// One line for the language reference.
    pub doc: &'static str,
}

const fn message(name: &'static str, kind: ValueType, doc: &'static str) -> BuiltinVariable {
    BuiltinVariable {
        name,
        kind,
        writable: false,
        scope: Scope::Everywhere,
        doc,
    }
}

const fn event(name: &'static str, scope: Scope, doc: &'static str) -> BuiltinVariable {
    BuiltinVariable {
        name,
        kind: ValueType::Str,
        writable: false,
        scope,
        doc,
    }
}

const fn setting(name: &'static str, doc: &'static str) -> BuiltinVariable {
    BuiltinVariable {
        name,
        kind: ValueType::Int,
        writable: true,
        scope: Scope::Everywhere,
        doc,
    }
}

/// Every built-in variable except the `$Form.Config.ID.FIELD` family.
pub const BUILTIN_VARIABLES: &[BuiltinVariable] = &[
    setting("spamlevel", "the message's spam level, 0 at the start"),
    BuiltinVariable {
        name: "spamtests",
        kind: ValueType::Str,
        writable: true,
        scope: Scope::Everywhere,
        doc: "names of the tests that fired, each followed by `;`",
    },
    setting(
        "IsSpammer",
        "set to 1 to accept the message at SMTP level and drop it silently \
         (`$lsSpammer` is the same variable)",
    ),
    setting(
        "LowSpamMin",
        "lowest level of the low band (rulec.toml `bands.low_min`)",
    ),
    setting(
        "LowSpamMax",
        "highest level of the low band (`bands.low_max`)",
    ),
    setting(
        "MedSpamMin",
        "lowest level of the medium band (`bands.medium_min`)",
    ),
    setting(
        "MedSpamMax",
        "highest level of the medium band (`bands.medium_max`)",
    ),
    setting(
        "HighSpamMin",
        "lowest level of the high band (`bands.high_min`)",
    ),
    setting(
        "HighSpamMax",
        "highest level of the high band (`bands.high_max`)",
    ),
    message(
        "subject",
        ValueType::Str,
        "the first Subject header, decoded",
    ),
    message("from", ValueType::Str, "the first From header, decoded"),
    message("to", ValueType::Str, "the first To header, decoded"),
    message("cc", ValueType::Str, "the first Cc header, decoded"),
    message(
        "sender",
        ValueType::Str,
        "the envelope sender (SMTP MAIL FROM)",
    ),
    message(
        "SenderIP",
        ValueType::Str,
        "the IP address of the SMTP client",
    ),
    message(
        "helo",
        ValueType::Str,
        "the name the SMTP client gave in HELO or EHLO",
    ),
    message(
        "rcptcount",
        ValueType::Int,
        "the number of envelope recipients",
    ),
    message("size", ValueType::Int, "the size of the message in bytes"),
    event("header", Scope::Header, "the name of the current header"),
    event(
        "value",
        Scope::Header,
        "the decoded value of the current header",
    ),
    event(
        "attachname",
        Scope::Attachment,
        "the current attachment's file name",
    ),
    event(
        "attachtype",
        Scope::Attachment,
        "the current attachment's MIME type",
    ),
    event("linkurl", Scope::Link, "the URL of the current link"),
    event("body", Scope::Body, "the body text"),
];

/// The fields a `$Form.Config.ID.FIELD` variable may name, and their types.
pub const CONFIG_FIELDS: &[(&str, ValueType)] = &[
    ("Checkbox", ValueType::Int),
    ("String", ValueType::Str),
    ("Number", ValueType::Int),
];

/// Kind of thing a variable name refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VariableKind {
    Builtin(&'static BuiltinVariable),
    /// `$Form.Config.ID.FIELD` with a known field.
    Config(ValueType),
    /// `$Form.Config…` that is not `ID.FIELD` with a known field.
    InvalidConfig,
    /// An administrator's variable.
    User,
}

/// Classifies a variable by name (as written, without `$`).
pub fn classify(name: &str) -> VariableKind {
    let key = variable_key(name);
    if let Some(builtin) = BUILTIN_VARIABLES
        .iter()
        .find(|builtin| builtin.name.eq_ignore_ascii_case(&key))
    {
        return VariableKind::Builtin(builtin);
    }
    let Some(rest) = strip_prefix_ignore_case(name, "form.config") else {
        return VariableKind::User;
    };
    let Some(rest) = rest.strip_prefix('.') else {
        return if rest.is_empty() {
            VariableKind::InvalidConfig
        } else {
            VariableKind::User
        };
    };
    match config_field(rest) {
        Some(kind) => VariableKind::Config(kind),
        None => VariableKind::InvalidConfig,
    }
}

/// Returns the type of the `ID.FIELD` part of a config variable when the
/// ID is present and the field is known.
fn config_field(id_and_field: &str) -> Option<ValueType> {
    let (id, field) = id_and_field.rsplit_once('.')?;
    if id.is_empty() {
        return None;
    }
    CONFIG_FIELDS
        .iter()
        .find(|(known, _)| known.eq_ignore_ascii_case(field))
        .map(|&(_, kind)| kind)
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lsspammer_is_isspammer() {
        let VariableKind::Builtin(builtin) = classify("lsSpammer") else {
            panic!("lsSpammer is not a built-in");
        };
        assert_eq!(builtin.name, "IsSpammer");
    }

    #[test]
    fn config_fields_ignore_case() {
        assert_eq!(
            classify("Form.Config.1202.checkbox"),
            VariableKind::Config(ValueType::Int)
        );
        assert_eq!(
            classify("form.config.1203.STRING"),
            VariableKind::Config(ValueType::Str)
        );
        assert_eq!(
            classify("Form.Config.1202.Bool"),
            VariableKind::InvalidConfig
        );
        assert_eq!(
            classify("Form.Config.Checkbox"),
            VariableKind::InvalidConfig
        );
        assert_eq!(classify("Form.Config"), VariableKind::InvalidConfig);
    }

    #[test]
    fn other_names_are_user_variables() {
        assert_eq!(classify("SawMsgId"), VariableKind::User);
        assert_eq!(classify("FormConfig"), VariableKind::User);
    }

    #[test]
    fn per_event_scopes() {
        let VariableKind::Builtin(body) = classify("BODY") else {
            panic!("body is not a built-in");
        };
        assert!(body.scope.includes(&SelectorKind::Body));
        assert!(!body.scope.includes(&SelectorKind::MessageEnd));
        assert!(Scope::Header.includes(&SelectorKind::Header("Subject".into())));
    }
}
