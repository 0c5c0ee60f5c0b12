//! Tests of the `rules.mailrules` parser: single rules with exact
//! assertions, and folder-driven snapshots of whole files under
//! `tests/syntax/server/`.
//!
//! The snapshots render the AST as an indented tree. Each node line ends
//! with the source text its span covers, in backticks, so a wrong span is
//! visible when reviewing.

use std::fmt::Write as _;
use std::path::Path;

use rulec::ast::server::{
    Action, ActionKind, AssignOp, BinaryOp, ConditionKind, Expr, ExprKind, MailRules, Pattern,
    PatternKind, Rule, SelectorKind, Template, TemplatePart, UnaryOp,
};
use rulec::diag::{codes, Diagnostic};
use rulec::limits::Limits;
use rulec::span::{FileId, SourceFile, Span};

fn parse_text(text: &str) -> (MailRules, Vec<Diagnostic>, SourceFile) {
    parse_with(text, &Limits::default())
}

fn parse_with(text: &str, limits: &Limits) -> (MailRules, Vec<Diagnostic>, SourceFile) {
    let source = SourceFile::new("test.mailrules", text);
    let (rules, diagnostics) = rulec::syntax::server::parse(FileId(0), &source, limits);
    (rules, diagnostics, source)
}

/// Parses one line that must be valid and returns its rule.
fn rule(text: &str) -> Rule {
    let (mut rules, diagnostics, _) = parse_text(text);
    assert_eq!(diagnostics, vec![], "diagnostics for {text:?}");
    assert_eq!(rules.rules.len(), 1, "rules in {text:?}");
    rules.rules.remove(0)
}

/// Parses text that must give exactly one diagnostic and returns it.
fn error(text: &str) -> Diagnostic {
    let (rules, mut diagnostics, _) = parse_text(text);
    assert_eq!(
        diagnostics.len(),
        1,
        "diagnostics for {text:?}: {diagnostics:#?}"
    );
    assert!(rules.rules.is_empty(), "rules parsed from {text:?}");
    diagnostics.remove(0)
}

/// Returns the text of `text` that a span covers.
fn slice(text: &str, span: Span) -> &str {
    &text[span.start as usize..span.end as usize]
}

/// Renders an expression as a compact S-expression, for precedence tests.
fn sexpr(expr: &Expr) -> String {
    match &expr.kind {
        ExprKind::Int(value) => value.to_string(),
        ExprKind::Str(template) => format!("{:?}", template_text(template)),
        ExprKind::Var(variable) => format!("${}", variable.name),
        ExprKind::Call { name, args, .. } => {
            let args: Vec<String> = args.iter().map(sexpr).collect();
            format!("@{name}({})", args.join(", "))
        }
        ExprKind::Unary { op, operand } => format!("({} {})", unary_name(*op), sexpr(operand)),
        ExprKind::Binary { op, lhs, rhs } => {
            format!("({} {} {})", binary_name(*op), sexpr(lhs), sexpr(rhs))
        }
        ExprKind::Match {
            value,
            negated,
            pattern,
        } => {
            let op = if *negated { "!~" } else { "=~" };
            format!("({op} {} {})", sexpr(value), pattern_text(pattern))
        }
    }
}

fn if_expr(rule: &Rule) -> &Expr {
    match &rule.condition.as_ref().expect("rule has a condition").kind {
        ConditionKind::If(expr) => expr,
        other => panic!("expected IF, found {other:?}"),
    }
}

fn condition_sexpr(text: &str) -> String {
    sexpr(if_expr(&rule(text)))
}

fn unary_name(op: UnaryOp) -> &'static str {
    match op {
        UnaryOp::Not => "not",
        UnaryOp::Negate => "neg",
    }
}

fn binary_name(op: BinaryOp) -> &'static str {
    match op {
        BinaryOp::Or => "or",
        BinaryOp::And => "and",
        BinaryOp::Equal => "==",
        BinaryOp::NotEqual => "!=",
        BinaryOp::Less => "<",
        BinaryOp::LessEqual => "<=",
        BinaryOp::Greater => ">",
        BinaryOp::GreaterEqual => ">=",
        BinaryOp::Add => "+",
        BinaryOp::Subtract => "-",
    }
}

fn assign_name(op: AssignOp) -> &'static str {
    match op {
        AssignOp::Set => "=",
        AssignOp::Add => "+=",
        AssignOp::Subtract => "-=",
    }
}

/// Renders template parts as one string: `$name`, `\N` and literal text.
fn template_text(template: &Template) -> String {
    let mut out = String::new();
    for part in &template.parts {
        match part {
            TemplatePart::Text(text) => out.push_str(text),
            TemplatePart::Var(variable) => write!(out, "${{{}}}", variable.name).unwrap(),
            TemplatePart::Capture { group, .. } => write!(out, "\\{group}").unwrap(),
        }
    }
    out
}

fn pattern_text(pattern: &Pattern) -> String {
    let kind = match &pattern.kind {
        PatternKind::Simple => "simple".to_string(),
        PatternKind::BasicRegex => "regexp".to_string(),
        PatternKind::ExtendedRegex => "eregexp".to_string(),
        PatternKind::ExtendedRegexIgnoreCase => "eregexpi".to_string(),
        PatternKind::Perl { flags } => format!("perl/{flags}"),
    };
    format!("{kind} {:?}", pattern.text)
}

// ---------------------------------------------------------------------
// Snapshot rendering
// ---------------------------------------------------------------------

/// Renders a parse result as an indented tree with the covered source
/// text of every node, then the diagnostics.
fn render(source: &SourceFile, rules: &MailRules, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for rule in &rules.rules {
        render_rule(&mut out, source, rule);
    }
    for diagnostic in diagnostics {
        render_diagnostic(&mut out, source, diagnostic);
    }
    out
}

fn node(out: &mut String, source: &SourceFile, depth: usize, label: &str, span: Span) {
    let text = slice(&source.text, span);
    writeln!(out, "{:indent$}{label} `{text}`", "", indent = depth * 2).unwrap();
}

fn render_rule(out: &mut String, source: &SourceFile, rule: &Rule) {
    let span = rule.span;
    let header = format!("rule {}:{}-{}", span.line, span.column, span.end_column);
    node(out, source, 0, &header, span);
    let selector = match &rule.selector.kind {
        SelectorKind::Begin => "begin ^".to_string(),
        SelectorKind::Header(name) => format!("header {name}"),
        SelectorKind::AnyHeader => "any header *".to_string(),
        SelectorKind::HeadersEnd => "headers end".to_string(),
        SelectorKind::Attachment => "attachment @".to_string(),
        SelectorKind::Link => "link <".to_string(),
        SelectorKind::Body => "body >".to_string(),
        SelectorKind::MessageEnd => "message end .".to_string(),
    };
    node(
        out,
        source,
        1,
        &format!("selector {selector}"),
        rule.selector.span,
    );
    if let Some(condition) = &rule.condition {
        match &condition.kind {
            ConditionKind::Pattern { negated, pattern } => {
                let label = if *negated { "if not" } else { "if" };
                node(out, source, 1, label, condition.span);
                node(out, source, 2, &pattern_text(pattern), pattern.span);
            }
            ConditionKind::If(expr) => {
                node(out, source, 1, "if expression", condition.span);
                render_expr(out, source, 2, expr);
            }
        }
    }
    for action in &rule.actions {
        render_action(out, source, action);
    }
}

fn render_action(out: &mut String, source: &SourceFile, action: &Action) {
    let label = match &action.kind {
        ActionKind::Set(_) => "set",
        ActionKind::Spam => "spam",
        ActionKind::DiscardHeader => "discard header",
        ActionKind::Inject(_) => "inject",
        ActionKind::Replace(_) => "replace",
        ActionKind::DiscardMessage => "discard message",
        ActionKind::Ndn(_) => "ndn",
        ActionKind::Done => "done",
    };
    node(out, source, 1, &format!("action {label}"), action.span);
    match &action.kind {
        ActionKind::Set(assignments) => {
            for assignment in assignments {
                let label = format!("${} {}", assignment.target.name, assign_name(assignment.op));
                node(out, source, 2, &label, assignment.span);
                node(out, source, 3, "target", assignment.target.span);
                render_expr(out, source, 3, &assignment.value);
            }
        }
        ActionKind::Inject(template)
        | ActionKind::Replace(template)
        | ActionKind::Ndn(Some(template)) => render_template(out, source, 2, template),
        _ => {}
    }
}

fn render_template(out: &mut String, source: &SourceFile, depth: usize, template: &Template) {
    node(out, source, depth, "string", template.span);
    for part in &template.parts {
        let indent = (depth + 1) * 2;
        match part {
            TemplatePart::Text(text) => {
                writeln!(out, "{:indent$}text {text:?}", "").unwrap();
            }
            TemplatePart::Var(variable) => {
                let label = format!("var {}", variable.name);
                node(out, source, depth + 1, &label, variable.span);
            }
            TemplatePart::Capture { group, span } => {
                node(out, source, depth + 1, &format!("capture {group}"), *span);
            }
        }
    }
}

fn render_expr(out: &mut String, source: &SourceFile, depth: usize, expr: &Expr) {
    match &expr.kind {
        ExprKind::Int(value) => node(out, source, depth, &format!("int {value}"), expr.span),
        ExprKind::Str(template) => render_template(out, source, depth, template),
        ExprKind::Var(variable) => node(
            out,
            source,
            depth,
            &format!("var {}", variable.name),
            expr.span,
        ),
        ExprKind::Call {
            name,
            name_span,
            args,
        } => {
            node(out, source, depth, &format!("call {name}"), expr.span);
            node(out, source, depth + 1, "name", *name_span);
            for arg in args {
                render_expr(out, source, depth + 1, arg);
            }
        }
        ExprKind::Unary { op, operand } => {
            node(out, source, depth, unary_name(*op), expr.span);
            render_expr(out, source, depth + 1, operand);
        }
        ExprKind::Binary { op, lhs, rhs } => {
            node(out, source, depth, binary_name(*op), expr.span);
            render_expr(out, source, depth + 1, lhs);
            render_expr(out, source, depth + 1, rhs);
        }
        ExprKind::Match {
            value,
            negated,
            pattern,
        } => {
            let label = if *negated { "!~" } else { "=~" };
            node(out, source, depth, label, expr.span);
            render_expr(out, source, depth + 1, value);
            node(out, source, depth + 1, &pattern_text(pattern), pattern.span);
        }
    }
}

fn render_diagnostic(out: &mut String, source: &SourceFile, diagnostic: &Diagnostic) {
    let span = diagnostic.span;
    writeln!(
        out,
        "{} {:?} {}:{}-{}:{}: {}",
        diagnostic.code,
        diagnostic.severity,
        span.line,
        span.column,
        span.end_line,
        span.end_column,
        diagnostic.message
    )
    .unwrap();
    writeln!(out, "  | {}", source.line_text(span.line)).unwrap();
    let width = (span.end_column.saturating_sub(span.column) as usize).max(1);
    let pad = span.column as usize - 1;
    writeln!(out, "  | {:pad$}{:^<width$}", "", "").unwrap();
    if let Some(help) = &diagnostic.help {
        writeln!(out, "  help: {help}").unwrap();
    }
}

/// Runs every `tests/syntax/server/*.mailrules` case against its snapshot.
/// All cases run even when one fails; the failures are listed at the end.
#[test]
fn server_cases_match_snapshots() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/syntax/server");
    let mut paths: Vec<_> = std::fs::read_dir(&folder)
        .expect("tests/syntax/server exists")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "mailrules"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 10, "found only {} server cases", paths.len());

    let mut failed = Vec::new();
    for path in &paths {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(path).unwrap();
        let (rules, diagnostics, source) = parse_text(&text);
        let rendered = render(&source, &rules, &diagnostics);
        let result = std::panic::catch_unwind(|| {
            insta::with_settings!({ input_file => path, prepend_module_to_snapshot => true }, {
                insta::assert_snapshot!(name.clone(), rendered);
            });
        });
        if result.is_err() {
            failed.push(name);
        }
    }
    assert!(failed.is_empty(), "snapshots differ for: {failed:?}");
}

// ---------------------------------------------------------------------
// Selectors
// ---------------------------------------------------------------------

#[test]
fn selector_every_kind() {
    let cases = [
        ("^: DONE", SelectorKind::Begin),
        ("*: DONE", SelectorKind::AnyHeader),
        ("@: DONE", SelectorKind::Attachment),
        ("<: DONE", SelectorKind::Link),
        (">: DONE", SelectorKind::Body),
        (".: DONE", SelectorKind::MessageEnd),
        (": DONE", SelectorKind::HeadersEnd),
        ("'': DONE", SelectorKind::HeadersEnd),
        ("X-Mailer: DONE", SelectorKind::Header("X-Mailer".into())),
        ("  Subject  : DONE", SelectorKind::Header("Subject".into())),
    ];
    for (text, kind) in cases {
        assert_eq!(rule(text).selector.kind, kind, "selector of {text:?}");
    }
}

#[test]
fn selector_span_excludes_white_space() {
    let text = "  Subject  : DONE";
    let rule = rule(text);
    assert_eq!(slice(text, rule.selector.span), "Subject");
    assert_eq!(rule.selector.span.column, 3);
}

#[test]
fn selector_unknown_is_e0003() {
    let diagnostic = error("X Mailer: DONE");
    assert_eq!(diagnostic.code, codes::UNKNOWN_SELECTOR);
    assert!(
        diagnostic.message.contains("`X Mailer`"),
        "{}",
        diagnostic.message
    );
    assert_eq!((diagnostic.span.column, diagnostic.span.end_column), (1, 9));
}

#[test]
fn selector_non_ascii_is_e0003() {
    let diagnostic = error("Sübject: DONE");
    assert_eq!(diagnostic.code, codes::UNKNOWN_SELECTOR);
}

#[test]
fn missing_colon_is_syntax_error() {
    let diagnostic = error("Subject \"x\" DONE");
    assert_eq!(diagnostic.code, codes::SYNTAX);
    assert!(diagnostic.message.contains("`:`"), "{}", diagnostic.message);
}

// ---------------------------------------------------------------------
// Conditions
// ---------------------------------------------------------------------

fn pattern_of(text: &str) -> (bool, Pattern) {
    match rule(text).condition.expect("a condition").kind {
        ConditionKind::Pattern { negated, pattern } => (negated, pattern),
        other => panic!("expected a pattern, found {other:?}"),
    }
}

#[test]
fn condition_every_pattern_form() {
    let cases = [
        (r#"Subject: "offer" DONE"#, PatternKind::Simple, "offer"),
        (
            r#"Subject: regexp:"a\(b\)" DONE"#,
            PatternKind::BasicRegex,
            r"a\(b\)",
        ),
        (
            r#"Subject: eregexp:"a(b)+" DONE"#,
            PatternKind::ExtendedRegex,
            "a(b)+",
        ),
        (
            r#"Subject: eregexpi:"free|cheap" DONE"#,
            PatternKind::ExtendedRegexIgnoreCase,
            "free|cheap",
        ),
        (
            r"Subject: /\bfree\b/i DONE",
            PatternKind::Perl { flags: "i".into() },
            r"\bfree\b",
        ),
        (
            "Subject: /x/ DONE",
            PatternKind::Perl { flags: "".into() },
            "x",
        ),
    ];
    for (text, kind, pattern_text) in cases {
        let (negated, pattern) = pattern_of(text);
        assert!(!negated, "negated in {text:?}");
        assert_eq!(pattern.kind, kind, "kind in {text:?}");
        assert_eq!(pattern.text, pattern_text, "text in {text:?}");
    }
}

#[test]
fn condition_not_on_every_pattern() {
    for text in [
        r#"Subject: NOT "x" DONE"#,
        r#"Subject: not regexp:"x" DONE"#,
        r#"Subject: Not eregexp:"x" DONE"#,
        r#"Subject: NOT eregexpi:"x" DONE"#,
        r#"Subject: NOT /x/ DONE"#,
        r#"Subject: NOT"x" DONE"#,
    ] {
        assert!(pattern_of(text).0, "not negated: {text:?}");
    }
}

#[test]
fn condition_prefixes_are_case_insensitive() {
    let (_, pattern) = pattern_of(r#"Subject: EREGEXPI:"x" DONE"#);
    assert_eq!(pattern.kind, PatternKind::ExtendedRegexIgnoreCase);
    let (_, pattern) = pattern_of(r#"Subject: RegExp:"x" DONE"#);
    assert_eq!(pattern.kind, PatternKind::BasicRegex);
}

#[test]
fn condition_spans_cover_prefix_and_quotes() {
    let text = r#"Subject: NOT eregexp:"a b" DONE"#;
    let rule = rule(text);
    let condition = rule.condition.as_ref().unwrap();
    assert_eq!(slice(text, condition.span), r#"NOT eregexp:"a b""#);
    let ConditionKind::Pattern { pattern, .. } = &condition.kind else {
        panic!("not a pattern");
    };
    assert_eq!(slice(text, pattern.span), r#"eregexp:"a b""#);
}

#[test]
fn pattern_keeps_regex_escapes() {
    let (_, pattern) = pattern_of(r#"Subject: eregexp:"\d+\.\"x\"\\" DONE"#);
    assert_eq!(pattern.text, r#"\d+\."x"\\"#);
}

#[test]
fn simple_pattern_resolves_backslash_pairs() {
    let (_, pattern) = pattern_of(r#"Subject: "C:\\Win \"q\" C:\temp\\" DONE"#);
    assert_eq!(pattern.text, r#"C:\Win "q" C:\temp\"#);
}

#[test]
fn perl_pattern_escaped_slash() {
    let text = r"<: /https?:\/\/[0-9.]+\//ix DONE";
    let (_, pattern) = pattern_of(text);
    assert_eq!(pattern.text, r"https?://[0-9.]+/");
    assert_eq!(pattern.kind, PatternKind::Perl { flags: "ix".into() });
}

#[test]
fn pattern_is_not_a_template() {
    let (_, pattern) = pattern_of(r#"Subject: "$subject \1" DONE"#);
    assert_eq!(pattern.text, r"$subject \1");
}

#[test]
fn condition_is_optional() {
    let rule = rule("^: SET $x = 1");
    assert!(rule.condition.is_none());
    assert_eq!(rule.actions.len(), 1);
}

#[test]
fn condition_if_forms() {
    for text in [
        "^: IF ($a) DONE",
        "^: if($a) DONE",
        "^: If ( $a ) DONE",
        "^:IF($a)DONE",
    ] {
        assert_eq!(sexpr(if_expr(&rule(text))), "$a", "{text:?}");
    }
}

// ---------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------

#[test]
fn precedence_or_below_and() {
    assert_eq!(
        condition_sexpr("^: IF ($a OR $b AND $c) DONE"),
        "(or $a (and $b $c))"
    );
    assert_eq!(
        condition_sexpr("^: IF ($a && $b || $c) DONE"),
        "(or (and $a $b) $c)"
    );
}

#[test]
fn precedence_comparison_below_sum() {
    assert_eq!(
        condition_sexpr("^: IF ($a + 1 == $b - 2) DONE"),
        "(== (+ $a 1) (- $b 2))"
    );
    assert_eq!(
        condition_sexpr("^: IF ($a == 1 AND $b != 2) DONE"),
        "(and (== $a 1) (!= $b 2))"
    );
}

#[test]
fn precedence_unary_above_sum() {
    assert_eq!(condition_sexpr("^: IF (!$a + 1) DONE"), "(+ (not $a) 1)");
    assert_eq!(
        condition_sexpr("^: IF (NOT $a == 1) DONE"),
        "(== (not $a) 1)"
    );
    assert_eq!(condition_sexpr("^: IF (- $a + 1) DONE"), "(+ (neg $a) 1)");
    assert_eq!(condition_sexpr("^: IF (NOT NOT $a) DONE"), "(not (not $a))");
}

#[test]
fn precedence_parentheses() {
    assert_eq!(
        condition_sexpr("^: IF (($a OR $b) AND $c) DONE"),
        "(and (or $a $b) $c)"
    );
    assert_eq!(
        condition_sexpr("^: IF (!($a == 1)) DONE"),
        "(not (== $a 1))"
    );
}

#[test]
fn operators_are_left_associative() {
    assert_eq!(condition_sexpr("^: IF (1 - 2 - 3) DONE"), "(- (- 1 2) 3)");
    assert_eq!(
        condition_sexpr("^: IF ($a OR $b OR $c) DONE"),
        "(or (or $a $b) $c)"
    );
}

#[test]
fn every_comparison_operator() {
    for (op, name) in [
        ("==", "=="),
        ("!=", "!="),
        ("<", "<"),
        ("<=", "<="),
        (">", ">"),
        (">=", ">="),
    ] {
        let text = format!("^: IF ($a{op}1) DONE");
        assert_eq!(condition_sexpr(&text), format!("({name} $a 1)"), "{text}");
    }
}

#[test]
fn match_operators() {
    assert_eq!(
        condition_sexpr(r"^: IF ($subject =~ /^re:/i) DONE"),
        r#"(=~ $subject perl/i "^re:")"#
    );
    assert_eq!(
        condition_sexpr(r"^: IF ($from !~ /@example\.com$/ AND $a) DONE"),
        r#"(and (!~ $from perl/ "@example\\.com$") $a)"#
    );
}

#[test]
fn negative_integer_literal() {
    assert_eq!(condition_sexpr("^: IF ($a > -5) DONE"), "(> $a -5)");
    assert_eq!(
        condition_sexpr("^: IF ($a > -9223372036854775808) DONE"),
        "(> $a -9223372036854775808)"
    );
}

#[test]
fn integer_overflow_is_error_at_its_span() {
    let text = "^: IF ($a > 9223372036854775808) DONE";
    let diagnostic = error(text);
    assert_eq!(diagnostic.code, codes::SYNTAX);
    assert_eq!(slice(text, diagnostic.span), "9223372036854775808");
    assert!(diagnostic.message.contains("9223372036854775808"));
}

#[test]
fn variable_names_with_dots_and_dashes() {
    assert_eq!(
        condition_sexpr("^: IF ($Form.Config.1202.Checkbox==0) DONE"),
        "(== $Form.Config.1202.Checkbox 0)"
    );
    assert_eq!(condition_sexpr("^: IF ($my-var) DONE"), "$my-var");
}

#[test]
fn function_calls() {
    assert_eq!(
        condition_sexpr(r#"^: IF (@inwordlist("lists.bad", $subject)) DONE"#),
        r#"@inwordlist("lists.bad", $subject)"#
    );
    assert_eq!(condition_sexpr("^: IF (@f()) DONE"), "@f()");
    assert_eq!(
        condition_sexpr("^: IF (@a(@b(1) + 2)) DONE"),
        "@a((+ @b(1) 2))"
    );
}

#[test]
fn function_name_span_includes_at() {
    let text = "^: IF (@IsTrustedIP($SenderIP)) DONE";
    let rule = rule(text);
    let ExprKind::Call {
        name, name_span, ..
    } = &if_expr(&rule).kind
    else {
        panic!("not a call");
    };
    assert_eq!(name, "IsTrustedIP");
    assert_eq!(slice(text, *name_span), "@IsTrustedIP");
    assert_eq!(slice(text, if_expr(&rule).span), "@IsTrustedIP($SenderIP)");
}

#[test]
fn expression_spans() {
    let text = "^: IF ($a + 10 == $b) DONE";
    let rule = rule(text);
    let expr = if_expr(&rule);
    assert_eq!(slice(text, expr.span), "$a + 10 == $b");
    let ExprKind::Binary { lhs, rhs, .. } = &expr.kind else {
        panic!("not binary");
    };
    assert_eq!(slice(text, lhs.span), "$a + 10");
    assert_eq!(slice(text, rhs.span), "$b");
}

#[test]
fn parenthesised_spans_keep_parentheses() {
    let text = "^: IF (!($a == 1) AND (($b))) DONE";
    let rule = rule(text);
    let expr = if_expr(&rule);
    assert_eq!(slice(text, expr.span), "!($a == 1) AND (($b))");
    let ExprKind::Binary { lhs, rhs, .. } = &expr.kind else {
        panic!("not binary");
    };
    assert_eq!(slice(text, lhs.span), "!($a == 1)");
    assert_eq!(slice(text, rhs.span), "(($b))");
    let ExprKind::Unary { operand, .. } = &lhs.kind else {
        panic!("not unary");
    };
    assert_eq!(slice(text, operand.span), "($a == 1)");
}

#[test]
fn keywords_are_case_insensitive() {
    assert_eq!(
        condition_sexpr("^: if ($a and $b or not $c) done"),
        "(or (and $a $b) (not $c))"
    );
    let rule = rule(r#"Subject: nOt "x" set $a = 1 and inject "X: y" AND Done"#);
    assert_eq!(rule.actions.len(), 3);
}

// ---------------------------------------------------------------------
// Actions
// ---------------------------------------------------------------------

fn action_kinds(text: &str) -> Vec<ActionKind> {
    rule(text)
        .actions
        .into_iter()
        .map(|action| action.kind)
        .collect()
}

#[test]
fn every_simple_action() {
    assert_eq!(action_kinds("*: SPAM"), vec![ActionKind::Spam]);
    assert_eq!(
        action_kinds("*: DISCARDHEADER"),
        vec![ActionKind::DiscardHeader]
    );
    assert_eq!(
        action_kinds("*: DISCARDMESSAGE"),
        vec![ActionKind::DiscardMessage]
    );
    assert_eq!(action_kinds("*: NDN"), vec![ActionKind::Ndn(None)]);
    assert_eq!(action_kinds("*: DONE"), vec![ActionKind::Done]);
}

#[test]
fn actions_with_strings() {
    let actions = action_kinds(r#"*: INJECT "X-A: 1" AND REPLACE "X-B: 2" AND NDN "go away""#);
    let texts: Vec<String> = actions
        .iter()
        .map(|action| match action {
            ActionKind::Inject(template) => format!("inject {}", template_text(template)),
            ActionKind::Replace(template) => format!("replace {}", template_text(template)),
            ActionKind::Ndn(Some(template)) => format!("ndn {}", template_text(template)),
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(
        texts,
        vec!["inject X-A: 1", "replace X-B: 2", "ndn go away"]
    );
}

#[test]
fn keyword_needs_word_boundary() {
    let diagnostic = error("*: DONEX");
    assert_eq!(diagnostic.code, codes::SYNTAX);
    assert!(
        diagnostic.message.contains("`DONEX`"),
        "{}",
        diagnostic.message
    );
}

fn assignments(text: &str) -> Vec<String> {
    let rule = rule(text);
    let mut out = Vec::new();
    for action in &rule.actions {
        if let ActionKind::Set(assignments) = &action.kind {
            let rendered: Vec<String> = assignments
                .iter()
                .map(|assignment| {
                    format!(
                        "${} {} {}",
                        assignment.target.name,
                        assign_name(assignment.op),
                        sexpr(&assignment.value)
                    )
                })
                .collect();
            out.push(rendered.join("; "));
        } else {
            out.push(format!("{:?}", action.kind));
        }
    }
    out
}

#[test]
fn set_chains_join_one_action() {
    assert_eq!(
        assignments(r#"Subject: "x" SET $spamlevel += 100 AND $spamtests += "SUBJECTBLOCK;""#),
        vec![r#"$spamlevel += 100; $spamtests += "SUBJECTBLOCK;""#]
    );
    assert_eq!(
        assignments("^: SET $a = 1 AND $b = 2"),
        vec!["$a = 1; $b = 2"]
    );
}

#[test]
fn set_chain_then_other_action() {
    assert_eq!(
        assignments("^: SET $a = 1 AND $b -= 2 AND DONE AND SET $c = 3"),
        vec!["$a = 1; $b -= 2", "Done", "$c = 3"]
    );
}

#[test]
fn set_value_is_additive() {
    assert_eq!(
        assignments("^: SET $a = $b + 1 - $c"),
        vec!["$a = (- (+ $b 1) $c)"]
    );
    assert_eq!(assignments("^: SET $a = ($b == 1)"), vec!["$a = (== $b 1)"]);
    let diagnostic = error("^: SET $a = $b == 1");
    assert_eq!(diagnostic.code, codes::SYNTAX);
}

#[test]
fn set_spacing_variants() {
    for text in [
        "^: SET $spamlevel +=75",
        "^: SET $spamlevel+=75",
        "^: SET$spamlevel += 75",
        "^:SET $spamlevel\t+=\t75",
    ] {
        assert_eq!(assignments(text), vec!["$spamlevel += 75"], "{text:?}");
    }
    assert_eq!(assignments("^: SET$lsSpammer = 1"), vec!["$lsSpammer = 1"]);
    assert_eq!(assignments("^: SET $a-=1"), vec!["$a -= 1"]);
}

#[test]
fn assignment_spans() {
    let text = "^: SET $a = 1 AND $b += 2 AND DONE";
    let rule = rule(text);
    assert_eq!(slice(text, rule.actions[0].span), "SET $a = 1 AND $b += 2");
    let ActionKind::Set(assignments) = &rule.actions[0].kind else {
        panic!("not SET");
    };
    assert_eq!(slice(text, assignments[1].span), "$b += 2");
    assert_eq!(slice(text, assignments[1].target.span), "$b");
    assert_eq!(slice(text, rule.actions[1].span), "DONE");
}

// ---------------------------------------------------------------------
// Strings
// ---------------------------------------------------------------------

fn inject_template(text: &str) -> Template {
    match rule(text).actions.remove(0).kind {
        ActionKind::Inject(template) => template,
        other => panic!("expected INJECT, found {other:?}"),
    }
}

#[test]
fn string_interpolation() {
    let template = inject_template(r#".: INJECT "X-SPAM-Level: $spamlevel, ${spamtests}x""#);
    assert_eq!(
        template.parts,
        vec![
            TemplatePart::Text("X-SPAM-Level: ".into()),
            match &template.parts[1] {
                TemplatePart::Var(variable) => TemplatePart::Var(variable.clone()),
                other => panic!("{other:?}"),
            },
            TemplatePart::Text(", ".into()),
            match &template.parts[3] {
                TemplatePart::Var(variable) => TemplatePart::Var(variable.clone()),
                other => panic!("{other:?}"),
            },
            TemplatePart::Text("x".into()),
        ]
    );
    assert_eq!(
        template_text(&template),
        "X-SPAM-Level: ${spamlevel}, ${spamtests}x"
    );
}

#[test]
fn string_variable_spans() {
    let text = r#".: INJECT "A: $a ${b}""#;
    let template = inject_template(text);
    let spans: Vec<&str> = template
        .parts
        .iter()
        .filter_map(|part| match part {
            TemplatePart::Var(variable) => Some(slice(text, variable.span)),
            _ => None,
        })
        .collect();
    assert_eq!(spans, vec!["$a", "${b}"]);
    assert_eq!(slice(text, template.span), r#""A: $a ${b}""#);
}

#[test]
fn string_capture_references() {
    let text = r#"Subject: eregexp:"(a)(b)" INJECT "X-A: \1-\2\0""#;
    let template = inject_template(text);
    assert_eq!(template_text(&template), r"X-A: \1-\2\0");
    let TemplatePart::Capture { group, span } = &template.parts[1] else {
        panic!("not a capture: {:?}", template.parts);
    };
    assert_eq!(*group, 1);
    assert_eq!(slice(text, *span), r"\1");
    // `\0` is no capture reference and stays as written.
    assert_eq!(
        template.parts.last(),
        Some(&TemplatePart::Text(r"\0".into()))
    );
}

#[test]
fn string_escapes() {
    let template = inject_template(r#".: INJECT "A: \"q\" \\ \$x \n\t C:\Users""#);
    assert_eq!(
        template.parts,
        vec![TemplatePart::Text("A: \"q\" \\ $x \n\t C:\\Users".into())]
    );
    assert_eq!(
        template.as_literal().as_deref(),
        Some("A: \"q\" \\ $x \n\t C:\\Users")
    );
}

#[test]
fn string_lone_dollar_is_text() {
    let template = inject_template(r#".: INJECT "A: $ 5 $5 $""#);
    assert_eq!(
        template.parts,
        vec![TemplatePart::Text("A: $ 5 $5 $".into())]
    );
}

#[test]
fn string_unclosed_brace_is_error() {
    let text = r#".: INJECT "A: ${name""#;
    let diagnostic = error(text);
    assert!(diagnostic.message.contains("`}`"), "{}", diagnostic.message);
    assert_eq!(diagnostic.span.column, 21);
}

#[test]
fn variable_starts_with_letter() {
    let diagnostic = error("^: SET $1 = 2");
    assert!(
        diagnostic.message.contains("variable"),
        "{}",
        diagnostic.message
    );
    assert_eq!(condition_sexpr("^: IF ($_a1) DONE"), "$_a1");
}

#[test]
fn string_in_expression_is_template() {
    let rule = rule(r#"^: IF ($spamtests != "a $b") DONE"#);
    let ExprKind::Binary { rhs, .. } = &if_expr(&rule).kind else {
        panic!("not binary");
    };
    let ExprKind::Str(template) = &rhs.kind else {
        panic!("not a string");
    };
    assert_eq!(template_text(template), "a ${b}");
}

// ---------------------------------------------------------------------
// Lines
// ---------------------------------------------------------------------

#[test]
fn comments_and_blank_lines_are_skipped() {
    let (rules, diagnostics, _) = parse_text("# c\n\n   # indented\n\t\n^: DONE\n");
    assert!(diagnostics.is_empty());
    assert_eq!(rules.rules.len(), 1);
    assert_eq!(rules.rules[0].span.line, 5);
}

#[test]
fn crlf_line_ends() {
    let text = "^: SET $a = 1\r\n\r\nSubject: \"x\" DONE\r\n";
    let (rules, diagnostics, source) = parse_text(text);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(rules.rules.len(), 2);
    assert_eq!(slice(&source.text, rules.rules[0].span), "^: SET $a = 1");
    assert_eq!(rules.rules[1].span.line, 3);
    assert_eq!(
        slice(&source.text, rules.rules[1].span),
        "Subject: \"x\" DONE"
    );
}

#[test]
fn rule_span_covers_line_without_end() {
    let text = "^: DONE   \n";
    let (rules, _, source) = parse_text(text);
    assert_eq!(slice(&source.text, rules.rules[0].span), "^: DONE   ");
}

#[test]
fn trailing_comment_is_allowed() {
    let rule = rule("^: SET $a = 1 # start at one");
    assert_eq!(rule.actions.len(), 1);
}

// ---------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------

#[test]
fn five_broken_lines_give_five_errors() {
    let text = "^: FOO\n^: DONE\nSubject: \"x\nX: IF ($a == ) DONE\n: SET $a\n.: DONE DONE\n^: NDN \"x\" AND\n";
    let (rules, diagnostics, _) = parse_text(text);
    assert_eq!(rules.rules.len(), 1);
    let lines: Vec<u32> = diagnostics.iter().map(|d| d.span.line).collect();
    assert_eq!(lines, vec![1, 3, 4, 5, 6, 7]);
    assert!(diagnostics.iter().all(|d| d.code == codes::SYNTAX));
}

#[test]
fn error_names_expected_action_and_found_text() {
    let diagnostic = error("Subject: \"x\" FOO");
    assert_eq!(
        diagnostic.message,
        "expected an action such as SET, INJECT, NDN or DONE, found `FOO`"
    );
    assert_eq!((diagnostic.span.line, diagnostic.span.column), (1, 14));
    assert_eq!(diagnostic.span.end_column, 17);
}

#[test]
fn error_at_missing_parenthesis() {
    let diagnostic = error("^: IF ($a == 1 DONE");
    assert!(diagnostic.message.contains("`)`"), "{}", diagnostic.message);
    assert!(
        diagnostic.message.ends_with("found `DONE`"),
        "{}",
        diagnostic.message
    );
    assert_eq!(diagnostic.span.column, 16);
}

#[test]
fn error_column_counts_characters() {
    let diagnostic = error("Subject: \"é\" FOO");
    assert_eq!(diagnostic.span.column, 14);
}

#[test]
fn error_on_second_line_has_its_line() {
    let (_, diagnostics, _) = parse_text("^: DONE\r\n^: SET $a = \r\n");
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(
        (diagnostics[0].span.line, diagnostics[0].span.column),
        (2, 13)
    );
    assert!(
        diagnostics[0].message.ends_with("found end of line"),
        "{}",
        diagnostics[0].message
    );
}

#[test]
fn unclosed_string_has_help() {
    let diagnostic = error(": INJECT \"abc");
    assert!(diagnostic.help.is_some());
}

// ---------------------------------------------------------------------
// Limits
// ---------------------------------------------------------------------

#[test]
fn deep_parentheses_are_e0205() {
    let depth = 100_000;
    let text = format!("^: IF ({}1{}) DONE", "(".repeat(depth), ")".repeat(depth));
    let diagnostic = error(&text);
    assert_eq!(diagnostic.code, codes::EXPRESSION_TOO_DEEP);
    // The 65th parenthesis is the first too many: the IF's own counts.
    assert_eq!(diagnostic.span.column, 7 + 64);
}

#[test]
fn nesting_at_limit_parses() {
    let limits = Limits {
        max_expression_depth: 8,
        ..Limits::default()
    };
    let text = format!("^: IF ({}1{}) DONE", "(".repeat(7), ")".repeat(7));
    let (rules, diagnostics, _) = parse_with(&text, &limits);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(rules.rules.len(), 1);
}

#[test]
fn parentheses_in_strings_do_not_count() {
    let limits = Limits {
        max_expression_depth: 2,
        ..Limits::default()
    };
    let text = r#"Subject: eregexp:"((((a))))" SET $a = "((((" AND $b = 1"#;
    let (rules, diagnostics, _) = parse_with(text, &limits);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(rules.rules.len(), 1);
}

#[test]
fn long_operator_chain_is_e0205() {
    let text = format!("^: SET $a = 1{}", " + 1".repeat(5_000));
    let diagnostic = error(&text);
    assert_eq!(diagnostic.code, codes::EXPRESSION_TOO_DEEP);
}

#[test]
fn long_unary_chain_is_e0205() {
    let text = format!("^: IF ({}$a) DONE", "!".repeat(5_000));
    let diagnostic = error(&text);
    assert_eq!(diagnostic.code, codes::EXPRESSION_TOO_DEEP);
}

#[test]
fn garbage_lines_do_not_panic() {
    let inputs = [
        "\u{0}:\u{0}",
        ":",
        "::::",
        "^: IF (",
        "^: IF )))",
        "^: \"",
        "^: /",
        "^: SET $",
        "^: SET $a = \"\\",
        "^: INJECT \"${",
        "^: IF (@(",
        "é: é",
        "^: IF ($a =~ /x) DONE",
    ];
    for input in inputs {
        let (rules, diagnostics, _) = parse_text(input);
        assert!(rules.rules.is_empty(), "rule from {input:?}");
        assert!(!diagnostics.is_empty(), "no diagnostic for {input:?}");
    }
}

/// A small xorshift generator, so the random lines are the same on every
/// run.
struct Random(u64);

impl Random {
    fn below(&mut self, bound: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % bound as u64) as usize
    }
}

fn assert_within(span: Span, line: &str, what: &str) {
    assert!(
        span.start <= span.end && span.end as usize <= line.len(),
        "{what} span {span:?} outside {line:?}"
    );
}

#[test]
fn random_lines_give_rule_or_diagnostic() {
    const FRAGMENTS: &[&str] = &[
        "^",
        ":",
        "Subject",
        " ",
        "\"",
        "(",
        ")",
        "IF",
        "NOT",
        "SET",
        "$a",
        "=",
        "+=",
        "-=",
        "AND",
        "OR",
        "/",
        "\\",
        "@f",
        ",",
        "1",
        "99999999999999999999",
        "DONE",
        "NDN",
        "INJECT",
        "#",
        "\t",
        "é",
        "!",
        "-",
        "=~",
        "${",
        "}",
        "'",
        "regexp:",
        "==",
        "<=",
        "&&",
        "\\1",
        "x",
        ".",
    ];
    let mut random = Random(0x9e37_79b9_7f4a_7c15);
    let mut rules_seen = 0;
    for _ in 0..3000 {
        let count = 1 + random.below(24);
        let line: String = (0..count)
            .map(|_| FRAGMENTS[random.below(FRAGMENTS.len())])
            .collect();
        let (rules, diagnostics, _) = parse_text(&line);
        if line.trim_start().is_empty() || line.trim_start().starts_with('#') {
            assert!(rules.rules.is_empty() && diagnostics.is_empty(), "{line:?}");
            continue;
        }
        assert_eq!(
            rules.rules.len() + usize::from(!diagnostics.is_empty()),
            1,
            "exactly a rule or diagnostics for {line:?}: {diagnostics:?}"
        );
        for diagnostic in &diagnostics {
            assert_within(diagnostic.span, &line, "diagnostic");
        }
        for rule in &rules.rules {
            rules_seen += 1;
            assert_within(rule.span, &line, "rule");
            assert_within(rule.selector.span, &line, "selector");
            for action in &rule.actions {
                assert_within(action.span, &line, "action");
            }
        }
    }
    assert!(rules_seen > 0, "no random line parsed");
}

#[test]
fn nesting_at_default_limit_fits_stack() {
    // 63 levels plus the IF's own parentheses reach the default limit of
    // 64; this runs on the test thread's small stack.
    let depth = 63;
    for open in [
        "(",
        "-(",
        "@f(",
        "!(",
        "1 + (",
        "$a AND (",
        "$a =~ /x/ OR (",
    ] {
        let text = format!("^: IF ({}1{}) DONE", open.repeat(depth), ")".repeat(depth));
        let (rules, diagnostics, _) = parse_text(&text);
        assert_eq!(
            rules.rules.len() + diagnostics.len(),
            1,
            "{open}: {diagnostics:?}"
        );
    }
}

#[test]
fn huge_depth_limit_does_not_overflow() {
    let limits = Limits {
        max_expression_depth: usize::MAX,
        ..Limits::default()
    };
    for depth in [64, 200, 1_000, 20_000] {
        for open in ["(", "-(", "@f(", "1 + ("] {
            let text = format!("^: IF ({}1{}) DONE", open.repeat(depth), ")".repeat(depth));
            // pest's stack guard may reject the line; either way it must be
            // a rule or a diagnostic, not a crash.
            let (rules, diagnostics, _) = parse_with(&text, &limits);
            assert_eq!(rules.rules.len() + diagnostics.len(), 1, "{diagnostics:?}");
        }
    }
}

/// A random expression: its source text, fully parenthesised, and the
/// S-expression the parser must build from it.
fn random_expr(random: &mut Random, depth: usize) -> (String, String) {
    let pick = if depth == 0 {
        random.below(3)
    } else {
        random.below(6)
    };
    match pick {
        0 => {
            let value = random.below(2000) as i64 - 1000;
            (value.to_string(), value.to_string())
        }
        1 => {
            let name =
                ["a", "SenderIP", "Form.Config.1202.Checkbox", "x-y", "_z9"][random.below(5)];
            (format!("${name} "), format!("${name}"))
        }
        2 => {
            let text = ["", "abc", "a b", "x;"][random.below(4)];
            (format!("\"{text}\""), format!("{text:?}"))
        }
        3 => {
            let (op, name) =
                [("NOT ", "not"), ("not ", "not"), ("!", "not"), ("-", "neg")][random.below(4)];
            let (text, tree) = random_expr(random, depth - 1);
            (format!("{op}({text})"), format!("({name} {tree})"))
        }
        4 => {
            let count = random.below(3);
            let args: Vec<(String, String)> =
                (0..count).map(|_| random_expr(random, depth - 1)).collect();
            let texts: Vec<&str> = args.iter().map(|(text, _)| text.as_str()).collect();
            let trees: Vec<&str> = args.iter().map(|(_, tree)| tree.as_str()).collect();
            let name = ["inwordlist", "IsTrustedIP", "f"][random.below(3)];
            (
                format!("@{name}({})", texts.join(",")),
                format!("@{name}({})", trees.join(", ")),
            )
        }
        _ => {
            const OPS: &[(&str, &str)] = &[
                (" OR ", "or"),
                (" or ", "or"),
                ("||", "or"),
                (" AND ", "and"),
                ("&&", "and"),
                ("==", "=="),
                ("!=", "!="),
                ("<", "<"),
                ("<=", "<="),
                (">", ">"),
                (">=", ">="),
                ("+", "+"),
                ("-", "-"),
            ];
            let (op, name) = OPS[random.below(OPS.len())];
            let space = if random.below(2) == 0 { " " } else { "" };
            let (lhs, lhs_tree) = random_expr(random, depth - 1);
            let (rhs, rhs_tree) = random_expr(random, depth - 1);
            (
                format!("({lhs}{space}{op}{space}({rhs}))"),
                format!("({name} {lhs_tree} {rhs_tree})"),
            )
        }
    }
}

#[test]
fn random_expressions_parse_to_their_tree() {
    let mut random = Random(0x2545_f491_4f6c_dd1d);
    for _ in 0..2000 {
        let depth = 1 + random.below(5);
        let (text, tree) = random_expr(&mut random, depth);
        let line = format!("^: IF ({text}) DONE");
        let (rules, diagnostics, _) = parse_text(&line);
        assert!(diagnostics.is_empty(), "{line}: {diagnostics:?}");
        let parsed = sexpr(if_expr(&rules.rules[0]));
        // Parentheses around a single operand leave no node, so compare
        // with the tree of the generator.
        assert_eq!(parsed, tree, "{line}");
    }
}

/// A generated expression tree for the minimal-parentheses test.
enum Gen {
    Leaf(String),
    Unary(&'static str, &'static str, Box<Gen>),
    Binary(&'static str, &'static str, u8, Box<Gen>, Box<Gen>),
}

/// Binding strength: 1 `OR`, 2 `AND`, 3 comparisons, 4 `+ -`, 5 unary,
/// 6 leaves.
fn strength(node: &Gen) -> u8 {
    match node {
        Gen::Leaf(_) => 6,
        Gen::Unary(..) => 5,
        Gen::Binary(_, _, strength, _, _) => *strength,
    }
}

fn random_tree(random: &mut Random, depth: usize) -> Gen {
    if depth == 0 || random.below(4) == 0 {
        let leaf = ["$a", "$b", "7", "\"s\""][random.below(4)];
        return Gen::Leaf(leaf.to_string());
    }
    if random.below(5) == 0 {
        let (op, name) = [("NOT ", "not"), ("!", "not"), ("-", "neg")][random.below(3)];
        return Gen::Unary(op, name, Box::new(random_tree(random, depth - 1)));
    }
    const OPS: &[(&str, &str, u8)] = &[
        ("OR", "or", 1),
        ("||", "or", 1),
        ("AND", "and", 2),
        ("&&", "and", 2),
        ("==", "==", 3),
        ("<=", "<=", 3),
        ("!=", "!=", 3),
        ("+", "+", 4),
        ("-", "-", 4),
    ];
    let (op, name, strength) = OPS[random.below(OPS.len())];
    let lhs = random_tree(random, depth - 1);
    let rhs = random_tree(random, depth - 1);
    Gen::Binary(op, name, strength, Box::new(lhs), Box::new(rhs))
}

/// Prints with parentheses only where precedence and left associativity
/// need them.
fn print_minimal(node: &Gen) -> String {
    match node {
        Gen::Leaf(text) => text.clone(),
        Gen::Unary(op, _, operand) => {
            let inner = print_minimal(operand);
            // `-7` would read as a negative literal and `--` needs a
            // space, so those get parentheses too.
            let negated_number = *op == "-" && inner == "7";
            let inner = if strength(operand) < 5 || inner.starts_with('-') || negated_number {
                format!("({inner})")
            } else {
                inner
            };
            format!("{op}{inner}")
        }
        Gen::Binary(op, _, own, lhs, rhs) => {
            let mut left = print_minimal(lhs);
            if strength(lhs) < *own {
                left = format!("({left})");
            }
            let mut right = print_minimal(rhs);
            if strength(rhs) <= *own {
                right = format!("({right})");
            }
            format!("{left} {op} {right}")
        }
    }
}

fn gen_sexpr(node: &Gen) -> String {
    match node {
        Gen::Leaf(text) => text.clone(),
        Gen::Unary(_, name, operand) => format!("({name} {})", gen_sexpr(operand)),
        Gen::Binary(_, name, _, lhs, rhs) => {
            format!("({name} {} {})", gen_sexpr(lhs), gen_sexpr(rhs))
        }
    }
}

#[test]
fn random_minimal_parentheses_keep_tree() {
    let mut random = Random(0x5851_f42d_4c95_7f2d);
    for _ in 0..2000 {
        let depth = 1 + random.below(5);
        let tree = random_tree(&mut random, depth);
        let line = format!("^: IF ({}) DONE", print_minimal(&tree));
        let (rules, diagnostics, _) = parse_text(&line);
        assert!(diagnostics.is_empty(), "{line}: {diagnostics:?}");
        assert_eq!(sexpr(if_expr(&rules.rules[0])), gen_sexpr(&tree), "{line}");
    }
}
