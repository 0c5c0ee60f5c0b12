//! A small linear HTML scanner: renders HTML to text and collects link
//! URLs. It is not a full HTML parser. Each byte is looked at a bounded
//! number of times, so hostile markup costs no more than its length.

/// Renders HTML to text: tags, comments, scripts and styles dropped,
/// entities decoded, runs of whitespace collapsed, and a line break for
/// block elements such as `<p>`, `<br>` and `<div>`.
pub fn render_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    scan(html, |event| match event {
        Event::Text(text) => push_collapsed(&mut out, &decode_entities(text)),
        Event::Tag(tag) if is_block(tag.name) => push_break(&mut out),
        Event::Tag(_) => {}
    });
    let trimmed = out.trim_end();
    trimmed.trim_start_matches(['\n', ' ']).to_owned()
}

/// Collects the URLs of `<a href>` and `<img src>` in order, entity
/// decoded, at most `max` of them.
pub fn collect_links(html: &str, max: usize, out: &mut Vec<String>) {
    scan(html, |event| {
        let Event::Tag(tag) = event else {
            return;
        };
        if tag.is_end || out.len() >= max {
            return;
        }
        let wanted = if tag.name.eq_ignore_ascii_case("a") {
            "href"
        } else if tag.name.eq_ignore_ascii_case("img") {
            "src"
        } else {
            return;
        };
        if let Some(url) = tag.attribute(wanted) {
            let url = clean_url(&decode_entities(url));
            if !url.is_empty() {
                out.push(url);
            }
        }
    });
}

/// Strips what browsers strip from a URL attribute: surrounding
/// whitespace and tabs or line breaks inside.
fn clean_url(url: &str) -> String {
    url.trim()
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect()
}

enum Event<'h> {
    Text(&'h str),
    Tag(Tag<'h>),
}

struct Tag<'h> {
    name: &'h str,
    is_end: bool,
    /// The text between the name and `>`.
    attributes: &'h str,
}

impl<'h> Tag<'h> {
    /// Returns the raw value of attribute `wanted` (case-insensitive).
    fn attribute(&self, wanted: &str) -> Option<&'h str> {
        let mut rest = self.attributes;
        loop {
            rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
            if rest.is_empty() {
                return None;
            }
            let name_len = rest
                .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
                .unwrap_or(rest.len());
            let name = &rest[..name_len];
            rest = rest[name_len..].trim_start();
            let value = match rest.strip_prefix('=') {
                Some(after) => {
                    let (value, after) = split_attribute_value(after.trim_start());
                    rest = after;
                    Some(value)
                }
                None => None,
            };
            if name.eq_ignore_ascii_case(wanted) {
                return Some(value.unwrap_or(""));
            }
        }
    }
}

fn split_attribute_value(text: &str) -> (&str, &str) {
    for quote in ['"', '\''] {
        if let Some(inner) = text.strip_prefix(quote) {
            return match inner.find(quote) {
                Some(end) => (&inner[..end], &inner[end + 1..]),
                None => (inner, ""),
            };
        }
    }
    let end = text.find(char::is_whitespace).unwrap_or(text.len());
    (&text[..end], &text[end..])
}

/// Calls `on_event` for each run of text and each tag. Comments,
/// declarations and the content of `<script>`, `<style>` and `<title>` are
/// skipped.
fn scan<'h>(html: &'h str, mut on_event: impl FnMut(Event<'h>)) {
    let mut rest = html;
    while !rest.is_empty() {
        let Some(open) = rest.find('<') else {
            on_event(Event::Text(rest));
            return;
        };
        if open > 0 {
            on_event(Event::Text(&rest[..open]));
        }
        let markup = &rest[open..];

        if let Some(after) = markup.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        if markup.starts_with("<!") || markup.starts_with("<?") {
            rest = markup.find('>').map_or("", |end| &markup[end + 1..]);
            continue;
        }
        let Some(tag) = read_tag(markup) else {
            // A `<` that opens no tag is text, as browsers show it.
            on_event(Event::Text("<"));
            rest = &markup[1..];
            continue;
        };
        let (tag, after) = tag;
        let raw_text = !tag.is_end && is_hidden_content(tag.name);
        let name = tag.name;
        on_event(Event::Tag(tag));
        rest = if raw_text {
            skip_raw_text(after, name)
        } else {
            after
        };
    }
}

/// Reads `<name ...>` or `</name ...>` at the start of `markup`.
fn read_tag(markup: &str) -> Option<(Tag<'_>, &str)> {
    let body = &markup[1..];
    let (is_end, body) = match body.strip_prefix('/') {
        Some(body) => (true, body),
        None => (false, body),
    };
    let name_len = body
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(body.len());
    if name_len == 0 || !body.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let name = &body[..name_len];
    let after_name = &body[name_len..];
    let close = find_tag_end(after_name);
    let attributes = &after_name[..close.min(after_name.len())];
    let rest = after_name.get(close + 1..).unwrap_or("");
    Some((
        Tag {
            name,
            is_end,
            attributes,
        },
        rest,
    ))
}

/// Finds the `>` that ends a tag, skipping `>` inside quoted attribute
/// values. Returns the length of `text` when the tag is not closed.
fn find_tag_end(text: &str) -> usize {
    let mut quote = None;
    for (at, c) in text.char_indices() {
        match (quote, c) {
            (None, '>') => return at,
            (None, '"' | '\'') => quote = Some(c),
            (Some(open), _) if c == open => quote = None,
            _ => {}
        }
    }
    text.len()
}

/// Skips to the end of the matching `</script>`, `</style>` or `</title>`.
fn skip_raw_text<'h>(text: &'h str, name: &str) -> &'h str {
    let mut from = 0;
    while let Some(found) = text[from..].find("</") {
        let start = from + found;
        let candidate = &text[start + 2..];
        let matches = candidate
            .get(..name.len())
            .is_some_and(|prefix| prefix.eq_ignore_ascii_case(name));
        if matches {
            let after = &candidate[name.len()..];
            return after.find('>').map_or("", |end| &after[end + 1..]);
        }
        from = start + 2;
    }
    ""
}

/// Elements whose content a reader never sees in the message body.
fn is_hidden_content(name: &str) -> bool {
    ["script", "style", "title"]
        .iter()
        .any(|hidden| hidden.eq_ignore_ascii_case(name))
}

fn is_block(name: &str) -> bool {
    const BLOCKS: [&str; 21] = [
        "br",
        "p",
        "div",
        "tr",
        "li",
        "ul",
        "ol",
        "table",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "blockquote",
        "pre",
        "section",
        "article",
        "header",
        "footer",
    ];
    BLOCKS.iter().any(|block| block.eq_ignore_ascii_case(name))
}

fn push_collapsed(out: &mut String, text: &str) {
    for c in text.chars() {
        if c.is_whitespace() && c != '\u{a0}' {
            if !out.is_empty() && !out.ends_with([' ', '\n']) {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
}

fn push_break(out: &mut String) {
    while out.ends_with(' ') {
        out.pop();
    }
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

/// Decodes HTML character references: numeric ones and the named ones
/// that mail commonly uses.
///
/// NOTE: the named table covers common entities, not all 2,231 of HTML5;
/// an unknown name is kept as written.
pub fn decode_entities(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('&') {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let candidate = &rest[at + 1..];
        match decode_reference(candidate) {
            Some((c, used)) => {
                out.push(c);
                rest = &candidate[used..];
            }
            None => {
                out.push('&');
                rest = candidate;
            }
        }
    }
    out.push_str(rest);
    out.into()
}

/// Decodes the reference after an `&`. Returns the character and the
/// bytes used, including a `;` when present.
fn decode_reference(text: &str) -> Option<(char, usize)> {
    // Longer references than this do not exist; the cap keeps each `&`
    // a bounded amount of work.
    const MAX_REFERENCE: usize = 32;
    let window = &text[..floor_char_boundary(text, MAX_REFERENCE)];
    if let Some(number) = window.strip_prefix('#') {
        let (digits, radix, skip) = match number.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16, 2),
            None => (number, 10, 1),
        };
        let len = digits
            .find(|c: char| !c.is_digit(radix))
            .unwrap_or(digits.len());
        if len == 0 {
            return None;
        }
        let code = u32::from_str_radix(&digits[..len], radix).unwrap_or(u32::MAX);
        let c = char::from_u32(code)
            .filter(|&c| c != '\0')
            .unwrap_or('\u{fffd}');
        let semicolon = usize::from(digits[len..].starts_with(';'));
        return Some((c, skip + len + semicolon));
    }
    let len = window
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(window.len());
    let name = &window[..len];
    let has_semicolon = window[len..].starts_with(';');
    let c = named_entity(name)?;
    // Without `;` only the legacy entities are recognised, as browsers do.
    if !has_semicolon && !matches!(name, "amp" | "lt" | "gt" | "quot" | "nbsp") {
        return None;
    }
    Some((c, len + usize::from(has_semicolon)))
}

fn floor_char_boundary(text: &str, max: usize) -> usize {
    if text.len() <= max {
        return text.len();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    end
}

fn named_entity(name: &str) -> Option<char> {
    let c = match name {
        "amp" | "AMP" => '&',
        "lt" | "LT" => '<',
        "gt" | "GT" => '>',
        "quot" | "QUOT" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "shy" => '\u{ad}',
        "zwnj" => '\u{200c}',
        "zwj" => '\u{200d}',
        "ensp" => '\u{2002}',
        "emsp" => '\u{2003}',
        "thinsp" => '\u{2009}',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "euro" => '€',
        "pound" => '£',
        "yen" => '¥',
        "cent" => '¢',
        "sect" => '§',
        "para" => '¶',
        "deg" => '°',
        "middot" => '·',
        "bull" => '•',
        "hellip" => '…',
        "ndash" => '–',
        "mdash" => '—',
        "lsquo" => '‘',
        "rsquo" => '’',
        "sbquo" => '‚',
        "ldquo" => '“',
        "rdquo" => '”',
        "bdquo" => '„',
        "laquo" => '«',
        "raquo" => '»',
        "times" => '×',
        "divide" => '÷',
        "plusmn" => '±',
        "frac12" => '½',
        "frac14" => '¼',
        "frac34" => '¾',
        "iexcl" => '¡',
        "iquest" => '¿',
        "larr" => '←',
        "rarr" => '→',
        "uarr" => '↑',
        "darr" => '↓',
        "check" => '✓',
        "agrave" => 'à',
        "aacute" => 'á',
        "acirc" => 'â',
        "auml" => 'ä',
        "aring" => 'å',
        "ccedil" => 'ç',
        "egrave" => 'è',
        "eacute" => 'é',
        "ecirc" => 'ê',
        "euml" => 'ë',
        "iacute" => 'í',
        "iuml" => 'ï',
        "ntilde" => 'ñ',
        "oacute" => 'ó',
        "ocirc" => 'ô',
        "ouml" => 'ö',
        "oslash" => 'ø',
        "uacute" => 'ú',
        "ugrave" => 'ù',
        "uuml" => 'ü',
        "szlig" => 'ß',
        "Auml" => 'Ä',
        "Aring" => 'Å',
        "Eacute" => 'É',
        "Ouml" => 'Ö',
        "Oslash" => 'Ø',
        "Uuml" => 'Ü',
        _ => return None,
    };
    Some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_drops_tags_scripts_styles_comments() {
        let html = "<html><head><style>p{color:red}</style><script>var a='<p>';</script>\
                    </head><body><!-- hidden --><p>Hello&nbsp;<b>world</b> &amp; co</p>\
                    <p>Second&#32;line&#x21;</p></body></html>";
        assert_eq!(render_text(html), "Hello\u{a0}world & co\nSecond line!");
    }

    #[test]
    fn links_in_order_entity_decoded() {
        let html = r#"<a href="http://a.example/?x=1&amp;y=2">a</a>
            <IMG SRC='http://10.0.0.1/p.gif' alt="x > y"><a name=top>
            <a href = http://b.example/ >b</a>"#;
        let mut links = Vec::new();
        collect_links(html, 10, &mut links);
        assert_eq!(
            links,
            [
                "http://a.example/?x=1&y=2",
                "http://10.0.0.1/p.gif",
                "http://b.example/"
            ]
        );
    }

    #[test]
    fn links_stop_at_max() {
        let html = "<a href=1><a href=2><a href=3>";
        let mut links = Vec::new();
        collect_links(html, 2, &mut links);
        assert_eq!(links, ["1", "2"]);
    }

    #[test]
    fn unterminated_markup_ends_quietly() {
        assert_eq!(render_text("a <b"), "a");
        assert_eq!(render_text("a <!-- b"), "a");
        assert_eq!(render_text("a <script> b"), "a");
        assert_eq!(render_text("1 < 2"), "1 < 2");
    }

    #[test]
    fn entities_edge_cases() {
        assert_eq!(
            decode_entities("&amp &unknown; &#0; &#xZZ; &copy"),
            "& &unknown; \u{fffd} &#xZZ; &copy"
        );
        assert_eq!(decode_entities("&#99999999999;"), "\u{fffd}");
    }
}
