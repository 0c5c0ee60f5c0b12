//! The values a text test reads from a message.
//!
//! Every source gives a list of values, and a test holds when one of
//! them matches. A message without the field gives an empty list, so
//! `from is "x"` is false and `from is not "x"` true when From is missing.

use std::borrow::Cow;

use super::program::TextSource;
use super::run::ServerView;
use crate::ast::user::AddressPart;
use crate::message::{Address, Message};

/// Returns the values of `source` in `message`.
pub fn values<'m>(
    source: &'m TextSource,
    message: &'m Message<'_>,
    server: &'m ServerView,
) -> Vec<Cow<'m, str>> {
    match source {
        TextSource::Sender(part) => message
            .sender_or_return_path()
            .map(|sender| sender.trim().trim_start_matches('<').trim_end_matches('>'))
            .filter(|sender| !sender.is_empty())
            .map(|sender| address_part(&plain(sender), *part))
            .into_iter()
            .flatten()
            .map(Cow::Owned)
            .collect(),
        TextSource::Addresses { header, part } => message
            .addresses(header)
            .iter()
            .filter_map(|address| address_part(address, *part))
            .map(Cow::Owned)
            .collect(),
        TextSource::Recipients(part) => {
            let mut all = message.addresses("To");
            all.extend(message.addresses("Cc"));
            all.extend(message.recipients().iter().map(|rcpt| plain(rcpt)));
            all.iter()
                .filter_map(|address| address_part(address, *part))
                .map(Cow::Owned)
                .collect()
        }
        TextSource::Header(name) => message
            .header_all(name)
            .map(|header| Cow::Borrowed(header.value.as_str()))
            .collect(),
        TextSource::Body => vec![Cow::Borrowed(message.body_text())],
        TextSource::AttachmentName => message
            .attachments()
            .iter()
            .filter_map(|attachment| attachment.name.as_deref())
            // Windows drops trailing dots and spaces, so `invoice.exe.`
            // opens as `invoice.exe` and is matched as that.
            .map(|name| Cow::Borrowed(name.trim_end_matches(['.', ' '])))
            .collect(),
        TextSource::SpamTests => server
            .tests
            .iter()
            .map(|test| Cow::Borrowed(test.as_str()))
            .collect(),
    }
}

/// Wraps a bare envelope address in an [`Address`] without a name.
fn plain(address: &str) -> Address {
    Address {
        name: None,
        address: address
            .trim()
            .trim_start_matches('<')
            .trim_end_matches('>')
            .to_string(),
    }
}

fn address_part(address: &Address, part: AddressPart) -> Option<String> {
    match part {
        AddressPart::Address => Some(address.address.clone()),
        AddressPart::Domain => Some(address.domain().to_string()),
        AddressPart::LocalPart => Some(address.local_part().to_string()),
        AddressPart::Name => address.name.clone(),
    }
}
