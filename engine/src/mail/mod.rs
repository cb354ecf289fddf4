//! Reading the rep's mailbox back: what kind of message is this?
//!
//! [`classify`] turns one raw RFC 5322 message into a [`Classified`]: a
//! bounce (with the failed recipient, status and the Message-ID that
//! bounced), an auto-reply (with the date the person is back, when it says),
//! an unsubscribe request, or a human reply. It is pure: no I/O, no clock;
//! the caller passes the day the message was received for year inference.
//!
//! - `classify.rs`: parsing (mail-parser), the headers we keep, and the rule
//!   order: complaint, bounce or notice, left the company, auto-reply,
//!   unsubscribe, reply.
//! - `feedback.rs`: spam complaints (RFC 5965 feedback reports).
//! - `bounce.rs`: RFC 3464 delivery reports and the non-standard notices of
//!   the common mail systems; failures, delays and successes told apart.
//! - `reason.rs`: why a delivery failed (the taxonomy) and whose fault it is.
//! - `left.rs`: "left the company" replies and the person they refer to.
//! - `patterns.rs`: the language patterns (en, de, fr, es, pt, it, nl, sv,
//!   da, nb, fi, pl, ja) and the split between a message's own text and the
//!   quoted original.
//! - `dates.rs`: the return date of an out-of-office reply.

mod bounce;
mod classify;
pub mod dates;
mod feedback;
mod left;
mod patterns;
mod phrases;
pub mod reason;
mod reason_words;

pub use classify::{classify, BounceInfo, Classified, Complaint, Headers, Kind, Notice, Referral};
pub use patterns::Lang;
pub use reason::{Fault, Reason};

/// Why an SMTP server refused a message at sending time, from its answer
/// ("554 5.7.1 <alex@…>: Sender address rejected: Access denied"), and the
/// status code it gave.
pub fn refusal_reason(answer: &str) -> (Reason, Option<String>) {
    let text = patterns::lower(answer);
    let status = bounce::status_code(&text);
    (reason::judge(status.as_deref(), &text, ""), status)
}
