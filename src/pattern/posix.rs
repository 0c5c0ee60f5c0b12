//! POSIX basic and extended regular expressions (`regexp:` and
//! `eregexp:`), translated to regex-automata syntax.
//!
//! Both dialects follow the POSIX regular expression syntax, with the GNU
//! grep extensions that rule writers expect:
//!
//! | construct | basic (`regexp:`) | extended (`eregexp:`) |
//! | --- | --- | --- |
//! | group | `\(…\)` | `(…)` |
//! | interval | `\{m,n\}`, `\{m\}`, `\{m,\}`, `\{,n\}` | `{m,n}` … |
//! | alternation | `\|` (GNU) | `\|` |
//! | one or more, zero or one | `\+`, `\?` (GNU) | `+`, `?` |
//! | literal `+ ? ( ) { } \|` | as written | escaped |
//! | `*` at the start of a pattern, group or alternative, or after its `^` | literal | literal |
//! | `^` | anchor at the start of a pattern, group or alternative, else literal | always an anchor |
//! | `$` | anchor at the end of a pattern, group or alternative, else literal | always an anchor |
//! | `\<`, `\>`, `\b`, `\B`, `\w`, `\W`, `\s`, `\S` | GNU word and space escapes | the same |
//! | `` \` ``, `\'` | start and end of the whole text | the same |
//! | `\n`, `\t`, `\r`, `\d`, `\D` | line feed, tab, carriage return, digit (rulec extensions) | the same |
//! | `\1` … `\9` | backreference: rejected (E0109) | the same |
//!
//! Bracket expressions take `[:alpha:]` and the other POSIX classes (ASCII
//! only), `[=c=]` and `[.c.]` for a single character, ranges, and a
//! leading `]` or a leading or trailing `-` as literals. A backslash inside
//! brackets is a literal backslash, as POSIX specifies.
//!
//! Matching is line-oriented, as in grep: `^` and `$` match at every line
//! start and end (`\n` or `\r\n`), and neither `.` nor a negated bracket
//! expression matches a line break.
//!
//! NOTE: POSIX picks the leftmost-longest match and regex-automata the
//! leftmost-first one. Whether a pattern matches is the same; what an
//! alternation's capture groups hold can differ (`\(a\|ab\)` on `ab`
//! captures `a`, not `ab`).

use super::{error, Mapped, PatternError};

/// The POSIX syntax a pattern is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// Basic regular expressions (`regexp:`), as grep reads them.
    Basic,
    /// Extended regular expressions (`eregexp:`), as grep -E reads them.
    Extended,
}

/// The POSIX character classes; regex-syntax has each under the same name.
const CLASSES: &[&str] = &[
    "alnum", "alpha", "blank", "cntrl", "digit", "graph", "lower", "print", "punct", "space",
    "upper", "xdigit",
];

/// Translates a POSIX pattern. The result still has to be parsed by
/// regex-syntax, which reports the remaining errors (unbalanced groups,
/// inverted ranges and counts).
pub(crate) fn translate(
    text: &str,
    dialect: Dialect,
    ignore_case: bool,
) -> Result<Mapped, PatternError> {
    let mut translator = Translator {
        text,
        pos: 0,
        dialect,
        out: Mapped::default(),
        at_start: true,
    };
    translator
        .out
        .push(if ignore_case { "(?imR)" } else { "(?mR)" }, 0);
    while let Some(c) = translator.peek() {
        let start = translator.pos;
        translator.pos += c.len_utf8();
        translator.token(c, start)?;
    }
    Ok(translator.out)
}

struct Translator<'a> {
    text: &'a str,
    /// Byte offset of the next character to read.
    pos: usize,
    dialect: Dialect,
    out: Mapped,
    /// Whether the next token starts a pattern, group or alternative, where
    /// `*` has nothing to repeat and a basic `^` is an anchor.
    at_start: bool,
}

impl Translator<'_> {
    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn rest(&self) -> &str {
        &self.text[self.pos..]
    }

    /// Translates one character read at `start` and whatever it opens.
    fn token(&mut self, c: char, start: usize) -> Result<(), PatternError> {
        let extended = self.dialect == Dialect::Extended;
        match c {
            '\\' => return self.escape(start),
            '[' => return self.bracket(start),
            '*' => self.quantifier('*', start),
            '^' => self.caret(start),
            '$' => self.dollar(start),
            '.' => self.push(".", start),
            '(' if extended => return self.open_group(start),
            ')' if extended => self.push(")", start),
            '|' if extended => self.alternation(start),
            '+' | '?' if extended => self.quantifier(c, start),
            '{' if extended => self.brace(start),
            _ => self.literal(c, start),
        }
        Ok(())
    }

    /// Appends regex text after which a `*` repeats again.
    fn push(&mut self, regex: &str, origin: usize) {
        self.out.push(regex, origin);
        self.at_start = false;
    }

    fn literal(&mut self, c: char, origin: usize) {
        self.out.push_literal(c, origin);
        self.at_start = false;
    }

    fn quantifier(&mut self, c: char, start: usize) {
        if self.at_start {
            self.literal(c, start);
        } else {
            let mut buffer = [0u8; 4];
            self.push(c.encode_utf8(&mut buffer), start);
        }
    }

    fn caret(&mut self, start: usize) {
        if self.dialect == Dialect::Basic && !self.at_start {
            self.literal('^', start);
        } else {
            // A `*` right after an anchor still has nothing to repeat.
            self.out.push("^", start);
            self.at_start = true;
        }
    }

    fn dollar(&mut self, start: usize) {
        let rest = self.rest();
        let anchor = self.dialect == Dialect::Extended
            || rest.is_empty()
            || rest.starts_with(r"\)")
            || rest.starts_with(r"\|");
        if anchor {
            self.push("$", start);
        } else {
            self.literal('$', start);
        }
    }

    fn open_group(&mut self, start: usize) -> Result<(), PatternError> {
        if self.rest().starts_with('?') {
            let construct = ["(?=", "(?!", "(?<=", "(?<!"]
                .into_iter()
                .find(|construct| self.text[start..].starts_with(construct));
            return Err(match construct {
                Some(construct) => error::lookaround(construct, start),
                None => error::invalid(
                    start,
                    format!("`(?` at offset {start} is Perl syntax, not POSIX"),
                    Some(
                        "write `\\?` for a literal question mark, or use /pattern/flags \
                         for Perl syntax such as `(?:…)`",
                    ),
                ),
            });
        }
        self.out.push("(", start);
        self.at_start = true;
        Ok(())
    }

    fn alternation(&mut self, start: usize) {
        self.out.push("|", start);
        self.at_start = true;
    }

    /// Translates an extended `{`: an interval when a valid count follows,
    /// otherwise a literal brace, as GNU grep -E reads it.
    fn brace(&mut self, start: usize) {
        match parse_interval(self.rest(), "}") {
            Some((regex, len)) => {
                self.pos += len;
                self.push(&regex, start);
            }
            None => self.literal('{', start),
        }
    }

    /// Translates a basic `\{`, which must start an interval.
    fn basic_interval(&mut self, start: usize) -> Result<(), PatternError> {
        match parse_interval(self.rest(), r"\}") {
            Some((regex, len)) => {
                self.pos += len;
                self.push(&regex, start);
                Ok(())
            }
            None => Err(error::invalid(
                start,
                format!("invalid interval `\\{{` at offset {start}"),
                Some(r"write `\{m\}`, `\{m,\}` or `\{m,n\}` with decimal counts"),
            )),
        }
    }

    /// Translates the escape whose backslash is at `start`.
    fn escape(&mut self, start: usize) -> Result<(), PatternError> {
        let Some(c) = self.peek() else {
            return Err(error::invalid(
                start,
                format!("pattern ends with a lone backslash at offset {start}"),
                Some(r"write `\\` for a literal backslash"),
            ));
        };
        self.pos += c.len_utf8();

        if self.dialect == Dialect::Basic {
            match c {
                '(' => return self.open_basic_group(start),
                ')' => {
                    self.push(")", start);
                    return Ok(());
                }
                '|' => {
                    self.alternation(start);
                    return Ok(());
                }
                '{' => return self.basic_interval(start),
                '+' | '?' => {
                    self.quantifier(c, start);
                    return Ok(());
                }
                _ => {}
            }
        }

        match c {
            '1'..='9' => return Err(error::backreference(&self.text[start..self.pos], start)),
            '<' => self.push(r"\b{start}", start),
            '>' => self.push(r"\b{end}", start),
            '`' => self.push(r"\A", start),
            '\'' => self.push(r"\z", start),
            'b' | 'B' | 'w' | 'W' | 's' | 'S' | 'd' | 'D' | 'n' | 't' | 'r' => {
                self.push(&format!("\\{c}"), start);
            }
            _ if c.is_ascii_alphanumeric() => {
                return Err(error::invalid(
                    start,
                    format!("unknown escape `\\{c}` at offset {start}"),
                    Some("remove the backslash to match the character itself"),
                ));
            }
            _ => self.literal(c, start),
        }
        Ok(())
    }

    fn open_basic_group(&mut self, start: usize) -> Result<(), PatternError> {
        self.out.push("(", start);
        self.at_start = true;
        Ok(())
    }

    /// Translates the bracket expression whose `[` is at `start`.
    fn bracket(&mut self, start: usize) -> Result<(), PatternError> {
        self.out.push("[", start);
        let negated = self.rest().starts_with('^');
        if negated {
            self.out.push("^", self.pos);
            self.pos += 1;
        }

        let mut first = true;
        loop {
            let Some(c) = self.peek() else {
                return Err(error::invalid(
                    start,
                    format!("unclosed bracket expression `[` at offset {start}"),
                    Some(r"close it with `]`, or write `\[` for a literal `[`"),
                ));
            };
            if c == ']' && !first {
                break;
            }
            first = false;
            if c == '[' && self.bracket_special()? {
                continue;
            }
            self.bracket_item(c);
        }

        if negated {
            // Lines are matched one by one, so a negated list never
            // matches a line break.
            self.out.push(r"\n\r", self.pos);
        }
        self.out.push("]", self.pos);
        self.pos += 1;
        self.at_start = false;
        Ok(())
    }

    /// Translates a character of a bracket expression, or a range that
    /// starts with it.
    fn bracket_item(&mut self, low: char) {
        let low_start = self.pos;
        self.pos += low.len_utf8();
        self.out.push(&class_literal(low), low_start);

        let mut after = self.rest().chars();
        if after.next() != Some('-') {
            return;
        }
        match after.next() {
            Some(high) if high != ']' => {
                self.out.push("-", self.pos);
                self.pos += 1;
                let high_start = self.pos;
                self.pos += high.len_utf8();
                self.out.push(&class_literal(high), high_start);
            }
            // A `-` before the closing `]` is a literal, read next.
            _ => {}
        }
    }

    /// Translates `[:class:]`, `[=c=]` or `[.c.]` at the current position.
    /// Returns false, consuming nothing, when the `[` opens none of them
    /// and so is a literal.
    fn bracket_special(&mut self) -> Result<bool, PatternError> {
        let start = self.pos;
        let rest = self.rest();
        let Some(delimiter) = rest[1..]
            .chars()
            .next()
            .filter(|c| matches!(c, ':' | '=' | '.'))
        else {
            return Ok(false);
        };
        let close = [delimiter, ']'].iter().collect::<String>();
        let Some(end) = rest[2..].find(&close) else {
            return Ok(false);
        };
        let name = &rest[2..2 + end];
        let consumed = 2 + end + 2;

        if delimiter == ':' {
            if !CLASSES.contains(&name) {
                return Err(error::invalid(
                    start,
                    format!("unknown character class `[:{name}:]` at offset {start}"),
                    Some(
                        "the classes are alnum, alpha, blank, cntrl, digit, graph, lower, \
                         print, punct, space, upper and xdigit",
                    ),
                ));
            }
            self.out.push(&format!("[:{name}:]"), start);
        } else {
            let mut chars = name.chars();
            let (Some(c), None) = (chars.next(), chars.next()) else {
                return Err(error::invalid(
                    start,
                    format!(
                        "`[{delimiter}{name}{delimiter}]` at offset {start} must name one character"
                    ),
                    None,
                ));
            };
            self.out.push(&class_literal(c), start);
        }
        self.pos += consumed;
        Ok(true)
    }
}

/// Escapes a character for use inside a regex-syntax class, where `[`,
/// `&&`, `--` and `~~` have meanings POSIX brackets lack.
fn class_literal(c: char) -> String {
    if c.is_ascii_punctuation() && c != '<' && c != '>' {
        format!("\\{c}")
    } else {
        c.to_string()
    }
}

/// Parses the count of an interval after its opening brace, up to and
/// including `close`. Returns the interval in regex-automata syntax and the
/// number of bytes read, or None when `text` does not start with a count.
fn parse_interval(text: &str, close: &str) -> Option<(String, usize)> {
    let min_len = text.bytes().take_while(u8::is_ascii_digit).count();
    let min = &text[..min_len];
    let mut len = min_len;

    let max = if text[len..].starts_with(',') {
        len += 1;
        let max_len = text[len..].bytes().take_while(u8::is_ascii_digit).count();
        let max = &text[len..len + max_len];
        len += max_len;
        Some(max)
    } else {
        None
    };
    if !text[len..].starts_with(close) {
        return None;
    }
    len += close.len();

    let min: u32 = if min.is_empty() { 0 } else { min.parse().ok()? };
    let regex = match max {
        None if min_len == 0 => return None,
        None => format!("{{{min}}}"),
        Some("") if min_len == 0 => return None,
        Some("") => format!("{{{min},}}"),
        Some(max) => format!("{{{min},{}}}", max.parse::<u32>().ok()?),
    };
    Some((regex, len))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn basic(text: &str) -> String {
        translate(text, Dialect::Basic, false).unwrap().regex
    }

    fn extended(text: &str) -> String {
        translate(text, Dialect::Extended, false).unwrap().regex
    }

    #[test]
    fn interval_forms() {
        assert_eq!(parse_interval("2}", "}"), Some(("{2}".to_string(), 2)));
        assert_eq!(parse_interval("2,}", "}"), Some(("{2,}".to_string(), 3)));
        assert_eq!(parse_interval(",3}", "}"), Some(("{0,3}".to_string(), 3)));
        assert_eq!(
            parse_interval(r"1,3\}", r"\}"),
            Some(("{1,3}".to_string(), 5))
        );
        assert_eq!(parse_interval(",}", "}"), None);
        assert_eq!(parse_interval("}", "}"), None);
        assert_eq!(parse_interval("a}", "}"), None);
    }

    #[test]
    fn basic_operators() {
        assert_eq!(basic(r"\(a\)\{1,2\}"), "(?mR)(a){1,2}");
        assert_eq!(basic("a+b?(c){d}|e"), r"(?mR)a\+b\?\(c\)\{d\}\|e");
        assert_eq!(basic(r"a\+b\?c\|d"), "(?mR)a+b?c|d");
        assert_eq!(basic("*a"), r"(?mR)\*a");
        assert_eq!(basic(r"\(*a\)"), r"(?mR)(\*a)");
        assert_eq!(basic("^*a"), r"(?mR)^\*a");
    }

    #[test]
    fn basic_anchors() {
        assert_eq!(basic("^a$"), "(?mR)^a$");
        assert_eq!(basic("a^b$c"), r"(?mR)a\^b\$c");
        assert_eq!(basic(r"\(^a$\)"), "(?mR)(^a$)");
        assert_eq!(basic(r"a$\|^b"), "(?mR)a$|^b");
    }

    #[test]
    fn extended_operators() {
        assert_eq!(extended("(a|b)+c?{2}"), "(?mR)(a|b)+c?{2}");
        assert_eq!(extended("a{x"), r"(?mR)a\{x");
        assert_eq!(extended("*a|+b"), r"(?mR)\*a|\+b");
        assert_eq!(extended(r"\(\)\{\|"), r"(?mR)\(\)\{\|");
    }

    #[test]
    fn brackets() {
        assert_eq!(extended("[]a-]"), r"(?mR)[\]a\-]");
        assert_eq!(extended("[^a-z]"), r"(?mR)[^a-z\n\r]");
        assert_eq!(
            extended("[[:alpha:][:digit:]_]"),
            r"(?mR)[[:alpha:][:digit:]\_]"
        );
        assert_eq!(extended(r"[\.]"), r"(?mR)[\\\.]");
        assert_eq!(extended("[[=e=][.-.]]"), r"(?mR)[e\-]");
        assert_eq!(extended("[a[b]"), r"(?mR)[a\[b]");
    }

    #[test]
    fn escapes() {
        assert_eq!(extended(r"\<word\>"), r"(?mR)\b{start}word\b{end}");
        assert_eq!(extended(r"\.\*\\"), r"(?mR)\.\*\\");
        assert_eq!(basic(r"\`a\'"), r"(?mR)\Aa\z");
    }
}
