//! Sending what the engine's ledger releases, exactly once.
//!
//! 1. Settle messages a crash left `sending`: look each up by Message-ID in
//!    Sent and INBOX (the server files a copy there in the same SMTP
//!    transaction); found means sent, absent means it never went.
//! 2. Connect and log in *before* starting an attempt.
//! 3. For each email the engine releases: look for mail from the prospect
//!    since the last touch (a reply holds the send and is acted on now),
//!    then SMTP. A refusal is recorded at once; a connection lost mid-way
//!    leaves the message `sending`, for step 1 to settle.

use chrono::{DateTime, Utc};
use engine::api::NextSend;
use engine::mailbox::MailboxSettings;

use crate::compose::compose;
use crate::error::{MailError, Result};
use crate::imap::{Folders, Imap};
use crate::smtp::Delivery;
use crate::watcher::{self, Synced};
use crate::{with, Clock, Credentials, SharedEngine};

#[derive(Debug, Default)]
pub struct Pass {
    pub sent: usize,
    pub held: usize,
    pub failed: usize,
    pub recovered: usize,
    /// When something may next go, if anything is queued.
    pub next: Option<DateTime<Utc>>,
    /// Mail found by the pre-send check, as the engine recorded it.
    pub synced: Synced,
}

/// The mailbox settings and the secret for its login.
/// The mailbox settings, once a secret for them is at hand (no password or
/// sign-in saved is told before any connection is tried).
pub fn account(engine: &SharedEngine, credentials: &Credentials) -> Result<MailboxSettings> {
    let m = with(engine, |e| e.mailbox())?;
    if !m.is_configured() {
        return Err(MailError::NotConfigured);
    }
    credentials.secret(&m)?;
    Ok(m)
}

/// Settles messages left `sending` whose grace period is over.
pub async fn recover(engine: &SharedEngine, clock: &Clock, imap: &mut Imap, folders: &Folders) -> Result<usize> {
    let ready: Vec<_> = with(engine, |e| e.sends_in_flight(clock()))?.into_iter().filter(|f| f.ready).collect();
    let mut places: Vec<&str> = folders.sent.iter().map(String::as_str).collect();
    places.push("INBOX");
    for f in &ready {
        let mut found = false;
        for place in &places {
            imap.select(place).await?;
            if !imap.search_message_id(&f.message_id).await?.is_empty() {
                found = true;
                break;
            }
        }
        with(engine, |e| e.send_recovered(f.touch_id, found, clock()))?;
    }
    Ok(ready.len())
}

/// One pass: settle, then send everything the rules let go now.
pub async fn send_due(engine: &SharedEngine, clock: &Clock, credentials: &Credentials) -> Result<Pass> {
    let m = account(engine, credentials)?;
    let mut pass = Pass::default();
    let in_flight = with(engine, |e| e.sends_in_flight(clock()))?;
    let waiting = with(engine, |e| e.send_waiting(clock()))?;
    if !waiting && !in_flight.iter().any(|f| f.ready) {
        pass.next = next_time(engine, clock)?;
        return Ok(pass);
    }
    let mut imap = crate::imap_login(&m, credentials).await?;
    let folders = imap.folders().await?;
    pass.recovered = recover(engine, clock, &mut imap, &folders).await?;
    if !with(engine, |e| e.send_waiting(clock()))? {
        imap.logout().await;
        pass.next = next_time(engine, clock)?;
        return Ok(pass);
    }
    let mut smtp = crate::smtp_login(&m, credentials).await?;
    loop {
        let out = match with(engine, |e| e.next_send(clock()))? {
            NextSend::Send(out) => out,
            NextSend::Wait { until, .. } => {
                pass.next = Some(until);
                break;
            }
            NextSend::Idle => break,
        };
        // Mail from the prospect (or their company) since the last touch holds the send.
        let mut who = vec![out.to.clone()];
        who.extend(out.company_domain.as_ref().map(|d| format!("@{d}")));
        let mut news = Vec::new();
        for w in &who {
            news.extend(watcher::mail_from_since(&mut imap, &m, &folders, w, out.since).await?);
        }
        if !news.is_empty() {
            let why = format!(
                "{} wrote since the last touch; read it before this email goes",
                if news.len() == 1 { "the prospect" } else { "the prospect's side" }
            );
            with(engine, |e| e.send_held(out.touch_id, &why, clock()))?;
            pass.held += 1;
            for (folder, v, uid) in news {
                imap.select(&folder).await?;
                watcher::take(engine, clock, &mut imap, &m, folders.sent.as_deref(), &folder, v, uid, &mut pass.synced).await?;
            }
            continue;
        }
        // The team's list, asked at the last moment (a desktop on a team).
        if let Some(why) = credentials.may_send(&out.to).await {
            with(engine, |e| e.send_held(out.touch_id, &why, clock()))?;
            pass.held += 1;
            continue;
        }
        let composed = match compose(&out, !m.server_saves_sent, clock()) {
            Ok(c) => c,
            Err(e) => {
                with(engine, |en| en.send_failed(out.touch_id, &e.to_string(), true, clock()))?;
                pass.failed += 1;
                continue;
            }
        };
        if !smtp.alive().await {
            smtp = crate::smtp_login(&m, credentials).await.inspect_err(|_| {
                // Nothing went: the attempt is recorded as a temporary failure.
                let _ = with(engine, |e| {
                    e.send_failed(out.touch_id, "the connection to the mail server was lost before sending", false, clock())
                });
            })?;
        }
        match smtp.send(&composed).await {
            Delivery::Accepted => {
                with(engine, |e| e.send_succeeded(out.touch_id, clock()))?;
                pass.sent += 1;
            }
            // The provider's sending limit: not this email's fault. It waits
            // an hour without using up an attempt, and the pass stops here.
            Delivery::Refused { detail, .. } if crate::error::is_sending_limit(&detail) => {
                let now = clock();
                with(engine, |e| e.send_deferred(out.touch_id, &detail, now + chrono::Duration::hours(1), now))?;
                smtp.quit().await;
                imap.logout().await;
                return Err(MailError::OverCap { server: format!("{}:{}", m.smtp_host, m.smtp_port), detail });
            }
            Delivery::Refused { detail, permanent } => {
                with(engine, |e| e.send_failed(out.touch_id, &detail, permanent, clock()))?;
                pass.failed += 1;
            }
            Delivery::Unknown { detail } => {
                // Maybe sent, maybe not: left `sending` for recovery to look up.
                imap.logout().await;
                return Err(MailError::Unreachable { server: format!("{}:{}", m.smtp_host, m.smtp_port), detail });
            }
        }
    }
    smtp.quit().await;
    imap.logout().await;
    if pass.next.is_none() {
        pass.next = next_time(engine, clock)?;
    }
    Ok(pass)
}

fn next_time(engine: &SharedEngine, clock: &Clock) -> Result<Option<DateTime<Utc>>> {
    let now = clock();
    let in_flight = with(engine, |e| e.sends_in_flight(now))?;
    let grace = with(engine, |e| e.mailbox())?.recovery_grace_s;
    let settle = in_flight.iter().map(|f| f.started_at + chrono::Duration::seconds(i64::from(grace))).min();
    let queued = with(engine, |e| e.next_send_time())?;
    Ok([settle, queued].into_iter().flatten().min())
}
