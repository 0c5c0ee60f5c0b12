//! Checks of actions: folder names, addresses and texts, the number of
//! actions, and actions of one rule that conflict.
//!
//! Conflicts decided here:
//!
//! - `delete silently` ends the rule, so any action after it other than
//!   `stop` is an error. Before it, `forward`, `redirect`, `auto reply`
//!   and `page` are fine (they act outside the mailbox: "forward and do
//!   not keep a copy"), but `file into`, `set priority`, `set icon` and
//!   `mark read` would change a message that is then deleted: an error.
//! - Two `file into` with different folders, two different priorities or
//!   icons, or two `auto reply` in one rule are errors.
//! - The same action twice, and `stop` after `delete silently`, are
//!   warnings: they change nothing.

use crate::ast::user::{Action, ActionKind, Rule};
use crate::diag::{codes, Diagnostic};
use crate::limits::Limits;
use crate::span::Span;

/// Maximum length of an icon name, in bytes. Icon names are short words or
/// numbers.
const MAX_ICON_BYTES: usize = 64;

/// Maximum length of a folder path, in bytes: a bound chosen here to keep
/// paths sane. A mail store may allow less.
const MAX_FOLDER_BYTES: usize = 1024;

/// Maximum length of a mail address, in bytes (RFC 5321 limits a path to 256 octets
/// including the angle brackets).
const MAX_ADDRESS_BYTES: usize = 254;

pub(super) fn check(rule: &Rule, limits: &Limits, diagnostics: &mut Vec<Diagnostic>) {
    if rule.actions.len() > limits.max_user_actions {
        diagnostics.push(
            Diagnostic::error(
                codes::TOO_MANY_ACTIONS,
                rule.actions[limits.max_user_actions].span,
                format!(
                    "rule \"{}\" has {} actions, over the limit of {}",
                    rule.name,
                    rule.actions.len(),
                    limits.max_user_actions
                ),
            )
            .with_help("split the actions over several rules, or raise `max_user_actions`"),
        );
    }
    for action in &rule.actions {
        check_action(action, limits, diagnostics);
    }
    check_conflicts(&rule.actions, diagnostics);
}

fn check_action(action: &Action, limits: &Limits, diagnostics: &mut Vec<Diagnostic>) {
    let span = action.span;
    match &action.kind {
        ActionKind::FileInto { folder } => {
            if let Some(problem) = folder_problem(folder) {
                diagnostics.push(
                    Diagnostic::error(codes::INVALID_FOLDER, span, format!("invalid folder \"{}\": {problem}", folder.escape_debug()))
                        .with_help("name a folder inside your mailbox, with `/` between levels, as in \"Lists/Hiking\""),
                );
            }
        }
        ActionKind::Forward(address) | ActionKind::Redirect(address) => {
            if let Some(problem) = address_problem(address) {
                diagnostics.push(
                    Diagnostic::error(codes::INVALID_ADDRESS, span, format!("invalid mail address \"{}\": {problem}", address.escape_debug()))
                        .with_help("write one address such as \"name@example.com\", without a display name or angle brackets"),
                );
            }
        }
        ActionKind::AutoReply {
            text,
            subject_prefix,
        } => {
            check_text(
                span,
                "auto reply text",
                text,
                true,
                limits.max_string_bytes,
                diagnostics,
            );
            if let Some(prefix) = subject_prefix {
                check_text(
                    span,
                    "subject prefix",
                    prefix,
                    true,
                    limits.max_string_bytes,
                    diagnostics,
                );
            }
        }
        ActionKind::Notify(Some(message)) => {
            check_text(
                span,
                "notification text",
                message,
                true,
                limits.max_string_bytes,
                diagnostics,
            );
        }
        ActionKind::SetIcon(icon) => {
            check_text(span, "icon name", icon, true, MAX_ICON_BYTES, diagnostics);
        }
        _ => {}
    }
}

/// Returns why a folder path is invalid, if it is.
fn folder_problem(folder: &str) -> Option<String> {
    if folder.trim().is_empty() {
        return Some("the name is empty".into());
    }
    if folder.len() > MAX_FOLDER_BYTES {
        return Some(format!(
            "the name is {} bytes long, over the limit of {MAX_FOLDER_BYTES}",
            folder.len()
        ));
    }
    if folder.chars().any(char::is_control) {
        return Some("the name has a control character".into());
    }
    if folder.starts_with('/')
        || folder.starts_with('\\')
        || folder.as_bytes().get(1) == Some(&b':')
    {
        return Some("the path is absolute".into());
    }
    if folder.contains('\\') {
        return Some("`\\` is not a folder separator; use `/`".into());
    }
    for segment in folder.split('/') {
        match segment.trim() {
            "" => return Some("a folder name between `/` is empty".into()),
            "." | ".." => return Some(format!("the path has a `{}` segment", segment.trim())),
            _ => {}
        }
    }
    None
}

/// Returns why a mail address is invalid, if it is. Accepts the common
/// form `local@domain` with a dotted domain name or a bracketed literal.
fn address_problem(address: &str) -> Option<String> {
    if address.is_empty() {
        return Some("the address is empty".into());
    }
    if address.len() > MAX_ADDRESS_BYTES {
        return Some(format!(
            "the address is over {MAX_ADDRESS_BYTES} bytes long"
        ));
    }
    if address
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';' | '"'))
    {
        return Some("it has a space, a control character or one of < > , ; \"".into());
    }
    let Some((local, domain)) = address.rsplit_once('@') else {
        return Some("it has no `@`".into());
    };
    if local.is_empty() || local.contains('@') {
        return Some("the part before `@` is empty or has another `@`".into());
    }
    if domain.starts_with('[') && domain.ends_with(']') {
        return None;
    }
    let labels_ok = !domain.is_empty()
        && domain.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
    if !labels_ok {
        return Some(format!("`{domain}` is not a valid domain name"));
    }
    None
}

fn check_text(
    span: Span,
    what: &str,
    text: &str,
    required: bool,
    max_bytes: usize,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let problem = if required && text.trim().is_empty() {
        Some(format!("{what} is empty"))
    } else if text.len() > max_bytes {
        Some(format!(
            "{what} is {} bytes long, over the limit of {max_bytes}",
            text.len()
        ))
    } else if text.chars().any(char::is_control) {
        Some(format!("{what} has a control character"))
    } else {
        None
    };
    if let Some(message) = problem {
        diagnostics.push(Diagnostic::error(codes::INVALID_ACTION_TEXT, span, message));
    }
}

/// Reports pairs of actions in one rule that conflict or repeat.
fn check_conflicts(actions: &[Action], diagnostics: &mut Vec<Diagnostic>) {
    let delete = actions
        .iter()
        .position(|action| action.kind == ActionKind::DeleteSilently);
    for (index, action) in actions.iter().enumerate() {
        if let Some(delete_index) = delete {
            if let Some(diagnostic) =
                conflict_with_delete(action, index, delete_index, actions[delete_index].span)
            {
                diagnostics.push(diagnostic);
                continue;
            }
        }
        let earlier = actions[..index]
            .iter()
            .find(|earlier| same_kind(&earlier.kind, &action.kind));
        if let Some(earlier) = earlier {
            diagnostics.push(repeated(earlier, action));
        }
    }
}

/// Returns the diagnostic for an action that cannot go with the rule's
/// `delete silently` at `delete_index`.
fn conflict_with_delete(
    action: &Action,
    index: usize,
    delete_index: usize,
    delete_span: Span,
) -> Option<Diagnostic> {
    if index == delete_index {
        return None;
    }
    let name = action_name(&action.kind);
    if index > delete_index {
        if action.kind == ActionKind::Stop {
            return Some(
                Diagnostic::warning(
                    codes::REDUNDANT_ACTION,
                    action.span,
                    "`stop` after `delete silently` changes nothing",
                )
                .with_help("`delete silently` already ends the rules; remove `stop`"),
            );
        }
        return Some(
            Diagnostic::error(
                codes::CONFLICTING_ACTIONS,
                action.span,
                format!(
                    "`{name}` never runs because `delete silently` on line {} comes first",
                    delete_span.line
                ),
            )
            .with_help("nothing runs after `delete silently`; move this action before it"),
        );
    }
    let changes_message = matches!(
        action.kind,
        ActionKind::FileInto { .. }
            | ActionKind::SetPriority(_)
            | ActionKind::SetIcon(_)
            | ActionKind::MarkRead
    );
    changes_message.then(|| {
        Diagnostic::error(
            codes::CONFLICTING_ACTIONS,
            action.span,
            format!("`{name}` and `delete silently` in one rule: the message is deleted, so `{name}` has no effect"),
        )
        .with_help("remove one of the two actions, or put them in separate rules with different conditions")
    })
}

/// Returns whether two actions set the same thing, so that having both in
/// one rule conflicts or repeats.
fn same_kind(a: &ActionKind, b: &ActionKind) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
        && !matches!(
            a,
            ActionKind::Forward(_) | ActionKind::Redirect(_) | ActionKind::Notify(_)
        )
        || a == b
}

fn repeated(earlier: &Action, action: &Action) -> Diagnostic {
    let name = action_name(&action.kind);
    if earlier.kind == action.kind {
        return Diagnostic::warning(
            codes::REDUNDANT_ACTION,
            action.span,
            format!(
                "`{name}` repeats the same action at column {}",
                earlier.span.column
            ),
        )
        .with_help("remove one of them");
    }
    Diagnostic::error(
        codes::CONFLICTING_ACTIONS,
        action.span,
        format!(
            "a second `{name}` conflicts with the one at column {} of line {}",
            earlier.span.column, earlier.span.line
        ),
    )
    .with_help(match action.kind {
        ActionKind::FileInto { .. } => "a message goes into one folder; keep one `file into`",
        _ => "keep one of the two",
    })
}

fn action_name(kind: &ActionKind) -> &'static str {
    match kind {
        ActionKind::FileInto { .. } => "file into",
        ActionKind::DeleteSilently => "delete silently",
        ActionKind::SetPriority(_) => "set priority",
        ActionKind::SetIcon(_) => "set icon",
        ActionKind::Notify(_) => "page",
        ActionKind::Forward(_) => "forward to",
        ActionKind::Redirect(_) => "redirect to",
        ActionKind::AutoReply { .. } => "auto reply",
        ActionKind::MarkRead => "mark read",
        ActionKind::Stop => "stop",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_paths() {
        assert_eq!(folder_problem("Lists/Hiking"), None);
        assert_eq!(folder_problem("Junk"), None);
        assert!(folder_problem("").is_some());
        assert!(folder_problem("/etc").is_some());
        assert!(folder_problem("C:Junk").is_some());
        assert!(folder_problem("a/../b").is_some());
        assert!(folder_problem("a//b").is_some());
        assert!(folder_problem("a/").is_some());
        assert!(folder_problem("a\u{7}b").is_some());
        assert!(folder_problem("a\\b").is_some());
    }

    #[test]
    fn mail_addresses() {
        assert_eq!(address_problem("bob@example.com"), None);
        assert_eq!(address_problem("bob+tag@sub.example.co.uk"), None);
        assert_eq!(address_problem("bob@[192.0.2.1]"), None);
        assert!(address_problem("bob").is_some());
        assert!(address_problem("@example.com").is_some());
        assert!(address_problem("bob@").is_some());
        assert!(address_problem("bob@exa mple.com").is_some());
        assert!(address_problem("Bob <bob@example.com>").is_some());
        assert!(address_problem("bob@-example.com").is_some());
        assert!(address_problem("bob@example..com").is_some());
    }
}
