//! Reading the rep's mailbox back: what kind of message is this?
//!
//! [`classify`] turns one raw RFC 5322 message into a [`Classified`]: a
//! bounce (with the failed recipient, status and the Message-ID that
//! bounced), an auto-reply (with the date the person is back, when it says),
//! an unsubscribe request, or a human reply. It is pure: no I/O, no clock;
//! the caller passes the day the message was received for year inference.
//!
//! - `classify.rs`: parsing (mail-parser), the headers we keep, and the rule
//!   order: bounce, auto-reply, unsubscribe, reply.
//! - `bounce.rs`: RFC 3464 delivery reports and the non-standard bounces of
//!   Postfix, qmail, Exim, Exchange/Office 365 and Gmail.
//! - `patterns.rs`: the language patterns (en, de, fr, es, pt, it, nl) and
//!   the split between a message's own text and the quoted original.
//! - `dates.rs`: the return date of an out-of-office reply.

mod bounce;
mod classify;
pub mod dates;
mod patterns;

pub use classify::{classify, BounceInfo, Classified, Headers, Kind};
pub use patterns::Lang;
