//! The compiled-program file format.
//!
//! ```text
//! offset  size  contents
//!      0     8  magic "RULEC\0PG"
//!      8     4  format version, u32 little-endian
//!     12    32  SHA-256 of the rule-set sources
//!     44    32  SHA-256 of the payload
//!     76     8  payload length, u64 little-endian
//!     84     …  payload: the Program in postcard encoding
//! ```
//!
//! Loading checks each field in that order, so a foreign file, a file
//! from another rulec version, a truncated file and a damaged file each
//! get their own error, and then validates the decoded program.

use sha2::{Digest, Sha256};
use thiserror::Error;

use super::Program;

/// The first bytes of every compiled-program file.
pub const MAGIC: [u8; 8] = *b"RULEC\0PG";

/// Version of the file format and of the bytecode. Bump it on any change
/// to [`Program`] or the instruction set, so older files are rejected as
/// stale instead of misread.
pub const FORMAT_VERSION: u32 = 3;

const HEADER_LEN: usize = 84;

/// The reason a compiled-program file was rejected.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ProgramLoadError {
    #[error("not a compiled rulec program: the file starts with {found:02x?}, expected the magic bytes {MAGIC:02x?}")]
    Foreign { found: Vec<u8> },
    #[error("compiled program has format version {found}, but this rulec reads version {expected}; recompile the rules with `rulec compile`")]
    Stale { found: u32, expected: u32 },
    #[error("compiled program is truncated: expected {expected} bytes, found {found}")]
    Truncated { expected: u64, found: u64 },
    #[error("compiled program is damaged: it has bytes after its end, expected {expected} bytes, found {found}")]
    TrailingBytes { expected: u64, found: u64 },
    #[error("compiled program is damaged: the payload checksum does not match")]
    Checksum,
    #[error("compiled program is damaged: {reason}")]
    Decode { reason: String },
    #[error("compiled program is invalid: {reason}")]
    Invalid { reason: String },
}

impl Program {
    /// Encodes the program as a compiled-program file.
    pub fn to_bytes(&self) -> Vec<u8> {
        // postcard fails only on types it cannot encode, such as sequences
        // of unknown length, and Program has none. Were it to fail, the
        // empty payload would be rejected on load, not misread.
        let payload = postcard::to_stdvec(self).unwrap_or_default();
        let mut bytes = Vec::with_capacity(HEADER_LEN + payload.len());
        bytes.extend_from_slice(&MAGIC);
        bytes.extend_from_slice(&self.version.to_le_bytes());
        bytes.extend_from_slice(&self.source_hash);
        bytes.extend_from_slice(&Sha256::digest(&payload));
        bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
        bytes.extend_from_slice(&payload);
        bytes
    }

    /// Decodes and validates a compiled-program file.
    ///
    /// # Errors
    ///
    /// A [`ProgramLoadError`] naming the first check that failed: magic
    /// bytes, format version, length, checksum, decoding, or validation.
    pub fn from_bytes(bytes: &[u8]) -> Result<Program, ProgramLoadError> {
        let magic = bytes.get(..MAGIC.len()).unwrap_or(bytes);
        if magic != MAGIC {
            return Err(ProgramLoadError::Foreign {
                found: magic.to_vec(),
            });
        }
        let header = bytes.get(..HEADER_LEN).ok_or(ProgramLoadError::Truncated {
            expected: HEADER_LEN as u64,
            found: bytes.len() as u64,
        })?;
        let version = u32::from_le_bytes(array(&header[8..12]));
        if version != FORMAT_VERSION {
            return Err(ProgramLoadError::Stale {
                found: version,
                expected: FORMAT_VERSION,
            });
        }
        let source_hash: [u8; 32] = array(&header[12..44]);
        let checksum: [u8; 32] = array(&header[44..76]);
        let length = u64::from_le_bytes(array(&header[76..84]));
        let payload = &bytes[HEADER_LEN..];
        let expected = (HEADER_LEN as u64).saturating_add(length);
        if payload.len() as u64 > length {
            return Err(ProgramLoadError::TrailingBytes {
                expected,
                found: bytes.len() as u64,
            });
        }
        if payload.len() as u64 != length {
            return Err(ProgramLoadError::Truncated {
                expected,
                found: bytes.len() as u64,
            });
        }
        if Sha256::digest(payload).as_slice() != checksum {
            return Err(ProgramLoadError::Checksum);
        }
        let program: Program =
            postcard::from_bytes(payload).map_err(|error| ProgramLoadError::Decode {
                reason: error.to_string(),
            })?;
        if program.version != version || program.source_hash != source_hash {
            return Err(ProgramLoadError::Invalid {
                reason: "the header and the payload disagree on version or source hash".to_string(),
            });
        }
        program
            .validate()
            .map_err(|reason| ProgramLoadError::Invalid { reason })?;
        Ok(program)
    }
}

/// Copies a slice into an array. Every caller passes a range of the
/// fixed-size header whose length is exactly `N`.
fn array<const N: usize>(slice: &[u8]) -> [u8; N] {
    let mut out = [0; N];
    out.copy_from_slice(&slice[..N]);
    out
}
