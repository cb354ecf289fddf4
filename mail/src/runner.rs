//! The mailbox at work: a sender loop and a watcher loop on the tokio
//! runtime, each reconnecting with backoff, reporting whether the mailbox is
//! reachable. Used by the desktop app and by `cadence mailbox run`.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Duration;

use futures::FutureExt;

use chrono::{DateTime, Utc};
use tokio::sync::Notify;
use tokio::task::JoinHandle;

use crate::error::{MailError, Result};
use crate::sender::{self, account};
use crate::watcher;
use crate::{Clock, Credentials, SharedEngine};

/// How the mailbox is doing, for the offline indicator.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    /// No mailbox set up (or no password saved).
    Off(String),
    Online {
        since: DateTime<Utc>,
    },
    /// Cannot reach the mailbox; work goes on locally, mail waits.
    Offline {
        error: String,
        code: engine::ErrorCode,
        retry_at: DateTime<Utc>,
    },
}

/// Something the loops want the front end to know.
#[derive(Debug, Clone)]
pub enum Event {
    Status(Status),
    /// A message was matched and acted on (a reply, an out-of-office...).
    Received(Box<engine::api::InboundRecord>),
    Sent(usize),
}

pub type Report = Arc<dyn Fn(Event) + Send + Sync>;

#[derive(Debug, Clone)]
pub struct Timing {
    /// How long IDLE waits before reading every folder again.
    pub idle: Duration,
    /// Polling interval where the server has no IDLE.
    pub poll: Duration,
    /// Longest wait between reconnection attempts.
    pub max_backoff: Duration,
}

impl Default for Timing {
    fn default() -> Self {
        Timing { idle: Duration::from_secs(120), poll: Duration::from_secs(60), max_backoff: Duration::from_secs(300) }
    }
}

impl Timing {
    /// The defaults, or `CADENCE_MAIL_IDLE_S` / `CADENCE_MAIL_POLL_S` /
    /// `CADENCE_MAIL_BACKOFF_S` (for tests that cannot wait minutes).
    pub fn from_env() -> Timing {
        let secs =
            |k: &str, d: Duration| std::env::var(k).ok().and_then(|v| v.parse::<f64>().ok()).map(Duration::from_secs_f64).unwrap_or(d);
        let d = Timing::default();
        Timing {
            idle: secs("CADENCE_MAIL_IDLE_S", d.idle),
            poll: secs("CADENCE_MAIL_POLL_S", d.poll),
            max_backoff: secs("CADENCE_MAIL_BACKOFF_S", d.max_backoff),
        }
    }
}

pub struct Running {
    sender: JoinHandle<()>,
    watcher: JoinHandle<()>,
    /// Wakes the sender (an email was approved, a setting changed).
    pub wake: Arc<Notify>,
    /// The settings or the password changed: the watcher drops its
    /// connection (even mid-IDLE) and connects again with the new ones.
    pub reconnect: Arc<Notify>,
}

impl Running {
    pub fn stop(&self) {
        self.sender.abort();
        self.watcher.abort();
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Starts both loops on the current tokio runtime.
pub fn start(engine: SharedEngine, clock: Clock, credentials: Credentials, report: Report, timing: Timing) -> Running {
    let wake = Arc::new(Notify::new());
    let reconnect = Arc::new(Notify::new());
    let sender = tokio::spawn(send_loop(engine.clone(), clock.clone(), credentials.clone(), report.clone(), wake.clone(), timing.clone()));
    let watcher = tokio::spawn(watch_loop(engine, clock, credentials, report, wake.clone(), reconnect.clone(), timing));
    Running { sender, watcher, wake, reconnect }
}

fn status_of(e: &MailError, clock: &Clock, wait: Duration) -> Status {
    match e {
        MailError::NotConfigured | MailError::NoPassword(_) => Status::Off(e.to_string()),
        _ => Status::Offline {
            error: e.to_string(),
            code: e.code(),
            retry_at: clock() + chrono::Duration::from_std(wait).unwrap_or_default(),
        },
    }
}

fn backoff(failures: u32, max: Duration) -> Duration {
    Duration::from_secs(1u64 << failures.min(9)).min(max)
}

/// A panic inside a pass, as a failure the loop reports and backs off from,
/// so a loop never dies silently while the status says "online".
fn caught<T>(r: std::thread::Result<Result<T>>, what: &str) -> Result<T> {
    r.unwrap_or_else(|_| {
        Err(MailError::Protocol { server: "Cadence".into(), detail: format!("an internal error stopped {what}; it starts again") })
    })
}

async fn send_loop(engine: SharedEngine, clock: Clock, credentials: Credentials, report: Report, wake: Arc<Notify>, timing: Timing) {
    let mut failures = 0;
    loop {
        let pass = AssertUnwindSafe(sender::send_due(&engine, &clock, &credentials)).catch_unwind().await;
        let wait = match caught(pass, "sending") {
            Ok(pass) => {
                failures = 0;
                if pass.sent > 0 {
                    report(Event::Sent(pass.sent));
                }
                for r in pass.synced.recorded {
                    report(Event::Received(Box::new(r)));
                }
                let until = pass.next.map(|t| (t - clock()).to_std().unwrap_or(Duration::ZERO));
                until.unwrap_or(timing.poll).min(timing.poll).max(Duration::from_millis(200))
            }
            Err(e) => {
                failures += 1;
                let off = matches!(e, MailError::NotConfigured | MailError::NoPassword(_));
                let wait = if off { Duration::from_secs(3) } else { backoff(failures, timing.max_backoff) };
                report(Event::Status(status_of(&e, &clock, wait)));
                wait
            }
        };
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = wake.notified() => {}
        }
    }
}

async fn watch_loop(
    engine: SharedEngine,
    clock: Clock,
    credentials: Credentials,
    report: Report,
    wake: Arc<Notify>,
    reconnect: Arc<Notify>,
    timing: Timing,
) {
    let mut failures = 0;
    loop {
        let conn = Conn { credentials: &credentials, wake: &wake, reconnect: &reconnect };
        let pass = AssertUnwindSafe(watch(&engine, &clock, &conn, &report, &timing, &mut failures)).catch_unwind().await;
        match caught(pass, "reading mail") {
            Ok(()) => {}
            Err(e) => {
                failures += 1;
                // Not set up yet: look again soon (it is a local read), so
                // the watcher starts within seconds of the rep saving the password.
                let off = matches!(e, MailError::NotConfigured | MailError::NoPassword(_));
                let wait = if off { Duration::from_secs(3) } else { backoff(failures, timing.max_backoff) };
                report(Event::Status(status_of(&e, &clock, wait)));
                tokio::time::sleep(wait).await;
            }
        }
    }
}

/// One connection's life: read everything new, then IDLE (or poll) and
/// read again, until the connection fails.
/// What one connection of the watcher uses besides the engine and clock.
struct Conn<'a> {
    credentials: &'a Credentials,
    wake: &'a Notify,
    reconnect: &'a Notify,
}

async fn watch(engine: &SharedEngine, clock: &Clock, conn: &Conn<'_>, report: &Report, timing: &Timing, failures: &mut u32) -> Result<()> {
    let m = account(engine, conn.credentials)?;
    let mut imap = crate::imap_login(&m, conn.credentials).await?;
    let folders = imap.folders().await?;
    *failures = 0;
    report(Event::Status(Status::Online { since: clock() }));
    loop {
        let synced = watcher::sync(engine, clock, &mut imap, &m, &folders).await?;
        if !synced.recorded.is_empty() {
            // A reply may have cancelled what the sender was about to send.
            conn.wake.notify_one();
        }
        for r in synced.recorded {
            report(Event::Received(Box::new(r)));
        }
        if with_settings_changed(engine, &m)? {
            imap.logout().await;
            return Ok(());
        }
        // Settings or password changed: drop this connection (mid-IDLE
        // too) and connect again with the new ones.
        if imap.can_idle {
            let uidvalidity = imap.select("INBOX").await?;
            if watcher::unread_after_select(engine, &mut imap, "INBOX", uidvalidity).await? {
                continue;
            }
            tokio::select! {
                idled = imap.idle(timing.idle) => imap = idled?.0,
                _ = conn.reconnect.notified() => return Ok(()),
            }
        } else {
            tokio::select! {
                _ = tokio::time::sleep(timing.poll) => imap.noop().await?,
                _ = conn.reconnect.notified() => return Ok(()),
            }
        }
    }
}

/// The rep changed the mailbox settings: start over with the new ones.
fn with_settings_changed(engine: &SharedEngine, m: &engine::mailbox::MailboxSettings) -> Result<bool> {
    Ok(crate::with(engine, |e| e.mailbox())? != *m)
}

/// The result of "Test connection": each server, plainly.
#[derive(Debug)]
pub struct ConnectionTest {
    pub smtp: Result<()>,
    pub imap: Result<()>,
}

impl ConnectionTest {
    /// What each server said, in a line a rep can act on.
    pub fn smtp_text(&self) -> String {
        say(&self.smtp, "Sending (SMTP)")
    }

    pub fn imap_text(&self) -> String {
        say(&self.imap, "Reading (IMAP)")
    }
}

fn say(r: &Result<()>, what: &str) -> String {
    match r {
        Ok(()) => format!("{what}: connected and logged in"),
        Err(e) => format!("{what}: {e}"),
    }
}

/// Connects and logs in to both servers, sending nothing.
pub async fn test_connection(m: &engine::mailbox::MailboxSettings, credentials: &Credentials) -> ConnectionTest {
    let smtp = match crate::smtp_login(m, credentials).await {
        Ok(s) => {
            s.quit().await;
            Ok(())
        }
        Err(e) => Err(e),
    };
    let imap = match crate::imap_login(m, credentials).await {
        Ok(i) => {
            i.logout().await;
            Ok(())
        }
        Err(e) => Err(e),
    };
    ConnectionTest { smtp, imap }
}
