//! The deliverability alarm: receivers refusing the rep's own sending.
//!
//! A bounce or an SMTP answer whose reason blames the sender (policy,
//! reputation, SPF/DKIM/DMARC, reverse DNS, content, TLS, relaying) is a
//! *refusal*: the prospect is not to blame and stays in their sequence, the
//! email waits, and the rep is told in plain words what the receiver said,
//! what it usually means and what to check. After `refusals_to_pause`
//! refusals in 24 hours, sending from that mailbox pauses until the rep
//! resumes it; resuming queues the emails that waited again.

use chrono::{DateTime, Duration, Utc};

use super::Engine;
use crate::domain::{ProspectId, TouchId};
use crate::error::Result;
use crate::events::Change;
use crate::mail::Reason;
use crate::store::{
    self,
    refusals::{NewRefusal, Refusal},
    sends::SendState,
};

/// How far back the alarm and the list look.
const SHOWN_DAYS: i64 = 7;
/// The window the pause threshold counts in.
const PAUSE_WINDOW_HOURS: i64 = 24;
/// How an email waiting because of a refusal says so (resuming looks for it).
pub(super) const HELD_PREFIX: &str = "the receiver refused your sending";

/// What the rep sees about their own sending.
#[derive(Debug, Clone, PartialEq)]
pub struct Deliverability {
    /// The mailbox these are about.
    pub mailbox: String,
    /// Sending is paused: since when and why.
    pub paused: Option<(DateTime<Utc>, String)>,
    /// The newest refusal the rep has not yet seen (by resuming or dismissing).
    pub alarm: Option<Alarm>,
    /// Refusals of the last seven days, newest first.
    pub refusals: Vec<Refusal>,
    /// Refusals that count toward the pause: those of the last 24 hours
    /// since the rep last resumed or dismissed; `threshold` of them pause
    /// sending (0: never).
    pub last_day: u32,
    pub threshold: u32,
}

/// The alarm: what the receiver said, what it means, what to check.
#[derive(Debug, Clone, PartialEq)]
pub struct Alarm {
    pub reason: Reason,
    pub at: DateTime<Utc>,
    pub said: String,
    /// How many refusals the rep has not seen.
    pub unseen: u32,
}

/// What recording a refusal did.
pub(super) struct Recorded {
    pub id: i64,
    /// Sending was paused by this refusal.
    pub paused: bool,
}

/// Records a refusal and pauses sending when the day's count reaches the
/// mailbox's threshold.
#[allow(clippy::too_many_arguments)]
pub(super) fn record(
    conn: &rusqlite::Connection,
    reason: Reason,
    said: &str,
    status: Option<&str>,
    source: &str,
    prospect: Option<ProspectId>,
    touch: Option<TouchId>,
    inbound: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Recorded> {
    let mb = store::settings::load_mailbox(conn)?;
    let mailbox = mb.address.to_ascii_lowercase();
    let row = NewRefusal {
        mailbox: &mailbox,
        reason: reason.as_str(),
        said,
        status,
        source,
        prospect_id: prospect,
        touch_id: touch,
        inbound_id: inbound,
    };
    let id = store::refusals::insert(conn, &row, now)?;
    let state = store::refusals::state(conn, &mailbox)?;
    let count = counted(conn, &mailbox, &state, now)?;
    let paused = state.paused.is_none() && mb.refusals_to_pause > 0 && count >= mb.refusals_to_pause;
    if paused {
        let why = format!("{count} receivers refused your sending within a day (last: {})", reason.label());
        store::refusals::pause(conn, &mailbox, &why, now)?;
    }
    Ok(Recorded { id, paused })
}

/// The refusals that count toward the pause: those of the last day the rep
/// has not yet seen by resuming (an unfixed cause pauses again only after
/// as many new refusals).
fn counted(conn: &rusqlite::Connection, mailbox: &str, state: &store::refusals::SendingState, now: DateTime<Utc>) -> Result<u32> {
    store::refusals::count_counted(conn, mailbox, now - Duration::hours(PAUSE_WINDOW_HOURS), state.seen_id)
}

/// The email a refusal concerns waits (held) until the rep resumes sending.
pub(super) fn hold_email(conn: &rusqlite::Connection, touch: TouchId, reason: Reason, now: DateTime<Utc>) -> Result<()> {
    let why = format!("{HELD_PREFIX} ({}); it goes again when you resume sending", reason.label());
    store::sends::back_to_outbox(conn, touch, SendState::Held, &why, None, now)?;
    Ok(())
}

impl Engine {
    /// The deliverability alarm, the pause and the recent refusals.
    pub fn deliverability(&self, now: DateTime<Utc>) -> Result<Deliverability> {
        let mb = self.mailbox()?;
        let mailbox = mb.address.to_ascii_lowercase();
        let state = store::refusals::state(&self.conn, &mailbox)?;
        let refusals = store::refusals::recent(&self.conn, &mailbox, now - Duration::days(SHOWN_DAYS), 200)?;
        let unseen: Vec<&Refusal> = refusals.iter().filter(|r| r.id > state.seen_id).collect();
        let alarm = unseen
            .first()
            .and_then(|r| Some(Alarm { reason: Reason::parse(&r.reason)?, at: r.at, said: r.said.clone(), unseen: unseen.len() as u32 }));
        let last_day = counted(&self.conn, &mailbox, &state, now)?;
        Ok(Deliverability { mailbox, paused: state.paused, alarm, refusals, last_day, threshold: mb.refusals_to_pause })
    }

    /// The rep has looked into it: sending goes on, the refusals so far are
    /// seen, and the emails that waited because of them are queued again.
    pub fn resume_sending(&mut self, now: DateTime<Utc>) -> Result<Deliverability> {
        let mailbox = self.mailbox()?.address.to_ascii_lowercase();
        let tx = self.conn.savepoint()?;
        store::refusals::resume(&tx, &mailbox, now)?;
        store::sends::requeue_held(&tx, HELD_PREFIX, "sending resumed", now)?;
        tx.commit()?;
        self.changed(&[Change::Settings, Change::Outbox]);
        self.deliverability(now)
    }

    /// Sending from the rep's mailbox is paused (the send loop waits).
    pub fn sending_paused(&self) -> Result<Option<String>> {
        let mailbox = self.mailbox()?.address.to_ascii_lowercase();
        Ok(store::refusals::state(&self.conn, &mailbox)?.paused.map(|(_, why)| why))
    }
}
