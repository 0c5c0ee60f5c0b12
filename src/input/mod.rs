//! Message inputs: files, directories, mbox, Maildir and standard input.
//!
//! [`Inputs`] turns the paths given on the command line into messages, one
//! at a time. An mbox is streamed, so memory contains one message, not
//! the whole file. Directories are walked in sorted order, skipping dotfiles,
//! and each directory is entered at most once, so symlink loops end.

mod mbox;

use std::collections::HashSet;
use std::fs;
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};

pub use mbox::is_envelope_line;
use mbox::MboxReader;

/// One message read from an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputMessage {
    /// The path as given, or as found in a directory; `path#N` for the Nth
    /// message of an mbox (1-based); `-` for standard input.
    pub name: String,
    pub bytes: Vec<u8>,
}

/// An input that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("failed to read {}: {source}", path.display())]
pub struct InputError {
    pub path: PathBuf,
    #[source]
    pub source: io::Error,
}

impl InputError {
    fn new(path: &Path, source: io::Error) -> InputError {
        InputError {
            path: path.to_owned(),
            source,
        }
    }

    /// Builds the error for an mbox message over `max_bytes`: neither it
    /// nor the rest of the mbox is evaluated.
    pub(crate) fn too_large_in_mbox(path: &Path, max_bytes: usize) -> InputError {
        let message = format!(
            "message is larger than {max_bytes} bytes, so it and the rest of the mbox were \
             not evaluated; raise `max_input_bytes` under [limits] in rulec.toml to read them"
        );
        InputError::new(path, io::Error::other(message))
    }

    /// Builds the error for a message over `max_bytes`, which is not
    /// evaluated.
    pub(crate) fn too_large(path: &Path, max_bytes: usize) -> InputError {
        let message = format!(
            "message is larger than {max_bytes} bytes and was not evaluated; \
             raise `max_input_bytes` under [limits] in rulec.toml to read it"
        );
        InputError::new(path, io::Error::other(message))
    }
}

enum Pending {
    /// A path not yet looked at; `listed` is set for paths found in a
    /// directory rather than given by the caller.
    Path {
        path: PathBuf,
        listed: bool,
    },
    Mbox(MboxReader),
}

/// The messages of a list of inputs, in order.
///
/// Each path may be a message file, an mbox, a Maildir, a directory of
/// such files, or `-` for standard input. A file is an mbox when its first
/// line is an mbox `From ` line or its name ends in `.mbox`. A directory is
/// a Maildir when it has `cur/` and `new/` subdirectories.
///
/// # Examples
///
/// ```no_run
/// use rulec::input::Inputs;
///
/// for item in Inputs::new(["mail/inbox.mbox", "mail/Maildir"]) {
///     match item {
///         Ok(message) => println!("{}: {} bytes", message.name, message.bytes.len()),
///         Err(error) => eprintln!("{error}"),
///     }
/// }
/// ```
pub struct Inputs {
    /// Work left, as a stack: the next item is at the end.
    pending: Vec<Pending>,
    /// Largest message read, in bytes.
    max_bytes: usize,
    stdin: Option<Box<dyn Read>>,
    /// Directories already entered, by canonical path.
    entered: HashSet<PathBuf>,
}

impl Inputs {
    /// Reads `paths` in order; `-` reads standard input.
    pub fn new<P: Into<PathBuf>>(paths: impl IntoIterator<Item = P>) -> Inputs {
        Inputs::with_stdin(paths, Box::new(io::stdin()))
    }

    /// Like [`Inputs::new`], with `stdin` read for `-`.
    pub fn with_stdin<P: Into<PathBuf>>(
        paths: impl IntoIterator<Item = P>,
        stdin: Box<dyn Read>,
    ) -> Inputs {
        let mut pending: Vec<Pending> = paths
            .into_iter()
            .map(|path| Pending::Path {
                path: path.into(),
                listed: false,
            })
            .collect();
        pending.reverse();
        Inputs {
            pending,
            max_bytes: crate::limits::Limits::default().max_input_bytes,
            stdin: Some(stdin),
            entered: HashSet::new(),
        }
    }

    /// Sets the largest message read, in bytes. A larger message is an
    /// [`InputError`] and reading goes on with the next one.
    pub fn max_bytes(mut self, max_bytes: usize) -> Inputs {
        self.max_bytes = max_bytes;
        self
    }

    /// Looks at one path: returns a message, or queues more work and
    /// returns `None`.
    fn open(&mut self, path: PathBuf, listed: bool) -> Option<Result<InputMessage, InputError>> {
        if !listed && path.as_os_str() == "-" {
            let stdin = self.stdin.take().unwrap_or_else(|| Box::new(io::empty()));
            return self.read_stream(BufReader::new(stdin), path, "-".to_owned());
        }
        let metadata = match fs::metadata(&path) {
            Ok(metadata) => metadata,
            Err(error) => return Some(Err(InputError::new(&path, error))),
        };
        if metadata.is_dir() {
            return self.enter_directory(&path).err().map(Err);
        }
        // In a directory, only regular files are read: a FIFO or socket
        // there could block forever. A path given by the caller is read
        // whatever it is, so `<(command)` works.
        if listed && !metadata.is_file() {
            return None;
        }
        let file = match fs::File::open(&path) {
            Ok(file) => file,
            Err(error) => return Some(Err(InputError::new(&path, error))),
        };
        let name = path.display().to_string();
        self.read_stream(BufReader::new(Box::new(file)), path, name)
    }

    /// Reads a file or standard input: an mbox is queued for streaming,
    /// anything else is one message.
    fn read_stream(
        &mut self,
        mut reader: BufReader<Box<dyn Read>>,
        path: PathBuf,
        name: String,
    ) -> Option<Result<InputMessage, InputError>> {
        let mut first_line = Vec::new();
        match mbox::read_line_limited(&mut reader, &mut first_line, self.max_bytes + 1) {
            Ok((_, true)) => {}
            // The line alone is over the limit and was skipped.
            Ok((_, false)) => return Some(Err(InputError::too_large(&path, self.max_bytes))),
            Err(error) => return Some(Err(InputError::new(&path, error))),
        }
        if first_line.starts_with(b"From ") && has_lone_carriage_return(&first_line) {
            // Classic Mac OS line ends: the whole file reads as one line,
            // so no message boundary would be found and all would be lost.
            let error = io::Error::other(
                "the mbox uses carriage returns without line feeds as line ends; \
                 convert it to LF line ends",
            );
            return Some(Err(InputError::new(&path, error)));
        }
        if first_line.starts_with(b"From ") || has_mbox_extension(&path) {
            let mbox =
                MboxReader::new(Box::new(reader), path, name, first_line).max_bytes(self.max_bytes);
            self.pending.push(Pending::Mbox(mbox));
            return None;
        }
        let mut bytes = first_line;
        let budget = (self.max_bytes + 1).saturating_sub(bytes.len()) as u64;
        if let Err(error) = reader.take(budget).read_to_end(&mut bytes) {
            return Some(Err(InputError::new(&path, error)));
        }
        if bytes.len() > self.max_bytes {
            return Some(Err(InputError::too_large(&path, self.max_bytes)));
        }
        Some(Ok(InputMessage { name, bytes }))
    }

    /// Queues the entries of a directory, or of a Maildir's `cur/` and
    /// `new/`, in sorted order.
    fn enter_directory(&mut self, path: &Path) -> Result<(), InputError> {
        let canonical = fs::canonicalize(path).map_err(|error| InputError::new(path, error))?;
        if !self.entered.insert(canonical) {
            return Ok(());
        }
        let mut entries = if is_maildir(path) {
            let mut entries = list_directory(&path.join("cur"))?;
            entries.extend(list_directory(&path.join("new"))?);
            entries
        } else {
            list_directory(path)?
        };
        entries.reverse();
        self.pending.extend(
            entries
                .into_iter()
                .map(|path| Pending::Path { path, listed: true }),
        );
        Ok(())
    }
}

impl Iterator for Inputs {
    type Item = Result<InputMessage, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            match self.pending.pop()? {
                Pending::Path { path, listed } => {
                    if let Some(item) = self.open(path, listed) {
                        return Some(item);
                    }
                }
                Pending::Mbox(mut mbox) => {
                    if let Some(item) = mbox.next() {
                        self.pending.push(Pending::Mbox(mbox));
                        return Some(item);
                    }
                }
            }
        }
    }
}

fn has_mbox_extension(path: &Path) -> bool {
    path.extension()
        .is_some_and(|extension| extension.eq_ignore_ascii_case("mbox"))
}

/// Tells whether `path` is a Maildir: a directory with `cur/` and `new/`
/// subdirectories. `tmp/` contains messages still being written and is not
/// read.
///
/// NOTE: Maildir++ subfolders (`.Sent`, `.Archive`) are dotfiles, so only
/// the top folder is read. Give a subfolder's path to read it.
fn is_maildir(path: &Path) -> bool {
    path.join("cur").is_dir() && path.join("new").is_dir()
}

/// Lists a directory's entries without dotfiles, sorted by name.
fn list_directory(path: &Path) -> Result<Vec<PathBuf>, InputError> {
    let reader = fs::read_dir(path).map_err(|error| InputError::new(path, error))?;
    let mut entries = Vec::new();
    for entry in reader {
        let entry = entry.map_err(|error| InputError::new(path, error))?;
        if entry.file_name().as_encoded_bytes().starts_with(b".") {
            continue;
        }
        entries.push(entry.path());
    }
    entries.sort();
    Ok(entries)
}

/// Tells whether `line` has a carriage return that no line feed follows.
fn has_lone_carriage_return(line: &[u8]) -> bool {
    line.iter()
        .enumerate()
        .any(|(index, &byte)| byte == b'\r' && line.get(index + 1) != Some(&b'\n'))
}
