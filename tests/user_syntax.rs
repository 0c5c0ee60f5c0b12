//! Grammar-level tests of personal rule files: one construct per test,
//! parsed from real rule text.

use rulec::ast::user::*;
use rulec::diag::Diagnostic;
use rulec::limits::Limits;
use rulec::span::{FileId, SourceFile};
use rulec::syntax::user::parse;
use rulec::verdict::Priority;

fn parse_text(text: &str) -> (UserRules, Vec<Diagnostic>) {
    let source = SourceFile::new("test.rules", text);
    parse(FileId(0), &source, &Limits::default())
}

/// Parses a file that must hold exactly one valid rule.
fn one_rule(text: &str) -> Rule {
    let (rules, diagnostics) = parse_text(text);
    assert_eq!(diagnostics, vec![], "unexpected diagnostics for {text:?}");
    assert_eq!(rules.rules.len(), 1, "expected one rule in {text:?}");
    rules.rules.into_iter().next().unwrap()
}

/// Parses `if CONDITION` in a minimal rule and returns the condition.
fn condition(text: &str) -> Condition {
    let rule = one_rule(&format!("rule \"t\"\n  if {text}\n  then stop\n"));
    assert_eq!(rule.conditions.list.len(), 1);
    rule.conditions.list.into_iter().next().unwrap()
}

fn test_of(text: &str) -> Test {
    match condition(text).kind {
        ConditionKind::Test(test) => test,
        other => panic!("expected a test in {text:?}, got {other:?}"),
    }
}

/// Parses `then ACTIONS` in a minimal rule and returns the action kinds.
fn actions(text: &str) -> Vec<ActionKind> {
    let rule = one_rule(&format!("rule \"t\"\n  if always\n  then {text}\n"));
    rule.actions.into_iter().map(|action| action.kind).collect()
}

/// Returns the `(line, column, message)` of every diagnostic.
fn errors(text: &str) -> Vec<(u32, u32, String)> {
    let (_, diagnostics) = parse_text(text);
    diagnostics
        .into_iter()
        .map(|d| (d.span.line, d.span.column, d.message))
        .collect()
}

#[test]
fn rule_header_name_and_spans() {
    let rule = one_rule("# comment\nrule \"Mum is urgent\"\n  if always\n  then stop\n");
    assert_eq!(rule.name, "Mum is urgent");
    assert_eq!((rule.name_span.line, rule.name_span.column), (2, 6));
    assert_eq!((rule.span.line, rule.span.end_line), (2, 4));
    assert_eq!(rule.trigger, Trigger::Received);
    assert_eq!(rule.trigger_span, None);
}

#[test]
fn rule_name_escapes() {
    let rule = one_rule("rule \"say \\\"hi\\\" \\\\ now\"\n if always\n then stop\n");
    assert_eq!(rule.name, "say \"hi\" \\ now");
}

#[test]
fn keywords_ignore_case() {
    let rule = one_rule("RULE \"x\"\n  IF Subject CONTAINS \"a\"\n  THEN Mark As Read\n");
    assert_eq!(rule.actions[0].kind, ActionKind::MarkRead);
    assert_eq!(test_of("SUBJECT Is Not \"a\"").comparison.op, CompareOp::Is);
}

#[test]
fn when_line_triggers() {
    for (word, trigger) in [
        ("received", Trigger::Received),
        ("sent", Trigger::Sent),
        ("deleted", Trigger::Deleted),
        ("manual", Trigger::Manual),
    ] {
        let rule = one_rule(&format!(
            "rule \"t\"\n when {word}\n if always\n then stop\n"
        ));
        assert_eq!(rule.trigger, trigger, "when {word}");
        assert!(rule.trigger_span.is_some());
    }
}

#[test]
fn if_any_block() {
    let rule = one_rule(
        "rule \"Hiking lists\"\n  if any\n    header \"List-Id\" contains \"hiking\"\n    \
         subject contains \"[hike]\"\n  then file into \"Lists/Hiking\", stop\n",
    );
    assert_eq!(rule.conditions.mode, MatchMode::Any);
    assert_eq!(rule.conditions.list.len(), 2);
    assert_eq!(
        (rule.conditions.span.line, rule.conditions.span.end_line),
        (2, 4)
    );
}

#[test]
fn if_all_is_the_default_mode() {
    let rule = one_rule("rule \"t\"\n if all\n  always\n  has attachments\n then stop\n");
    assert_eq!(rule.conditions.mode, MatchMode::All);
    assert_eq!(rule.conditions.list.len(), 2);
    assert_eq!(
        one_rule("rule \"t\"\n if always\n then stop\n")
            .conditions
            .mode,
        MatchMode::All
    );
}

#[test]
fn address_fields_and_parts() {
    let cases = [
        ("sender contains \"mother\"", FieldKind::Sender, None),
        ("from is \"a@b\"", FieldKind::From, None),
        ("to is \"a@b\"", FieldKind::To, None),
        ("cc is \"a@b\"", FieldKind::Cc, None),
        ("recipients is \"a@b\"", FieldKind::Recipients, None),
        (
            "from domain is \"example.com\"",
            FieldKind::From,
            Some(AddressPart::Domain),
        ),
        (
            "sender local part is \"bob\"",
            FieldKind::Sender,
            Some(AddressPart::LocalPart),
        ),
        (
            "from name contains \"Mum\"",
            FieldKind::From,
            Some(AddressPart::Name),
        ),
        (
            "to address is \"a@b\"",
            FieldKind::To,
            Some(AddressPart::Address),
        ),
    ];
    for (text, kind, part) in cases {
        let test = test_of(text);
        assert_eq!(test.field.kind, kind, "{text}");
        assert_eq!(test.field.part, part, "{text}");
    }
}

#[test]
fn other_fields() {
    let cases = [
        ("subject contains \"x\"", FieldKind::Subject),
        (
            "header \"X-Mailer\" contains \"x\"",
            FieldKind::Header("X-Mailer".into()),
        ),
        ("body contains \"x\"", FieldKind::Body),
        ("attachment name matches \"*.pdf\"", FieldKind::Attachment),
        ("spam level over 50", FieldKind::SpamLevel),
        ("spam band is at least medium", FieldKind::SpamBand),
        ("size over 5 MB", FieldKind::Size),
        ("date sent within 1w", FieldKind::DateSent),
        ("subjct contains \"x\"", FieldKind::Unknown("subjct".into())),
    ];
    for (text, kind) in cases {
        assert_eq!(test_of(text).field.kind, kind, "{text}");
    }
}

#[test]
fn comparisons() {
    let cases = [
        ("is", CompareOp::Is, false),
        ("is not", CompareOp::Is, true),
        ("contains", CompareOp::Contains, false),
        ("does not contain", CompareOp::Contains, true),
        ("starts with", CompareOp::StartsWith, false),
        ("does not start with", CompareOp::StartsWith, true),
        ("ends with", CompareOp::EndsWith, false),
        ("does not end with", CompareOp::EndsWith, true),
        ("matches", CompareOp::Matches, false),
        ("does not match", CompareOp::Matches, true),
        ("matches regex", CompareOp::MatchesRegex, false),
        ("does not match regex", CompareOp::MatchesRegex, true),
    ];
    for (words, op, negated) in cases {
        let test = test_of(&format!("subject {words} \"x\""));
        assert_eq!(test.comparison.op, op, "{words}");
        assert_eq!(test.comparison.negated, negated, "{words}");
    }
}

#[test]
fn numeric_comparisons() {
    let cases = [
        ("over", CompareOp::Over),
        ("above", CompareOp::Over),
        ("is over", CompareOp::Over),
        ("under", CompareOp::Under),
        ("below", CompareOp::Under),
        ("at least", CompareOp::AtLeast),
        ("is at least", CompareOp::AtLeast),
        ("at most", CompareOp::AtMost),
        ("is", CompareOp::Is),
    ];
    for (words, op) in cases {
        let test = test_of(&format!("spam level {words} 50"));
        assert_eq!(test.comparison.op, op, "{words}");
        assert_eq!(
            test.value.kind,
            ValueKind::Number {
                value: 50,
                unit: None
            }
        );
    }
}

#[test]
fn size_units() {
    let cases = [
        ("5 MB", 5, Some(SizeUnit::Megabytes)),
        ("200KB", 200, Some(SizeUnit::Kilobytes)),
        ("10 B", 10, Some(SizeUnit::Bytes)),
        ("1 gb", 1, Some(SizeUnit::Gigabytes)),
        ("4096", 4096, None),
    ];
    for (text, value, unit) in cases {
        assert_eq!(
            test_of(&format!("size over {text}")).value.kind,
            ValueKind::Number { value, unit },
            "{text}"
        );
    }
}

#[test]
fn durations() {
    let test = test_of("date sent within 1w 3d 4h");
    assert_eq!(test.comparison.op, CompareOp::Within);
    assert_eq!(
        test.value.kind,
        ValueKind::Duration {
            seconds: 7 * 86_400 + 3 * 86_400 + 4 * 3_600
        }
    );
    let test = test_of("date sent within 2d12h");
    assert_eq!(
        test.value.kind,
        ValueKind::Duration {
            seconds: 2 * 86_400 + 12 * 3_600
        }
    );
    // Units also read as words, singular or plural, with a space or not.
    let words = [
        ("date sent within 2 days", 2 * 86_400),
        ("date sent within 1 week", 7 * 86_400),
        ("date sent within 3 hours", 3 * 3_600),
        ("date sent within 1 hour 30 minutes", 3_600 + 30 * 60),
        ("date sent within 10 mins 5 secs", 10 * 60 + 5),
        ("date sent within 2 Weeks 1 DAY", 15 * 86_400),
        ("date sent within 1w 2 days 3h", 9 * 86_400 + 3 * 3_600),
        ("date sent within 4 d", 4 * 86_400),
        ("date sent within 1 second", 1),
    ];
    for (text, seconds) in words {
        assert_eq!(
            test_of(text).value.kind,
            ValueKind::Duration { seconds },
            "{text}"
        );
    }
    let test = test_of("date sent not within 30m 15s");
    assert!(test.comparison.negated);
    assert_eq!(
        test.value.kind,
        ValueKind::Duration {
            seconds: 30 * 60 + 15
        }
    );
}

#[test]
fn band_value_is_a_word() {
    assert_eq!(
        test_of("spam band is at least Medium").value.kind,
        ValueKind::Word("medium".into())
    );
}

#[test]
fn predicates() {
    assert_eq!(condition("always").kind, ConditionKind::Always);
    let has = condition("has attachments");
    assert_eq!(
        (has.kind, has.negated),
        (ConditionKind::HasAttachments, false)
    );
    let has_no = condition("has no attachments");
    assert_eq!(
        (has_no.kind, has_no.negated),
        (ConditionKind::HasAttachments, true)
    );
    let cases = [
        ("is automated", MessageKind::Automated, false),
        ("message is list mail", MessageKind::ListMail, false),
        ("is bounce", MessageKind::Bounce, false),
        ("message is not auto reply", MessageKind::AutoReply, true),
        ("is auto-reply", MessageKind::AutoReply, false),
    ];
    for (text, kind, negated) in cases {
        let condition = condition(text);
        assert_eq!(condition.kind, ConditionKind::MessageIs(kind), "{text}");
        assert_eq!(condition.negated, negated, "{text}");
    }
}

#[test]
fn not_before_a_condition() {
    let condition = condition("not from domain is \"example.com\"");
    assert!(condition.negated);
    assert_eq!((condition.span.column, condition.span.end_column), (6, 38));
    assert!(!crate::condition("not is not bounce").negated);
}

#[test]
fn every_action() {
    let kinds = actions(
        "file into \"Lists/Hiking\", delete silently, set priority urgent, set icon exclamation, \
         page \"Mail from Mum\", notify, forward to \"a@example.com\", redirect to \"b@example.com\", \
         auto reply \"Away\" with subject prefix \"Re: \", mark read, stop",
    );
    assert_eq!(
        kinds,
        vec![
            ActionKind::FileInto {
                folder: "Lists/Hiking".into()
            },
            ActionKind::DeleteSilently,
            ActionKind::SetPriority(Priority::Urgent),
            ActionKind::SetIcon("exclamation".into()),
            ActionKind::Notify(Some("Mail from Mum".into())),
            ActionKind::Notify(None),
            ActionKind::Forward("a@example.com".into()),
            ActionKind::Redirect("b@example.com".into()),
            ActionKind::AutoReply {
                text: "Away".into(),
                subject_prefix: Some("Re: ".into())
            },
            ActionKind::MarkRead,
            ActionKind::Stop,
        ]
    );
}

#[test]
fn action_spellings() {
    assert_eq!(
        actions("file in \"A\"")[0],
        ActionKind::FileInto { folder: "A".into() }
    );
    assert_eq!(
        actions("set priority to low")[0],
        ActionKind::SetPriority(Priority::Low)
    );
    assert_eq!(
        actions("set icon \"Red Flag\"")[0],
        ActionKind::SetIcon("Red Flag".into())
    );
    assert_eq!(
        actions("autoreply \"x\"")[0],
        ActionKind::AutoReply {
            text: "x".into(),
            subject_prefix: None
        }
    );
    assert_eq!(actions("mark as read")[0], ActionKind::MarkRead);
}

#[test]
fn actions_continue_on_later_lines() {
    let rule =
        one_rule("rule \"t\"\n if always\n then\n   mark read,\n   set priority high,\n   stop\n");
    assert_eq!(rule.actions.len(), 3);
    assert_eq!(rule.actions[2].span.line, 6);
}

#[test]
fn comments_and_blank_lines() {
    let (rules, diagnostics) = parse_text(
        "\n# top\n\nrule \"a\" # trailing\n\n  if subject contains \"#not a comment\"  # real one\n  then stop\n",
    );
    assert_eq!(diagnostics, vec![]);
    let ConditionKind::Test(test) = &rules.rules[0].conditions.list[0].kind else {
        panic!("not a test")
    };
    assert_eq!(test.value.kind, ValueKind::Text("#not a comment".into()));
}

#[test]
fn crlf_line_ends() {
    let rule = one_rule("rule \"a\"\r\n  if always\r\n  then stop\r\n");
    assert_eq!(rule.actions[0].kind, ActionKind::Stop);
}

#[test]
fn every_syntax_error_reported() {
    let found = errors(
        "rule \"a\"\n  if subject containz \"x\"\n  then stop\n\
         rule \"b\"\n  if always\n  then file into Lists\n\
         rule \"c\"\n  iff subject\n  then stop\n\
         rule \"d\"\n  if always\n  then set priority urgnt\n",
    );
    assert_eq!(
        found,
        vec![
            (2, 14, "unknown comparison `containz`".to_string()),
            (6, 18, "expected quoted text, found `Lists`".to_string()),
            (
                8,
                3,
                "unknown word `iff` at the start of a line".to_string()
            ),
            (
                12,
                21,
                "expected a priority (urgent, high, normal or low), found `urgnt`".to_string()
            ),
        ]
    );
}

#[test]
fn broken_rules_are_left_out() {
    let (rules, diagnostics) = parse_text(
        "rule \"a\"\n if always\n then stop\nrule \"b\"\n if subject is\n then stop\nrule \"c\"\n if always\n then stop\n",
    );
    assert_eq!(diagnostics.len(), 1);
    let names: Vec<&str> = rules.rules.iter().map(|rule| rule.name.as_str()).collect();
    assert_eq!(names, ["a", "c"]);
    assert_eq!(rules.rules_written, 3);
}

#[test]
fn lines_out_of_place() {
    let cases = [
        ("if always\n", "this line is not inside a rule"),
        ("rule \"a\"\n then stop\n", "`then` without `if`"),
        (
            "rule \"a\"\n if always\n subject is \"x\"\n then stop\n",
            "a second condition needs `if all` or `if any`",
        ),
        (
            "rule \"a\"\n if always\n then stop\n subject is \"x\"\n",
            "a condition after `then`",
        ),
        ("rule \"a\"\n if always\n stop\n", "an action before `then`"),
        (
            "rule \"a\"\n if always\n when sent\n then stop\n",
            "`when` comes after `if`",
        ),
        (
            "rule \"a\"\n if any\n then stop\n",
            "`if any` has no condition",
        ),
        (
            "rule \"a\"\n if all\n then stop\n",
            "`if all` has no condition",
        ),
        ("rule \"a\"\n", "rule \"a\" has no `if` line"),
        ("rule \"a\"\n if always\n", "rule \"a\" has no `then` line"),
        (
            "rule \"a\"\n if always\n then\n",
            "rule \"a\" has no actions",
        ),
    ];
    for (text, message) in cases {
        let found = errors(text);
        assert_eq!(found.len(), 1, "{text:?}: {found:?}");
        assert_eq!(found[0].2, message, "{text:?}");
    }
}

#[test]
fn unterminated_string() {
    let found = errors("rule \"a\n if always\n then stop\n");
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].0, found[0].1), (1, 6));
}

#[test]
fn number_too_large() {
    let found = errors("rule \"a\"\n if size over 99999999999999999999999\n then stop\n");
    assert_eq!(
        found,
        vec![(
            2,
            15,
            "number 99999999999999999999999 is too large".to_string()
        )]
    );
}

#[test]
fn file_over_rule_limit_stops_early() {
    let limits = Limits {
        max_user_rules: 3,
        ..Limits::default()
    };
    let text = "rule \"r\"\n if always\n then mark read\n".repeat(5);
    let source = SourceFile::new("many.rules", text);
    let (rules, diagnostics) = parse(FileId(0), &source, &limits);
    assert_eq!(rules.rules.len(), 3);
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].code, "E0202");
    assert_eq!(diagnostics[0].span.line, 10);
}
