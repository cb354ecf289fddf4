//! Reading new mail: every watched folder from where reading stopped
//! (UIDVALIDITY and last UID remembered per folder), each message classified
//! and handed to the engine, which acts on it. Cadence's own copies of sent
//! mail are filed in Sent.

use chrono::{DateTime, Duration, Utc};
use engine::api::{Handled, Incoming};
use engine::mailbox::MailboxSettings;

use crate::error::Result;
use crate::imap::{Folders, Imap};
use crate::{with, Clock, SharedEngine};

/// How far back the first reading of a folder looks.
const FIRST_LOOK_DAYS: i64 = 14;

#[derive(Debug, Default, Clone)]
pub struct Synced {
    /// Messages about prospects or sent emails, as the engine recorded them.
    pub recorded: Vec<engine::api::InboundRecord>,
    /// Own copies filed in Sent.
    pub filed: usize,
    pub read: usize,
}

/// The folders to watch: INBOX, the junk folder (replies land there too),
/// and the ones the rep added.
pub fn watched(m: &MailboxSettings, f: &Folders) -> Vec<String> {
    let mut out = vec!["INBOX".to_string()];
    out.extend(f.junk.clone());
    for extra in &m.folders {
        if f.all.iter().any(|a| a == extra) && !out.contains(extra) {
            out.push(extra.clone());
        }
    }
    out
}

/// Classifies one message and hands it to the engine. Files an own copy in Sent.
#[allow(clippy::too_many_arguments)]
pub async fn take(
    engine: &SharedEngine,
    clock: &Clock,
    imap: &mut Imap,
    m: &MailboxSettings,
    sent: Option<&str>,
    folder: &str,
    uidvalidity: u32,
    uid: u32,
    out: &mut Synced,
) -> Result<()> {
    let Some((raw, at)) = imap.fetch(uid).await? else { return Ok(()) };
    out.read += 1;
    // A message that cannot be classified or stored is kept as unreadable,
    // with why, so the folder's mark moves past it and the rest is read.
    let classified = match std::panic::catch_unwind(|| engine::mail::classify(&raw, Some(&m.address), at.date_naive())) {
        Ok(c) => c,
        Err(_) => return unreadable(engine, clock, folder, uidvalidity, uid, at, "Cadence could not make sense of this message", out),
    };
    let incoming = Incoming { folder, uidvalidity, uid, received_at: at, classified: &classified };
    let taken = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| with(engine, |e| e.take_inbound(incoming, clock()))));
    let handled = match taken {
        Ok(Ok(h)) => h,
        // The database itself failing is not this message's fault: the pass
        // fails and the mark stays, to try again.
        Ok(Err(crate::MailError::Engine(engine::Error::Store(e)))) => return Err(crate::MailError::Engine(engine::Error::Store(e))),
        Ok(Err(e)) => {
            return unreadable(engine, clock, folder, uidvalidity, uid, at, &format!("Cadence could not store this message: {e}"), out)
        }
        Err(_) => return unreadable(engine, clock, folder, uidvalidity, uid, at, "Cadence could not store this message", out),
    };
    match handled {
        Handled::OwnCopy { .. } => {
            if let Some(sent) = sent.filter(|s| *s != folder) {
                imap.file_as_sent(uid, sent).await?;
                out.filed += 1;
            }
        }
        Handled::Recorded(r) => out.recorded.push(r),
        Handled::Ignored | Handled::Duplicate => {}
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn unreadable(
    engine: &SharedEngine,
    clock: &Clock,
    folder: &str,
    uidvalidity: u32,
    uid: u32,
    at: DateTime<Utc>,
    why: &str,
    out: &mut Synced,
) -> Result<()> {
    if let Some(r) = with(engine, |e| e.take_unreadable(folder, uidvalidity, uid, at, why, clock()))? {
        out.recorded.push(r);
    }
    Ok(())
}

/// Reads every watched folder once, from where reading stopped.
pub async fn sync(engine: &SharedEngine, clock: &Clock, imap: &mut Imap, m: &MailboxSettings, folders: &Folders) -> Result<Synced> {
    let mut out = Synced::default();
    for folder in watched(m, folders) {
        sync_folder(engine, clock, imap, m, folders.sent.as_deref(), &folder, &mut out).await?;
    }
    with(engine, |e| e.resume_returned(clock()))?;
    Ok(out)
}

pub async fn sync_folder(
    engine: &SharedEngine,
    clock: &Clock,
    imap: &mut Imap,
    m: &MailboxSettings,
    sent: Option<&str>,
    folder: &str,
    out: &mut Synced,
) -> Result<()> {
    let uidvalidity = imap.select(folder).await?;
    let mark = with(engine, |e| e.folder_mark(folder))?;
    let uids = match mark {
        Some((v, last)) if v == uidvalidity => imap.uids_after(last).await?,
        // New folder, or rebuilt (new UIDVALIDITY): look back a while; what
        // was already taken is recognised by its Message-ID.
        _ => {
            let since = (clock() - Duration::days(FIRST_LOOK_DAYS)).date_naive();
            let mut u = imap.search_since(since).await?;
            u.sort_unstable();
            if u.is_empty() {
                let top = imap.uids_after(0).await?.last().copied().unwrap_or(0);
                with(engine, |e| e.set_folder_mark(folder, uidvalidity, top))?;
            }
            u
        }
    };
    for uid in uids {
        take(engine, clock, imap, m, sent, folder, uidvalidity, uid, out).await?;
        with(engine, |e| e.set_folder_mark(folder, uidvalidity, uid))?;
    }
    Ok(())
}

/// Whether the selected `folder` (just selected, with this UIDVALIDITY) has
/// mail past its mark. Called after SELECT and before IDLE: a message that
/// arrived after the folder was read and before the SELECT is already in
/// the SELECT's count, so IDLE would never announce it.
pub async fn unread_after_select(engine: &SharedEngine, imap: &mut Imap, folder: &str, uidvalidity: u32) -> Result<bool> {
    match with(engine, |e| e.folder_mark(folder))? {
        Some((v, last)) if v == uidvalidity => Ok(!imap.uids_after(last).await?.is_empty()),
        _ => Ok(true),
    }
}

/// Mail from `who` (an address, or `@domain`) received after `since`, in
/// the watched folders: (folder, UIDVALIDITY, UID).
pub async fn mail_from_since(
    imap: &mut Imap,
    m: &MailboxSettings,
    folders: &Folders,
    who: &str,
    since: DateTime<Utc>,
) -> Result<Vec<(String, u32, u32)>> {
    let mut found = Vec::new();
    for folder in watched(m, folders) {
        let v = imap.select(&folder).await?;
        for uid in imap.search_from_since(who, since.date_naive()).await? {
            // INTERNALDATE has whole seconds.
            if imap.received_at(uid).await?.is_some_and(|at| at.timestamp() >= since.timestamp()) {
                found.push((folder.clone(), v, uid));
            }
        }
    }
    Ok(found)
}
