//! The compiled program: what `rulec compile` writes and `rulec run` loads.
//!
//! A [`Program`] contains everything evaluation needs and nothing that points
//! back into the AST. That is the server bytecode, the list matchers, the settings
//! of `rulec.toml`, the compiled personal rules of every user, and the
//! SHA-256 hash of the sources it came from. [`Program::to_bytes`] and
//! [`Program::from_bytes`] store it in a versioned, checksummed file; a
//! loaded program is validated before use, never trusted.

pub mod bytecode;
mod format;
mod listing;
mod lists;
pub mod slots;
mod validate;

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::compile::{self, Context};
use crate::config::{Bands, Config, ConfigValue, HeaderSettings, Replies};
use crate::diag::{codes, Diagnostic, Severity};
use crate::limits::Limits;
use crate::ruleset::RuleSet;
use crate::span::FileId;
use crate::user::UserProgram;

pub use bytecode::{Constant, Instruction, ServerCode};
pub use format::{ProgramLoadError, FORMAT_VERSION, MAGIC};
pub use lists::Lists;

/// A compiled rule set.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Program {
    /// [`FORMAT_VERSION`] of the code that compiled it.
    pub version: u32,
    /// SHA-256 of the rule-set sources; see [`Program::source_hash_of`].
    pub source_hash: [u8; 32],
    pub server: ServerCode,
    /// Compiled personal rules keyed by user name as the file name spells
    /// it (`users/alice.rules` gives `alice`).
    pub users: BTreeMap<String, UserProgram>,
    /// The rule file of each user, relative to the rule-set directory,
    /// for `--explain`.
    pub user_files: BTreeMap<String, String>,
    /// Users whose personal rules have errors: their rules do not run,
    /// and their results note it in `limits_hit`.
    pub broken_users: BTreeSet<String>,
    pub settings: Settings,
    pub lists: Lists,
}

/// The settings of `rulec.toml` that evaluation uses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub bands: Bands,
    /// Add X-SPAM-Level, X-SPAM-Warning and X-SPAM-Tests at the end.
    pub automatic_headers: bool,
    /// Text of `NDN` without an argument.
    pub ndn_text: String,
    /// `$Form.Config` values keyed by `ID.FIELD` as written.
    pub form_config: BTreeMap<String, Constant>,
    pub limits: Limits,
}

impl Settings {
    fn from_config(config: &Config) -> Settings {
        Settings {
            bands: config.bands.clone(),
            automatic_headers: config.headers.automatic,
            ndn_text: config.replies.ndn.clone(),
            form_config: config
                .form_config
                .iter()
                .map(|(key, value)| {
                    let constant = match value {
                        ConfigValue::Int(number) => Constant::Int(*number),
                        ConfigValue::Str(text) => Constant::Str(text.clone()),
                    };
                    (key.clone(), constant)
                })
                .collect(),
            limits: config.limits.clone(),
        }
    }

    /// Returns the settings as a [`Config`].
    pub fn config(&self) -> Config {
        Config {
            bands: self.bands.clone(),
            headers: HeaderSettings {
                automatic: self.automatic_headers,
            },
            replies: Replies {
                ndn: self.ndn_text.clone(),
            },
            form_config: self
                .form_config
                .iter()
                .map(|(key, value)| {
                    let value = match value {
                        Constant::Int(number) => ConfigValue::Int(*number),
                        Constant::Str(text) => ConfigValue::Str(text.clone()),
                    };
                    (key.clone(), value)
                })
                .collect(),
            limits: self.limits.clone(),
        }
    }
}

/// A program compiled without the personal rules that have errors.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// The program; [`Program::broken_users`] names the users left out.
    pub program: Program,
    /// The errors in the left-out users' files, sorted.
    pub user_errors: Vec<Diagnostic>,
}

impl Program {
    /// Checks and compiles a rule set.
    ///
    /// # Errors
    ///
    /// Every error diagnostic of loading, checking and compiling, when
    /// there is at least one. Warnings alone do not stop compilation and
    /// are not returned.
    pub fn compile(set: &RuleSet) -> Result<Program, Vec<Diagnostic>> {
        let compiled = Program::compile_skipping_broken_users(set)?;
        if compiled.user_errors.is_empty() {
            Ok(compiled.program)
        } else {
            Err(compiled.user_errors)
        }
    }

    /// Checks and compiles a rule set, leaving out each user whose
    /// personal rules have errors, so that one user's mistake does not
    /// stop the server tier or anyone else's rules.
    ///
    /// # Errors
    ///
    /// Every error diagnostic, the users' included, when a file other than
    /// a user's rules has an error.
    pub fn compile_skipping_broken_users(set: &RuleSet) -> Result<Compiled, Vec<Diagnostic>> {
        // The checker's diagnostics include those of loading and parsing.
        let errors = crate::check::check(set)
            .into_iter()
            .filter(|diagnostic| diagnostic.severity == Severity::Error);
        let user_of_file: BTreeMap<FileId, &String> = set
            .users
            .iter()
            .map(|(name, loaded)| (loaded.file, name))
            .collect();
        let (mut user_errors, mut errors): (Vec<Diagnostic>, Vec<Diagnostic>) =
            errors.partition(|diagnostic| user_of_file.contains_key(&diagnostic.span.file));
        if !errors.is_empty() {
            errors.append(&mut user_errors);
            crate::diag::sort(&mut errors);
            return Err(errors);
        }
        let mut broken_users: BTreeSet<String> = user_errors
            .iter()
            .filter_map(|diagnostic| user_of_file.get(&diagnostic.span.file))
            .map(|name| (*name).clone())
            .collect();
        let context = Context {
            config: &set.config,
            limits: &set.config.limits,
            word_lists: set.word_lists.keys().cloned().collect(),
        };
        let rules = set.mailrules.as_ref().map(|loaded| {
            let name = &set.sources.get(loaded.file).name;
            (&loaded.ast, relative_name(set, name))
        });
        let server = compile::compile_server(rules, &context)?;
        let lists = Lists::compile(set)?;
        let users = compile_users(set, &mut broken_users, &mut user_errors);
        crate::diag::sort(&mut user_errors);
        let user_files = set
            .users
            .iter()
            .map(|(name, loaded)| {
                let file = relative_name(set, &set.sources.get(loaded.file).name);
                (name.clone(), file)
            })
            .collect();
        let program = Program {
            version: FORMAT_VERSION,
            source_hash: Program::source_hash_of(set),
            server,
            users,
            user_files,
            broken_users,
            settings: Settings::from_config(&set.config),
            lists,
        };
        Ok(Compiled {
            program,
            user_errors,
        })
    }

    /// SHA-256 over the rule set's files sorted by name: for each file its
    /// name relative to the rule-set directory (with `/` separators), a
    /// zero byte, its length as 8 little-endian bytes and its text.
    pub fn source_hash_of(set: &RuleSet) -> [u8; 32] {
        let mut files: Vec<(String, &str)> = set
            .sources
            .iter()
            .map(|(_, file)| (relative_name(set, &file.name), file.text.as_str()))
            .collect();
        files.sort();
        let mut hasher = Sha256::new();
        for (name, text) in files {
            hasher.update(name.as_bytes());
            hasher.update([0]);
            hasher.update((text.len() as u64).to_le_bytes());
            hasher.update(text.as_bytes());
        }
        hasher.finalize().into()
    }

    /// Returns the source hash in lower-case hex.
    pub fn source_hash_hex(&self) -> String {
        self.source_hash
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect()
    }
}

/// Compiles the personal rules of every user not in `broken`. A user
/// whose rules do not compile joins `broken`, with the error in `errors`.
fn compile_users(
    set: &RuleSet,
    broken: &mut BTreeSet<String>,
    errors: &mut Vec<Diagnostic>,
) -> BTreeMap<String, UserProgram> {
    let mut users = BTreeMap::new();
    for (name, loaded) in &set.users {
        if broken.contains(name) {
            continue;
        }
        match crate::user::compile(&loaded.ast, &set.config.limits) {
            Ok(program) => {
                users.insert(name.clone(), program);
            }
            Err(error) => {
                // Reached only when the checker accepted rules that the
                // user-tier compiler cannot compile.
                let source = set.sources.get(loaded.file);
                errors.push(Diagnostic::error(
                    codes::USER_RULE_STRUCTURE,
                    source.span(loaded.file, 0, 0),
                    format!("rules of user `{name}` do not compile: {}", error.message),
                ));
                broken.insert(name.clone());
            }
        }
    }
    users
}

/// Returns the name of a source file relative to the rule-set root, so the hash
/// does not depend on where the directory was when it was loaded.
fn relative_name(set: &RuleSet, name: &str) -> String {
    let path = std::path::Path::new(name);
    let relative = match path.strip_prefix(&set.root) {
        Ok(relative) if !relative.as_os_str().is_empty() => relative,
        _ => path.file_name().map(std::path::Path::new).unwrap_or(path),
    };
    relative
        .components()
        .map(|part| part.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
