//! Source files and spans.
//!
//! Every AST node carries a [`Span`]: the file it came from, its byte range
//! and the 1-based line and column of both ends. Columns count characters,
//! not bytes, so a caret renderer can place its marker without re-decoding.

use serde::{Deserialize, Serialize};

/// Index of a file in a [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct FileId(pub u32);

/// A region of one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Span {
    pub file: FileId,
    /// Byte offset of the first byte.
    pub start: u32,
    /// Byte offset one past the last byte.
    pub end: u32,
    /// 1-based line of `start`.
    pub line: u32,
    /// 1-based column of `start`, in characters.
    pub column: u32,
    /// 1-based line of `end`.
    pub end_line: u32,
    /// 1-based column of `end`, in characters.
    pub end_column: u32,
}

impl Span {
    /// Returns the smallest span that covers both `self` and `other`.
    /// Both must lie in the same file.
    pub fn to(self, other: Span) -> Span {
        let (first, last) = if self.start <= other.start {
            (self, other)
        } else {
            (other, self)
        };
        let end = if last.end >= first.end { last } else { first };
        Span {
            file: first.file,
            start: first.start,
            end: end.end,
            line: first.line,
            column: first.column,
            end_line: end.end_line,
            end_column: end.end_column,
        }
    }
}

/// One loaded source file: its name as shown in diagnostics and its text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path as given on the command line or relative to the rule-set
    /// directory; used verbatim in diagnostics.
    pub name: String,
    /// The file's text with a leading UTF-8 BOM removed. Line ends are kept
    /// as they were (LF or CRLF).
    pub text: String,
    /// Byte offset of the start of each line.
    line_starts: Vec<u32>,
}

impl SourceFile {
    /// Builds a source file from already-decoded text. A leading BOM is
    /// dropped.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> SourceFile {
        let mut text: String = text.into();
        if text.starts_with('\u{feff}') {
            text.drain(..'\u{feff}'.len_utf8());
        }
        let mut line_starts = vec![0];
        for (index, byte) in text.bytes().enumerate() {
            if byte == b'\n' {
                line_starts.push(index as u32 + 1);
            }
        }
        SourceFile {
            name: name.into(),
            text,
            line_starts,
        }
    }

    /// Returns the 1-based line and character column of a byte offset.
    /// Offsets past the end map to the end of the text.
    pub fn line_column(&self, offset: u32) -> (u32, u32) {
        let offset = offset.min(self.text.len() as u32);
        let line_index = match self.line_starts.binary_search(&offset) {
            Ok(index) => index,
            Err(index) => index - 1,
        };
        let line_start = self.line_starts[line_index] as usize;
        let prefix = self.text.get(line_start..offset as usize).unwrap_or("");
        (line_index as u32 + 1, prefix.chars().count() as u32 + 1)
    }

    /// Builds a span for the byte range `start..end` of this file.
    pub fn span(&self, file: FileId, start: usize, end: usize) -> Span {
        let (line, column) = self.line_column(start as u32);
        let (end_line, end_column) = self.line_column(end as u32);
        Span {
            file,
            start: start as u32,
            end: end as u32,
            line,
            column,
            end_line,
            end_column,
        }
    }

    /// Returns the text of a 1-based line without its line end.
    pub fn line_text(&self, line: u32) -> &str {
        let index = line.saturating_sub(1) as usize;
        let Some(&start) = self.line_starts.get(index) else {
            return "";
        };
        let end = self
            .line_starts
            .get(index + 1)
            .map(|&next| next as usize)
            .unwrap_or(self.text.len());
        self.text[start as usize..end].trim_end_matches(['\n', '\r'])
    }

    /// Number of lines, counting a last line without a line end.
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

/// All source files of one run, indexed by [`FileId`].
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn new() -> SourceMap {
        SourceMap::default()
    }

    /// Adds a file and returns its id.
    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId(self.files.len() as u32 - 1)
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(index, file)| (FileId(index as u32), file))
    }
}

/// Decodes raw file bytes as UTF-8. On failure returns the byte offset of
/// the first invalid byte and its value, so the caller can report it at its
/// line and column.
pub fn decode_utf8(bytes: &[u8]) -> Result<&str, (usize, u8)> {
    std::str::from_utf8(bytes).map_err(|error| {
        let offset = error.valid_up_to();
        (offset, bytes[offset])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_characters() {
        let file = SourceFile::new("t", "ab\nçd\r\nx");
        assert_eq!(file.line_column(0), (1, 1));
        assert_eq!(file.line_column(3), (2, 1));
        // 'ç' is two bytes but one column.
        assert_eq!(file.line_column(5), (2, 2));
        assert_eq!(file.line_text(2), "çd");
        assert_eq!(file.line_text(3), "x");
    }

    #[test]
    fn bom_is_dropped() {
        let file = SourceFile::new("t", "\u{feff}abc");
        assert_eq!(file.text, "abc");
    }
}
