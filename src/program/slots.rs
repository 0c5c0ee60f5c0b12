//! The variable slots every program has, at fixed numbers.
//!
//! The compiler gives these names the slots below and numbers every other
//! variable after them, so the VM can set the message's values without a
//! name lookup. Names are case-folded keys (see
//! [`crate::ast::server::variable_key`]).

/// `$spamlevel`: the running spam score.
pub const SPAM_LEVEL: u32 = 0;
/// `$spamtests`: the names of the tests that fired, each ending in `;`.
pub const SPAM_TESTS: u32 = 1;
/// `$IsSpammer`: when true at the end, the message is dropped silently.
pub const IS_SPAMMER: u32 = 2;
pub const SUBJECT: u32 = 3;
pub const FROM: u32 = 4;
pub const TO: u32 = 5;
pub const CC: u32 = 6;
/// `$sender`: the envelope MAIL FROM address.
pub const SENDER: u32 = 7;
pub const SENDER_IP: u32 = 8;
pub const HELO: u32 = 9;
pub const RCPT_COUNT: u32 = 10;
pub const SIZE: u32 = 11;
/// `$header`: the current header's name.
pub const HEADER: u32 = 12;
/// `$value`: the current header's decoded value.
pub const VALUE: u32 = 13;
pub const ATTACH_NAME: u32 = 14;
pub const ATTACH_TYPE: u32 = 15;
pub const LINK_URL: u32 = 16;
pub const BODY: u32 = 17;
pub const LOW_SPAM_MIN: u32 = 18;
pub const LOW_SPAM_MAX: u32 = 19;
pub const MED_SPAM_MIN: u32 = 20;
pub const MED_SPAM_MAX: u32 = 21;
pub const HIGH_SPAM_MIN: u32 = 22;
pub const HIGH_SPAM_MAX: u32 = 23;

/// The keys of the fixed slots, by slot number.
pub const FIXED: [&str; 24] = [
    "spamlevel",
    "spamtests",
    "isspammer",
    "subject",
    "from",
    "to",
    "cc",
    "sender",
    "senderip",
    "helo",
    "rcptcount",
    "size",
    "header",
    "value",
    "attachname",
    "attachtype",
    "linkurl",
    "body",
    "lowspammin",
    "lowspammax",
    "medspammin",
    "medspammax",
    "highspammin",
    "highspammax",
];

/// Returns the fixed slot of a case-folded variable key.
pub fn fixed(key: &str) -> Option<u32> {
    FIXED
        .iter()
        .position(|name| *name == key)
        .map(|slot| slot as u32)
}
