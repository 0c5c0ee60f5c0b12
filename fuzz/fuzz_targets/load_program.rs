//! Load arbitrary bytes as a compiled program; when the loader accepts
//! them, run a fixed message through the program. A loaded program is
//! validated, never trusted, so neither step may panic or hang. Seed the
//! corpus with a real file (`rulec compile --rules rules -o seed`) so the
//! fuzzer starts past the magic bytes and the checksum.

#![no_main]

use libfuzzer_sys::fuzz_target;

use rulec::message::{Envelope, Message};
use rulec::program::Program;
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

fuzz_target!(|data: &[u8]| {
    let Ok(program) = Program::from_bytes(data) else {
        return;
    };
    let message = Message::parse(MESSAGE, Envelope::default(), &program.settings.limits);
    let options = EvalOptions {
        input: "fuzz".to_string(),
        users: vec!["alice".to_string()],
        explain: true,
    };
    let _ = evaluate(&program, &message, &options);
});
