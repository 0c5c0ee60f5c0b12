//! [`NetList`]: the IP ranges, addresses and domains of a trust or block
//! document, for `@IsTrustedIP`, `@istrustedaddress` and their block
//! counterparts.

use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde::{Deserialize, Serialize};

use crate::ast::lists::ListValue;

/// The entries of one trust or block document, ready for look-ups.
///
/// IP entries become sorted, merged ranges searched by bisection, so a
/// look-up costs O(log n). An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`)
/// counts as the IPv4 address it carries, both as an entry and as a query.
/// Addresses match exactly, ignoring case; a domain matches itself and
/// every subdomain.
///
/// # Examples
///
/// ```
/// use rulec::ast::lists::ListValue;
/// use rulec::pattern::NetList;
///
/// let list = NetList::new(&[
///     ListValue::Network { address: "10.0.0.0".parse().unwrap(), prefix: 8 },
///     ListValue::Network { address: "2001:db8::".parse().unwrap(), prefix: 32 },
///     ListValue::Address("boss@example.org".to_string()),
///     ListValue::Domain("partner.com".to_string()),
/// ]);
/// assert!(list.contains_ip("10.200.3.4"));
/// assert!(list.contains_ip("::ffff:10.0.0.1"));
/// assert!(list.contains_ip("2001:db8:1::5"));
/// assert!(!list.contains_ip("11.0.0.1"));
/// assert!(list.contains_address("The Boss <BOSS@example.org>"));
/// assert!(list.contains_address("anyone@mail.partner.com"));
/// assert!(!list.contains_address("anyone@notpartner.com"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "NetListSpec", into = "NetListSpec")]
pub struct NetList {
    /// Inclusive IPv4 ranges, sorted and merged.
    v4: Vec<(u32, u32)>,
    /// Inclusive IPv6 ranges, sorted and merged.
    v6: Vec<(u128, u128)>,
    addresses: BTreeSet<String>,
    domains: BTreeSet<String>,
}

/// The serialised form of [`NetList`]. Ranges are sorted and merged again
/// on loading, so look-ups stay correct whatever order a file holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct NetListSpec {
    v4: Vec<(u32, u32)>,
    v6: Vec<(u128, u128)>,
    addresses: BTreeSet<String>,
    domains: BTreeSet<String>,
}

impl From<NetListSpec> for NetList {
    fn from(spec: NetListSpec) -> NetList {
        NetList {
            v4: merge(spec.v4),
            v6: merge(spec.v6),
            addresses: spec.addresses,
            domains: spec.domains,
        }
    }
}

impl From<NetList> for NetListSpec {
    fn from(list: NetList) -> NetListSpec {
        NetListSpec {
            v4: list.v4,
            v6: list.v6,
            addresses: list.addresses,
            domains: list.domains,
        }
    }
}

impl NetList {
    /// Builds the list from document entries. `Text` entries, which trust
    /// and block documents do not have, are ignored.
    pub fn new<'a, I>(entries: I) -> NetList
    where
        I: IntoIterator<Item = &'a ListValue>,
    {
        let mut v4 = Vec::new();
        let mut v6 = Vec::new();
        let mut addresses = BTreeSet::new();
        let mut domains = BTreeSet::new();
        for entry in entries {
            match entry {
                ListValue::Network { address, prefix } => match canonical(*address) {
                    IpAddr::V4(ip) => {
                        // A mapped entry's prefix counts the 96 bits of
                        // `::ffff:` in front of the IPv4 part.
                        let prefix = if address.is_ipv6() {
                            prefix.saturating_sub(96)
                        } else {
                            *prefix
                        };
                        v4.push(range_v4(ip, prefix));
                    }
                    IpAddr::V6(ip) => v6.push(range_v6(ip, *prefix)),
                },
                ListValue::Address(address) => {
                    addresses.insert(address.to_lowercase());
                }
                ListValue::Domain(domain) => {
                    domains.insert(domain.trim_matches('.').to_lowercase());
                }
                ListValue::Text(_) => {}
            }
        }
        NetList {
            v4: merge(v4),
            v6: merge(v6),
            addresses,
            domains,
        }
    }

    /// Returns true when the list has no entries.
    pub fn is_empty(&self) -> bool {
        self.v4.is_empty()
            && self.v6.is_empty()
            && self.addresses.is_empty()
            && self.domains.is_empty()
    }

    /// Returns true when `ip` lies in a listed range. The text may be
    /// bracketed (`[10.0.0.1]`), carry an `IPv6:` prefix as SMTP address
    /// literals do, or a zone (`fe80::1%eth0`). Text that is not an IP
    /// address is in no range.
    pub fn contains_ip(&self, ip: &str) -> bool {
        parse_ip(ip).is_some_and(|ip| self.contains_ip_addr(ip))
    }

    /// Returns true when `ip` lies in a listed range.
    pub fn contains_ip_addr(&self, ip: IpAddr) -> bool {
        match canonical(ip) {
            IpAddr::V4(ip) => in_ranges(&self.v4, u32::from(ip)),
            IpAddr::V6(ip) => in_ranges(&self.v6, u128::from(ip)),
        }
    }

    /// Returns true when the mail address in `text` is listed, or its
    /// domain or a parent domain is. `text` may be a bare address, `<a@b>`
    /// or `Name <a@b>`; text without `@` is taken as a domain.
    pub fn contains_address(&self, text: &str) -> bool {
        let address = extract_address(text).to_lowercase();
        if address.is_empty() {
            return false;
        }
        if address.contains('@') && self.addresses.contains(&address) {
            return true;
        }

        let mut domain = match address.rsplit_once('@') {
            Some((_, domain)) => domain,
            None => address.as_str(),
        }
        .trim_matches('.');
        while !domain.is_empty() {
            if self.domains.contains(domain) {
                return true;
            }
            domain = match domain.split_once('.') {
                Some((_, parent)) => parent,
                None => "",
            };
        }
        false
    }
}

/// Returns the address inside the last `<…>` of `text`, or `text` trimmed.
fn extract_address(text: &str) -> &str {
    let bracketed = text.rfind('<').and_then(|open| {
        let inner = &text[open + 1..];
        inner.find('>').map(|close| &inner[..close])
    });
    bracketed.unwrap_or(text).trim()
}

fn parse_ip(text: &str) -> Option<IpAddr> {
    let mut text = text.trim();
    if let Some(inner) = text.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
        text = inner;
    }
    // `get` instead of indexing: a multi-byte character may straddle byte 5.
    if let Some(prefix) = text.get(..5) {
        if prefix.eq_ignore_ascii_case("ipv6:") {
            text = &text[5..];
        }
    }
    if let Some((address, _zone)) = text.split_once('%') {
        text = address;
    }
    text.parse().ok()
}

#[cfg(test)]
mod parse_tests {
    use super::parse_ip;

    #[test]
    fn non_ascii_text_is_not_an_ip() {
        assert_eq!(parse_ip("ab\u{e9}cd"), None);
        assert_eq!(parse_ip("ipv\u{e9}:::1"), None);
        assert_eq!(parse_ip("IPv6:::1"), "::1".parse().ok());
    }
}

/// Converts an IPv4-mapped IPv6 address to IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        IpAddr::V4(_) => ip,
    }
}

fn range_v4(ip: Ipv4Addr, prefix: u8) -> (u32, u32) {
    let prefix = u32::from(prefix.min(32));
    let mask = u32::MAX.checked_shl(32 - prefix).unwrap_or(0);
    let start = u32::from(ip) & mask;
    (start, start | !mask)
}

fn range_v6(ip: Ipv6Addr, prefix: u8) -> (u128, u128) {
    let prefix = u32::from(prefix.min(128));
    let mask = u128::MAX.checked_shl(128 - prefix).unwrap_or(0);
    let start = u128::from(ip) & mask;
    (start, start | !mask)
}

/// Sorts inclusive ranges and merges those that overlap or touch.
fn merge<T: Copy + Ord + num::Successor>(mut ranges: Vec<(T, T)>) -> Vec<(T, T)> {
    ranges.retain(|(start, end)| start <= end);
    ranges.sort_unstable();
    let mut merged: Vec<(T, T)> = Vec::with_capacity(ranges.len());
    for (start, end) in ranges {
        match merged.last_mut() {
            Some(last) if last.1.successor().is_none_or(|next| start <= next) => {
                last.1 = last.1.max(end);
            }
            _ => merged.push((start, end)),
        }
    }
    merged
}

fn in_ranges<T: Copy + Ord>(ranges: &[(T, T)], value: T) -> bool {
    let after = ranges.partition_point(|(start, _)| *start <= value);
    after > 0 && ranges[after - 1].1 >= value
}

mod num {
    /// The next integer, or None at the maximum.
    pub trait Successor: Sized {
        fn successor(self) -> Option<Self>;
    }

    impl Successor for u32 {
        fn successor(self) -> Option<u32> {
            self.checked_add(1)
        }
    }

    impl Successor for u128 {
        fn successor(self) -> Option<u128> {
            self.checked_add(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_merge_when_touching() {
        assert_eq!(
            merge(vec![(5u32, 9), (0, 4), (20, 30), (25, 26)]),
            vec![(0, 9), (20, 30)]
        );
        assert_eq!(merge(vec![(0u32, u32::MAX), (7, 8)]), vec![(0, u32::MAX)]);
    }

    #[test]
    fn prefix_zero_covers_everything() {
        assert_eq!(range_v4(Ipv4Addr::new(1, 2, 3, 4), 0), (0, u32::MAX));
        assert_eq!(range_v6(Ipv6Addr::LOCALHOST, 0), (0, u128::MAX));
    }

    #[test]
    fn address_forms_are_extracted() {
        assert_eq!(extract_address(" a@b "), "a@b");
        assert_eq!(extract_address("\"Doe, J\" <j@d.org>"), "j@d.org");
        assert_eq!(extract_address("<>"), "");
    }
}
