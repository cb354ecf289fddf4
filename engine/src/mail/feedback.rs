//! Spam complaints: RFC 5965 feedback reports (ARF), sent by a mailbox
//! provider's feedback loop when a recipient marks one of our emails as
//! spam. The report has a `message/feedback-report` part (`Feedback-Type:
//! abuse`) and the original, whole (`message/rfc822`) or its headers only
//! (`text/rfc822-headers`).

use mail_parser::{Message, MimeHeaders, PartType};

use super::bounce::{addresses, original_message_id};
use super::classify::{Complaint, Headers};

/// Feedback types that are a recipient's complaint (RFC 5965 §7.3).
/// `auth-failure` (RFC 6591) and `not-spam` are not.
const COMPLAINTS: &[&str] = &["abuse", "fraud", "virus", "other"];

/// The complaint a message carries, if it is a feedback report.
pub(crate) fn detect(msg: &Message) -> Option<Complaint> {
    let report = msg.parts.iter().find_map(|p| {
        let ct = p.content_type()?;
        (ct.ctype().eq_ignore_ascii_case("message") && ct.subtype().is_some_and(|s| s.eq_ignore_ascii_case("feedback-report")))
            .then(|| String::from_utf8_lossy(p.contents()).into_owned())
    })?;
    let field = |name: &str| {
        report.lines().find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.trim().eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    };
    let feedback_type = field("Feedback-Type").map(|t| t.to_ascii_lowercase()).unwrap_or_else(|| "abuse".into());
    if !COMPLAINTS.contains(&feedback_type.as_str()) {
        return None;
    }
    let address = |v: String| addresses(&v.to_ascii_lowercase()).next().map(str::to_string);
    let recipient =
        field("Original-Rcpt-To").and_then(address).or_else(|| field("Removal-Recipient").and_then(address)).or_else(|| original_to(msg));
    let none = Headers::default();
    Some(Complaint { feedback_type, recipient, original_message_id: original_message_id(msg, &none, "") })
}

/// The To: of the attached original (whole or headers only).
fn original_to(msg: &Message) -> Option<String> {
    for part in &msg.parts {
        if let PartType::Message(m) = &part.body {
            if let Some(a) = m.to().and_then(|t| t.first()).and_then(|a| a.address()) {
                return Some(a.trim().to_ascii_lowercase());
            }
        }
        let headers_only = part.content_type().is_some_and(|ct| ct.subtype().is_some_and(|s| s.eq_ignore_ascii_case("rfc822-headers")));
        if headers_only {
            let text = String::from_utf8_lossy(part.contents()).to_ascii_lowercase();
            if let Some(line) = text.lines().find(|l| l.starts_with("to:")) {
                return addresses(line).next().map(str::to_string);
            }
        }
    }
    None
}
