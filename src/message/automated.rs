//! Tests for automated mail: auto-replies, mailing lists and bounces,
//! for the user tier's "automated/system messages" field.

use super::params::parse_mime_value;
use super::Message;

impl Message<'_> {
    /// Tells whether the message is an automatic reply: `Auto-Submitted`
    /// other than `no` (RFC 3834), `X-Autoreply` or `X-Autorespond`, or
    /// `Precedence: auto_reply`.
    pub fn is_auto_reply(&self) -> bool {
        let auto_submitted = self.header("Auto-Submitted").is_some_and(|header| {
            let value = parse_mime_value(&header.raw).value;
            !value.is_empty() && value != "no"
        });
        auto_submitted
            || self.header("X-Autoreply").is_some()
            || self.header("X-Autorespond").is_some()
            || self.precedence_is(&["auto_reply"])
    }

    /// Tells whether the message came through a mailing list: `List-Id`
    /// or `List-Unsubscribe` (RFC 2919, RFC 2369), or `Precedence: bulk`
    /// or `list`.
    pub fn is_list_mail(&self) -> bool {
        self.header("List-Id").is_some()
            || self.header("List-Unsubscribe").is_some()
            || self.precedence_is(&["bulk", "list"])
    }

    /// Tells whether the message is a bounce: a null envelope sender, a
    /// `From` of `MAILER-DAEMON` or `postmaster`, or a
    /// `multipart/report` delivery status notification (RFC 3464).
    pub fn is_bounce(&self) -> bool {
        let null_sender = self
            .sender_or_return_path()
            .is_some_and(|sender| matches!(sender.trim(), "" | "<>"));
        let system_from = self.addresses("From").iter().any(|address| {
            let local = address.local_part();
            local.eq_ignore_ascii_case("mailer-daemon") || local.eq_ignore_ascii_case("postmaster")
        });
        let report = self.header("Content-Type").is_some_and(|header| {
            let content_type = parse_mime_value(&header.raw);
            content_type.value == "multipart/report"
                && content_type
                    .param("report-type")
                    .is_some_and(|kind| kind.eq_ignore_ascii_case("delivery-status"))
        });
        null_sender || system_from || report
    }

    /// Tells whether the message is an auto-reply, list mail or a bounce.
    pub fn is_automated(&self) -> bool {
        self.is_auto_reply() || self.is_list_mail() || self.is_bounce()
    }

    fn precedence_is(&self, values: &[&str]) -> bool {
        self.header_all("Precedence").any(|header| {
            let value = header.value.trim();
            values
                .iter()
                .any(|wanted| value.eq_ignore_ascii_case(wanted))
        })
    }
}
