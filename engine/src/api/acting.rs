//! What Cadence does about a message once it knows what it is, and how a
//! correction undoes exactly that. A bounce is acted on by whose fault it
//! is: the address (invalid, the sequence ends), the receiving mailbox for
//! now (the email goes again once; a second soft bounce pauses the
//! enrollment), or the rep's own sending (the prospect stays, the email
//! waits, the deliverability alarm goes up).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde_json::json;

use super::calendar;
use super::deliverability;
use super::enroll::{exit_all, hold, reinstate};
use crate::activity::ActivityKind;
use crate::domain::{EnrollmentState, ExitReason, ProspectId, TouchId};
use crate::error::{Error, Result};
use crate::mail::{Fault, Kind, Notice, Reason};
use crate::schedule::local_to_utc;
use crate::store::{self, activity::Entry, inbound::Effect, sends::SendState};

/// What a message is, as far as acting on it goes.
pub(super) struct What<'a> {
    pub kind: Kind,
    /// For a bounce (and a delay notice): why.
    pub reason: Option<Reason>,
    pub notice: Option<Notice>,
    /// For a bounce: what the receiver said, and its status code.
    pub said: &'a str,
    pub status: Option<&'a str>,
    /// For an out-of-office: the day the person says they are back.
    pub back: Option<NaiveDate>,
    /// The stored message.
    pub inbound: i64,
}

/// What acting on a message did, in words for the rep and as a record to undo it.
pub(super) struct Acted {
    pub action: String,
    pub effect: Effect,
}

fn plural(n: usize, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {one}s")
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn act(
    conn: &rusqlite::Connection,
    rep: &crate::settings::RepSettings,
    mb: &crate::mailbox::MailboxSettings,
    prospect: ProspectId,
    what: &What,
    answered: Option<TouchId>,
    now: DateTime<Utc>,
) -> Result<Acted> {
    let p = store::prospects::get(conn, prospect)?.ok_or_else(|| Error::not_found("prospect", prospect))?;
    let exit = |reason: ExitReason| -> Result<(Vec<i64>, Vec<TouchId>)> {
        let ended = exit_all(conn, prospect, reason, now)?;
        Ok((ended.enrollments, ended.cancelled))
    };
    Ok(match what.kind {
        Kind::Reply => {
            let (exited, cancelled) = exit(ExitReason::Replied)?;
            let mut paused = Vec::new();
            if mb.pause_company_on_reply {
                for other in store::prospects::ids_in_domain(conn, &p.domain)? {
                    if other != prospect {
                        paused.extend(pause_all(conn, other, None, "a colleague replied", now)?);
                    }
                }
            }
            let mut action = format!("stopped {}", plural(exited.len(), "sequence"));
            if !cancelled.is_empty() {
                action += &format!(", cancelled {} not yet sent", plural(cancelled.len(), "email"));
            }
            if !paused.is_empty() {
                action += &format!(", paused {} at {}", plural(paused.len(), "colleague"), p.domain);
            }
            Acted { action, effect: Effect::Replied { exited, cancelled, paused } }
        }
        Kind::Unsubscribe | Kind::Complaint => {
            let (exited, cancelled) = exit(ExitReason::Unsubscribed)?;
            let why = if what.kind == Kind::Complaint { "marked an email as spam" } else { "asked to unsubscribe" };
            let added = store::prospects::add_do_not_contact(conn, &p.email, why, now)?;
            let action = if what.kind == Kind::Complaint {
                format!(
                    "{} marked your email as spam: stopped {} and added them to do-not-contact",
                    p.email,
                    plural(exited.len(), "sequence")
                )
            } else {
                format!("stopped {} and added {} to do-not-contact", plural(exited.len(), "sequence"), p.email)
            };
            Acted { action, effect: Effect::Unsubscribed { exited, cancelled, dnc: added.then(|| p.email.clone()) } }
        }
        Kind::LeftCompany => {
            let (exited, cancelled) = exit(ExitReason::LeftCompany)?;
            store::prospects::set_email_status(conn, prospect, "left", now)?;
            let company = p.company.as_deref().unwrap_or(&p.domain);
            let action = format!("marked {} as having left {company} and stopped {}", p.email, plural(exited.len(), "sequence"));
            Acted { action, effect: Effect::Left { exited, cancelled } }
        }
        Kind::Notice => {
            let action = match what.notice {
                Some(Notice::Delayed) => {
                    let why = what.reason.map(|r| format!(" ({})", r.label())).unwrap_or_default();
                    format!("nothing to do yet: delivery is delayed{why} and the receiving server is still trying")
                }
                Some(Notice::Relayed) => "nothing to do: passed on to a server that sends no receipts".into(),
                _ => "nothing to do: delivered".into(),
            };
            Acted { action, effect: Effect::Nothing }
        }
        Kind::Bounce => bounce(conn, &p, what, answered, now)?,
        Kind::AutoReply => {
            let cal = calendar(rep);
            let day = match what.back {
                Some(d) if d >= cal.rep_date(now) => cal.working_day_on_or_after(d + Duration::days(1)),
                _ => cal.add_business_days(cal.rep_date(now), mb.ooo_default_days.max(1)),
            };
            let until = local_to_utc(rep.timezone, day, rep.day_start);
            let paused = pause_all(conn, prospect, Some(until), "out of office", now)?;
            let how = if what.back.is_some() { "back" } else { "no return date; default" };
            let action = format!("paused {} until {day} ({how})", plural(paused.len(), "sequence"));
            Acted { action, effect: Effect::OutOfOffice { paused, until } }
        }
    })
}

/// A bounce, acted on by whose fault it is.
fn bounce(
    conn: &rusqlite::Connection,
    p: &crate::domain::Prospect,
    what: &What,
    answered: Option<TouchId>,
    now: DateTime<Utc>,
) -> Result<Acted> {
    let reason = what.reason.unwrap_or(Reason::UserUnknown);
    let send = answered.map(|t| store::sends::get(conn, t)).transpose()?.flatten();
    Ok(match reason.fault() {
        Fault::Address => {
            let ended = exit_all(conn, p.id, ExitReason::Bounced, now)?;
            store::prospects::set_email_status(conn, p.id, "invalid", now)?;
            let action =
                format!("marked {} invalid ({}) and stopped {}", p.email, reason.label(), plural(ended.enrollments.len(), "sequence"));
            Acted { action, effect: Effect::HardBounced { exited: ended.enrollments, cancelled: ended.cancelled } }
        }
        Fault::Mailbox => {
            let second = store::prospects::email_status(conn, p.id)? == "soft_bounced"
                || send.as_ref().is_some_and(|s| s.reason.as_deref().unwrap_or("").starts_with("soft bounce"));
            store::prospects::set_email_status(conn, p.id, "soft_bounced", now)?;
            if second {
                let why = format!("bounced twice: {}", reason.label());
                let paused = pause_all(conn, p.id, None, &why, now)?;
                let action =
                    format!("{} bounced again ({}): paused {} until you resume", p.email, reason.label(), plural(paused.len(), "sequence"));
                return Ok(Acted { action, effect: Effect::SoftBounced { retried: None, paused } });
            }
            let retried = match send {
                Some(s) if s.state == SendState::Sent => {
                    let why = format!("soft bounce ({}): trying again a day later", reason.label());
                    store::sends::back_to_outbox(conn, s.touch_id, SendState::Queued, &why, Some(now + Duration::days(1)), now)?;
                    Some(s.touch_id)
                }
                _ => None,
            };
            let action = match retried {
                Some(_) => format!("{} soft-bounced ({}); the email goes again a day later", p.email, reason.label()),
                None => format!("{} soft-bounced ({})", p.email, reason.label()),
            };
            Acted { action, effect: Effect::SoftBounced { retried, paused: Vec::new() } }
        }
        Fault::Sender => {
            let rec =
                deliverability::record(conn, reason, what.said, what.status, "bounce", Some(p.id), answered, Some(what.inbound), now)?;
            let held = match send {
                Some(s) if s.state == SendState::Sent => {
                    deliverability::hold_email(conn, s.touch_id, reason, now)?;
                    Some(s.touch_id)
                }
                _ => None,
            };
            let mut action = format!("refused for your own sending ({}): {} stays in the sequence", reason.label(), p.email);
            if held.is_some() {
                action += "; the email waits until you resume sending";
            }
            if rec.paused {
                action += "; sending is paused until you resume it";
            }
            Acted { action, effect: Effect::SenderRefused { refusal: rec.id, held } }
        }
    })
}

/// Pauses a prospect's active enrollments (and holds their queued emails).
pub(super) fn pause_all(
    conn: &rusqlite::Connection,
    prospect: ProspectId,
    until: Option<DateTime<Utc>>,
    why: &str,
    now: DateTime<Utc>,
) -> Result<Vec<i64>> {
    let mut paused = Vec::new();
    for e in store::enrollments::for_prospect(conn, prospect)? {
        if e.state == EnrollmentState::Active {
            hold(conn, &e, until, why, now)?;
            let entry = Entry {
                prospect_id: Some(prospect),
                enrollment_id: Some(e.id),
                sequence_id: Some(e.sequence_id),
                step: Some(e.step),
                data: json!({ "why": why, "until": until.map(|u| u.to_rfc3339()) }),
                ..Entry::new(ActivityKind::Paused)
            };
            store::activity::append(conn, now, &entry)?;
            paused.push(e.id);
        }
    }
    Ok(paused)
}

/// Undoes what acting on a message did, as recorded in its effect: ended
/// sequences are reinstated and their cancelled emails queued again, paused
/// ones resume, the do-not-contact entry goes, the address is good again, a
/// refusal of the rep's sending is forgotten and its email queued. (A soft
/// bounce's retry stays queued.)
pub(super) fn undo(conn: &rusqlite::Connection, effect: &Effect, prospect: ProspectId, now: DateTime<Utc>) -> Result<()> {
    let none = Vec::new();
    let (exited, cancelled, paused) = match effect {
        Effect::Replied { exited, cancelled, paused } => (exited, cancelled, paused),
        Effect::Unsubscribed { exited, cancelled, .. } | Effect::HardBounced { exited, cancelled } | Effect::Left { exited, cancelled } => {
            (exited, cancelled, &none)
        }
        Effect::OutOfOffice { paused, .. } | Effect::SoftBounced { paused, .. } => (&none, &none, paused),
        Effect::SenderRefused { .. } | Effect::Nothing => (&none, &none, &none),
    };
    for &e in exited {
        reinstate(conn, e, now)?;
    }
    for &t in cancelled {
        store::sends::back_to_outbox(conn, t, SendState::Queued, "back in the outbox after a correction", Some(now), now)?;
    }
    // A bounce put the email back to go again; it was no bounce, so it went.
    if let Effect::SoftBounced { retried: Some(t), .. } | Effect::SenderRefused { held: Some(t), .. } = effect {
        store::sends::sent_after_all(conn, *t, now)?;
    }
    for &e in paused {
        if store::enrollments::get(conn, e)?.is_some_and(|e| e.state == EnrollmentState::Paused) {
            // Due now: the next resume pass picks it up.
            store::enrollments::set_resume_at(conn, e, Some(now))?;
        }
    }
    if let Effect::Unsubscribed { dnc: Some(email), .. } = effect {
        store::prospects::remove_do_not_contact(conn, email)?;
    }
    if matches!(effect, Effect::HardBounced { .. } | Effect::SoftBounced { .. } | Effect::Left { .. }) {
        store::prospects::set_email_status(conn, prospect, "ok", now)?;
    }
    if let Effect::SenderRefused { refusal, .. } = effect {
        store::refusals::delete(conn, *refusal)?;
    }
    Ok(())
}
