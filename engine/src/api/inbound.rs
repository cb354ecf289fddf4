//! Mail read back from the rep's mailbox: matched to prospects and sent
//! emails, and acted on. A reply ends the prospect's sequences before the
//! next touch can go; an out-of-office pauses them until the person is back;
//! a hard bounce ends them and marks the address invalid; an unsubscribe
//! request ends them and adds the address to do-not-contact. Every decision
//! is stored, shown to the rep, and can be corrected.

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

use super::acting::{act, undo, Acted, What};
use super::Engine;
use crate::activity::ActivityKind;
use crate::domain::{ProspectId, TouchId};
use crate::error::{Error, Result};
use crate::events::Change;
use crate::mail::{Classified, Kind, Notice, Reason};
use crate::store::{
    self,
    activity::Entry,
    inbound::{Effect, NewInbound, Stored},
};

/// A message as the watcher found it.
#[derive(Debug, Clone, Copy)]
pub struct Incoming<'a> {
    pub folder: &'a str,
    pub uidvalidity: u32,
    pub uid: u32,
    pub received_at: DateTime<Utc>,
    pub classified: &'a Classified,
}

/// What became of a message.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)] // one per message read; not worth a box in every caller
pub enum Handled {
    /// Cadence's own copy of an email it sent (the caller files it in Sent).
    OwnCopy {
        touch_id: TouchId,
    },
    /// Neither from a prospect nor about a sent email: not stored.
    Ignored,
    /// Seen before (in another folder, or before a UIDVALIDITY change).
    Duplicate,
    Recorded(InboundRecord),
}

/// A stored, classified message and what Cadence did about it.
#[derive(Debug, Clone, PartialEq)]
pub struct InboundRecord {
    pub id: i64,
    pub kind: String,
    pub corrected: bool,
    pub from: Option<String>,
    pub subject: Option<String>,
    pub received_at: DateTime<Utc>,
    pub prospect_id: Option<ProspectId>,
    pub prospect_email: Option<String>,
    pub touch_id: Option<TouchId>,
    pub action: String,
    pub detail: Value,
    /// The rep's tag for a reply: positive, neutral or negative.
    pub sentiment: Option<String>,
    /// Who it concerns, as the rep knows them.
    pub prospect_name: Option<String>,
    pub prospect_company: Option<String>,
    /// The subject of the sent email it answers, when known.
    pub answers_subject: Option<String>,
    /// Where keeping the prospect in the sequence would take them (a tagged
    /// reply whose email's step branches on the tag), if it can.
    pub keep: Option<String>,
}

/// How a rep judges a reply, for the results.
pub const SENTIMENTS: &[&str] = &["positive", "neutral", "negative"];

/// Kinds a rep can correct a classification to: the classifier's, plus
/// "other" (not about the sequence: undo what was done).
pub const CORRECTABLE: &[&str] = &["reply", "auto_reply", "left_company", "bounce", "unsubscribe", "complaint", "other"];

/// The kind of a message that could not be classified or stored.
pub const UNREADABLE: &str = "unreadable";

impl Engine {
    /// Matches a classified message to a prospect and a sent email, stores it
    /// and acts on it, all in one transaction.
    pub fn take_inbound(&mut self, m: Incoming, now: DateTime<Utc>) -> Result<Handled> {
        let c = m.classified;
        let h = &c.headers;
        // Our own copy: one of our Message-IDs, sent from the rep's own address
        // (a stranger reusing one of our Message-IDs is not filed as ours).
        let rep_address = store::settings::load_mailbox(&self.conn)?.address.to_ascii_lowercase();
        if let Some(own) = h.message_id.as_deref().map(|id| store::sends::by_message_id(&self.conn, id)).transpose()?.flatten() {
            if h.from.as_deref().is_some_and(|f| f.eq_ignore_ascii_case(&rep_address)) {
                return Ok(Handled::OwnCopy { touch_id: own.touch_id });
            }
        }
        if let Some(id) = &h.message_id {
            if store::inbound::seen(&self.conn, id)? {
                return Ok(Handled::Duplicate);
            }
        }
        // Also by its place: a message with no Message-ID is taken once.
        if store::inbound::seen_at(&self.conn, m.folder, m.uidvalidity, m.uid)? {
            return Ok(Handled::Duplicate);
        }
        // The email it answers: a bounce names the original; a reply threads under it.
        let mut ids: Vec<&str> = c.bounce.iter().filter_map(|b| b.original_message_id.as_deref()).collect();
        ids.extend(c.complaint.iter().filter_map(|x| x.original_message_id.as_deref()));
        ids.extend(h.in_reply_to.iter().chain(h.references.iter().rev()).map(String::as_str));
        let mut answered = None;
        for id in ids {
            if let Some(s) = store::sends::by_message_id(&self.conn, id)? {
                answered = Some(s);
                break;
            }
        }
        let prospect = match &answered {
            Some(s) => Some(s.prospect_id),
            None => {
                let who = match c.kind {
                    Kind::Bounce | Kind::Notice => c.bounce.as_ref().and_then(|b| b.recipient.clone()),
                    Kind::Complaint => c.complaint.as_ref().and_then(|x| x.recipient.clone()),
                    _ => h.from.clone(),
                };
                who.map(|w| store::prospects::find_id(&self.conn, &w)).transpose()?.flatten()
            }
        };
        let Some(prospect) = prospect else { return Ok(Handled::Ignored) };
        // Results count the message against the email it answers, or else the
        // last one that went to the prospect before it came.
        let attributed = match &answered {
            Some(s) => Some(s.touch_id),
            None => store::sends::last_sent_to(&self.conn, prospect, m.received_at)?,
        };
        let mut detail = json!({ "evidence": c.evidence, "attributed": attributed });
        if let Some(b) = &c.bounce {
            detail["bounce"] = json!({
                "hard": b.hard,
                "reason": b.reason.map(Reason::as_str),
                "fault": b.reason.map(|r| r.fault().as_str()),
                "notice": b.notice.map(Notice::as_str),
                "said": b.said,
                "recipient": b.recipient,
                "status": b.status,
                "original_message_id": b.original_message_id,
            });
        }
        if let Some(x) = &c.complaint {
            detail["complaint"] = json!({ "feedback_type": x.feedback_type, "recipient": x.recipient });
        }
        if let Some(r) = &c.referral {
            detail["referral"] = json!({ "email": r.email, "name": r.name });
        }
        // What a person wrote, for the rep to read (never a report's text).
        if matches!(c.kind, Kind::Reply | Kind::AutoReply | Kind::LeftCompany | Kind::Unsubscribe) && !c.text.is_empty() {
            detail["text"] = json!(c.text);
        }
        // A bounce or complaint is acted on only when it proves it is about
        // our mail; otherwise it is kept as "other" for the rep to confirm.
        let unproven = match c.kind {
            Kind::Bounce => !bounce_proven(&self.conn, h, c.bounce.as_ref(), answered.is_some(), prospect, m.received_at)?,
            Kind::Complaint => {
                answered.is_none()
                    && !store::sends::sent_to_since(&self.conn, prospect, m.received_at - Duration::days(BOUNCE_LOOKBACK_DAYS))?
            }
            _ => false,
        };
        if unproven {
            detail["unconfirmed_bounce"] = json!(true);
        }
        // A return date more than a year ahead is capped, and says so.
        let latest = now.date_naive() + Duration::days(RETURN_DATE_MAX_DAYS);
        let back = c.return_date.map(|d| d.min(latest));
        if let Some(d) = back {
            detail["return_date"] = json!(d.to_string());
            if c.return_date.is_some_and(|d| d > latest) {
                detail["return_date_capped"] = json!(true);
            }
        }
        let kind = if unproven { "other" } else { c.kind.as_str() };
        let tx = self.conn.savepoint()?;
        let row = NewInbound {
            folder: m.folder,
            uidvalidity: m.uidvalidity,
            uid: m.uid,
            message_id: h.message_id.as_deref(),
            from: h.from.as_deref(),
            subject: h.subject.as_deref(),
            received_at: m.received_at,
            kind,
            prospect_id: Some(prospect),
            touch_id: answered.as_ref().map(|s| s.touch_id),
        };
        let id = store::inbound::insert(&tx, &row, &detail)?;
        let mut data = json!({ "inbound": id, "kind": row.kind, "subject": row.subject });
        if let Some(b) = &c.bounce {
            data["hard"] = json!(b.hard);
        }
        let entry = attributed_entry(&tx, ActivityKind::MailReceived, prospect, attributed, row.kind, data)?;
        store::activity::append(&tx, now, &entry)?;
        let mb = store::settings::load_mailbox(&tx)?;
        let rep = store::settings::load(&tx)?;
        let mut acted = if unproven {
            let what = if c.kind == Kind::Complaint { "Complaint" } else { "Bounce" };
            Acted {
                action: format!("not acted on: it does not show it is about an email Cadence sent; correct it to {what} to act on it"),
                effect: Effect::Nothing,
            }
        } else {
            let b = c.bounce.as_ref();
            let what = What {
                kind: c.kind,
                reason: b.and_then(|b| b.reason),
                notice: b.and_then(|b| b.notice),
                said: b.map_or("", |b| b.said.as_str()),
                status: b.and_then(|b| b.status.as_deref()),
                back,
                inbound: id,
            };
            act(&tx, &rep, &mb, prospect, &what, answered.as_ref().map(|s| s.touch_id), now)?
        };
        if detail["return_date_capped"] == json!(true) {
            acted.action += " (the return date given was more than a year ahead)";
        }
        detail["effect"] = acted.effect.to_json();
        store::inbound::set_outcome(&tx, id, kind, &acted.action, &detail, false)?;
        tx.commit()?;
        self.changed(&[Change::Queue, Change::Outbox, Change::Prospects, Change::Sequences, Change::Inbox]);
        Ok(Handled::Recorded(self.inbound_record(id)?))
    }

    /// A message that could not be classified or stored: kept as
    /// "unreadable" with why, so reading goes on past it and the rep sees
    /// it in Replies. `None` when it was already kept.
    pub fn take_unreadable(
        &mut self,
        folder: &str,
        uidvalidity: u32,
        uid: u32,
        received_at: DateTime<Utc>,
        why: &str,
        _now: DateTime<Utc>,
    ) -> Result<Option<InboundRecord>> {
        if store::inbound::seen_at(&self.conn, folder, uidvalidity, uid)? {
            return Ok(None);
        }
        let row = NewInbound {
            folder,
            uidvalidity,
            uid,
            message_id: None,
            from: None,
            subject: None,
            received_at,
            kind: UNREADABLE,
            prospect_id: None,
            touch_id: None,
        };
        let detail = json!({ "evidence": why });
        let id = store::inbound::insert(&self.conn, &row, &detail)?;
        store::inbound::set_outcome(&self.conn, id, UNREADABLE, &format!("not read: {why}"), &detail, false)?;
        self.changed(&[Change::Inbox]);
        Ok(Some(self.inbound_record(id)?))
    }

    /// Mail Cadence read and acted on, newest first.
    pub fn inbox(&self, limit: usize) -> Result<Vec<InboundRecord>> {
        store::inbound::recent(&self.conn, limit)?.into_iter().map(|s| self.record(s)).collect()
    }

    pub fn inbound_record(&self, id: i64) -> Result<InboundRecord> {
        let s = store::inbound::get(&self.conn, id)?.ok_or_else(|| Error::not_found("message", id))?;
        self.record(s)
    }

    fn record(&self, s: Stored) -> Result<InboundRecord> {
        let p = s.prospect_id.map(|p| self.prospect(p)).transpose()?;
        let email = p.as_ref().map(|p| p.email.clone());
        let prospect_name = p.as_ref().map(|p| crate::domain::display_name(p.first_name.as_deref(), p.last_name.as_deref(), &p.email));
        let prospect_company = p.as_ref().and_then(|p| p.company.clone());
        let answers_subject =
            s.touch_id.map(|t| store::enrollments::get_touch(&self.conn, t)).transpose()?.flatten().and_then(|t| t.subject);
        let keep = self.keep_target(&s)?;
        Ok(InboundRecord {
            keep,
            prospect_name,
            prospect_company,
            answers_subject,
            id: s.id,
            kind: s.kind,
            corrected: s.corrected,
            from: s.from,
            subject: s.subject,
            received_at: s.received_at,
            prospect_id: s.prospect_id,
            prospect_email: email,
            touch_id: s.touch_id,
            action: s.action,
            detail: s.detail,
            sentiment: s.sentiment,
        })
    }

    /// The rep says what a message really was: what Cadence did because of
    /// the old kind is undone, and the new kind is acted on. Logged.
    pub fn correct_inbound(&mut self, id: i64, kind: &str, now: DateTime<Utc>) -> Result<InboundRecord> {
        if !CORRECTABLE.contains(&kind) {
            return Err(Error::Invalid(format!("\"{kind}\" is not a kind; use one of {}", CORRECTABLE.join(", "))));
        }
        let s = store::inbound::get(&self.conn, id)?.ok_or_else(|| Error::not_found("message", id))?;
        if s.kind == kind {
            return self.record(s);
        }
        let prospect = s.prospect_id.ok_or_else(|| Error::Conflict(format!("message {id} concerns no prospect")))?;
        let tx = self.conn.savepoint()?;
        undo(&tx, &s.effect(), prospect, now)?;
        let rep = store::settings::load(&tx)?;
        let mb = store::settings::load_mailbox(&tx)?;
        let mut detail = s.detail.clone();
        let acted = match Kind::parse(kind) {
            Some(k) => {
                let b = &s.detail["bounce"];
                // A bounce stored before reasons existed: hard or soft as judged then.
                let reason = b["reason"].as_str().and_then(Reason::parse).or_else(|| {
                    (k == Kind::Bounce).then(|| if b["hard"].as_bool().unwrap_or(true) { Reason::UserUnknown } else { Reason::MailboxFull })
                });
                let what = What {
                    kind: k,
                    reason,
                    notice: None,
                    said: b["said"].as_str().unwrap_or(""),
                    status: b["status"].as_str(),
                    back: s.detail["return_date"].as_str().and_then(|d| d.parse().ok()),
                    inbound: id,
                };
                act(&tx, &rep, &mb, prospect, &what, s.touch_id, now)?
            }
            None => Acted { action: "nothing: not about a sequence".into(), effect: Effect::Nothing },
        };
        detail["effect"] = acted.effect.to_json();
        store::inbound::set_outcome(&tx, id, kind, &acted.action, &detail, true)?;
        let mut data = json!({ "inbound": id, "from": s.kind, "to": kind });
        if kind == "bounce" {
            data["hard"] = json!(s.detail["bounce"]["hard"].as_bool().unwrap_or(true));
        }
        let entry = attributed_entry(&tx, ActivityKind::ClassificationCorrected, prospect, attributed_of(&s), kind, data)?;
        store::activity::append(&tx, now, &entry)?;
        tx.commit()?;
        self.changed(&[Change::Queue, Change::Outbox, Change::Prospects, Change::Sequences, Change::Inbox]);
        self.inbound_record(id)
    }

    /// The rep tags a reply positive, neutral or negative. Logged, so the
    /// results can be rebuilt; tagging again replaces the tag.
    pub fn tag_reply(&mut self, id: i64, sentiment: &str, now: DateTime<Utc>) -> Result<InboundRecord> {
        if !SENTIMENTS.contains(&sentiment) {
            return Err(Error::Invalid(format!("\"{sentiment}\" is not a tag; use one of {}", SENTIMENTS.join(", "))));
        }
        let s = store::inbound::get(&self.conn, id)?.ok_or_else(|| Error::not_found("message", id))?;
        if s.kind != "reply" {
            return Err(Error::Conflict(format!("message {id} is {}, not a reply: correct it to a reply first", s.kind.replace('_', " "))));
        }
        if s.sentiment.as_deref() == Some(sentiment) {
            return self.record(s);
        }
        let prospect = s.prospect_id.ok_or_else(|| Error::Conflict(format!("message {id} concerns no prospect")))?;
        let tx = self.conn.savepoint()?;
        store::inbound::set_sentiment(&tx, id, sentiment)?;
        let entry = attributed_entry(
            &tx,
            ActivityKind::ReplyTagged,
            prospect,
            attributed_of(&s),
            sentiment,
            json!({ "inbound": id, "sentiment": sentiment }),
        )?;
        store::activity::append(&tx, now, &entry)?;
        tx.commit()?;
        self.changed(&[Change::Inbox]);
        self.inbound_record(id)
    }

    /// The rep booked a meeting from a reply: counted in the results against
    /// the email that drew the reply, once per message, and the reply is
    /// tagged positive.
    pub fn meeting_from_reply(&mut self, id: i64, now: DateTime<Utc>) -> Result<InboundRecord> {
        let s = store::inbound::get(&self.conn, id)?.ok_or_else(|| Error::not_found("message", id))?;
        if s.sentiment.as_deref() != Some("positive") {
            self.tag_reply(id, "positive", now)?;
        }
        if store::activity::meeting_from(&self.conn, id)? {
            return self.inbound_record(id);
        }
        let prospect = s.prospect_id.ok_or_else(|| Error::Conflict(format!("message {id} concerns no prospect")))?;
        let entry =
            attributed_entry(&self.conn, ActivityKind::MeetingBooked, prospect, attributed_of(&s), "reply", json!({ "inbound": id }))?;
        store::activity::append(&self.conn, now, &entry)?;
        self.changed(&[Change::Inbox]);
        self.inbound_record(id)
    }

    /// Resumes enrollments paused by an out-of-office whose person is back.
    pub fn resume_returned(&mut self, now: DateTime<Utc>) -> Result<usize> {
        let due = store::enrollments::paused_until(&self.conn, now)?;
        for e in &due {
            self.resume(*e, now)?;
        }
        Ok(due.len())
    }

    /// Where reading stopped in a folder: (UIDVALIDITY, last UID).
    pub fn folder_mark(&self, folder: &str) -> Result<Option<(u32, u32)>> {
        store::inbound::folder_mark(&self.conn, folder)
    }

    pub fn set_folder_mark(&mut self, folder: &str, uidvalidity: u32, last_uid: u32) -> Result<()> {
        store::inbound::set_folder_mark(&self.conn, folder, uidvalidity, last_uid)
    }
}

/// The touch a stored message is counted against.
fn attributed_of(s: &Stored) -> Option<TouchId> {
    s.detail["attributed"].as_i64().or(s.touch_id)
}

/// A log entry about a message, carrying the enrollment, sequence version,
/// step and variant of the email it is counted against.
fn attributed_entry(
    conn: &rusqlite::Connection,
    kind: ActivityKind,
    prospect: ProspectId,
    touch: Option<TouchId>,
    label: &str,
    data: Value,
) -> Result<Entry> {
    let mut entry = Entry { prospect_id: Some(prospect), touch_id: touch, label: Some(label.to_string()), data, ..Entry::new(kind) };
    if let Some(t) = touch.map(|t| store::enrollments::get_touch(conn, t)).transpose()?.flatten() {
        entry.enrollment_id = Some(t.enrollment_id);
        entry.step = Some(t.step);
        entry.variant = Some(t.variant);
        entry.sequence_id = store::enrollments::get(conn, t.enrollment_id)?.map(|e| e.sequence_id);
    }
    Ok(entry)
}

/// Return dates further ahead than this are taken as this far.
const RETURN_DATE_MAX_DAYS: i64 = 365;

/// How far back a send to the bounced address makes a bounce believable.
const BOUNCE_LOOKBACK_DAYS: i64 = 30;

/// Whether a bounce proves it is about our mail: a delivery report, or sent
/// by a mail system (mailer-daemon, postmaster), that names one of our
/// sends (`names_ours`: its original's Message-ID) or an address we sent
/// to in the last 30 days.
fn bounce_proven(
    conn: &rusqlite::Connection,
    h: &crate::mail::Headers,
    b: Option<&crate::mail::BounceInfo>,
    names_ours: bool,
    prospect: ProspectId,
    received: DateTime<Utc>,
) -> Result<bool> {
    let local = h.from.as_deref().and_then(|f| f.split('@').next()).unwrap_or("").to_ascii_lowercase();
    let from_system =
        matches!(local.as_str(), "mailer-daemon" | "postmaster" | "mail-daemon" | "mailerdaemon") || local.starts_with("microsoftexchange");
    if !(from_system || b.is_some_and(|b| b.report)) {
        return Ok(false);
    }
    Ok(names_ours || store::sends::sent_to_since(conn, prospect, received - Duration::days(BOUNCE_LOOKBACK_DAYS))?)
}
