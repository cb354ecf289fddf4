//! Bounces: RFC 3464 delivery reports and the non-standard notices of
//! Postfix, qmail, Exim, Exchange/Office 365 and Gmail.
//!
//! A delivery report is read field by field; a non-standard notice is read
//! as text: the failed recipient is the first address it names that is not
//! the rep or the mail system, the status is the first enhanced code
//! (`5.1.1`) or else SMTP code (`550`), and the original Message-ID comes
//! from an attached message or a quoted `Message-ID:` line.

use mail_parser::{Message, MessagePart, MimeHeaders, PartType};

use super::classify::{BounceInfo, Headers, Notice};
use super::patterns::{lower, strip_subject_prefixes};
use super::reason::{self, Fault, Reason};

/// Subjects of bounces (lower-case; found anywhere in the subject).
const SUBJECTS: &[&str] = &[
    "undelivered mail returned to sender",
    "delivery status notification",
    "mail delivery failed",
    "undeliverable:",
    "undeliverable mail",
    "undeliverable message",
    "[bounce]",
    "are not member",
    "undelivered mail",
    "failure notice",
    "returned mail",
    "delivery failure",
    "delivery has failed",
    "delivery failed",
    "message not delivered",
    "mail delivery failure",
    "mail system error",
    "could not send message for past",
    "delivery notification: delivery has failed",
    "delivery delayed",
    "delayed mail",
    "delivery report",
    "delivery notification",
    "successful mail delivery report",
    "relayed:",
    "delivered:",
    "warning: message",
    "unzustellbar",
    "nicht zustellbar",
    "non remis",
    "non distribuable",
    "no se puede entregar",
    "no entregado",
    "não é possível entregar",
    "não entregue",
    "non recapitabile",
    "onbestelbaar",
    "niet bezorgd",
];

/// Phrases of bounce bodies that a person would not write (lower-case).
const BODY_MARKERS: &[&str] = &[
    "this is the qmail-send program",
    "this message was created automatically by mail delivery software",
    "remote server returned '",
    "your message to",
    "couldn't be delivered",
    "could not be delivered",
    "wasn't delivered to",
    "was not delivered to",
    "address not found",
    "delivery incomplete",
    "delivery to the following recipient",
    "delivery has failed to these recipients",
    "the following address(es) failed",
    "i'm sorry to have to inform you that your message could not",
    "i was unable to deliver your message",
    "unable to deliver your message",
    "permanent fatal errors",
    "the mail system",
    "error message below:",
    "failure reasons",
    "message could not be delivered",
    "you are not a member",
    "returned message",
    "has been rejected",
    "was not distributed",
];

/// Markers so specific that they make a bounce whoever sent it.
const STRONG_MARKERS: &[&str] = &[
    "this is the qmail-send program",
    "this message was created automatically by mail delivery software",
    "remote server returned '",
    "delivery has failed to these recipients",
    "error message below:",
    "------- failure reasons",
    "we were unable to deliver the attached message",
];

/// Where the copy of the original message starts in a bounce's text.
const ORIGINAL_MARKERS: &[&str] = &[
    "------ this is a copy of the message",
    "--- below this line is a copy of the message",
    "original message headers:",
    "----- original message -----",
    "------- original message",
    "----- the header of the original message",
];

/// Subject words of a notice that delivery is delayed, not failed.
const DELAY_SUBJECT: &[&str] = &[
    "delay",
    "warning: message",
    "warning: could not send",
    "still being retried",
    "not yet delivered",
    "delivery incomplete",
    "verzögert",
    "verzoegert",
    "retardé",
    "retardée",
    "retrasad",
    "atrasad",
    "ritardat",
    "vertraagd",
];

/// Words of a notice that the mail system is still trying.
const STILL_TRYING: &[&str] = &[
    "will retry",
    "will be retried",
    "will keep trying",
    "will continue to try",
    "will continue trying",
    "delivery attempts will continue",
    "still trying",
    "not yet been delivered",
    "has been delayed",
    "is delayed",
    "no action is required",
    "you do not need to resend",
];

/// Words that say the mail system gave up.
const GAVE_UP: &[&str] = &[
    "permanent",
    "gave up",
    "giving up",
    "has been returned",
    "failed permanently",
    "will not be delivered",
    "could not be delivered",
    "couldn't be delivered",
    "undeliverable",
];

/// A bounce: what we know about it and why we think it is one.
pub(crate) fn detect(msg: &Message, headers: &Headers, own: &str, body: &str) -> Option<(BounceInfo, String)> {
    if let Some(report) = delivery_status(msg) {
        // A report that every recipient got the message is no bounce.
        return from_report(msg, headers, &report).map(|info| (info, "RFC 3464 delivery report".to_string()));
    }
    let subject = headers.subject.as_deref().map(lower).unwrap_or_default();
    let evidence = non_standard(msg, headers, &subject, own)?;
    Some((from_text(msg, headers, &subject, body), evidence))
}

/// Why a message without a delivery report is a bounce, if it is one.
fn non_standard(msg: &Message, headers: &Headers, subject: &str, own: &str) -> Option<String> {
    let from = headers.from.as_deref().unwrap_or("");
    let local = from.split('@').next().unwrap_or("");
    let name = msg.from().and_then(|a| a.first()).and_then(|a| a.name()).map(lower).unwrap_or_default();
    let daemon = local == "mailer-daemon" || name.contains("mail delivery subsystem") || name.contains("mail delivery system");
    let system = daemon
        || matches!(local, "postmaster" | "post_master" | "mail-daemon" | "mailerdaemon" | "sysadmin" | "bounce" | "bounces")
        || local.ends_with("-admin")
        || name.contains("microsoft outlook")
        || name.contains("postmaster")
        || name.contains("mail router");
    // "Re: Undeliverable: ..." is a person talking about a bounce.
    let is_reply = strip_subject_prefixes(subject).len() != subject.trim_start().len();
    let subject_hit = if is_reply { None } else { SUBJECTS.iter().find(|s| subject.contains(*s)) };
    if let Some(s) = subject_hit {
        return Some(format!("subject says \"{s}\""));
    }
    if daemon {
        return Some(format!("sent by {}", if local == "mailer-daemon" { "MAILER-DAEMON" } else { "the mail delivery subsystem" }));
    }
    if system {
        if let Some(m) = BODY_MARKERS.iter().find(|m| own.contains(*m)) {
            return Some(format!("sent by the mail system, says \"{m}\""));
        }
    }
    // A person answering ("Re: ...") may paste a bounce they got: only the
    // mail system's own message is one.
    if is_reply {
        return None;
    }
    STRONG_MARKERS.iter().find(|m| own.contains(*m)).map(|m| format!("body says \"{m}\""))
}

/// The text of a `message/delivery-status` part, when the message has one.
fn delivery_status(msg: &Message) -> Option<String> {
    msg.parts.iter().find_map(|p| {
        let ct = p.content_type()?;
        let sub = ct.subtype()?;
        if ct.ctype().eq_ignore_ascii_case("message")
            && (sub.eq_ignore_ascii_case("delivery-status") || sub.eq_ignore_ascii_case("global-delivery-status"))
        {
            Some(String::from_utf8_lossy(p.contents()).into_owned())
        } else {
            None
        }
    })
}

/// The per-recipient fields of a delivery report.
#[derive(Default, Debug)]
struct Recipient {
    final_recipient: Option<String>,
    original_recipient: Option<String>,
    action: String,
    status: Option<String>,
    diagnostic: String,
}

/// Splits a delivery report into groups of unfolded `Name: value` fields.
fn field_groups(report: &str) -> Vec<Vec<(String, String)>> {
    let mut groups: Vec<Vec<(String, String)>> = vec![Vec::new()];
    for line in report.lines() {
        if line.trim().is_empty() {
            if !groups.last().is_some_and(Vec::is_empty) {
                groups.push(Vec::new());
            }
            continue;
        }
        let group = groups.last_mut().expect("never empty");
        if line.starts_with([' ', '\t']) {
            if let Some((_, v)) = group.last_mut() {
                v.push(' ');
                v.push_str(line.trim());
            }
            continue;
        }
        if let Some((name, value)) = line.split_once(':') {
            group.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    groups
}

/// "rfc822; Jane@Example.com" -> "jane@example.com".
fn address_field(value: &str) -> Option<String> {
    let v = value.rsplit_once(';').map_or(value, |(_, a)| a);
    let v = v.trim().trim_start_matches('<').trim_end_matches('>').trim();
    (v.contains('@')).then(|| v.to_ascii_lowercase())
}

fn from_report(msg: &Message, headers: &Headers, report: &str) -> Option<BounceInfo> {
    let recipients: Vec<Recipient> = field_groups(report)
        .into_iter()
        .filter_map(|fields| {
            let mut r = Recipient::default();
            for (name, value) in fields {
                match name.as_str() {
                    "final-recipient" => r.final_recipient = address_field(&value),
                    "original-recipient" => r.original_recipient = address_field(&value),
                    "action" => r.action = value.to_ascii_lowercase(),
                    "status" => r.status = value.split_whitespace().next().map(str::to_string),
                    "diagnostic-code" => r.diagnostic = value,
                    _ => {}
                }
            }
            (r.final_recipient.is_some() || r.original_recipient.is_some() || r.status.is_some()).then_some(r)
        })
        .collect();
    let success = |r: &Recipient| ["delivered", "relayed", "expanded"].iter().any(|a| r.action.starts_with(a));
    if !recipients.is_empty() && recipients.iter().all(success) {
        let r = &recipients[0];
        let notice = if recipients.iter().any(|r| r.action.starts_with("relayed")) { Notice::Relayed } else { Notice::Delivered };
        let body = msg.body_text(0).unwrap_or_default();
        return Some(BounceInfo {
            hard: false,
            reason: None,
            notice: Some(notice),
            recipient: r.original_recipient.clone().or_else(|| r.final_recipient.clone()),
            status: r.status.clone(),
            original_message_id: original_message_id(msg, headers, &body),
            report: true,
            said: String::new(),
        });
    }
    // The first failed recipient, else the first delayed one, else any.
    let pick = recipients
        .iter()
        .find(|r| r.action.starts_with("failed"))
        .or_else(|| recipients.iter().find(|r| r.action.starts_with("delayed")))
        .or_else(|| recipients.first());
    let body = msg.body_text(0).unwrap_or_default();
    let text = body.to_ascii_lowercase();
    let subject = headers.subject.as_deref().map(lower).unwrap_or_default();
    let (recipient, status, delayed, diagnostic) = match pick {
        Some(r) => (
            r.original_recipient.clone().or_else(|| r.final_recipient.clone()),
            r.status.clone().filter(|s| s.starts_with(['2', '4', '5'])),
            r.action.starts_with("delayed"),
            r.diagnostic.to_ascii_lowercase(),
        ),
        None => (None, None, false, String::new()),
    };
    let status = status.or_else(|| status_code(&diagnostic)).or_else(|| status_code(&text));
    let said = format!("{subject}\n{}", diagnosis(&text));
    let reason = reason::judge(status.as_deref(), &diagnostic, &said);
    let notice = delayed.then_some(Notice::Delayed);
    let recipient = recipient.or_else(|| failed_recipient(msg, headers, &text));
    // What the server said, in its own case.
    let said = match pick.map(|r| r.diagnostic.as_str()).filter(|d| !d.is_empty()) {
        Some(d) => d.to_string(),
        None => code_lines(&body[..diagnosis(&text).len()]),
    };
    Some(info(reason, notice, recipient, status, original_message_id(msg, headers, &body), true, &said))
}

/// A bounce's facts; `hard` when the address is at fault.
fn info(
    reason: Reason,
    notice: Option<Notice>,
    recipient: Option<String>,
    status: Option<String>,
    original_message_id: Option<String>,
    report: bool,
    said: &str,
) -> BounceInfo {
    let hard = notice.is_none() && reason.fault() == Fault::Address;
    let said = said.split_whitespace().collect::<Vec<_>>().join(" ");
    let said = said.chars().take(400).collect();
    BounceInfo { hard, reason: Some(reason), notice, recipient, status, original_message_id, report, said }
}

/// The lines of a notice that carry an SMTP answer (a status code), joined.
fn code_lines(diag: &str) -> String {
    let mut out = String::new();
    for line in diag.lines().filter(|l| status_code(l).is_some()).take(6) {
        out.push_str(line.trim());
        out.push('\n');
    }
    out
}

fn from_text(msg: &Message, headers: &Headers, subject: &str, body: &str) -> BounceInfo {
    // Every text part: some bounces put the diagnosis and the copy apart.
    let mut full = body.to_string();
    for part in msg.text_bodies().skip(1) {
        if let PartType::Text(t) = &part.body {
            full.push('\n');
            full.push_str(t);
        }
    }
    let text = lower(&full);
    let diag = diagnosis(&text);
    let status = status_code(diag).or_else(|| status_code(subject));
    let delayed = DELAY_SUBJECT.iter().any(|w| subject.contains(w))
        || status.as_deref().is_some_and(|s| s.starts_with('4')) && STILL_TRYING.iter().any(|w| diag.contains(w))
        || STILL_TRYING.iter().any(|w| diag.contains(w)) && !GAVE_UP.iter().any(|w| diag.contains(w));
    // A plain-text receipt: delivered or passed on, nothing failed.
    let failed = GAVE_UP.iter().any(|w| diag.contains(w)) || status.as_deref().is_some_and(|s| s.starts_with('5'));
    let receipt = if failed || delayed {
        None
    } else if subject.contains("relayed") || diag.contains("relayed") || diag.contains("does not support delivery notification") {
        Some(Notice::Relayed)
    } else if subject.contains("delivered:")
        || subject.contains("successful")
        || diag.contains("was successfully delivered")
        || diag.contains("has been delivered")
    {
        Some(Notice::Delivered)
    } else {
        None
    };
    if let Some(n) = receipt {
        let mut b = info(
            Reason::ReceiverError,
            Some(n),
            failed_recipient(msg, headers, diag),
            status,
            original_message_id(msg, headers, &full),
            false,
            "",
        );
        b.reason = None;
        return b;
    }
    let codes = code_lines(diag);
    let reason = reason::judge(status.as_deref(), &codes, &format!("{subject}\n{diag}"));
    // What the server said, in its own case (ASCII lower-casing keeps offsets).
    let cased = &full[..diagnosis(&full.to_ascii_lowercase()).len()];
    let said = match code_lines(cased) {
        c if c.is_empty() => cased.lines().map(str::trim).filter(|l| !l.is_empty()).take(4).collect::<Vec<_>>().join(" "),
        c => c,
    };
    info(
        reason,
        delayed.then_some(Notice::Delayed),
        failed_recipient(msg, headers, diag),
        status,
        original_message_id(msg, headers, &full),
        false,
        &said,
    )
}

/// The bounce's own explanation: its text up to the copy of the original.
fn diagnosis(text: &str) -> &str {
    let cut = ORIGINAL_MARKERS.iter().filter_map(|m| text.find(m)).min().unwrap_or(text.len());
    &text[..cut]
}

/// The first enhanced status code (`5.1.1`, `4.2.2`) in the text, else the
/// first SMTP reply code (`550`).
pub(crate) fn status_code(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let run = |mut i: usize| {
        let s = i;
        while digit(i) {
            i += 1;
        }
        i - s
    };
    for i in 0..b.len() {
        if !matches!(b[i], b'4' | b'5') || i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'.') {
            continue;
        }
        if b.get(i + 1) != Some(&b'.') {
            continue;
        }
        let n1 = run(i + 2);
        if !(1..=3).contains(&n1) || b.get(i + 2 + n1) != Some(&b'.') {
            continue;
        }
        let n2 = run(i + 3 + n1);
        let end = i + 3 + n1 + n2;
        if !(1..=3).contains(&n2) || b.get(end) == Some(&b'.') && digit(end + 1) || b.get(end).is_some_and(u8::is_ascii_alphanumeric) {
            continue;
        }
        return Some(text[i..end].to_string());
    }
    for i in 0..b.len() {
        if !matches!(b[i], b'4' | b'5')
            || i > 0 && (b[i - 1].is_ascii_alphanumeric() || matches!(b[i - 1], b'.' | b':' | b'/' | b'-' | b'+'))
        {
            continue;
        }
        if run(i) != 3 {
            continue;
        }
        match b.get(i + 3) {
            None | Some(b' ' | b'-' | b')' | b'\'' | b'"' | b',' | b'\n' | b'\r') => return Some(text[i..i + 3].to_string()),
            _ => {}
        }
    }
    None
}

/// Addresses in the text, in order (lower-case input).
pub(crate) fn addresses(text: &str) -> impl Iterator<Item = &str> {
    let b = text.as_bytes();
    let local = |c: u8| c.is_ascii_alphanumeric() || b"._%+-'=".contains(&c);
    let domain = |c: u8| c.is_ascii_alphanumeric() || c == b'.' || c == b'-';
    b.iter().enumerate().filter(|(_, &c)| c == b'@').filter_map(move |(at, _)| {
        let mut s = at;
        while s > 0 && local(b[s - 1]) {
            s -= 1;
        }
        let mut e = at + 1;
        while e < b.len() && domain(b[e]) {
            e += 1;
        }
        let mut e2 = e;
        while e2 > at + 1 && matches!(b[e2 - 1], b'.' | b'-') {
            e2 -= 1;
        }
        let s = (s..at).find(|&i| b[i] != b'.' && b[i] != b'\'').unwrap_or(at);
        let addr = &text[s..e2];
        (s < at && text[at + 1..e2].contains('.')).then_some(addr)
    })
}

fn failed_recipient(msg: &Message, headers: &Headers, diag: &str) -> Option<String> {
    if let Some(v) = msg.header("X-Failed-Recipients").and_then(|v| v.as_text()) {
        if let Some(a) = addresses(&v.to_ascii_lowercase()).next() {
            return Some(a.to_string());
        }
    }
    for line in diag.lines() {
        let l = line.trim_start();
        if l.starts_with("original-recipient:") || l.starts_with("final-recipient:") {
            if let Some(a) = address_field(&l[l.find(':').unwrap_or(0) + 1..]) {
                return Some(a);
            }
        }
    }
    // A set: a hostile message may name thousands of addresses in both.
    let ours: std::collections::HashSet<&str> = headers.to.iter().map(String::as_str).chain(headers.from.as_deref()).collect();
    let own = |a: &str| ours.contains(a);
    let system = |a: &str| {
        let local = a.split('@').next().unwrap_or("");
        matches!(local, "mailer-daemon" | "postmaster" | "noreply" | "no-reply" | "double-bounce") || local.starts_with("microsoftexchange")
    };
    addresses(diag).find(|a| !own(a) && !system(a)).map(str::to_string)
}

/// The Message-ID of the message that bounced, without `<>`.
pub(crate) fn original_message_id(msg: &Message, headers: &Headers, text: &str) -> Option<String> {
    for part in &msg.parts {
        if let Some(id) = attached_id(part) {
            return Some(id);
        }
    }
    message_id_line(text).or_else(|| headers.in_reply_to.first().cloned())
}

fn attached_id(part: &MessagePart) -> Option<String> {
    if let PartType::Message(m) = &part.body {
        if let Some(id) = m.message_id() {
            return Some(strip_id(id));
        }
        return message_id_line(&String::from_utf8_lossy(m.raw_message()));
    }
    let ct = part.content_type()?;
    let sub = ct.subtype().unwrap_or("");
    let headers_only = sub.eq_ignore_ascii_case("rfc822-headers") || sub.eq_ignore_ascii_case("global-headers");
    let embedded = ct.ctype().eq_ignore_ascii_case("message") && sub.eq_ignore_ascii_case("rfc822");
    if headers_only || embedded {
        return message_id_line(&String::from_utf8_lossy(part.contents()));
    }
    None
}

fn strip_id(id: &str) -> String {
    id.trim().trim_start_matches('<').trim_end_matches('>').trim().to_string()
}

/// The value of the first `Message-ID:` line (possibly folded) in a text.
fn message_id_line(text: &str) -> Option<String> {
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let l = line.trim_start();
        if l.len() < 11 || !l.is_char_boundary(11) || !l[..11].eq_ignore_ascii_case("message-id:") {
            continue;
        }
        let mut value = l[11..].trim().to_string();
        if value.is_empty() {
            value = lines.next().unwrap_or("").trim().to_string();
        }
        let id = match (value.find('<'), value.find('>')) {
            (Some(s), Some(e)) if s < e => value[s + 1..e].to_string(),
            _ => value.split_whitespace().next().unwrap_or("").to_string(),
        };
        let id = strip_id(&id);
        if !id.is_empty() {
            return Some(id);
        }
    }
    None
}
