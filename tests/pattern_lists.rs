//! The list matchers: `WordList` for `@inwordlist`, `BlockList` for
//! `@inblocklist`, `GlobSet` for `rules.attachmentblock` and `NetList`
//! for the trust and block documents, each also after a postcard round
//! trip.

use rulec::ast::lists::ListValue;
use rulec::limits::Limits;
use rulec::pattern::{translate_glob, BlockList, GlobSet, NetList, WordList};
use serde::de::DeserializeOwned;
use serde::Serialize;

fn roundtrip<T: Serialize + DeserializeOwned>(value: &T) -> T {
    let bytes = postcard::to_stdvec(value).unwrap();
    postcard::from_bytes(&bytes).unwrap()
}

fn network(address: &str, prefix: u8) -> ListValue {
    ListValue::Network {
        address: address.parse().unwrap(),
        prefix,
    }
}

// ---- WordList ----

#[test]
fn word_needs_boundaries() {
    let list = WordList::new(["cash"]);
    assert!(list.contains("cash"));
    assert!(list.contains("Get CASH now"));
    assert!(list.contains("cash!"));
    assert!(list.contains("(cash)"));
    assert!(!list.contains("cashew"));
    assert!(!list.contains("ecash"));
    assert!(!list.contains("cash_back"));
    assert!(!list.contains("cash2"));
}

#[test]
fn word_found_after_failed_overlap() {
    let list = WordList::new(["cash", "cashew nut"]);
    assert_eq!(list.find("a cashew nut"), Some("cashew nut"));
    assert_eq!(list.find("cashews and cash"), Some("cash"));
}

#[test]
fn phrase_spans_white_space() {
    let list = WordList::new(["free money"]);
    assert!(list.contains("get Free   Money today"));
    assert!(list.contains("free\r\n\tmoney"));
    assert!(!list.contains("freemoney"));
    assert!(!list.contains("carefree money"));
    assert!(!list.contains("free moneybags"));
}

#[test]
fn word_with_punctuation_edge() {
    let list = WordList::new(["ADV:", "$$$"]);
    assert!(list.contains("ADV:Buy now"));
    assert!(list.contains("adv: offer"));
    assert!(!list.contains("BADV: x"));
    assert!(list.contains("win$$$now"));
}

#[test]
fn word_ignores_unicode_case() {
    let list = WordList::new(["été"]);
    assert!(list.contains("L'ÉTÉ arrive"));
    assert!(!list.contains("étéx"));
}

#[test]
fn word_list_roundtrip() {
    let list = roundtrip(&WordList::new(["cash", "free  money"]));
    assert_eq!(list.entries(), ["cash", "free  money"]);
    assert!(list.contains("free money"));
    assert!(!list.contains("cashew"));
}

#[test]
fn word_list_of_10000_entries() {
    let entries: Vec<String> = (0..10_000).map(|index| format!("word{index} x")).collect();
    let list = WordList::new(entries);
    assert!(list.contains("the WORD9999 x here"));
    assert!(!list.contains("the word10000 x here"));
    assert_eq!(list.find("a word42 x"), Some("word42 x"));
}

// ---- BlockList ----

#[test]
fn block_matches_inside_words() {
    let list = BlockList::new(["viagra", " ADV: "]);
    assert!(list.contains("buyVIAGRAnow", false));
    assert!(list.contains("re: adv: hi", false));
    assert!(!list.contains("nothing here", false));
}

#[test]
fn block_case_sensitive_mode() {
    let list = BlockList::new(["ADV:"]);
    assert!(list.contains("ADV: x", true));
    assert!(!list.contains("adv: x", true));
    assert_eq!(list.find("Adv: x", false), Some("ADV:"));
}

#[test]
fn block_list_roundtrip() {
    let list = roundtrip(&BlockList::new(["Lottery"]));
    assert!(list.contains("LOTTERY win", false));
    assert!(!list.contains("LOTTERY win", true));
}

#[test]
fn block_list_of_10000_entries() {
    let entries: Vec<String> = (0..10_000).map(|index| format!("Spam{index}Z")).collect();
    let list = BlockList::new(entries);
    assert_eq!(list.find("xxspam7777zyy", false), Some("Spam7777Z"));
    assert!(!list.contains("spam7777z", true));
}

// ---- GlobSet ----

#[test]
fn glob_ignores_trailing_dots_and_spaces() {
    let globs = GlobSet::new(["*.exe"], &Limits::default()).unwrap();
    assert_eq!(globs.find("invoice.exe."), Some("*.exe"));
    assert_eq!(globs.find("invoice.exe . ."), Some("*.exe"));
    assert_eq!(globs.find("INVOICE.EXE"), Some("*.exe"));
    assert_eq!(globs.find("invoice.exe.txt"), None);
    assert_eq!(globs.find("invoice.ex"), None);
}

#[test]
fn glob_matches_whole_name() {
    let globs = GlobSet::new(["virus.exe", "APPL:????", "a*b?.scr"], &Limits::default()).unwrap();
    assert_eq!(globs.find("virus.exe"), Some("virus.exe"));
    assert_eq!(globs.find("my virus.exe"), None);
    assert_eq!(globs.find("appl:ABCD"), Some("APPL:????"));
    assert_eq!(globs.find("APPL:ABC"), None);
    assert_eq!(globs.find("a-long-b1.scr"), Some("a*b?.scr"));
    assert_eq!(globs.find("ab.scr"), None);
}

#[test]
fn glob_reports_first_in_list_order() {
    let globs = GlobSet::new(["*.zip", "*", "*.exe"], &Limits::default()).unwrap();
    assert_eq!(globs.find("x.exe"), Some("*"));
    assert_eq!(globs.find("x.zip"), Some("*.zip"));
}

#[test]
fn glob_treats_regex_characters_literally() {
    let globs = GlobSet::new(["[a].(b)+"], &Limits::default()).unwrap();
    assert!(globs.is_match("[A].(B)+"));
    assert!(!globs.is_match("a.bb"));
}

#[test]
fn glob_set_roundtrip() {
    let globs = roundtrip(&GlobSet::new(["*.pif", "*.scr"], &Limits::default()).unwrap());
    assert_eq!(globs.find("a.SCR. "), Some("*.scr"));
    assert_eq!(globs.globs(), ["*.pif", "*.scr"]);
}

#[test]
fn long_glob_is_e0203() {
    let limits = Limits {
        max_pattern_bytes: 4,
        ..Limits::default()
    };
    let error = translate_glob("*.exe", &limits).unwrap_err();
    assert_eq!(error.code, "E0203");
    assert!(GlobSet::new(["*.exe"], &limits).is_err());
}

// ---- NetList ----

#[test]
fn net_ipv4_cidr() {
    let list = NetList::new(&[network("192.168.0.0", 16), network("10.1.2.3", 32)]);
    assert!(list.contains_ip("192.168.0.0"));
    assert!(list.contains_ip("192.168.255.255"));
    assert!(!list.contains_ip("192.169.0.0"));
    assert!(!list.contains_ip("192.167.255.255"));
    assert!(list.contains_ip("10.1.2.3"));
    assert!(!list.contains_ip("10.1.2.4"));
}

#[test]
fn net_host_bits_are_ignored() {
    let list = NetList::new(&[network("172.16.5.77", 12)]);
    assert!(list.contains_ip("172.16.0.1"));
    assert!(list.contains_ip("172.31.255.254"));
    assert!(!list.contains_ip("172.32.0.0"));
}

#[test]
fn net_ipv6_cidr() {
    let list = NetList::new(&[network("2001:db8::", 32), network("::1", 128)]);
    assert!(list.contains_ip("2001:db8:ffff::1"));
    assert!(list.contains_ip("2001:DB8::"));
    assert!(!list.contains_ip("2001:db9::1"));
    assert!(list.contains_ip("::1"));
    assert!(!list.contains_ip("::2"));
}

#[test]
fn net_mapped_ipv6_counts_as_ipv4() {
    let list = NetList::new(&[network("10.0.0.0", 8), network("::ffff:192.0.2.0", 120)]);
    assert!(list.contains_ip("::ffff:10.9.8.7"));
    assert!(list.contains_ip("192.0.2.200"));
    assert!(!list.contains_ip("192.0.3.1"));
    assert!(!list.contains_ip("11.0.0.1"));
}

#[test]
fn net_ip_text_forms() {
    let list = NetList::new(&[network("10.0.0.0", 8), network("fe80::", 10)]);
    assert!(list.contains_ip(" [10.0.0.1] "));
    assert!(list.contains_ip("[IPv6:fe80::1]"));
    assert!(list.contains_ip("fe80::1%eth0"));
    assert!(!list.contains_ip("not an ip"));
    assert!(!list.contains_ip(""));
}

#[test]
fn net_whole_range() {
    let list = NetList::new(&[network("0.0.0.0", 0)]);
    assert!(list.contains_ip("255.255.255.255"));
    assert!(!list.contains_ip("::2"));
}

#[test]
fn net_addresses_and_domains() {
    let list = NetList::new(&[
        ListValue::Address("boss@example.org".to_string()),
        ListValue::Domain("partner.com".to_string()),
    ]);
    assert!(list.contains_address("boss@example.org"));
    assert!(list.contains_address("BOSS@Example.ORG"));
    assert!(list.contains_address("<boss@example.org>"));
    assert!(list.contains_address("\"The Boss\" <boss@example.org>"));
    assert!(!list.contains_address("other@example.org"));
    assert!(list.contains_address("anyone@partner.com"));
    assert!(list.contains_address("anyone@mail.eu.PARTNER.com."));
    assert!(!list.contains_address("anyone@notpartner.com"));
    assert!(!list.contains_address("anyone@partner.com.evil.net"));
    assert!(list.contains_address("partner.com"));
    assert!(!list.contains_address("<>"));
    assert!(!list.contains_address(""));
}

#[test]
fn net_list_roundtrip() {
    let list = NetList::new(&[
        network("10.0.0.0", 8),
        network("2001:db8::", 32),
        ListValue::Domain("partner.com".to_string()),
    ]);
    let loaded = roundtrip(&list);
    assert_eq!(loaded, list);
    assert!(loaded.contains_ip("10.0.0.1"));
    assert!(loaded.contains_address("x@partner.com"));
}

// ---- Sharing ----

fn assert_send_sync<T: Send + Sync>() {}

#[test]
fn matchers_are_send_and_sync() {
    assert_send_sync::<rulec::pattern::PatternSet>();
    assert_send_sync::<rulec::pattern::Pattern>();
    assert_send_sync::<WordList>();
    assert_send_sync::<BlockList>();
    assert_send_sync::<GlobSet>();
    assert_send_sync::<NetList>();
}
