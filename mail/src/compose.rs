//! An approved email as it goes on the wire: multipart text and HTML, with
//! Message-ID, Date, the thread headers and List-Unsubscribe. No tracking
//! pixel, no remote images, no links added.

use chrono::{DateTime, Utc};
use engine::api::Outgoing;
use lettre::address::Envelope;
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::{Address, Message};

use crate::error::{MailError, Result};

pub struct Composed {
    /// Who the SMTP server delivers to: the prospect, and the rep's own
    /// mailbox when the server does not file sent mail itself.
    pub envelope: Envelope,
    pub bytes: Vec<u8>,
}

fn address(a: &str) -> Result<Address> {
    a.parse().map_err(|_| MailError::Rejected {
        server: "Cadence".into(),
        detail: format!("\"{a}\" is not an email address"),
        permanent: true,
    })
}

fn angle(id: &str) -> String {
    format!("<{id}>")
}

/// Builds the message. `copy_to_self` adds the sender to the envelope (not
/// the headers): the server then delivers a copy to the rep's own mailbox in
/// the same SMTP transaction, which is how a sent message is found again
/// after a crash.
pub fn compose(o: &Outgoing, copy_to_self: bool, now: DateTime<Utc>) -> Result<Composed> {
    let from = address(&o.from)?;
    let to = address(&o.to)?;
    let name = |n: &str| (!n.trim().is_empty()).then(|| n.trim().to_string());
    let mut b = Message::builder()
        .message_id(Some(angle(&o.message_id)))
        .date(now.into())
        .from(Mailbox::new(name(&o.from_name), from.clone()))
        .to(Mailbox::new(name(&o.to_name), to.clone()))
        .subject(o.subject.clone());
    if let Some(url) = &o.unsubscribe {
        b = b.raw_header(HeaderValue::new(HeaderName::new_from_ascii_str("List-Unsubscribe"), format!("<{url}>")));
    }
    if let Some(parent) = &o.in_reply_to {
        b = b.in_reply_to(angle(parent));
        // The whole chain, oldest first: lettre replaces rather than appends.
        b = b.references(o.references.iter().map(|r| angle(r)).collect::<Vec<_>>().join(" "));
    }
    let msg = b.multipart(MultiPart::alternative_plain_html(o.body.clone(), html(&o.body))).map_err(|e| MailError::Rejected {
        server: "Cadence".into(),
        detail: format!("the message could not be built: {e}"),
        permanent: true,
    })?;
    let mut rcpt = vec![to];
    if copy_to_self && !rcpt.contains(&from) {
        rcpt.push(from.clone());
    }
    let envelope = Envelope::new(Some(from), rcpt).map_err(|e| MailError::Rejected {
        server: "Cadence".into(),
        detail: e.to_string(),
        permanent: true,
    })?;
    Ok(Composed { envelope, bytes: msg.formatted() })
}

/// The HTML part: the same text, escaped, in paragraphs.
pub fn html(text: &str) -> String {
    let mut out = String::from("<!DOCTYPE html><html><body style=\"font-family: sans-serif; font-size: 14px; line-height: 1.5\">");
    for para in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        out.push_str("<p>");
        for (i, line) in para.lines().enumerate() {
            if i > 0 {
                out.push_str("<br>");
            }
            out.push_str(&escape(line));
        }
        out.push_str("</p>");
    }
    out.push_str("</body></html>");
    out
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample() -> Outgoing {
        Outgoing {
            touch_id: 1,
            prospect_id: 1,
            enrollment_id: 1,
            message_id: "cadence.1.abc@example.test".into(),
            from_name: "Rep Person".into(),
            from: "rep@example.test".into(),
            to_name: "Ada <Lovelace>".into(),
            to: "ada@example.test".into(),
            subject: "Re: a question".into(),
            body: "Hi Ada,\n\n<script>alert(1)</script> & more\nsecond line\n\nReply \"stop\" and I won't write again.".into(),
            in_reply_to: Some("cadence.0.first@example.test".into()),
            references: vec!["cadence.0.first@example.test".into()],
            unsubscribe: Some("mailto:rep@example.test?subject=unsubscribe".into()),
            since: Utc::now(),
            company_domain: None,
            attempt: 1,
        }
    }

    #[test]
    fn carries_the_headers_a_mail_client_and_a_spam_filter_expect() {
        let c = compose(&sample(), true, Utc::now()).unwrap();
        let text = String::from_utf8(c.bytes).unwrap();
        for h in [
            "Message-ID: <cadence.1.abc@example.test>",
            "In-Reply-To: <cadence.0.first@example.test>",
            "References: <cadence.0.first@example.test>",
            "List-Unsubscribe: <mailto:rep@example.test?subject=unsubscribe>",
            "Date: ",
            "multipart/alternative",
            "text/plain",
            "text/html",
        ] {
            assert!(text.contains(h), "missing {h} in\n{text}");
        }
        let part = html(&sample().body);
        assert!(part.contains("&lt;script&gt;") && !part.contains("<script>"), "the HTML part escapes the text");
        assert!(!text.to_lowercase().contains("<img"), "no pixel");
        let rcpt: Vec<String> = c.envelope.to().iter().map(|a| a.to_string()).collect();
        assert_eq!(rcpt, ["ada@example.test", "rep@example.test"]);
        // With the mailbox's List-Unsubscribe rule off (the default), no List-* header at all.
        let off = Outgoing { unsubscribe: None, ..sample() };
        let text = String::from_utf8(compose(&off, true, Utc::now()).unwrap().bytes).unwrap();
        assert!(!text.to_ascii_lowercase().contains("\nlist-"), "no List-* header when the rule is off:\n{text}");
    }
}
