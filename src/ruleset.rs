//! Loading a rule set: every file of a rule-set directory read, decoded and
//! parsed, with the problems found on the way as diagnostics.
//!
//! A rule set is a directory like the FirstClass Filters folder. File names
//! are matched case-insensitively:
//!
//! | file | parsed as |
//! | --- | --- |
//! | `rules.mailrules` | server rules |
//! | `rules.subjectblock` | words and phrases for `@inblocklist` |
//! | `lists.NAME` | words and phrases for `@inwordlist("lists.NAME", …)` |
//! | `rules.attachmentblock` | attachment file-name globs |
//! | `rules.trusted`, `rules.blocked` | IPs, CIDR ranges, addresses, domains |
//! | `rulec.toml` | settings ([`Config`]) |
//! | `users/NAME.rules` | the personal rules of user NAME |
//!
//! Loading never stops at the first problem: a file that cannot be decoded
//! or parsed gets diagnostics and the rest of the set is still loaded.

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::ast::lists::{ListDocument, ListKind};
use crate::ast::server::MailRules;
use crate::ast::user::UserRules;
use crate::config::Config;
use crate::diag::{codes, Diagnostic};
use crate::limits::Limits;
use crate::span::{decode_utf8, FileId, SourceFile, SourceMap, Span};
use crate::syntax;

/// A parsed file together with the id of its source.
#[derive(Debug, Clone)]
pub struct Loaded<T> {
    pub file: FileId,
    pub ast: T,
}

/// Every file of one rule set, parsed.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    /// The directory, or the single file that was loaded.
    pub root: PathBuf,
    pub sources: SourceMap,
    pub config: Config,
    pub config_file: Option<FileId>,
    pub mailrules: Option<Loaded<MailRules>>,
    pub subject_block: Option<Loaded<ListDocument>>,
    pub attachment_block: Option<Loaded<ListDocument>>,
    pub trusted: Option<Loaded<ListDocument>>,
    pub blocked: Option<Loaded<ListDocument>>,
    /// Word lists keyed by their lower-cased file name (`lists.badwords`).
    pub word_lists: BTreeMap<String, Loaded<ListDocument>>,
    /// Personal rules keyed by user name as the file name spells it.
    pub users: BTreeMap<String, Loaded<UserRules>>,
    /// Problems found while reading and parsing. The checker adds its own.
    pub diagnostics: Vec<Diagnostic>,
}

/// Kind of a rule-set file, judged by its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileKind {
    MailRules,
    List(ListKind),
    Config,
    User(String),
}

/// Classifies a file by its name (case-insensitive). `in_users` is true for
/// files inside the `users/` directory. Returns `None` for files rulec does
/// not read.
pub fn classify(file_name: &str, in_users: bool) -> Option<FileKind> {
    let lower = file_name.to_ascii_lowercase();
    if in_users || lower.ends_with(".rules") {
        let stem = lower.strip_suffix(".rules")?;
        if stem.is_empty() {
            return None;
        }
        // The user name keeps the file's spelling; only the suffix goes.
        let name = &file_name[..stem.len()];
        return Some(FileKind::User(name.to_string()));
    }
    match lower.as_str() {
        "rules.mailrules" => Some(FileKind::MailRules),
        "rules.subjectblock" => Some(FileKind::List(ListKind::SubjectBlock)),
        "rules.attachmentblock" => Some(FileKind::List(ListKind::AttachmentBlock)),
        "rules.trusted" => Some(FileKind::List(ListKind::Trusted)),
        "rules.blocked" => Some(FileKind::List(ListKind::Blocked)),
        "rulec.toml" => Some(FileKind::Config),
        _ if lower.starts_with("lists.") && lower.len() > "lists.".len() => {
            Some(FileKind::List(ListKind::WordList))
        }
        _ => None,
    }
}

impl RuleSet {
    /// Loads a rule-set directory, or a single rule-set file judged by its
    /// name (a file with an unknown name is read as server rules).
    ///
    /// # Errors
    ///
    /// Only when `path` itself cannot be read. Problems with the files
    /// inside become diagnostics.
    pub fn load(path: &Path) -> io::Result<RuleSet> {
        let metadata = fs::metadata(path)?;
        let mut set = RuleSet {
            root: path.to_path_buf(),
            ..RuleSet::default()
        };
        let limits = set.config.limits.clone();
        if metadata.is_dir() {
            let mut files = Vec::new();
            collect_files(path, &mut files)?;
            let users_dir = path.join("users");
            let users_dir = fs::read_dir(path)?
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .find(|entry| {
                    entry.is_dir()
                        && entry
                            .file_name()
                            .is_some_and(|name| name.eq_ignore_ascii_case("users"))
                })
                .unwrap_or(users_dir);
            if users_dir.is_dir() {
                collect_files(&users_dir, &mut files)?;
            }
            // rulec.toml first: its limits apply to every other file.
            files.sort_by_key(|file| {
                let is_config = file
                    .file_name()
                    .is_some_and(|name| name.eq_ignore_ascii_case("rulec.toml"));
                (!is_config, file.clone())
            });
            let mut limits = limits;
            // Lower-cased file name of each loaded file, to report names
            // that differ only in case, which would otherwise replace one
            // another.
            let mut seen: BTreeMap<(bool, String), String> = BTreeMap::new();
            let mut has_server_rules = false;
            for file in files {
                let in_users = file.parent() == Some(users_dir.as_path());
                let name = display_name(&file);
                let Some(file_name) = file.file_name().and_then(|name| name.to_str()) else {
                    continue;
                };
                let kind = classify(file_name, in_users);
                let key = (in_users, file_name.to_ascii_lowercase());
                if kind.is_some() {
                    if let Some(first) = seen.get(&key) {
                        set.report_duplicate_file(first, &name);
                        continue;
                    }
                    seen.insert(key, name.clone());
                }
                has_server_rules |= kind == Some(FileKind::MailRules);
                match kind {
                    Some(kind) => {
                        set.load_file(&file, name, kind, &limits);
                        limits = set.config.limits.clone();
                    }
                    None => set.warn_unknown_file(&name),
                }
            }
            if !has_server_rules {
                set.warn_no_server_rules(path);
            }
        } else {
            let file_name = path
                .file_name()
                .and_then(|name| name.to_str())
                .unwrap_or_default();
            let kind = classify(file_name, false).unwrap_or(FileKind::MailRules);
            set.load_file(path, path.display().to_string(), kind, &limits);
        }
        Ok(set)
    }

    /// Builds a rule set from in-memory files, as `(name, text)` pairs named
    /// as they would be inside a rule-set directory (`rules.mailrules`,
    /// `lists.bad`, `users/alice.rules`). Used by tests and fuzz targets.
    pub fn from_sources(files: &[(&str, &str)]) -> RuleSet {
        let mut set = RuleSet::default();
        let mut ordered: Vec<&(&str, &str)> = files.iter().collect();
        ordered.sort_by_key(|(name, _)| !name.eq_ignore_ascii_case("rulec.toml"));
        for (name, text) in ordered {
            let (in_users, file_name) = match name.split_once('/') {
                Some((dir, rest)) => (dir.eq_ignore_ascii_case("users"), rest),
                None => (false, *name),
            };
            let limits = set.config.limits.clone();
            match classify(file_name, in_users) {
                Some(kind) => set.add_text(name, text.as_bytes(), kind, &limits),
                None => set.warn_unknown_file(name),
            }
        }
        set
    }

    /// Reads one file and parses it as `kind`.
    fn load_file(&mut self, path: &Path, name: String, kind: FileKind, limits: &Limits) {
        let bytes = match read_limited(path, limits.max_file_bytes) {
            Ok(Ok(bytes)) => bytes,
            Ok(Err(size)) => {
                let file = self.sources.add(SourceFile::new(name.clone(), ""));
                self.diagnostics.push(
                    Diagnostic::error(
                        codes::FILE_TOO_LARGE,
                        self.sources.get(file).span(file, 0, 0),
                        format!(
                            "`{name}` is {size} bytes, over the limit of {} bytes",
                            limits.max_file_bytes
                        ),
                    )
                    .with_help(
                        "split the file, or raise `max_file_bytes` under [limits] in rulec.toml",
                    ),
                );
                return;
            }
            Err(error) => {
                let file = self.sources.add(SourceFile::new(name.clone(), ""));
                self.diagnostics.push(Diagnostic::error(
                    codes::IO,
                    self.sources.get(file).span(file, 0, 0),
                    format!("failed to read `{name}`: {error}"),
                ));
                return;
            }
        };
        self.add_text(&name, &bytes, kind, limits);
    }

    /// Decodes and parses the bytes of one file.
    fn add_text(&mut self, name: &str, bytes: &[u8], kind: FileKind, limits: &Limits) {
        let (text, bad_byte) = match decode_utf8(bytes) {
            Ok(text) => (text.to_string(), None),
            Err((offset, byte)) => (
                String::from_utf8_lossy(bytes).into_owned(),
                Some((offset, byte)),
            ),
        };
        let file = self.sources.add(SourceFile::new(name, text));
        if let Some((offset, byte)) = bad_byte {
            // The lossy text is only used to place the caret; the file is
            // not parsed, because its meaning is unknown.
            let source = self.sources.get(file);
            let valid = String::from_utf8_lossy(&bytes[..offset]);
            let start = valid
                .len()
                .saturating_sub(if bytes.starts_with(b"\xef\xbb\xbf") {
                    3
                } else {
                    0
                });
            let span = source.span(file, start, start + 1);
            self.diagnostics.push(
                Diagnostic::error(
                    codes::INVALID_UTF8,
                    span,
                    format!("`{name}` has a byte 0x{byte:02X} that is not valid UTF-8"),
                )
                .with_help("save the file as UTF-8"),
            );
            return;
        }
        let source = self.sources.get(file).clone();
        if let Some(offset) = lone_carriage_return(&source.text) {
            // What follows the CR would be read as part of the line before
            // it, which is not what an editor shows, so the file is not
            // parsed.
            self.diagnostics.push(
                Diagnostic::error(
                    codes::LONE_CARRIAGE_RETURN,
                    source.span(file, offset, offset + 1),
                    format!("`{name}` has a carriage return without a line feed"),
                )
                .with_help("save the file with LF or CRLF line ends"),
            );
            return;
        }
        match kind {
            FileKind::MailRules => {
                let (ast, diagnostics) = syntax::server::parse(file, &source, limits);
                self.diagnostics.extend(diagnostics);
                self.mailrules = Some(Loaded { file, ast });
            }
            FileKind::List(list_kind) => {
                let (ast, diagnostics) = syntax::lists::parse(list_kind, file, &source, limits);
                self.diagnostics.extend(diagnostics);
                let loaded = Some(Loaded { file, ast });
                match list_kind {
                    ListKind::SubjectBlock => self.subject_block = loaded,
                    ListKind::AttachmentBlock => self.attachment_block = loaded,
                    ListKind::Trusted => self.trusted = loaded,
                    ListKind::Blocked => self.blocked = loaded,
                    ListKind::WordList => {
                        let key = Path::new(name)
                            .file_name()
                            .and_then(|name| name.to_str())
                            .unwrap_or(name)
                            .to_ascii_lowercase();
                        if let Some(loaded) = loaded {
                            self.word_lists.insert(key, loaded);
                        }
                    }
                }
            }
            FileKind::Config => {
                self.config_file = Some(file);
                match Config::parse(&source.text) {
                    Ok(config) => {
                        let problems = config.validate();
                        for problem in &problems {
                            let span = key_span(&source, file, problem.key);
                            self.diagnostics.push(
                                Diagnostic::error(
                                    codes::INVALID_CONFIG,
                                    span,
                                    problem.message.clone(),
                                )
                                .with_help(
                                    "the keys, their defaults and their ranges are listed in \
                                     docs/server-language.md",
                                ),
                            );
                        }
                        // Unusable settings are not applied: the defaults
                        // stay, so the rest of the set is still checked.
                        if problems.is_empty() {
                            self.config = config;
                        }
                    }
                    Err(error) => {
                        let range = error.span().unwrap_or(0..0);
                        let span = source.span(file, range.start, range.end);
                        self.diagnostics.push(
                            Diagnostic::error(
                                codes::INVALID_CONFIG,
                                span,
                                format!("invalid rulec.toml: {}", error.message()),
                            )
                            .with_help(
                                "the keys and their defaults are listed in docs/server-language.md",
                            ),
                        );
                    }
                }
            }
            FileKind::User(user) => {
                let (ast, diagnostics) = syntax::user::parse(file, &source, limits);
                self.diagnostics.extend(diagnostics);
                self.users.insert(user, Loaded { file, ast });
            }
        }
    }

    fn report_duplicate_file(&mut self, first: &str, second: &str) {
        let file = self.sources.add(SourceFile::new(second, ""));
        let span = self.sources.get(file).span(file, 0, 0);
        self.diagnostics.push(
            Diagnostic::error(
                codes::DUPLICATE_FILE,
                span,
                format!(
                    "`{second}` and `{first}` name the same file, because rule-set file \
                     names are case-insensitive; `{second}` is not read"
                ),
            )
            .with_help("merge the two files into one and delete the other"),
        );
    }

    fn warn_no_server_rules(&mut self, dir: &Path) {
        let name = dir.join("rules.mailrules").display().to_string();
        let file = self.sources.add(SourceFile::new(name.clone(), ""));
        let span = self.sources.get(file).span(file, 0, 0);
        self.diagnostics.push(
            Diagnostic::warning(
                codes::NO_SERVER_RULES,
                span,
                format!("`{name}` not found, so the server tier has no rules"),
            )
            .with_help(
                "create rules.mailrules, or check that the path names the rule-set directory",
            ),
        );
    }

    fn warn_unknown_file(&mut self, name: &str) {
        let file = self.sources.add(SourceFile::new(name, ""));
        let span: Span = self.sources.get(file).span(file, 0, 0);
        self.diagnostics.push(
            Diagnostic::warning(
                codes::UNKNOWN_FILE,
                span,
                format!("`{name}` is not a rule-set file and is ignored"),
            )
            .with_help(
                "rule-set files are rules.mailrules, rules.subjectblock, rules.attachmentblock, \
                 rules.trusted, rules.blocked, lists.NAME, rulec.toml and users/NAME.rules",
            ),
        );
    }
}

/// Returns the byte offset of the first carriage return that no line feed
/// follows.
fn lone_carriage_return(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    bytes
        .iter()
        .enumerate()
        .find(|&(index, &byte)| byte == b'\r' && bytes.get(index + 1) != Some(&b'\n'))
        .map(|(index, _)| index)
}

/// Returns the span of the line that sets `key` in a TOML text, or of the
/// file start when no line does.
fn key_span(source: &SourceFile, file: FileId, key: &str) -> Span {
    let mut offset = 0;
    for line in source.text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if let Some(rest) = trimmed.strip_prefix(key) {
            if rest.trim_start().starts_with('=') {
                let end = offset + line.trim_end().len();
                return source.span(file, offset + indent, end);
            }
        }
        offset += line.len();
    }
    source.span(file, 0, 0)
}

/// Lists the files of one directory, skipping dotfiles. Symbolic links
/// are followed, because configuration management often deploys rule
/// files as links; a dangling link is listed so reading it reports the
/// error.
fn collect_files(dir: &Path, files: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if hidden {
            continue;
        }
        let path = entry.path();
        let is_file = match fs::metadata(&path) {
            Ok(metadata) => metadata.is_file(),
            Err(_) => entry.file_type()?.is_symlink(),
        };
        if is_file {
            files.push(path);
        }
    }
    Ok(())
}

/// Reads a file unless it is over `max_bytes`, in which case its size is
/// returned instead.
fn read_limited(path: &Path, max_bytes: u64) -> io::Result<Result<Vec<u8>, u64>> {
    let size = fs::metadata(path)?.len();
    if size > max_bytes {
        return Ok(Err(size));
    }
    // Devices, pipes and /proc files report a size of 0, so the read
    // itself is bounded too.
    let mut bytes = Vec::new();
    fs::File::open(path)?
        .take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max_bytes {
        return Ok(Err(bytes.len() as u64));
    }
    Ok(Ok(bytes))
}

/// Names a file for diagnostics: its path under the directory as the user
/// gave it.
fn display_name(file: &Path) -> String {
    file.display().to_string()
}
