//! Why a delivery failed, and whose fault that is.
//!
//! A bounce's [`Reason`] comes from its words first (the diagnostic a
//! receiving server wrote says more than the code it chose: `5.7.1` is used
//! for anything from "user unknown" to "listed at Spamhaus"), then from the
//! enhanced status code (RFC 3463 and the IANA registry), then from the
//! code's class. The [`Fault`] follows from the reason: the address (stop
//! mailing it), the receiving mailbox for now (try again later), or the
//! rep's own sending (tell the rep; the prospect is not to blame).

/// Why a delivery failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Reason {
    UserUnknown,
    HostUnknown,
    HasMoved,
    Suspended,
    Syntax,
    MailboxFull,
    RateLimited,
    Expired,
    ReceiverError,
    TooBig,
    Policy,
    Reputation,
    Authentication,
    ReverseDns,
    Content,
    TlsRequired,
    RelayingDenied,
}

/// Who a failure is down to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fault {
    /// The address does not (or no longer) take mail: it is invalid.
    Address,
    /// The receiving mailbox or server, for now: try again later.
    Mailbox,
    /// The rep's own sending (domain, server, content): the prospect is not to blame.
    Sender,
}

impl Fault {
    pub fn as_str(self) -> &'static str {
        match self {
            Fault::Address => "address",
            Fault::Mailbox => "mailbox",
            Fault::Sender => "sender",
        }
    }

    pub fn parse(s: &str) -> Option<Fault> {
        [Fault::Address, Fault::Mailbox, Fault::Sender].into_iter().find(|f| f.as_str() == s)
    }
}

use super::reason_words::words;
use Reason::*;

/// Every reason, in the order the words are tried.
pub const ALL: &[Reason] = &[
    RelayingDenied,
    TlsRequired,
    Authentication,
    ReverseDns,
    Reputation,
    Content,
    TooBig,
    MailboxFull,
    HasMoved,
    Suspended,
    HostUnknown,
    UserUnknown,
    Syntax,
    RateLimited,
    Expired,
    ReceiverError,
    Policy,
];

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            UserUnknown => "user_unknown",
            HostUnknown => "host_unknown",
            HasMoved => "has_moved",
            Suspended => "suspended",
            Syntax => "syntax",
            MailboxFull => "mailbox_full",
            RateLimited => "rate_limited",
            Expired => "expired",
            ReceiverError => "receiver_error",
            TooBig => "too_big",
            Policy => "policy",
            Reputation => "reputation",
            Authentication => "authentication",
            ReverseDns => "reverse_dns",
            Content => "content",
            TlsRequired => "tls_required",
            RelayingDenied => "relaying_denied",
        }
    }

    pub fn parse(s: &str) -> Option<Reason> {
        ALL.iter().copied().find(|r| r.as_str() == s)
    }

    pub fn fault(self) -> Fault {
        match self {
            UserUnknown | HostUnknown | HasMoved | Suspended | Syntax => Fault::Address,
            MailboxFull | RateLimited | Expired | ReceiverError | TooBig => Fault::Mailbox,
            Policy | Reputation | Authentication | ReverseDns | Content | TlsRequired | RelayingDenied => Fault::Sender,
        }
    }

    /// The reason in a few plain words.
    pub fn label(self) -> &'static str {
        match self {
            UserUnknown => "no such mailbox",
            HostUnknown => "no such domain",
            HasMoved => "the mailbox has moved",
            Suspended => "the account is closed or suspended",
            Syntax => "the address is malformed",
            MailboxFull => "the mailbox is full",
            RateLimited => "the receiver is limiting how fast it takes mail",
            Expired => "undeliverable after days of retries",
            ReceiverError => "the receiving server had a problem",
            TooBig => "the message was too big",
            Policy => "refused by the receiver's policy",
            Reputation => "your sending server or domain is on a block list",
            Authentication => "your domain's SPF, DKIM or DMARC check failed",
            ReverseDns => "your sending server has no reverse DNS name",
            Content => "the content was taken for spam or a virus",
            TlsRequired => "the receiver requires an encrypted connection",
            RelayingDenied => "the server refused to relay your mail",
        }
    }

    /// For the rep's own sending: what it usually means and what to check.
    pub fn advice(self) -> Option<&'static str> {
        Some(match self {
            Policy => {
                "The receiving organisation's rules refused your message. It is often a filter on cold mail or on your domain. \
                 Check that your domain's SPF, DKIM and DMARC records pass, that your domain and IP are on no block list, \
                 and that the email reads like a person wrote it (few links, no attachments)."
            }
            Reputation => {
                "Your sending IP address or domain is on a block list (Spamhaus, Spamcop, Microsoft's or Google's own). \
                 Look your domain and IP up on a blocklist checker, ask your mail provider or IT to request delisting, \
                 and send less until it clears."
            }
            Authentication => {
                "The receiver could not prove the email came from your domain. Check your domain's SPF record includes \
                 your mail provider, that DKIM signing is on for the domain, and that your DMARC policy matches both."
            }
            ReverseDns => {
                "The server sending your mail has no reverse DNS (PTR) name that matches it. This is set by whoever runs \
                 the sending server: ask your mail provider or IT."
            }
            Content => {
                "A filter took the message's content for spam or malware. Try fewer links, no link shorteners, \
                 no attachments and plainer wording, and check your domain is on no block list."
            }
            TlsRequired => {
                "The receiver only accepts mail over an encrypted connection and your sending server did not offer one. \
                 Ask your mail provider or IT to enable TLS for outgoing mail."
            }
            RelayingDenied => {
                "Your mail server would not pass the message on. Usually the account is not signed in for sending, \
                 or the From address is not one the server lets you use. Check the mailbox settings in Cadence."
            }
            _ => return None,
        })
    }

    /// The reason an enhanced status code (`5.1.1`) or an SMTP code (`550`) stands for.
    pub fn from_status(status: &str) -> Option<Reason> {
        let mut parts = status.split('.');
        let class = parts.next()?;
        let (Some(subject), Some(detail)) = (parts.next(), parts.next()) else {
            return None;
        };
        let temp = class == "4";
        Some(match (subject, detail) {
            ("1", "1" | "4") | ("1", "0") if !temp => UserUnknown,
            ("1", "2" | "10") if !temp => HostUnknown,
            ("1", "3") => Syntax,
            ("1", "6") => HasMoved,
            ("1", "7" | "8") => Policy,
            ("2", "1") => Suspended,
            ("2", "2") => MailboxFull,
            ("2", "3") | ("3", "4") => TooBig,
            ("4", "4") if !temp => HostUnknown,
            ("4", "5") => RateLimited,
            ("4", "7") => Expired,
            ("7", "4" | "10" | "11" | "30") => TlsRequired,
            ("7", "7" | "8" | "9" | "20" | "21" | "22" | "23" | "24" | "26" | "29") => Authentication,
            ("7", "25") => ReverseDns,
            ("7", "13") => Suspended,
            ("7", "28") => RateLimited,
            ("7", _) => Policy,
            ("1" | "2" | "3" | "4" | "5" | "6", _) => ReceiverError,
            _ => return None,
        })
    }
}

/// Refusals of the sender (not the recipient) that the words of other
/// reasons would take for something else ("sender address rejected" is not
/// a rejected recipient address).
const SENDER_REFUSED: &[&str] = &[
    "sender address rejected",
    "sender rejected",
    "sender denied",
    "sender blocked",
    "sender is blocked",
    "sender not allowed",
    "sender domain",
    "from address rejected",
    "not a member of",
    "are not member",
    "members only",
    "posts from its members",
];

/// The reason words find in a (lower-case) text, if any.
pub fn from_words(text: &str) -> Option<Reason> {
    let first = ALL.iter().copied().find(|&r| words(r).iter().any(|w| contains_word(text, w)));
    // The specific sender-side reasons come before this in `ALL`; of the rest,
    // a refused sender is the rep's policy problem.
    if first.is_none_or(|f| f.fault() != Fault::Sender) && SENDER_REFUSED.iter().any(|w| text.contains(w)) {
        return Some(Policy);
    }
    first
}

/// `needle` in `hay`, starting at a word boundary (so "spf " does not match
/// inside another word, "rbl" not inside "garble").
fn contains_word(hay: &str, needle: &str) -> bool {
    let first_alnum = needle.chars().next().is_some_and(char::is_alphanumeric);
    let mut from = 0;
    while let Some(i) = hay[from..].find(needle) {
        let at = from + i;
        let before = hay[..at].chars().next_back();
        if !first_alnum || before.is_none_or(|c| !c.is_alphanumeric()) {
            return true;
        }
        from = at + needle.len().max(1);
        while !hay.is_char_boundary(from) {
            from += 1;
        }
    }
    false
}

/// A bounce's reason: the diagnostic's words, then the status code, then the
/// rest of the report's words, then the code's class. `text` is lower-case.
pub fn judge(status: Option<&str>, diagnostic: &str, text: &str) -> Reason {
    if let Some(r) = from_words(diagnostic) {
        return r;
    }
    let by_code = status.filter(|s| s.contains('.')).and_then(Reason::from_status);
    // `x.0.0` and `5.7.1` say little: the words of the report say more.
    let vague = status.is_some_and(|s| s.ends_with(".0.0") || s == "5.7.1" || s == "5.7.0" || s == "4.7.0" || !s.contains('.'));
    if let Some(r) = by_code.filter(|_| !vague) {
        return r;
    }
    if let Some(r) = from_words(text) {
        return r;
    }
    if let Some(r) = by_code {
        return r;
    }
    match status.map(|s| s.as_bytes()[0]) {
        Some(b'4') => ReceiverError,
        // A bare permanent refusal with nothing more to say: most often the mailbox.
        _ => UserUnknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_round_trips_and_has_a_fault() {
        for r in ALL {
            assert_eq!(Reason::parse(r.as_str()), Some(*r));
            assert!(!r.label().is_empty());
            assert_eq!(r.advice().is_some(), r.fault() == Fault::Sender, "{r:?}");
        }
    }

    #[test]
    fn words_beat_a_code_that_is_used_for_anything() {
        assert_eq!(judge(Some("5.7.1"), "550 5.7.1 recipient address rejected: user does not exist", ""), UserUnknown);
        assert_eq!(
            judge(Some("5.7.1"), "554 5.7.1 service unavailable; client host [192.0.2.1] blocked using zen.spamhaus.org", ""),
            Reputation
        );
        assert_eq!(judge(Some("5.5.0"), "550 5.5.0 mailbox full", ""), MailboxFull);
        assert_eq!(
            judge(Some("4.4.1"), "", "delivery temporarily suspended: connect to mx.example.net: connection timed out"),
            ReceiverError
        );
    }

    #[test]
    fn the_code_decides_when_the_words_say_nothing() {
        assert_eq!(judge(Some("5.1.1"), "", ""), UserUnknown);
        assert_eq!(judge(Some("5.7.26"), "", ""), Authentication);
        assert_eq!(judge(Some("5.2.2"), "", ""), MailboxFull);
        assert_eq!(judge(Some("4.4.7"), "", ""), Expired);
        assert_eq!(judge(Some("5.7.1"), "", ""), Policy);
        assert_eq!(judge(Some("450"), "", ""), ReceiverError);
        assert_eq!(judge(None, "", ""), UserUnknown);
    }

    #[test]
    fn short_words_match_at_word_starts_only() {
        assert!(contains_word("blocked by rbl", "rbl"));
        assert!(!contains_word("garbled text", "rbl"));
        assert!(contains_word("spf check failed", "spf check"));
    }
}
