//! Checker tests through the library: several mistakes in one file, and
//! valid rules that must not be reported.

use rulec::check;
use rulec::diag::{Diagnostic, Severity};
use rulec::ruleset::RuleSet;

fn check_rules(text: &str) -> Vec<Diagnostic> {
    check::check(&RuleSet::from_sources(&[("rules.mailrules", text)]))
}

fn summary(diagnostics: &[Diagnostic]) -> Vec<(u32, &'static str)> {
    diagnostics
        .iter()
        .map(|diagnostic| (diagnostic.span.line, diagnostic.code))
        .collect()
}

#[test]
fn five_mistakes_give_five_errors() {
    let text = "\
^: SET $limit = 10
Subject: IF (@inwordlst(\"lists.bad\", $subject)) SET $spamlevel += $limit
X-Mailer: eregexp:\"bulk (mail\" SET $spamlevel += 10
^: SET $sender = \"nobody\"
From: \"casino\" SET $spamlevel += 10
.: regexp:\"spam\" SPAM
Received: \"dialup\" SET $spamlevel += 10
: IF ($spamlevel > \"high\") SPAM
";
    let diagnostics = check_rules(text);
    assert_eq!(
        summary(&diagnostics),
        vec![
            (2, "E0101"),
            (3, "E0108"),
            (4, "E0105"),
            (6, "E0104"),
            (8, "E0103"),
        ]
    );
    assert!(diagnostics
        .iter()
        .all(|diagnostic| diagnostic.severity == Severity::Error));
}

#[test]
fn error_columns_point_into_the_line() {
    let diagnostics = check_rules("Subject: eregexp:\"a\\\"b(c\" SET $spamlevel += 1\n");
    assert_eq!(summary(&diagnostics), vec![(1, "E0108")]);
    // The `(` is at column 23: the escaped quote is two source characters
    // but one character of the pattern text.
    assert_eq!(diagnostics[0].span.column, 23);
}

#[test]
fn valid_rules_give_no_diagnostics() {
    let text = r#"
^: SET $Count = 0 AND $Label = "none" AND $n = "5"
^: IF (@IsTrustedIP($SenderIP) AND $Form.Config.1202.Checkbox == 0) DONE
Subject: eregexp:"^(Re|Fwd): (.*)$" INJECT "X-Original-Subject: \2"
Subject: /order (\d+)/i INJECT "X-Order: \1"
Subject: IF ($subject =~ /order (\d+)/i) INJECT "X-Has-Order: yes"
Subject: IF (@inblocklist($subject, 1) OR @isupper($subject)) SET $Count += 1
*: IF ($header == "X-Spam" AND $value != "") DISCARDHEADER
X-Mailer: "*Mass Mail*" SET $spamlevel += 60 AND $spamtests += "BULK;"
@: IF ($attachname =~ /\.exe$/i) SET $spamlevel += 10 AND $Label = "exe: $attachname"
<: IF (@domain($linkurl) == "example.com") SET $Count -= 1
>: IF (@len($body) > 10000) SET $spamlevel += 1
: IF ($n - 1 > 3 AND $Count >= 2) SET $spamlevel += "5"
: IF (@headercount("Received") > 20 OR NOT @hasheader("Date")) SET $spamlevel += 5
.: IF ($spamlevel > $HighSpamMax) NDN "Rejected: level $spamlevel"
.: IF ($lsSpammer == 1 AND @lower($from) != "") SET $IsSpammer = 1
.: IF ($Label != "none") REPLACE "X-Label: $Label"
.: IF ($rcptcount > 15) SET $LowSpamMin = 2
"#;
    let diagnostics = check_rules(text);
    assert_eq!(diagnostics, Vec::new());
}

#[test]
fn variable_read_in_interpolation_counts() {
    let diagnostics = check_rules(".: IF ($spamlevel > 1) INJECT \"X-Why: $Reason\"\n");
    assert_eq!(summary(&diagnostics), vec![(1, "W0001")]);
    assert!(diagnostics[0].message.contains("$Reason"));
}

#[test]
fn unreachable_rule_names_the_blocking_line() {
    let text = "Subject: NDN\nSubject: \"x\" SET $spamlevel += 1\n";
    let diagnostics = check_rules(text);
    assert_eq!(summary(&diagnostics), vec![(2, "W0002")]);
    assert!(
        diagnostics[0].message.contains("line 1"),
        "{}",
        diagnostics[0].message
    );
}

#[test]
fn empty_selector_blocks_end_of_message_rules() {
    let text = ".: SPAM\n: DISCARDMESSAGE\n";
    let diagnostics = check_rules(text);
    assert_eq!(summary(&diagnostics), vec![(1, "W0002")]);
}

#[test]
fn conditional_final_action_blocks_nothing() {
    let text = "Subject: \"x\" DONE\nSubject: \"y\" SET $spamlevel += 1\n";
    assert_eq!(check_rules(text), Vec::new());
}

#[test]
fn duplicate_rule_names_the_first_line() {
    let text = "X-A: \"x\" SPAM\nX-B: \"x\" SPAM\nx-a: \"x\"  spam\n";
    let diagnostics = check_rules(text);
    assert_eq!(summary(&diagnostics), vec![(3, "W0003")]);
    assert!(diagnostics[0].message.contains("line 1"));
}

#[test]
fn pattern_case_matters_for_duplicates() {
    let text = "X-A: eregexp:\"Free\" SPAM\nX-A: eregexp:\"free\" SPAM\n";
    assert_eq!(check_rules(text), Vec::new());
}

#[test]
fn match_in_if_captures_nothing() {
    let text = "Subject: IF ($subject =~ /(x)/) INJECT \"X-A: \\1\"\n";
    let diagnostics = check_rules(text);
    assert_eq!(summary(&diagnostics), vec![(1, "E0111")]);
    assert!(
        diagnostics[0].message.contains("inside `IF`"),
        "{}",
        diagnostics[0].message
    );
}

#[test]
fn negating_text_is_a_type_mismatch() {
    let diagnostics = check_rules("^: SET $x = -\"abc\"\n.: IF ($x) SPAM\n");
    assert_eq!(summary(&diagnostics), vec![(1, "E0103")]);
}

#[test]
fn mixed_variable_types_are_not_reported() {
    let text = "^: SET $x = \"a\"\nSubject: \"y\" SET $x = 3\n.: IF ($x - 1 > 0) SPAM\n";
    assert_eq!(check_rules(text), Vec::new());
}

#[test]
fn header_values_may_be_numbers() {
    let text = "X-Spam-Score: IF ($value - 5 > 0) SET $spamlevel += $value\n\
                Subject: IF (@lower($subject) - 1 > 0) SET $spamlevel += 1\n";
    assert_eq!(check_rules(text), Vec::new());
}
