//! Load arbitrary bytes as a compiled program; when the loader accepts
//! them, run a fixed message through the program. A loaded program is
//! validated, never trusted, so neither step may panic or hang.
//!
//! Input that starts with the magic bytes is loaded as it is, which tests
//! the file header checks. Any other input is taken as the payload and
//! wrapped in a header with the right checksum, because a fuzzer cannot
//! find a SHA-256 match: that tests decoding and validation. Seed the
//! corpus with a real file (`rulec compile --rules rules -o seed`) and
//! with its payload (the same file without its first 84 bytes).

#![no_main]

use libfuzzer_sys::fuzz_target;

use rulec::message::{Envelope, Message};
use rulec::program::{Program, FORMAT_VERSION, MAGIC};
use sha2::{Digest, Sha256};
use rulec::vm::{evaluate, EvalOptions};

const MESSAGE: &[u8] = b"From: Sales <sales123456@bulk.example>\r\n\
To: alice@example.org\r\n\
Subject: FREE MONEY!!!\r\n\
X-Mailer: Mass Mail Pro\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=b\r\n\
\r\n\
--b\r\n\
Content-Type: text/html\r\n\
\r\n\
<a href=\"http://192.0.2.1/x\">click here to claim</a>\r\n\
--b\r\n\
Content-Type: application/octet-stream; name=\"invoice.pdf.exe\"\r\n\
\r\n\
MZ\r\n\
--b--\r\n";

/// Wraps a payload in a valid header. The source hash is copied from
/// where a payload with a one-byte version field keeps it, so the header
/// and payload agree for most inputs derived from a real payload.
fn with_header(payload: &[u8]) -> Vec<u8> {
    let mut hash = [0u8; 32];
    if let Some(stored) = payload.get(1..33) {
        hash.copy_from_slice(stored);
    }
    let mut bytes = MAGIC.to_vec();
    bytes.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    bytes.extend_from_slice(&hash);
    bytes.extend_from_slice(&Sha256::digest(payload));
    bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    bytes.extend_from_slice(payload);
    bytes
}

fuzz_target!(|data: &[u8]| {
    let loaded = if data.starts_with(&MAGIC) {
        Program::from_bytes(data)
    } else {
        Program::from_bytes(&with_header(data))
    };
    let Ok(program) = loaded else {
        return;
    };
    let message = Message::parse(MESSAGE, Envelope::default(), &program.settings.limits);
    let options = EvalOptions {
        input: "fuzz".to_string(),
        users: vec!["alice".to_string()],
        explain: true,
        user_run: None,
    };
    let _ = evaluate(&program, &message, &options);
});
