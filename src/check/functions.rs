//! The `@` functions of the server tier: one table shared by the checker,
//! which checks names, argument counts and literal argument types, and by
//! the VM, which maps each [`FunctionId`] to its implementation.
//!
//! Function names are case-insensitive: `@IsTrustedIP`, `@istrustedip` and
//! `@ISTRUSTEDIP` are the same function.

/// Identifies a function independently of how its name was spelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FunctionId {
    IsTrustedIp,
    IsTrustedAddress,
    IsBlockedIp,
    IsBlockedAddress,
    InBlockList,
    InWordList,
    HasHeader,
    HeaderCount,
    IsUpper,
    Len,
    Lower,
    Domain,
}

/// The static type of a value. At run time every value is an integer or a
/// string; [`ValueType::Bool`] is an integer that is always 0 or 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValueType {
    Int,
    Bool,
    Str,
}

/// What a parameter accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParamType {
    /// Any value, read as a string (an integer reads as its digits).
    Str,
    /// An integer; a string that reads as an integer is accepted too.
    Int,
    /// A string literal naming a `lists.NAME` document of the rule set.
    ListName,
}

/// One parameter of a function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param {
    /// Name used in documentation and messages.
    pub name: &'static str,
    pub kind: ParamType,
    /// Optional parameters come after all required ones.
    pub optional: bool,
}

/// One entry of the function table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Function {
    pub id: FunctionId,
    /// Canonical spelling, without `@`.
    pub name: &'static str,
    pub params: &'static [Param],
    pub result: ValueType,
    /// One line for the language reference and hover help.
    pub doc: &'static str,
}

impl Function {
    /// Number of arguments that must be given.
    pub fn min_args(&self) -> usize {
        self.params.iter().filter(|param| !param.optional).count()
    }

    /// Number of arguments that may be given.
    pub fn max_args(&self) -> usize {
        self.params.len()
    }

    /// The signature as written in documentation: `@inblocklist(text[, casesensitive])`.
    pub fn signature(&self) -> String {
        let mut text = format!("@{}(", self.name);
        for (index, param) in self.params.iter().enumerate() {
            if param.optional {
                text.push('[');
            }
            if index > 0 {
                text.push_str(", ");
            }
            text.push_str(param.name);
            if param.optional {
                text.push(']');
            }
        }
        text.push(')');
        text
    }
}

const fn required(name: &'static str, kind: ParamType) -> Param {
    Param {
        name,
        kind,
        optional: false,
    }
}

const fn optional(name: &'static str, kind: ParamType) -> Param {
    Param {
        name,
        kind,
        optional: true,
    }
}

/// Every function of the server tier, in documentation order.
pub const FUNCTIONS: &[Function] = &[
    Function {
        id: FunctionId::IsTrustedIp,
        name: "IsTrustedIP",
        params: &[required("ip", ParamType::Str)],
        result: ValueType::Bool,
        doc: "1 when the IP address is in an IP or CIDR entry of rules.trusted",
    },
    Function {
        id: FunctionId::IsTrustedAddress,
        name: "istrustedaddress",
        params: &[required("address", ParamType::Str)],
        result: ValueType::Bool,
        doc: "1 when the mail address, or its domain, is listed in rules.trusted",
    },
    Function {
        id: FunctionId::IsBlockedIp,
        name: "isblockedip",
        params: &[required("ip", ParamType::Str)],
        result: ValueType::Bool,
        doc: "1 when the IP address is in an IP or CIDR entry of rules.blocked",
    },
    Function {
        id: FunctionId::IsBlockedAddress,
        name: "isblockedaddress",
        params: &[required("address", ParamType::Str)],
        result: ValueType::Bool,
        doc: "1 when the mail address, or its domain, is listed in rules.blocked",
    },
    Function {
        id: FunctionId::InBlockList,
        name: "inblocklist",
        params: &[
            required("text", ParamType::Str),
            optional("casesensitive", ParamType::Int),
        ],
        result: ValueType::Bool,
        doc: "1 when the text contains an entry of rules.subjectblock; \
              case-insensitive unless casesensitive is non-zero",
    },
    Function {
        id: FunctionId::InWordList,
        name: "inwordlist",
        params: &[
            required("list", ParamType::ListName),
            required("text", ParamType::Str),
        ],
        result: ValueType::Bool,
        doc: "1 when the text contains a word or phrase of the named lists.NAME \
              document as a whole word or phrase, ignoring case",
    },
    Function {
        id: FunctionId::HasHeader,
        name: "hasheader",
        params: &[required("name", ParamType::Str)],
        result: ValueType::Bool,
        doc: "1 when the message has a header of that name",
    },
    Function {
        id: FunctionId::HeaderCount,
        name: "headercount",
        params: &[required("name", ParamType::Str)],
        result: ValueType::Int,
        doc: "number of headers of that name in the message",
    },
    Function {
        id: FunctionId::IsUpper,
        name: "isupper",
        params: &[required("text", ParamType::Str)],
        result: ValueType::Bool,
        doc: "1 when the text has a letter and no lower-case letter",
    },
    Function {
        id: FunctionId::Len,
        name: "len",
        params: &[required("text", ParamType::Str)],
        result: ValueType::Int,
        doc: "length of the text in characters",
    },
    Function {
        id: FunctionId::Lower,
        name: "lower",
        params: &[required("text", ParamType::Str)],
        result: ValueType::Str,
        doc: "the text in lower case",
    },
    Function {
        id: FunctionId::Domain,
        name: "domain",
        params: &[required("address", ParamType::Str)],
        result: ValueType::Str,
        doc: "the domain of a mail address, lower-cased, or the empty string \
              when it has none",
    },
];

/// Finds a function by name, ignoring case. `name` is without `@`.
pub fn lookup(name: &str) -> Option<&'static Function> {
    FUNCTIONS
        .iter()
        .find(|function| function.name.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_ignores_case() {
        assert_eq!(
            lookup("ISTRUSTEDIP").map(|f| f.id),
            Some(FunctionId::IsTrustedIp)
        );
        assert_eq!(
            lookup("inwordlist").map(|f| f.id),
            Some(FunctionId::InWordList)
        );
        assert!(lookup("inwordlst").is_none());
    }

    #[test]
    fn optional_parameters_come_last() {
        for function in FUNCTIONS {
            let first_optional = function.params.iter().position(|p| p.optional);
            if let Some(index) = first_optional {
                assert!(
                    function.params[index..].iter().all(|p| p.optional),
                    "{} has a required parameter after an optional one",
                    function.name
                );
            }
        }
    }

    #[test]
    fn signature_marks_optional_parameters() {
        let function = lookup("inblocklist").expect("inblocklist is in the table");
        assert_eq!(function.signature(), "@inblocklist(text[, casesensitive])");
        assert_eq!(function.min_args(), 1);
        assert_eq!(function.max_args(), 2);
    }
}
