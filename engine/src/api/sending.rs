//! The send ledger's rules: which approved email may go now, and what
//! happened to each attempt. The network side (SMTP, IMAP) is in
//! `cadence-mail`; it asks here what to send and reports back.
//!
//! An attempt is *started* (state `sending`, Message-ID fixed) and committed
//! before any byte goes to the SMTP server. After a crash, a message left in
//! `sending` is looked up in the mailbox by its Message-ID before it is tried
//! again, so it is neither lost nor sent twice.

use std::hash::{BuildHasher, Hasher};

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use super::{calendar, place, Engine};
use crate::activity::ActivityKind;
use crate::domain::{Channel, EnrollmentId, ProspectId, TouchId, TouchState};
use crate::error::{Error, Result};
use crate::events::Change;
use crate::mailbox::MailboxSettings;
use crate::schedule::start_of_day;
use crate::store::{
    self,
    activity::Entry,
    sends::{Send, SendState},
};

/// Temporary failures are retried this many times before the rep is asked.
const MAX_ATTEMPTS: u32 = 8;

/// An email ready for the SMTP server, its attempt already recorded.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub touch_id: TouchId,
    pub prospect_id: ProspectId,
    pub enrollment_id: EnrollmentId,
    /// Without angle brackets.
    pub message_id: String,
    pub from_name: String,
    pub from: String,
    pub to_name: String,
    pub to: String,
    pub subject: String,
    /// The approved text; the HTML part is made from it.
    pub body: String,
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
    /// The List-Unsubscribe mailto URL, when the mailbox puts the header on.
    pub unsubscribe: Option<String>,
    /// Mail from the prospect after this moment holds the send.
    pub since: DateTime<Utc>,
    /// Set when mail from anyone at this domain also holds the send.
    pub company_domain: Option<String>,
    pub attempt: u32,
}

/// What the sender should do now.
#[derive(Debug, Clone)]
pub enum NextSend {
    Send(Box<Outgoing>),
    /// Nothing may go before `until`.
    Wait {
        until: DateTime<Utc>,
        why: String,
    },
    /// Nothing is queued (or no mailbox is set up).
    Idle,
}

/// A message left `sending` by a crash or a lost connection.
#[derive(Debug, Clone)]
pub struct InFlight {
    pub touch_id: TouchId,
    pub message_id: String,
    pub started_at: DateTime<Utc>,
    /// The grace period is over: look it up now.
    pub ready: bool,
}

impl Engine {
    pub fn mailbox(&self) -> Result<MailboxSettings> {
        store::settings::load_mailbox(&self.conn)
    }

    /// Sets one mailbox setting by name (see [`MailboxSettings::set`]).
    pub fn set_mailbox(&mut self, key: &str, value: &str) -> Result<MailboxSettings> {
        let mut m = self.mailbox()?;
        m.set(key, value)?;
        m.check_secure()?;
        store::settings::save_mailbox(&self.conn, &m)?;
        self.changed(&[Change::Settings, Change::Outbox]);
        Ok(m)
    }

    /// When the earliest queued email may go (its send time or retry).
    pub fn next_send_time(&self) -> Result<Option<DateTime<Utc>>> {
        store::sends::next_not_before(&self.conn)
    }

    /// Something is queued and due: worth opening a connection for.
    pub fn send_waiting(&self, now: DateTime<Utc>) -> Result<bool> {
        Ok(self.mailbox()?.is_configured() && self.sending_paused()?.is_none() && !store::sends::due(&self.conn, now, 1)?.is_empty())
    }

    /// Picks the next email that may go now and starts its attempt; or says
    /// how long to wait. Emails go inside the prospect's window, under the
    /// daily cap, spaced (with jitter); an email whose window passed while
    /// nothing could send moves to its next window instead of going late.
    pub fn next_send(&mut self, now: DateTime<Utc>) -> Result<NextSend> {
        let mailbox = self.mailbox()?;
        if !mailbox.is_configured() || self.sending_paused()?.is_some() {
            return Ok(NextSend::Idle);
        }
        let rep = self.settings()?;
        let cal = calendar(&rep);
        let today = cal.rep_date(now);
        let day_start = start_of_day(rep.timezone, today);
        let day_end = start_of_day(rep.timezone, today + Duration::days(1));
        let mut moved = false;
        for s in store::sends::due(&self.conn, now, 64)? {
            if s.closes_at < now {
                self.move_to_next_window(&s, now)?;
                moved = true;
                continue;
            }
            let (sent_today, last) = store::sends::sent_between(&self.conn, day_start, day_end)?;
            if sent_today >= mailbox.daily_cap {
                self.announce(moved);
                return Ok(NextSend::Wait { until: day_end, why: format!("the daily cap of {} emails is reached", mailbox.daily_cap) });
            }
            let last = last.or(store::sends::last_sent_at(&self.conn)?);
            if let Some(last) = last {
                let gap = spacing(&mailbox, s.touch_id);
                if last + gap > now {
                    self.announce(moved);
                    return Ok(NextSend::Wait { until: last + gap, why: format!("spacing sends about {} s apart", mailbox.spacing_s) });
                }
            }
            // The list is checked before every attempt: an entry that came
            // from elsewhere after the approval (another window, the team)
            // stops the email here even if its sequence was not ended yet.
            let to = self.prospect(s.prospect_id)?.email;
            if let Some((entry, reason)) = store::prospects::listed(&self.conn, &to)? {
                self.stop_listed(&s, &entry, &reason, now)?;
                moved = true;
                continue;
            }
            // On a team whose server has not been heard from for longer than
            // the grace, emails wait (calls and LinkedIn steps do not).
            if let Some(why) = self.team_hold(now)? {
                if s.reason.as_deref() != Some(why.as_str()) {
                    store::sends::set_state(&self.conn, s.touch_id, SendState::Queued, Some(&why), None, now)?;
                    moved = true;
                }
                self.announce(moved);
                return Ok(NextSend::Wait { until: now + Duration::minutes(1), why });
            }
            let out = self.start_attempt(&s, &mailbox, now)?;
            self.announce(true);
            return Ok(NextSend::Send(Box::new(out)));
        }
        self.announce(moved);
        Ok(match store::sends::next_not_before(&self.conn)? {
            Some(until) => NextSend::Wait { until, why: "the next email's send time".into() },
            None => NextSend::Idle,
        })
    }

    /// An email whose address is on the do-not-contact list: its prospect's
    /// sequences end (the email with them), logged with the entry.
    fn stop_listed(&mut self, s: &Send, entry: &str, reason: &str, now: DateTime<Utc>) -> Result<()> {
        let tx = self.conn.savepoint()?;
        let data = json!({ "entry": entry, "reason": reason, "at_send": true });
        store::activity::append(&tx, now, &Entry { prospect_id: Some(s.prospect_id), data, ..Entry::new(ActivityKind::DoNotContact) })?;
        super::enroll::exit_all(&tx, s.prospect_id, crate::domain::ExitReason::DoNotContact, now)?;
        // A send left over (its enrollment already over) is cancelled too.
        if store::sends::get(&tx, s.touch_id)?.is_some_and(|x| matches!(x.state, SendState::Queued | SendState::Held)) {
            store::sends::set_state(
                &tx,
                s.touch_id,
                SendState::Cancelled,
                Some(&format!("{entry} is on the do-not-contact list")),
                None,
                now,
            )?;
            store::enrollments::set_touch_state(&tx, s.touch_id, TouchState::Cancelled)?;
        }
        tx.commit()?;
        self.changed(&[Change::Queue, Change::Sequences, Change::Prospects]);
        Ok(())
    }

    fn announce(&self, changed: bool) {
        if changed {
            self.changed(&[Change::Outbox]);
        }
    }

    fn move_to_next_window(&mut self, s: &Send, now: DateTime<Utc>) -> Result<()> {
        let e = store::enrollments::get(&self.conn, s.enrollment_id)?.ok_or_else(|| Error::not_found("enrollment", s.enrollment_id))?;
        let seq = self.sequence_version(e.sequence_id)?;
        let p = self.prospect(s.prospect_id)?;
        let rep = self.settings()?;
        let slot = calendar(&rep)
            .next_slot(&seq.settings, place(&p, &rep), Channel::Email, now)
            .ok_or_else(|| Error::Unschedulable(format!("touch {}", s.touch_id)))?;
        let tx = self.conn.savepoint()?;
        store::enrollments::reschedule_touch(&tx, s.touch_id, slot.due_at, slot.closes_at)?;
        let why = "its window passed before it could go; it waits for the next one";
        store::sends::set_state(&tx, s.touch_id, SendState::Queued, Some(why), Some(slot.due_at), now)?;
        let data = json!({ "send_at": slot.due_at.to_rfc3339() });
        store::activity::append(&tx, now, &send_entry(ActivityKind::EmailRescheduled, s, &e, data))?;
        tx.commit()?;
        Ok(())
    }

    fn start_attempt(&mut self, s: &Send, mailbox: &MailboxSettings, now: DateTime<Utc>) -> Result<Outgoing> {
        let t = store::enrollments::get_touch(&self.conn, s.touch_id)?.ok_or_else(|| Error::not_found("touch", s.touch_id))?;
        let p = self.prospect(s.prospect_id)?;
        let e = store::enrollments::get(&self.conn, s.enrollment_id)?.ok_or_else(|| Error::not_found("enrollment", s.enrollment_id))?;
        let seq = self.sequence_version(e.sequence_id)?;
        let rep = self.settings()?;
        let thread = store::sends::sent_in_enrollment(&self.conn, e.id)?;
        let replies = seq.steps[t.step].thread == crate::sequence::Thread::Reply;
        let parent = thread.last().filter(|_| replies);
        let (in_reply_to, references) = match parent {
            Some(prev) => {
                let mut chain = prev.refs.clone();
                chain.extend(prev.message_id.clone());
                (prev.message_id.clone(), chain)
            }
            None => (None, Vec::new()),
        };
        let from = parent
            .and_then(|p| p.from_addr.clone())
            .or_else(|| thread.first().and_then(|f| f.from_addr.clone()))
            .unwrap_or_else(|| mailbox.address.clone());
        let message_id = s.message_id.clone().unwrap_or_else(|| new_message_id(s.touch_id, now, mailbox.domain()));
        let since = store::enrollments::touches_of(&self.conn, e.id)?
            .iter()
            .filter(|x| x.step < t.step)
            .filter_map(|x| x.completed_at)
            .max()
            .unwrap_or(e.enrolled_at);
        // The attempt is on disk, fully synced, before the SMTP server hears of it.
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        let tx = self.conn.savepoint()?;
        store::sends::start(&tx, s.touch_id, &message_id, &from, in_reply_to.as_deref(), &references, now)?;
        let committed = tx.commit();
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        committed?;
        Ok(Outgoing {
            touch_id: s.touch_id,
            prospect_id: p.id,
            enrollment_id: e.id,
            message_id,
            from_name: rep.sender_name.clone(),
            unsubscribe: mailbox.list_unsubscribe.then(|| format!("mailto:{from}?subject=unsubscribe")),
            from,
            to_name: p.full_name(),
            to: p.email.clone(),
            subject: t.subject.clone().unwrap_or_default(),
            body: t.body.clone().unwrap_or_default(),
            in_reply_to,
            references,
            since,
            company_domain: mailbox.hold_on_company_mail.then(|| p.domain.clone()),
            attempt: s.attempts + 1,
        })
    }

    /// The SMTP server accepted the message.
    pub fn send_succeeded(&mut self, touch: TouchId, now: DateTime<Utc>) -> Result<()> {
        self.finish_sent(touch, now, now, ActivityKind::EmailSent)
    }

    fn finish_sent(&mut self, touch: TouchId, at: DateTime<Utc>, now: DateTime<Utc>, kind: ActivityKind) -> Result<()> {
        let s = self.send_in(touch, &[SendState::Sending])?;
        let e = store::enrollments::get(&self.conn, s.enrollment_id)?.ok_or_else(|| Error::not_found("enrollment", s.enrollment_id))?;
        let tx = self.conn.savepoint()?;
        store::sends::mark_sent(&tx, touch, at, now)?;
        store::enrollments::set_touch_state(&tx, touch, TouchState::Done)?;
        let data = json!({ "message_id": s.message_id, "attempts": s.attempts, "in_reply_to": s.in_reply_to });
        store::activity::append(&tx, now, &send_entry(kind, &s, &e, data))?;
        tx.commit()?;
        self.changed(&[Change::Outbox]);
        Ok(())
    }

    /// The attempt failed. Temporary failures are retried with backoff (1, 2,
    /// 4 ... minutes, at most an hour); permanent ones, and a temporary one
    /// that kept failing, wait for the rep.
    pub fn send_failed(&mut self, touch: TouchId, reason: &str, permanent: bool, now: DateTime<Utc>) -> Result<SendState> {
        let s = self.send_in(touch, &[SendState::Sending])?;
        let e = store::enrollments::get(&self.conn, s.enrollment_id)?.ok_or_else(|| Error::not_found("enrollment", s.enrollment_id))?;
        // A refusal that blames the rep's own sending is no fault of this
        // email or prospect: it waits, and the deliverability alarm goes up.
        let (why, status) = crate::mail::refusal_reason(reason);
        if why.fault() == crate::mail::Fault::Sender {
            let tx = self.conn.savepoint()?;
            let said: String = reason.chars().take(400).collect();
            super::deliverability::record(&tx, why, &said, status.as_deref(), "smtp", Some(s.prospect_id), Some(touch), None, now)?;
            super::deliverability::hold_email(&tx, touch, why, now)?;
            let data = json!({ "reason": said, "refused_for": why.as_str() });
            store::activity::append(&tx, now, &send_entry(ActivityKind::EmailHeld, &s, &e, data))?;
            tx.commit()?;
            self.changed(&[Change::Outbox, Change::Settings]);
            return Ok(SendState::Held);
        }
        let give_up = permanent || s.attempts >= MAX_ATTEMPTS;
        let tx = self.conn.savepoint()?;
        let state = if give_up {
            let why = if permanent { reason.to_string() } else { format!("{reason} (after {} attempts)", s.attempts) };
            store::sends::set_state(&tx, touch, SendState::Failed, Some(&why), None, now)?;
            store::activity::append(&tx, now, &send_entry(ActivityKind::EmailFailed, &s, &e, json!({ "reason": why })))?;
            SendState::Failed
        } else {
            let wait = Duration::minutes(1 << (s.attempts.saturating_sub(1)).min(6)).min(Duration::hours(1));
            let why = format!("{reason}; trying again at {}", (now + wait).format("%H:%M UTC"));
            store::sends::set_state(&tx, touch, SendState::Queued, Some(&why), Some(now + wait), now)?;
            SendState::Queued
        };
        tx.commit()?;
        self.changed(&[Change::Outbox]);
        Ok(state)
    }

    /// The provider refused the attempt because the mailbox's sending limit
    /// is used up: not the email's fault. It waits until `until`, queued
    /// with its Message-ID, and the attempt does not count toward giving up.
    pub fn send_deferred(&mut self, touch: TouchId, reason: &str, until: DateTime<Utc>, now: DateTime<Utc>) -> Result<()> {
        self.send_in(touch, &[SendState::Sending])?;
        let why = format!("{reason}; the mailbox's sending limit is used up, trying again at {}", until.format("%H:%M UTC"));
        let tx = self.conn.savepoint()?;
        store::sends::undo_attempt(&tx, touch)?;
        store::sends::set_state(&tx, touch, SendState::Queued, Some(&why), Some(until), now)?;
        tx.commit()?;
        self.changed(&[Change::Outbox]);
        Ok(())
    }

    /// The mailbox has mail from the prospect (or their company) since the
    /// last touch: the send waits for the rep.
    pub fn send_held(&mut self, touch: TouchId, reason: &str, now: DateTime<Utc>) -> Result<()> {
        let s = self.send_in(touch, &[SendState::Sending, SendState::Queued])?;
        let e = store::enrollments::get(&self.conn, s.enrollment_id)?.ok_or_else(|| Error::not_found("enrollment", s.enrollment_id))?;
        let tx = self.conn.savepoint()?;
        store::sends::set_state(&tx, touch, SendState::Held, Some(reason), None, now)?;
        store::activity::append(&tx, now, &send_entry(ActivityKind::EmailHeld, &s, &e, json!({ "reason": reason })))?;
        tx.commit()?;
        self.changed(&[Change::Outbox]);
        Ok(())
    }

    /// Messages left `sending`; `ready` once `recovery_grace_s` has passed
    /// since the attempt began (mail can take a moment to show up).
    pub fn sends_in_flight(&self, now: DateTime<Utc>) -> Result<Vec<InFlight>> {
        let grace = Duration::seconds(i64::from(self.mailbox()?.recovery_grace_s));
        Ok(store::sends::in_state(&self.conn, SendState::Sending, 1_000)?
            .into_iter()
            .filter_map(|s| {
                let started_at = s.started_at?;
                Some(InFlight { touch_id: s.touch_id, message_id: s.message_id?, started_at, ready: started_at + grace <= now })
            })
            .collect())
    }

    /// The outcome of looking a message left `sending` up in the mailbox:
    /// found means it went out; not found means it never did and is queued again.
    pub fn send_recovered(&mut self, touch: TouchId, found: bool, now: DateTime<Utc>) -> Result<()> {
        if found {
            let at = self.send_in(touch, &[SendState::Sending])?.started_at.unwrap_or(now);
            return self.finish_sent(touch, at, now, ActivityKind::EmailSent);
        }
        self.send_in(touch, &[SendState::Sending])?;
        let why = "an attempt was cut off and the message is not in the mailbox; sending again";
        store::sends::set_state(&self.conn, touch, SendState::Queued, Some(why), Some(now), now)?;
        self.changed(&[Change::Outbox]);
        Ok(())
    }

    /// The rep sends a failed or held email again.
    pub fn retry_send(&mut self, touch: TouchId, now: DateTime<Utc>) -> Result<()> {
        let s = self.send_in(touch, &[SendState::Failed, SendState::Held])?;
        let t = store::enrollments::get_touch(&self.conn, touch)?.ok_or_else(|| Error::not_found("touch", touch))?;
        if t.state != TouchState::Approved {
            return Err(Error::Conflict(format!("touch {touch} is {}; only an approved email can be sent", t.state)));
        }
        let e = store::enrollments::get(&self.conn, s.enrollment_id)?.ok_or_else(|| Error::not_found("enrollment", s.enrollment_id))?;
        let tx = self.conn.savepoint()?;
        store::sends::set_state(&tx, touch, SendState::Queued, Some("the rep asked to send it again"), Some(now), now)?;
        store::activity::append(&tx, now, &send_entry(ActivityKind::EmailRetried, &s, &e, json!({})))?;
        tx.commit()?;
        self.changed(&[Change::Outbox]);
        Ok(())
    }

    /// The rep takes an approved email back before it goes: it is a draft
    /// again, with the text as approved, in today's queue. One being sent
    /// or already sent cannot be taken back.
    pub fn pull_back(&mut self, touch: TouchId, now: DateTime<Utc>) -> Result<()> {
        let s = self.send_in(touch, &[SendState::Queued, SendState::Held, SendState::Failed])?;
        let t = store::enrollments::get_touch(&self.conn, touch)?.ok_or_else(|| Error::not_found("touch", touch))?;
        if t.state != TouchState::Approved {
            return Err(Error::Conflict(format!("touch {touch} is {}; only an approved email can be pulled back", t.state)));
        }
        let e = store::enrollments::get(&self.conn, s.enrollment_id)?.ok_or_else(|| Error::not_found("enrollment", s.enrollment_id))?;
        let tx = self.conn.savepoint()?;
        store::sends::delete(&tx, touch)?;
        store::enrollments::set_touch_state(&tx, touch, TouchState::Pending)?;
        store::activity::append(&tx, now, &send_entry(ActivityKind::EmailPulledBack, &s, &e, json!({})))?;
        tx.commit()?;
        self.changed(&[Change::Outbox, Change::Queue]);
        Ok(())
    }

    /// Sends for the outbox views, with their prospects' addresses.
    pub fn sends(&self, states: &[SendState], since: Option<DateTime<Utc>>, limit: usize) -> Result<Vec<(Send, String, String)>> {
        store::sends::list(&self.conn, states, since, limit)?
            .into_iter()
            .map(|s| {
                let t = store::enrollments::get_touch(&self.conn, s.touch_id)?.ok_or_else(|| Error::not_found("touch", s.touch_id))?;
                let p = self.prospect(s.prospect_id)?;
                Ok((s, p.email, t.subject.unwrap_or_default()))
            })
            .collect()
    }

    pub(super) fn send_in(&self, touch: TouchId, states: &[SendState]) -> Result<Send> {
        let s = store::sends::get(&self.conn, touch)?.ok_or_else(|| Error::not_found("send", touch))?;
        if !states.contains(&s.state) {
            let want = states.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" or ");
            return Err(Error::Conflict(format!("the email of touch {touch} is {}, not {want}", s.state)));
        }
        Ok(s)
    }
}

fn send_entry(kind: ActivityKind, s: &Send, e: &store::enrollments::Enrollment, data: serde_json::Value) -> Entry {
    Entry {
        kind,
        prospect_id: Some(s.prospect_id),
        enrollment_id: Some(e.id),
        touch_id: Some(s.touch_id),
        sequence_id: Some(e.sequence_id),
        step: Some(s.step),
        variant: Some(s.variant),
        label: None,
        data,
    }
}

/// The gap before the next send: the spacing, stretched or shrunk by up to
/// `jitter_pct`, differently (but repeatably) for each email.
fn spacing(m: &MailboxSettings, touch: TouchId) -> Duration {
    let base = i64::from(m.spacing_s) * 1000;
    let jitter = base * i64::from(m.jitter_pct) / 100;
    if jitter == 0 {
        return Duration::milliseconds(base);
    }
    let mut h = std::collections::hash_map::DefaultHasher::new();
    h.write_i64(touch);
    let offset = (h.finish() % (2 * jitter as u64 + 1)) as i64 - jitter;
    Duration::milliseconds(base + offset)
}

/// A Message-ID (without <>) that no other message has: the touch, the time
/// and a random part, at the sender's domain.
fn new_message_id(touch: TouchId, now: DateTime<Utc>, domain: &str) -> String {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_i64(touch);
    h.write_i64(now.timestamp_micros());
    format!("cadence.{touch}.{:x}.{:016x}@{domain}", now.timestamp(), h.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spacing_jitters_within_bounds_and_repeatably() {
        let m = MailboxSettings { spacing_s: 100, jitter_pct: 30, ..Default::default() };
        let gaps: Vec<i64> = (0..200).map(|t| spacing(&m, t).num_milliseconds()).collect();
        assert!(gaps.iter().all(|g| (70_000..=130_000).contains(g)));
        assert!(gaps.iter().collect::<std::collections::HashSet<_>>().len() > 50, "the gaps vary");
        assert_eq!(spacing(&m, 7), spacing(&m, 7));
    }

    #[test]
    fn message_ids_are_unique_and_at_the_senders_domain() {
        let now = Utc::now();
        let a = new_message_id(1, now, "example.test");
        let b = new_message_id(1, now, "example.test");
        assert_ne!(a, b);
        assert!(a.ends_with("@example.test") && !a.contains('<'));
    }
}
