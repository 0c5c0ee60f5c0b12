//! A walk over the MIME tree that mail-parser builds, in message order,
//! naming each part with its IMAP part path ("1", "2.1", ...).
//!
//! The walk is iterative and visits each part at most once, so neither a
//! deeply nested message nor a damaged part list can exhaust the stack or
//! loop.

use std::collections::HashMap;
use std::ops::Range;

use mail_parser::{Message as Parsed, MessagePart, PartType};

/// One MIME part found by [`walk`].
pub struct PartRef<'m, 'a> {
    /// IMAP part path: "1" for the body of a single-part message, "1", "2",
    /// ... for the children of a multipart, "2.1" for the first child of
    /// part 2. The multipart root of a message shares its container's path
    /// (empty for the top level).
    pub path: String,
    /// The message that contains the part. The part's offsets index its
    /// `raw_message`.
    pub message: &'m Parsed<'a>,
    pub part: &'m MessagePart<'a>,
    /// The bytes of the top-level input that hold this part: the part
    /// itself, or the nearest enclosing part whose content is stored
    /// verbatim when the part sits inside a base64 or quoted-printable
    /// encoded `message/rfc822`.
    pub span: Range<usize>,
    /// Set for the root part of the top-level message.
    pub is_top_root: bool,
}

/// The parts of a message, in message order.
pub struct Walk<'m, 'a> {
    pub parts: Vec<PartRef<'m, 'a>>,
    /// Set when parts nested deeper than the maximum depth were skipped.
    pub depth_exceeded: bool,
    /// Indexes into `parts` of the parts at the maximum depth whose
    /// children were skipped.
    pub cut: Vec<usize>,
}

/// Lists every part of `top` in message order: multiparts, nested
/// messages and leaves, down to `max_depth` levels of nesting. The depth
/// cap also bounds the length of part paths, which would otherwise grow
/// with the square of the nesting.
pub fn walk<'m, 'a>(top: &'m Parsed<'a>, max_depth: usize) -> Walk<'m, 'a> {
    struct Pending<'m, 'a> {
        message: &'m Parsed<'a>,
        id: usize,
        path: String,
        depth: usize,
        anchor: Option<Range<usize>>,
    }

    let mut out = Vec::new();
    let mut depth_exceeded = false;
    let mut cut = Vec::new();
    // One visited flag per part of each message met, keyed by the
    // message's address, which is stable while `top` is borrowed.
    let mut visited: HashMap<*const Parsed<'a>, Vec<bool>> = HashMap::new();
    let mut stack = vec![Pending {
        message: top,
        id: 0,
        path: root_path(top, ""),
        depth: 0,
        anchor: None,
    }];

    while let Some(item) = stack.pop() {
        let Some(part) = item.message.parts.get(item.id) else {
            continue;
        };
        if !first_visit(&mut visited, item.message, item.id) {
            continue;
        }
        let own_span = part.offset_header as usize..part.offset_end as usize;
        let span = item.anchor.clone().unwrap_or(own_span.clone());
        let has_children = matches!(part.body, PartType::Multipart(_) | PartType::Message(_));
        if has_children && item.depth >= max_depth {
            depth_exceeded = true;
            cut.push(out.len());
        }

        match &part.body {
            _ if item.depth >= max_depth => {}
            PartType::Multipart(children) => {
                for (index, &child) in children.iter().enumerate().rev() {
                    stack.push(Pending {
                        message: item.message,
                        id: child as usize,
                        path: join(&item.path, index + 1),
                        depth: item.depth + 1,
                        anchor: item.anchor.clone(),
                    });
                }
            }
            PartType::Message(nested) => {
                // An unencoded nested message is parsed in place and
                // shares the outer offsets. An encoded one was decoded
                // first, so its offsets index its own copy.
                let shares_bytes = nested.raw_message.as_ptr() == item.message.raw_message.as_ptr();
                let anchor = match (&item.anchor, shares_bytes) {
                    (Some(anchor), _) => Some(anchor.clone()),
                    (None, true) => None,
                    (None, false) => Some(own_span.clone()),
                };
                stack.push(Pending {
                    message: nested,
                    id: 0,
                    path: root_path(nested, &item.path),
                    depth: item.depth + 1,
                    anchor,
                });
            }
            _ => {}
        }

        out.push(PartRef {
            path: item.path,
            message: item.message,
            part,
            span,
            is_top_root: std::ptr::eq(item.message, top) && item.id == 0,
        });
    }
    Walk {
        parts: out,
        depth_exceeded,
        cut,
    }
}

/// Lists every part below `container`, a part whose children [`walk`]
/// skipped, each named with the container's path: removing the container
/// removes them. Paths do not grow here, so any depth costs linear time.
pub fn below<'m, 'a>(container: &PartRef<'m, 'a>) -> Vec<PartRef<'m, 'a>> {
    let mut out = Vec::new();
    let mut visited: HashMap<*const Parsed<'a>, Vec<bool>> = HashMap::new();
    let mut stack: Vec<(&'m Parsed<'a>, usize)> = Vec::new();
    push_children(&mut stack, container.message, container.part);
    while let Some((message, id)) = stack.pop() {
        let Some(part) = message.parts.get(id) else {
            continue;
        };
        if !first_visit(&mut visited, message, id) {
            continue;
        }
        push_children(&mut stack, message, part);
        out.push(PartRef {
            path: container.path.clone(),
            message,
            part,
            span: container.span.clone(),
            is_top_root: false,
        });
    }
    out
}

/// Pushes the children of `part` in reverse, so they pop in message order.
fn push_children<'m, 'a>(
    stack: &mut Vec<(&'m Parsed<'a>, usize)>,
    message: &'m Parsed<'a>,
    part: &'m MessagePart<'a>,
) {
    match &part.body {
        PartType::Multipart(children) => {
            stack.extend(
                children
                    .iter()
                    .rev()
                    .map(|&child| (message, child as usize)),
            );
        }
        PartType::Message(nested) => stack.push((nested, 0)),
        _ => {}
    }
}

/// Returns the path of a message's root part inside the part at
/// `container`.
fn root_path(message: &Parsed<'_>, container: &str) -> String {
    match message.parts.first().map(|part| &part.body) {
        Some(PartType::Multipart(_)) => container.to_owned(),
        _ => join(container, 1),
    }
}

fn join(prefix: &str, index: usize) -> String {
    if prefix.is_empty() {
        index.to_string()
    } else {
        format!("{prefix}.{index}")
    }
}

fn first_visit<'a>(
    visited: &mut HashMap<*const Parsed<'a>, Vec<bool>>,
    message: &Parsed<'a>,
    id: usize,
) -> bool {
    let key: *const Parsed<'a> = message;
    let flags = visited
        .entry(key)
        .or_insert_with(|| vec![false; message.parts.len()]);
    match flags.get_mut(id) {
        Some(flag) if !*flag => {
            *flag = true;
            true
        }
        _ => false,
    }
}
