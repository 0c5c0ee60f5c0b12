//! Address lists (`From`, `To`, `Cc`, or any header that holds
//! addresses), parsed from the raw header value so that encoded display
//! names are decoded one by one.

use super::decode::decode_rfc2047;

/// One mailbox of an address list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    /// The display name, decoded, or the comment of a bare address.
    pub name: Option<String>,
    /// The address as written, without angle brackets.
    pub address: String,
}

impl Address {
    /// Returns the part before the last `@`, or the whole address when
    /// there is none.
    pub fn local_part(&self) -> &str {
        match self.address.rfind('@') {
            Some(at) => &self.address[..at],
            None => &self.address,
        }
    }

    /// Returns the part after the last `@`, or `""` when there is none.
    pub fn domain(&self) -> &str {
        match self.address.rfind('@') {
            Some(at) => &self.address[at + 1..],
            None => "",
        }
    }
}

/// Parses an unfolded, undecoded address list. Group names are dropped and
/// their members listed; entries without an address are skipped.
pub fn parse_address_list(raw: &str) -> Vec<Address> {
    let mut out = Vec::new();
    for segment in split_top_level(raw) {
        if let Some(address) = parse_mailbox(&segment) {
            out.push(address);
        }
    }
    out
}

/// Splits at top-level `,` and `;`, dropping group names (`name:`).
/// Quoted strings, comments and angle brackets are kept whole.
fn split_top_level(raw: &str) -> Vec<String> {
    let mut segments = Vec::new();
    let mut current = String::new();
    let mut in_quote = false;
    let mut escaped = false;
    let mut comment_depth = 0usize;
    let mut in_angle = false;

    for c in raw.chars() {
        if escaped {
            current.push(c);
            escaped = false;
            continue;
        }
        match c {
            '\\' if in_quote || comment_depth > 0 => escaped = true,
            '"' if comment_depth == 0 => in_quote = !in_quote,
            '(' if !in_quote => comment_depth += 1,
            ')' if !in_quote && comment_depth > 0 => comment_depth -= 1,
            '<' if !in_quote && comment_depth == 0 => in_angle = true,
            '>' if !in_quote && comment_depth == 0 => in_angle = false,
            ',' | ';' if !in_quote && comment_depth == 0 && !in_angle => {
                segments.push(std::mem::take(&mut current));
                continue;
            }
            ':' if !in_quote && comment_depth == 0 && !in_angle => {
                // A group name ends here; its members follow.
                current.clear();
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    segments.push(current);
    segments
}

fn parse_mailbox(segment: &str) -> Option<Address> {
    let (outside, comments) = strip_comments(segment);
    let (name, address) = match (outside.find('<'), outside.rfind('>')) {
        (Some(open), close) => {
            let close = close.filter(|&close| close > open).unwrap_or(outside.len());
            let inner = &outside[open + 1..close];
            (outside[..open].trim().to_owned(), strip_route(inner))
        }
        _ => (String::new(), outside.as_str()),
    };
    let address: String = address.chars().filter(|c| !c.is_whitespace()).collect();
    if address.is_empty() {
        return None;
    }
    let name = if name.is_empty() { comments } else { name };
    let name = decode_rfc2047(unquote(name.trim()).trim());
    Some(Address {
        name: (!name.is_empty()).then_some(name),
        address,
    })
}

/// Removes `(comments)` outside quoted strings. Returns the rest and the
/// comment text joined by spaces.
fn strip_comments(text: &str) -> (String, String) {
    let mut outside = String::with_capacity(text.len());
    let mut comments = String::new();
    let mut depth = 0usize;
    let mut in_quote = false;
    let mut escaped = false;
    for c in text.chars() {
        let target = if depth > 0 {
            &mut comments
        } else {
            &mut outside
        };
        if escaped {
            target.push(c);
            escaped = false;
            continue;
        }
        match c {
            '\\' if in_quote || depth > 0 => {
                escaped = true;
                if depth == 0 {
                    outside.push(c);
                }
            }
            '"' if depth == 0 => {
                in_quote = !in_quote;
                outside.push(c);
            }
            '(' if !in_quote => {
                if depth > 0 {
                    comments.push(c);
                } else if !comments.is_empty() {
                    comments.push(' ');
                }
                depth += 1;
            }
            ')' if !in_quote && depth > 0 => {
                depth -= 1;
                if depth > 0 {
                    comments.push(c);
                }
            }
            _ => target.push(c),
        }
    }
    (outside, comments.trim().to_owned())
}

/// Drops an obsolete source route (`@relay1,@relay2:user@host`).
fn strip_route(inner: &str) -> &str {
    let inner = inner.trim();
    if inner.starts_with('@') {
        if let Some(colon) = inner.find(':') {
            return &inner[colon + 1..];
        }
    }
    inner
}

fn unquote(text: &str) -> String {
    let Some(inner) = text.strip_prefix('"') else {
        return text.to_owned();
    };
    let inner = inner.strip_suffix('"').unwrap_or(inner);
    let mut out = String::with_capacity(inner.len());
    let mut escaped = false;
    for c in inner.chars() {
        if c == '\\' && !escaped {
            escaped = true;
            continue;
        }
        escaped = false;
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(raw: &str) -> Vec<(Option<String>, String)> {
        parse_address_list(raw)
            .into_iter()
            .map(|a| (a.name, a.address))
            .collect()
    }

    #[test]
    fn names_quotes_and_comments() {
        let raw = r#""Doe, Jane" <jane@example.com>, bob@example.org (Bob Smith), <x@y.z>"#;
        assert_eq!(
            pairs(raw),
            [
                (Some("Doe, Jane".to_owned()), "jane@example.com".to_owned()),
                (Some("Bob Smith".to_owned()), "bob@example.org".to_owned()),
                (None, "x@y.z".to_owned()),
            ]
        );
    }

    #[test]
    fn groups_and_encoded_names() {
        let raw =
            "Team: =?utf-8?q?J=C3=B6rg?= <j@example.com>, k@example.com;, undisclosed-recipients:;";
        assert_eq!(
            pairs(raw),
            [
                (Some("Jörg".to_owned()), "j@example.com".to_owned()),
                (None, "k@example.com".to_owned()),
            ]
        );
    }

    #[test]
    fn local_part_and_domain() {
        let address = &parse_address_list("<@relay:Ann.Lee@Mail.Example.COM>")[0];
        assert_eq!(address.local_part(), "Ann.Lee");
        assert_eq!(address.domain(), "Mail.Example.COM");
        let bare = &parse_address_list("MAILER-DAEMON")[0];
        assert_eq!(bare.local_part(), "MAILER-DAEMON");
        assert_eq!(bare.domain(), "");
    }

    #[test]
    fn broken_lists_do_not_panic() {
        for raw in [
            "<", ">", "\"", "(", "a <b", "<<a>>", "\\", "(\\", ":;,", "\"a\\",
        ] {
            let _ = parse_address_list(raw);
        }
    }
}
