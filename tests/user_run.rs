//! Evaluation tests: real rule text compiled and run on real message
//! bytes from `tests/user/messages/`.

#[path = "user/common.rs"]
mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use rulec::ast::user::Trigger;
use rulec::config::Band;
use rulec::limits::Limits;
use rulec::message::{Envelope, Message};
use rulec::span::{FileId, SourceFile};
use rulec::user::{self, Op, RunOptions, ServerView, UserOutcome, UserProgram};
use rulec::verdict::{Priority, UserAction};

/// Thu, 03 Dec 2026 12:00:00 UTC, the "now" of every run; the fixtures are
/// dated shortly before it.
const NOW: i64 = 1_796_299_200;

fn program(text: &str) -> UserProgram {
    let source = SourceFile::new("test.rules", text);
    let (program, diagnostics) = user::build(FileId(0), &source, &Limits::default());
    assert_eq!(diagnostics, vec![], "rules did not build cleanly:\n{text}");
    program.expect("no errors, so a program")
}

fn example(user: &str) -> UserProgram {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("rules/users/{user}.rules"));
    program(&std::fs::read_to_string(path).unwrap())
}

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/user/messages")
        .join(name);
    std::fs::read(path).unwrap()
}

fn quiet() -> ServerView {
    ServerView {
        level: 0,
        band: Band::None,
        tests: vec![],
    }
}

fn run_on(
    program: &UserProgram,
    raw: &[u8],
    sender: Option<&str>,
    server: &ServerView,
) -> UserOutcome {
    run_limited(program, raw, sender, server, &Limits::default())
}

fn run_limited(
    program: &UserProgram,
    raw: &[u8],
    sender: Option<&str>,
    server: &ServerView,
    limits: &Limits,
) -> UserOutcome {
    let envelope = Envelope {
        sender: sender.map(str::to_string),
        recipients: vec!["bob@example.org".into()],
        ..Envelope::default()
    };
    let message = Message::parse(raw, envelope, limits);
    let options = RunOptions {
        trigger: Trigger::Received,
        now: NOW,
    };
    user::run_with(program, &message, server, limits, &options)
}

/// Runs `rules` on a fixture without an envelope sender.
fn actions(rules: &str, message: &str) -> Vec<UserAction> {
    run_on(&program(rules), &fixture(message), None, &quiet()).actions
}

fn file_into(folder: &str) -> UserAction {
    UserAction::FileInto {
        folder: folder.into(),
    }
}

/// Returns a one-condition rule that marks matching mail read.
fn mark_if(condition: &str) -> String {
    format!("rule \"t\"\n  if {condition}\n  then mark read\n")
}

fn holds(condition: &str, message: &str) -> bool {
    actions(&mark_if(condition), message) == vec![UserAction::MarkRead]
}

// ------------------------------------------------------------ examples

#[test]
fn example_rules_have_no_diagnostics() {
    for user in ["alice", "bob"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("rules/users/{user}.rules"));
        let source = SourceFile::new(
            format!("{user}.rules"),
            std::fs::read_to_string(path).unwrap(),
        );
        let diagnostics = common::diagnostics_of(&source, &Limits::default());
        assert_eq!(diagnostics, vec![], "{user}.rules");
    }
}

#[test]
fn alice_mum_is_urgent() {
    let outcome = run_on(
        &example("alice"),
        &fixture("mum.eml"),
        Some("mother@family.example"),
        &quiet(),
    );
    assert_eq!(
        outcome.actions,
        vec![
            UserAction::SetPriority {
                priority: Priority::Urgent
            },
            UserAction::SetIcon {
                icon: "exclamation".into()
            },
            UserAction::Notify {
                message: "Mail from Mum".into()
            },
        ]
    );
    assert_eq!(outcome.fired.len(), 1);
    assert_eq!(outcome.fired[0].name, "Mum is urgent");
    assert_eq!(outcome.fired[0].line, 4);
}

#[test]
fn alice_spammer_deleted_ignoring_case() {
    let outcome = run_on(
        &example("alice"),
        &fixture("spammer.eml"),
        Some("bulk@spam.com"),
        &quiet(),
    );
    assert_eq!(outcome.actions, vec![UserAction::DeleteSilently]);
}

#[test]
fn alice_invoice_filed_and_work_priority() {
    let outcome = run_on(&example("alice"), &fixture("invoice.eml"), None, &quiet());
    assert_eq!(
        outcome.actions,
        vec![
            file_into("Bills"),
            UserAction::MarkRead,
            UserAction::SetPriority {
                priority: Priority::High
            }
        ]
    );
}

#[test]
fn bob_hiking_list_by_header() {
    let outcome = run_on(&example("bob"), &fixture("hiking_list.eml"), None, &quiet());
    assert_eq!(
        outcome.actions,
        vec![file_into("Lists/Hiking"), UserAction::Stop]
    );
}

#[test]
fn bob_hiking_by_subject() {
    let outcome = run_on(
        &example("bob"),
        &fixture("hike_subject.eml"),
        None,
        &quiet(),
    );
    assert_eq!(
        outcome.actions,
        vec![file_into("Lists/Hiking"), UserAction::Stop]
    );
}

#[test]
fn bob_junk_by_band() {
    let server = ServerView {
        level: 30,
        band: Band::Medium,
        tests: vec!["BULK".into()],
    };
    let outcome = run_on(&example("bob"), &fixture("plain.eml"), None, &server);
    assert_eq!(outcome.actions, vec![file_into("Junk"), UserAction::Stop]);

    let low = ServerView {
        level: 10,
        band: Band::Low,
        tests: vec![],
    };
    let outcome = run_on(&example("bob"), &fixture("plain.eml"), None, &low);
    assert!(!outcome.actions.contains(&file_into("Junk")));
}

#[test]
fn bob_vacation_reply_to_people_only() {
    let reply = UserAction::AutoReply {
        text: "I am in the hills until Monday.".into(),
        subject_prefix: Some("Away: ".into()),
    };
    let outcome = run_on(&example("bob"), &fixture("plain.eml"), None, &quiet());
    assert_eq!(outcome.actions, vec![reply]);
    for machine in ["autoreply.eml", "bounce.eml"] {
        let outcome = run_on(&example("bob"), &fixture(machine), None, &quiet());
        assert_eq!(outcome.actions, vec![], "{machine}");
    }
}

#[test]
fn bob_sent_rule_only_on_sent_trigger() {
    let program = example("bob");
    let limits = Limits::default();
    let raw = fixture("plain.eml");
    let message = Message::parse(&raw, Envelope::default(), &limits);
    let options = RunOptions {
        trigger: Trigger::Sent,
        now: NOW,
    };
    let outcome = user::run_with(&program, &message, &quiet(), &limits, &options);
    assert_eq!(outcome.actions, vec![file_into("Sent/Copies")]);
}

// ---------------------------------------------------------- conditions

#[test]
fn address_parts() {
    assert!(holds("from domain is \"FAMILY.example\"", "mum.eml"));
    assert!(holds("from local part is \"mother\"", "mum.eml"));
    assert!(holds("from name contains \"mum\"", "mum.eml"));
    assert!(!holds("from name contains \"dad\"", "mum.eml"));
    assert!(holds("to name is \"frank\"", "plain.eml"));
    assert!(holds("cc is \"gina@example.org\"", "plain.eml"));
    assert!(holds(
        "recipients domain is \"example.org\"",
        "hiking_list.eml"
    ));
    assert!(holds(
        "recipients is \"bob@example.org\"",
        "hiking_list.eml"
    ));
}

#[test]
fn envelope_sender_parts() {
    let program = program(&mark_if("sender domain ends with \"family.example\""));
    let outcome = run_on(
        &program,
        &fixture("plain.eml"),
        Some("<mother@family.example>"),
        &quiet(),
    );
    assert_eq!(outcome.actions, vec![UserAction::MarkRead]);
    let outcome = run_on(
        &program,
        &fixture("plain.eml"),
        Some("x@other.example"),
        &quiet(),
    );
    assert_eq!(outcome.actions, vec![]);
}

#[test]
fn negated_tests_hold_on_missing_fields() {
    assert!(holds("cc is not \"x@example.org\"", "mum.eml"));
    assert!(!holds("cc is \"x@example.org\"", "mum.eml"));
    assert!(holds(
        "header \"X-Missing\" does not contain \"a\"",
        "mum.eml"
    ));
}

#[test]
fn text_comparisons() {
    assert!(holds("subject is \"sunday lunch\"", "mum.eml"));
    assert!(!holds("subject is \"sunday\"", "mum.eml"));
    assert!(holds("subject starts with \"SUNDAY\"", "mum.eml"));
    assert!(holds("subject ends with \"lunch\"", "mum.eml"));
    assert!(holds("subject does not start with \"lunch\"", "mum.eml"));
    assert!(holds("subject matches \"sun*l?nch\"", "mum.eml"));
    assert!(!holds(
        "subject matches \"sun*\"  # whole value: yes",
        "old.eml"
    ));
    assert!(holds("subject matches \"sunday lunch\"", "mum.eml"));
    assert!(holds("subject does not match \"lunch*\"", "mum.eml"));
    assert!(holds(
        "body matches regex \"order number \\d{5}\"",
        "plain.eml"
    ));
    assert!(!holds(
        "body matches regex \"order number \\d{6}\"",
        "plain.eml"
    ));
    assert!(holds("body contains \"PHOTOS\"", "plain.eml"));
    assert!(!holds("body matches regex \"^order\"", "plain.eml"));
    assert!(holds("body matches regex \"(?m)^order\"", "plain.eml"));
    assert!(!holds("body matches regex \"(?-i)PHOTOS\"", "plain.eml"));
}

#[test]
fn header_tests_see_every_occurrence() {
    assert!(holds("header \"x-tag\" is \"second value\"", "plain.eml"));
    assert!(holds("header \"X-Tag\" is \"first\"", "plain.eml"));
}

#[test]
fn attachments() {
    assert!(holds("has attachments", "invoice.eml"));
    assert!(holds("has no attachments", "plain.eml"));
    assert!(holds("attachment name matches \"*.PDF\"", "invoice.eml"));
    assert!(holds(
        "attachment name starts with \"invoice-\"",
        "invoice.eml"
    ));
    assert!(!holds("attachment name matches \"*.exe\"", "invoice.eml"));
}

#[test]
fn automated_kinds() {
    assert!(holds("is automated", "autoreply.eml"));
    assert!(holds("is auto reply", "autoreply.eml"));
    assert!(holds("is list mail", "hiking_list.eml"));
    assert!(holds("is automated", "hiking_list.eml"));
    assert!(holds("is bounce", "bounce.eml"));
    assert!(!holds("is automated", "plain.eml"));
    assert!(holds("message is not bounce", "plain.eml"));
}

#[test]
fn dates_within() {
    assert!(holds("date sent within 1d", "plain.eml"));
    assert!(holds("date sent within 2h", "plain.eml"));
    assert!(!holds("date sent within 30m", "plain.eml"));
    assert!(holds("date sent not within 1w 3d", "old.eml"));
    assert!(!holds("date sent within 1w 3d", "old.eml"));
}

#[test]
fn numbers_and_bands() {
    let program = program(
        "rule \"level\"\n if spam level at least 30\n then set icon level\n\
         rule \"band\"\n if spam band is over low\n then set icon band\n\
         rule \"tests\"\n if spam tests is \"bulk\"\n then set icon tests\n",
    );
    let server = ServerView {
        level: 30,
        band: Band::Medium,
        tests: vec!["NO_MSGID".into(), "BULK".into()],
    };
    let outcome = run_on(&program, &fixture("plain.eml"), None, &server);
    let icons: Vec<UserAction> = ["level", "band", "tests"]
        .iter()
        .map(|icon| UserAction::SetIcon {
            icon: icon.to_string(),
        })
        .collect();
    assert_eq!(outcome.actions, icons);
    let outcome = run_on(
        &program,
        &fixture("plain.eml"),
        None,
        &ServerView {
            level: 29,
            band: Band::Low,
            tests: vec![],
        },
    );
    assert_eq!(outcome.actions, vec![]);
}

#[test]
fn size_units_compare_bytes() {
    let size = fixture("invoice.eml").len();
    assert!(size > 500, "fixture size {size}");
    assert!(size < 1024, "fixture size {size}");
    assert!(holds("size over 500 B", "invoice.eml"));
    assert!(holds("size under 1 KB", "invoice.eml"));
    assert!(!holds("size over 1 MB", "invoice.eml"));
}

#[test]
fn any_all_and_not() {
    let any = "rule \"t\"\n if any\n  subject contains \"nothing\"\n  from domain is \"family.example\"\n then mark read\n";
    assert_eq!(actions(any, "mum.eml"), vec![UserAction::MarkRead]);
    assert_eq!(actions(any, "plain.eml"), vec![]);
    let all = "rule \"t\"\n if all\n  subject contains \"sunday\"\n  not from domain is \"family.example\"\n then mark read\n";
    assert_eq!(actions(all, "mum.eml"), vec![]);
    assert_eq!(actions(all, "hike_subject.eml"), vec![UserAction::MarkRead]);
}

// -------------------------------------------------------------- order

#[test]
fn stop_ends_later_rules() {
    let rules = "rule \"a\"\n if subject contains \"photos\"\n then mark read, stop\n\
                 rule \"b\"\n if always\n then set icon b\n";
    assert_eq!(
        actions(rules, "plain.eml"),
        vec![UserAction::MarkRead, UserAction::Stop]
    );
}

#[test]
fn delete_ends_everything() {
    let rules = "rule \"a\"\n if subject contains \"photos\"\n then forward to \"me@example.net\", delete silently\n\
                 rule \"b\"\n if subject contains \"x\"\n then set icon b\n";
    assert_eq!(
        actions(rules, "plain.eml"),
        vec![
            UserAction::Forward {
                to: "me@example.net".into()
            },
            UserAction::DeleteSilently
        ]
    );
}

#[test]
fn first_file_into_wins() {
    let rules = "rule \"a\"\n if subject contains \"photos\"\n then file into \"Photos\"\n\
                 rule \"b\"\n if always\n then file into \"Other\", mark read\n";
    assert_eq!(
        actions(rules, "plain.eml"),
        vec![file_into("Photos"), UserAction::MarkRead]
    );
}

#[test]
fn page_without_text_uses_rule_name() {
    assert_eq!(
        actions("rule \"Ping me\"\n if always\n then page\n", "plain.eml"),
        vec![UserAction::Notify {
            message: "Ping me".into()
        }]
    );
}

#[test]
fn users_do_not_affect_each_other() {
    let alice = example("alice");
    let bob = example("bob");
    let raw = fixture("hike_subject.eml");
    let bob_alone = run_on(&bob, &raw, None, &quiet());
    let _ = run_on(&alice, &raw, None, &quiet());
    let bob_after_alice = run_on(&bob, &raw, None, &quiet());
    assert_eq!(bob_alone, bob_after_alice);
}

// ------------------------------------------------------------- limits

#[test]
fn action_limit_stops_the_run() {
    let rules = "rule \"a\"\n if always\n then mark read, set icon a, page \"x\"\n";
    let limits = Limits {
        max_user_actions: 2,
        ..Limits::default()
    };
    let outcome = run_limited(
        &program(rules),
        &fixture("plain.eml"),
        None,
        &quiet(),
        &limits,
    );
    assert_eq!(outcome.actions.len(), 2);
    assert_eq!(
        outcome.limits_hit,
        vec!["max_user_actions: user rules stopped after 2 actions".to_string()]
    );
}

#[test]
fn instruction_budget_stops_the_run() {
    let rules: String = (0..50)
        .map(|index| format!("rule \"r{index}\"\n if subject contains \"zzz\"\n then mark read\n"))
        .collect();
    let program = program(&rules);
    let limits = Limits {
        max_instructions: 20,
        ..Limits::default()
    };
    let outcome = run_limited(&program, &fixture("plain.eml"), None, &quiet(), &limits);
    assert_eq!(
        outcome.limits_hit,
        vec!["max_instructions: user rules stopped after 20 instructions".to_string()]
    );
}

#[test]
fn five_thousand_rules_rejected_quickly() {
    let mut text = String::new();
    for index in 0..5_000 {
        text.push_str(&format!("rule \"r{index}\"\n  if subject contains \"w{index}\"\n  then file into \"F{index}\"\n"));
    }
    let source = SourceFile::new("huge.rules", text);
    let started = Instant::now();
    let (program, diagnostics) = user::build(FileId(0), &source, &Limits::default());
    let elapsed = started.elapsed();
    assert!(program.is_none());
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].code, "E0202");
    assert_eq!(
        diagnostics[0].message,
        "more than 1000 rules in one personal rule file"
    );
    assert_eq!(diagnostics[0].span.line, 3_001);
    // A generous bound for a debug build on a loaded machine; the point is
    // that reading stops at the limit instead of parsing every rule.
    assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
}

#[test]
fn pathological_regex_rejected() {
    let source = SourceFile::new(
        "re.rules",
        mark_if("body matches regex \"(\\w{100}){100}\""),
    );
    let (program, diagnostics) = user::build(FileId(0), &source, &Limits::default());
    assert!(program.is_none());
    assert_eq!(diagnostics[0].code, "E0203");
}

#[test]
fn nested_repetition_runs_in_linear_time() {
    // `(a+)+$` takes exponential time in a backtracking engine on a long
    // run of `a` followed by `b`; here it is one linear scan.
    let program = program(&mark_if("body matches regex \"(a+)+$\""));
    let mut raw = b"Subject: x\r\n\r\n".to_vec();
    raw.extend(std::iter::repeat_n(b'a', 100_000));
    raw.push(b'b');
    let started = Instant::now();
    let outcome = run_on(&program, &raw, None, &quiet());
    assert_eq!(outcome.actions, vec![]);
    assert!(started.elapsed() < Duration::from_secs(5));
}

// ------------------------------------------------------------ program

#[test]
fn program_round_trips_through_postcard() {
    let program = example("alice");
    let bytes = postcard::to_allocvec(&program).unwrap();
    let loaded: UserProgram = postcard::from_bytes(&bytes).unwrap();
    assert_eq!(loaded, program);
    assert_eq!(loaded.validate(), Ok(()));
    let outcome = run_on(&loaded, &fixture("spammer.eml"), None, &quiet());
    assert_eq!(outcome.actions, vec![UserAction::DeleteSilently]);
}

#[test]
fn validate_rejects_backward_jump() {
    let mut program = example("bob");
    // The flag is clear right after the first rule starts.
    program.code[1] = Op::JumpIfFalse { target: 0 };
    assert!(program.validate().is_err());
    // Running it anyway ends instead of looping.
    let outcome = run_on(&program, &fixture("autoreply.eml"), None, &quiet());
    assert!(!outcome.limits_hit.is_empty());
}

#[test]
fn listing_names_rules_and_tests() {
    let listing = example("bob").listing();
    insta::with_settings!({ snapshot_path => "user/snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("bob_listing", listing);
    });
}

#[test]
fn outcome_as_verdict_json() {
    let spam = rulec::verdict::Spam {
        level: 0,
        band: Band::None,
        tests: vec![],
        junk: false,
    };
    let outcome = run_on(
        &example("alice"),
        &fixture("invoice.eml"),
        None,
        &ServerView::from_spam(&spam),
    );
    let json = serde_json::to_string(&outcome.to_result("alice")).unwrap();
    assert_eq!(
        json,
        r#"{"user":"alice","actions":[{"action":"file_into","folder":"Bills"},{"action":"mark_read"},{"action":"set_priority","priority":"high"}]}"#
    );
}
