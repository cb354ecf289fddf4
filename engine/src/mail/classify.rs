//! One raw message in, one [`Classified`] out. The rules, in order:
//!
//! 1. **Bounce**: a delivery report or a mail system's failure notice
//!    (`bounce.rs`). First, because a Postfix report also says
//!    `Auto-Submitted: auto-replied`.
//! 2. **Auto-reply**: RFC 3834 `Auto-Submitted` (other than `no`),
//!    `X-Autoreply`, `X-Autorespond`, `Precedence: auto_reply`, or an
//!    out-of-office subject or body; with the return date (`dates.rs`).
//! 3. **Unsubscribe**: mail to the unsubscribe address, a subject that is
//!    just "unsubscribe", or own text (not the quoted original) asking us to
//!    stop.
//! 4. Otherwise a **reply** from a person.

use chrono::{DateTime, NaiveDate, Utc};
use mail_parser::{HeaderValue, Message, MessageParser};

use super::patterns::{self, lower, Lang};
use super::reason::Reason;
use super::{bounce, dates, feedback, left};

/// What a message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Delivery failed.
    Bounce,
    /// A delivery report that is no failure: delivered, relayed, delayed.
    Notice,
    /// A spam complaint (an ARF feedback report) about one of our emails.
    Complaint,
    AutoReply,
    /// An automatic reply saying the person has left.
    LeftCompany,
    Unsubscribe,
    Reply,
}

impl Kind {
    pub const ALL: [Kind; 7] =
        [Kind::Bounce, Kind::Notice, Kind::Complaint, Kind::AutoReply, Kind::LeftCompany, Kind::Unsubscribe, Kind::Reply];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Bounce => "bounce",
            Kind::Notice => "notice",
            Kind::Complaint => "complaint",
            Kind::AutoReply => "auto_reply",
            Kind::LeftCompany => "left_company",
            Kind::Unsubscribe => "unsubscribe",
            Kind::Reply => "reply",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A delivery report that is not a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    Delivered,
    Relayed,
    Delayed,
}

impl Notice {
    pub fn as_str(self) -> &'static str {
        match self {
            Notice::Delivered => "delivered",
            Notice::Relayed => "relayed",
            Notice::Delayed => "delayed",
        }
    }
}

/// What a spam complaint (RFC 5965 feedback report) says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Complaint {
    /// `abuse`, `fraud`, `virus`, `other`, lower-case.
    pub feedback_type: String,
    /// The complaining recipient, when the report names one.
    pub recipient: Option<String>,
    /// The Message-ID of the email complained about, without `<>`.
    pub original_message_id: Option<String>,
}

/// The person a "left the company" reply says to write to instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Referral {
    pub email: String,
    /// As written ("Maria Lopez"), when the message gives one.
    pub name: Option<String>,
}

/// What a bounce (or a delivery notice) says about the message it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BounceInfo {
    /// The address is at fault: it is invalid and the sequence ends.
    pub hard: bool,
    /// Why delivery failed (or is delayed); `None` for a delivered notice.
    pub reason: Option<Reason>,
    /// Not a failure: delivered, relayed or delayed.
    pub notice: Option<Notice>,
    /// What the receiving server said, whitespace folded, at most 400 characters.
    pub said: String,
    /// The failed recipient, lower-case, without brackets.
    pub recipient: Option<String>,
    /// The enhanced status code ("5.1.1"), or the SMTP code ("550") when that is all there is.
    pub status: Option<String>,
    /// The Message-ID of the message that bounced, without `<>`.
    pub original_message_id: Option<String>,
    /// A standard delivery report (RFC 3464 `multipart/report`), not a
    /// bounce read from its words alone.
    pub report: bool,
}

/// The headers Cadence keeps of every message.
#[derive(Debug, Clone, Default)]
pub struct Headers {
    /// Without `<>`.
    pub message_id: Option<String>,
    /// The address only, lower-case.
    pub from: Option<String>,
    /// To and Cc addresses, lower-case.
    pub to: Vec<String>,
    pub subject: Option<String>,
    pub date: Option<DateTime<Utc>>,
    /// Without `<>`.
    pub in_reply_to: Vec<String>,
    /// Without `<>`.
    pub references: Vec<String>,
}

/// A classified message.
#[derive(Debug, Clone)]
pub struct Classified {
    pub headers: Headers,
    pub kind: Kind,
    /// Some for [`Kind::Bounce`] and [`Kind::Notice`].
    pub bounce: Option<BounceInfo>,
    /// Some only for [`Kind::Complaint`].
    pub complaint: Option<Complaint>,
    /// Only for [`Kind::LeftCompany`], when it names someone.
    pub referral: Option<Referral>,
    /// Only for [`Kind::AutoReply`], when the subject or body gives one.
    pub return_date: Option<NaiveDate>,
    /// A short human reason.
    pub evidence: String,
    /// The message's own text (the quoted original left out), at most
    /// a few KB: what the rep reads in Replies.
    pub text: String,
}

/// How much of a message's own text the language patterns read. Opt-outs
/// and out-of-office notes say what they are at the top.
const OWN_TEXT_MAX: usize = 6 * 1024;
/// How much of a subject is searched for a return date.
const SUBJECT_MAX: usize = 1024;

/// At most `max` bytes of `s`, cut at a character boundary.
pub(crate) fn capped(s: &str, max: usize) -> &str {
    let mut cut = max.min(s.len());
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    &s[..cut]
}

/// Classifies one raw message.
///
/// `unsubscribe_address`: the mailbox Cadence puts in List-Unsubscribe
/// (mailto); mail addressed to it, or whose subject is "unsubscribe", is an
/// unsubscribe request. `received`: fallback reference date (for year
/// inference of return dates) when the message has no Date header.
pub fn classify(raw: &[u8], unsubscribe_address: Option<&str>, received: NaiveDate) -> Classified {
    // mail-parser is third-party code fed anyone's bytes: a panic in it (0.11.9
    // has a debug_assert! that malformed multipart trips, found by fuzzing:
    // fuzz/regressions/classify/) makes the message unparseable, not the reader die.
    std::panic::catch_unwind(|| classify_message(raw, unsubscribe_address, received)).unwrap_or_else(|_| unparseable())
}

fn unparseable() -> Classified {
    Classified {
        headers: Headers::default(),
        kind: Kind::Reply,
        bounce: None,
        complaint: None,
        referral: None,
        return_date: None,
        evidence: "unparseable".to_string(),
        text: String::new(),
    }
}

fn classify_message(raw: &[u8], unsubscribe_address: Option<&str>, received: NaiveDate) -> Classified {
    let Some(msg) = MessageParser::default().parse(raw) else {
        return unparseable();
    };
    let headers = headers(&msg);
    let body = msg.body_text(0).unwrap_or_default();
    let own = patterns::own_text(&body, OWN_TEXT_MAX);
    let done = |kind, bounce, return_date, evidence| Classified {
        headers: headers.clone(),
        kind,
        bounce,
        complaint: None,
        referral: None,
        return_date,
        evidence,
        // What a person wrote is kept for the rep to read; a report's is not.
        text: if matches!(kind, Kind::Reply | Kind::AutoReply | Kind::LeftCompany | Kind::Unsubscribe) {
            patterns::own_text_cased(&body, &own, OWN_TEXT_MAX).trim().to_string()
        } else {
            String::new()
        },
    };

    // A feedback report is a report too: before bounces, which it would look like.
    if let Some(complaint) = feedback::detect(&msg) {
        let evidence = format!("spam complaint (feedback report, {})", complaint.feedback_type);
        return Classified { complaint: Some(complaint), ..done(Kind::Complaint, None, None, evidence) };
    }

    if let Some((info, evidence)) = bounce::detect(&msg, &headers, &own, &body) {
        return match info.notice {
            Some(n) => done(Kind::Notice, Some(info), None, format!("delivery notice ({}): {evidence}", n.as_str())),
            None => done(Kind::Bounce, Some(info), None, evidence),
        };
    }

    let subject = headers.subject.as_deref().map(lower).unwrap_or_default();
    // Phrases may wrap across lines: they are matched in the text with its lines joined.
    let flat = own.replace('\n', " ");
    let auto = auto_reply(&msg, &subject, &flat);
    if let Some((pat, lang)) = left::detect(&own, auto.is_some()) {
        let referral = left::referral(&body, &own, headers.from.as_deref());
        let evidence = format!("says the person has left (\"{pat}\", {})", lang.code());
        return Classified { referral, ..done(Kind::LeftCompany, None, None, evidence) };
    }
    if let Some((evidence, lang)) = auto {
        let reference = headers.date.map_or(received, |d| d.date_naive());
        // The body first: a date in our own subject ("Automatic reply: Lunch on
        // Dec 10") is only the fallback's last resort.
        let text = format!("{own}\n{}", capped(&subject, SUBJECT_MAX));
        let return_date = dates::return_date(&text, lang, reference);
        return done(Kind::AutoReply, None, return_date, evidence);
    }

    if let Some(evidence) = unsubscribe(&headers, unsubscribe_address, &subject, &flat) {
        return done(Kind::Unsubscribe, None, None, evidence);
    }

    done(Kind::Reply, None, None, "a person's reply".to_string())
}

fn headers(msg: &Message) -> Headers {
    let addr = |a: &mail_parser::Addr| a.address().map(|s| s.trim().to_lowercase()).filter(|s| !s.is_empty());
    let mut to = Vec::new();
    for list in [msg.to(), msg.cc()].into_iter().flatten() {
        to.extend(list.iter().filter_map(addr));
    }
    Headers {
        message_id: msg.message_id().map(strip_id).filter(|s| !s.is_empty()),
        from: msg.from().and_then(|a| a.first()).and_then(addr),
        to,
        subject: msg.subject().map(|s| s.trim().to_string()),
        date: msg.date().filter(|d| d.is_valid()).and_then(|d| DateTime::from_timestamp(d.to_timestamp(), 0)),
        in_reply_to: ids(msg.in_reply_to()),
        references: ids(msg.references()),
    }
}

fn strip_id(id: &str) -> String {
    id.trim().trim_start_matches('<').trim_end_matches('>').trim().to_string()
}

fn ids(v: &HeaderValue) -> Vec<String> {
    let raw: Vec<&str> = match v {
        HeaderValue::Text(t) => vec![t.as_ref()],
        HeaderValue::TextList(l) => l.iter().map(|t| t.as_ref()).collect(),
        _ => Vec::new(),
    };
    raw.into_iter().map(strip_id).filter(|s| !s.is_empty()).collect()
}

/// A raw header's text, trimmed, when present.
fn header_text<'a>(msg: &'a Message<'a>, name: &'a str) -> Option<&'a str> {
    match msg.header(name)? {
        HeaderValue::Text(t) => Some(t.trim()),
        HeaderValue::TextList(l) => l.first().map(|t| t.trim()),
        _ => None,
    }
}

/// Why a message is an automatic reply, and its language when a pattern
/// says so.
fn auto_reply(msg: &Message, subject: &str, own: &str) -> Option<(String, Option<Lang>)> {
    // "RE: Automatic reply: …" is a person answering after an auto-reply.
    let is_reply = patterns::strip_subject_prefixes(subject).len() != subject.trim_start().len();
    let subject_hit = if is_reply { None } else { patterns::OOO_SUBJECT.earliest(subject) };
    let body_hit = patterns::OOO_BODY.earliest(own);
    let lang = body_hit.or(subject_hit).map(|(_, l, _)| l);

    let header = if let Some(v) = header_text(msg, "Auto-Submitted") {
        let first = v.split([';', '(', ' ']).next().unwrap_or("").to_ascii_lowercase();
        (first != "no" && !first.is_empty()).then(|| format!("Auto-Submitted: {first}"))
    } else {
        None
    }
    .or_else(|| header_text(msg, "X-Autoreply").map(|v| format!("X-Autoreply: {}", v.to_ascii_lowercase())))
    .or_else(|| header_text(msg, "X-Autorespond").map(|_| "X-Autorespond".to_string()))
    .or_else(|| {
        header_text(msg, "Precedence").filter(|v| v.eq_ignore_ascii_case("auto_reply")).map(|_| "Precedence: auto_reply".to_string())
    });
    if let Some(h) = header {
        return Some((h, lang));
    }
    if let Some((_, l, pat)) = subject_hit {
        return Some((format!("subject says {} ({})", subject_reason(pat), l.code()), Some(l)));
    }
    body_hit.map(|(_, l, pat)| (format!("body says \"{pat}\" ({})", l.code()), Some(l)))
}

/// "subject says out of office (de)" reads better than the raw pattern.
fn subject_reason(pat: &str) -> &str {
    match pat {
        "automatic reply"
        | "auto reply"
        | "auto-reply"
        | "autoreply"
        | "auto response"
        | "automatic response"
        | "automatische antwort"
        | "réponse automatique"
        | "reponse automatique"
        | "respuesta automática"
        | "respuesta automatica"
        | "resposta automática"
        | "resposta automatica"
        | "risposta automatica"
        | "automatisch antwoord"
        | "automatiskt svar"
        | "automatisk svar"
        | "automaattinen vastaus"
        | "automatyczna odpowiedź"
        | "automatyczna odpowiedz"
        | "自動応答"
        | "自動返信" => "automatic reply",
        _ => "out of office",
    }
}

/// Why a person's message asks us to stop, if it does.
fn unsubscribe(headers: &Headers, address: Option<&str>, subject: &str, own: &str) -> Option<String> {
    if let Some(a) = address {
        let a = a.trim().trim_start_matches("mailto:").trim_matches(['<', '>']).to_lowercase();
        // The address is often the rep's own (mailto:rep@…?subject=unsubscribe),
        // so mail to it counts only with the subject the mailto link sets.
        let asks = patterns::strip_subject_prefixes(subject).trim().eq_ignore_ascii_case("unsubscribe");
        if !a.is_empty() && headers.to.contains(&a) && asks {
            return Some("sent to the unsubscribe address".to_string());
        }
    }
    if patterns::subject_is_opt_out(subject) {
        let s = patterns::strip_subject_prefixes(subject).trim_matches(|c: char| !c.is_alphanumeric());
        return Some(format!("subject is \"{s}\""));
    }
    patterns::opt_out_phrase(own).map(|(l, pat)| {
        if l == Lang::En {
            format!("asks to stop (\"{pat}\")")
        } else {
            format!("asks to stop (\"{pat}\", {})", l.code())
        }
    })
}
