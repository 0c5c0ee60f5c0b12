//! Micro-benchmarks of the rulec library (criterion).
//!
//! Run with `cargo bench --bench rulec`; CI only builds them
//! (`cargo bench --no-run`). The messages are the SpamAssassin corpus under
//! `bench/data/corpus` when `bench/fetch-corpus.sh` has fetched it (the
//! first `MESSAGES_PER_KIND` ham and spam files by name), else the shipped
//! samples in `rules/samples`. Generated rule sets are built here, so the
//! benchmarks need no Python step; `bench/gen_rules.py` makes the larger
//! sets that the side-by-side comparison uses.

use std::fs;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

use rulec::check;
use rulec::limits::Limits;
use rulec::message::{Envelope, Message};
use rulec::program::Program;
use rulec::ruleset::RuleSet;
use rulec::vm::{self, EvalOptions};

/// Corpus messages of each kind (ham, spam) that one iteration evaluates.
const MESSAGES_PER_KIND: usize = 50;

/// Rule counts of the scaling benchmark.
const RULE_COUNTS: [usize; 4] = [10, 100, 1_000, 10_000];

/// Spam and ordinary mail words, separated by spaces.
const WORDS: &str = "free money offer cheap discount viagra mortgage credit loan winner prize \
    guaranteed income unsubscribe click order urgent exclusive meeting project linux kernel \
    patch release thanks update report schedule python perl debian server";

/// Syllables of made-up words, separated by spaces.
const SYLLABLES: &str = "ba ke li mo nu pa re si to vu za de fi go hu ja";

fn repo_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Returns the benchmark messages as (name, bytes).
fn load_messages() -> Vec<(String, Vec<u8>)> {
    let corpus = repo_dir().join("bench/data/corpus");
    let mut messages = Vec::new();
    for kind in ["ham", "spam"] {
        let mut paths = list_files(&corpus.join(kind));
        paths.truncate(MESSAGES_PER_KIND);
        messages.extend(paths.into_iter().filter_map(read_named));
    }
    if messages.is_empty() {
        let samples = list_files(&repo_dir().join("rules/samples"));
        messages.extend(samples.into_iter().filter_map(read_named));
    }
    assert!(
        !messages.is_empty(),
        "no benchmark messages: run bench/fetch-corpus.sh or restore rules/samples"
    );
    messages
}

fn list_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.is_file())
        .collect();
    paths.sort();
    paths
}

fn read_named(path: PathBuf) -> Option<(String, Vec<u8>)> {
    let bytes = fs::read(&path).ok()?;
    Some((path.display().to_string(), bytes))
}

/// Makes up a word for rule `index`, because most rules of a real set rarely match.
fn rare_word(index: usize) -> String {
    let syllables: Vec<&str> = SYLLABLES.split_whitespace().collect();
    let mut state = index.wrapping_mul(2_654_435_761).wrapping_add(97);
    let mut word = String::new();
    for _ in 0..3 {
        word.push_str(syllables[state % syllables.len()]);
        state /= syllables.len();
    }
    word
}

/// Builds `count` server rules of the kinds `bench/gen_rules.py` writes:
/// substring, glob-free phrase, POSIX extended and Perl-style tests on
/// headers and on the body.
fn generated_rules(count: usize) -> String {
    let words: Vec<&str> = WORDS.split_whitespace().collect();
    let mut text = String::from("# generated for benches/rulec.rs\n");
    for index in 0..count {
        let word = words[index % words.len()];
        let rare = rare_word(index);
        let condition = match index % 6 {
            0 => format!("Subject: \"{word} {rare}\""),
            1 => format!(">: /\\b{rare}\\W{{1,3}}{word}\\b/i"),
            2 => format!("From: eregexpi:\"@[a-z0-9.-]*{rare}[a-z0-9-]*\\.(biz|info)\""),
            3 => format!(">: eregexpi:\"{word}[0-9]{{2,4}}{rare}\""),
            4 => format!("Subject: eregexpi:\"^(re|fwd?): *[a-z ]*{rare}\""),
            _ => format!(">: \"{rare} {word}\""),
        };
        let score = index % 9 + 1;
        text.push_str(&format!(
            "{condition} SET $spamlevel += {score} AND $spamtests += \"GEN_{index};\"\n"
        ));
    }
    text
}

/// Twenty personal rules in the user-rule syntax of `rules/users/*.rules`.
fn user_rules() -> String {
    let words: Vec<&str> = WORDS.split_whitespace().collect();
    let mut text = String::from("# twenty personal rules for benches/rulec.rs\n");
    for index in 0..20 {
        let word = words[index % words.len()];
        let rule = match index % 5 {
            0 => format!("  if sender contains \"{word}\"\n  then set priority high\n"),
            1 => format!("  if subject contains \"{word}\"\n  then file into \"Folder{index}\"\n"),
            2 => format!("  if from domain is \"{word}.example.com\"\n  then mark read\n"),
            3 => format!(
                "  if all\n    subject contains \"{word}\"\n    size over 1 MB\n  then set icon paperclip\n"
            ),
            _ => format!("  if from is \"{word}@example.org\"\n  then delete silently\n"),
        };
        text.push_str(&format!("\nrule \"Rule {index}\"\n{rule}"));
    }
    text
}

/// Compiles an in-memory rule set; panics with the diagnostics when it does
/// not compile, because a benchmark of a broken rule set measures nothing.
fn compile(files: &[(&str, &str)]) -> Program {
    let set = RuleSet::from_sources(files);
    match Program::compile(&set) {
        Ok(program) => program,
        Err(errors) => panic!(
            "benchmark rule set does not compile: {:?}",
            errors
                .iter()
                .map(|error| &error.message)
                .collect::<Vec<_>>()
        ),
    }
}

fn options(name: &str, users: &[&str]) -> EvalOptions {
    EvalOptions {
        input: name.to_string(),
        users: users.iter().map(|user| user.to_string()).collect(),
        explain: false,
        user_run: None,
    }
}

/// Parses every message and evaluates `program` on it: the work of
/// `rulec run` per message, without reading files and printing.
fn evaluate_all(program: &Program, messages: &[(String, Vec<u8>)], limits: &Limits) {
    for (name, bytes) in messages {
        let message = Message::parse(bytes, Envelope::default(), limits);
        black_box(vm::evaluate(program, &message, &options(name, &[])));
    }
}

fn bench_mail_parser(criterion: &mut Criterion) {
    let messages = load_messages();
    let mut group = criterion.benchmark_group("mail_parser");
    group.throughput(Throughput::Elements(messages.len() as u64));
    group.bench_function("parse_only", |bencher| {
        let parser = mail_parser::MessageParser::new();
        bencher.iter(|| {
            for (_, bytes) in &messages {
                black_box(parser.parse(bytes.as_slice()));
            }
        });
    });
    group.bench_function("message_view_decoded", |bencher| {
        let limits = Limits::default();
        bencher.iter(|| {
            for (_, bytes) in &messages {
                let message = Message::parse(bytes, Envelope::default(), &limits);
                black_box(message.headers().len());
                black_box(message.body_text().len());
                black_box(message.attachments().len());
                black_box(message.links().len());
            }
        });
    });
    group.finish();
}

fn bench_check_and_compile(criterion: &mut Criterion) {
    let mut group = criterion.benchmark_group("rule_file");
    group.sample_size(10);
    for count in [1_000, 10_000] {
        let text = generated_rules(count);
        group.bench_with_input(
            BenchmarkId::new("parse_and_check", count),
            &text,
            |bencher, text| {
                bencher.iter(|| {
                    let set = RuleSet::from_sources(&[("rules.mailrules", text.as_str())]);
                    black_box(check::check(&set))
                });
            },
        );
        group.bench_with_input(
            BenchmarkId::new("compile", count),
            &text,
            |bencher, text| {
                bencher.iter(|| {
                    let set = RuleSet::from_sources(&[("rules.mailrules", text.as_str())]);
                    black_box(Program::compile(&set).is_ok())
                });
            },
        );
        let bytes = compile(&[("rules.mailrules", text.as_str())]).to_bytes();
        group.bench_with_input(
            BenchmarkId::new("load_compiled", count),
            &bytes,
            |bencher, bytes| {
                bencher.iter(|| black_box(Program::from_bytes(bytes).is_ok()));
            },
        );
    }
    group.finish();
}

fn bench_shipped_rules(criterion: &mut Criterion) {
    let messages = load_messages();
    let set = match RuleSet::load(&repo_dir().join("rules")) {
        Ok(set) => set,
        Err(error) => panic!("cannot read the shipped rules in rules/: {error}"),
    };
    let program = match Program::compile(&set) {
        Ok(program) => program,
        Err(errors) => panic!("the shipped rules do not compile: {} errors", errors.len()),
    };
    let limits = program.settings.limits.clone();
    let mut group = criterion.benchmark_group("shipped_rules");
    group.throughput(Throughput::Elements(messages.len() as u64));
    group.bench_function("parse_and_evaluate", |bencher| {
        bencher.iter(|| evaluate_all(&program, &messages, &limits));
    });
    group.finish();
}

fn bench_generated_rules(criterion: &mut Criterion) {
    let messages = load_messages();
    let mut group = criterion.benchmark_group("generated_rules");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(5));
    group.throughput(Throughput::Elements(messages.len() as u64));
    for count in RULE_COUNTS {
        let text = generated_rules(count);
        let program = compile(&[("rules.mailrules", text.as_str())]);
        let limits = program.settings.limits.clone();
        group.bench_with_input(
            BenchmarkId::new("parse_and_evaluate", count),
            &program,
            |bencher, program| bencher.iter(|| evaluate_all(program, &messages, &limits)),
        );
    }
    group.finish();
}

fn bench_user_rules(criterion: &mut Criterion) {
    let messages = load_messages();
    let rules = user_rules();
    let program = compile(&[
        ("rules.mailrules", "# no server rules\n"),
        ("users/alice.rules", &rules),
    ]);
    if program.users.is_empty() {
        // NOTE: a program without compiled user rules makes this benchmark
        // measure the server pass alone, so it warns.
        eprintln!("user_rules: warning: the compiled program has no user rules; the time is the server pass alone");
    }
    let limits = program.settings.limits.clone();
    let (name, bytes) = &messages[0];
    let message = Message::parse(bytes, Envelope::default(), &limits);
    // Decode the fields once, so the loop measures evaluation on a parsed message.
    black_box(vm::evaluate(&program, &message, &options(name, &["alice"])));
    let mut group = criterion.benchmark_group("user_rules");
    group.bench_function("twenty_rules_on_parsed_message", |bencher| {
        bencher.iter(|| black_box(vm::evaluate(&program, &message, &options(name, &["alice"]))));
    });
    group.finish();
}

criterion_group!(
    benches,
    bench_mail_parser,
    bench_check_and_compile,
    bench_shipped_rules,
    bench_generated_rules,
    bench_user_rules
);
criterion_main!(benches);
