//! The mail loops (`mail::runner`) of an open workspace: started on the
//! front end's tokio runtime, woken after an approval, started over when the
//! rep fixes the settings of a mailbox that is not connected. Their reports
//! become events; the last status is kept for a window that asks.

use std::sync::{Arc, Mutex};

use dto::{InboundDto, MailboxStatusDto};
use engine::mailbox::MailboxSettings;
use mail::runner::{self, Running, Status, Timing};
use mail::MailError;
use tokio::runtime::Handle;

use crate::{due, lock, Event, Events, Workspace};

pub(crate) struct Loops {
    running: Mutex<Option<Running>>,
    runtime: Mutex<Option<Handle>>,
    status: Arc<Mutex<MailboxStatusDto>>,
}

/// Before the loops report: off until a mailbox is set up, else connecting.
fn first_status(m: &MailboxSettings) -> MailboxStatusDto {
    if m.is_configured() {
        MailboxStatusDto::new("connecting", None, None)
    } else {
        let e = MailError::NotConfigured;
        MailboxStatusDto::failed("off", e.code(), e.to_string(), None)
    }
}

fn status_dto(s: &Status) -> MailboxStatusDto {
    match s {
        Status::Off(why) => MailboxStatusDto::failed("off", engine::ErrorCode::MailboxNotSetUp, why.clone(), None),
        Status::Online { .. } => MailboxStatusDto::new("online", None, None),
        Status::Offline { error, code, retry_at } => MailboxStatusDto::failed("offline", *code, error.clone(), Some(*retry_at)),
    }
}

/// Keeps the new status and tells it, when it is news.
fn set_status(status: &Mutex<MailboxStatusDto>, events: &Mutex<Option<Events>>, new: MailboxStatusDto) {
    let mut cur = lock(status);
    if *cur != new {
        *cur = new.clone();
        drop(cur);
        if let Some(tell) = lock(events).clone() {
            tell(Event::MailboxStatus(new));
        }
    }
}

impl Loops {
    pub(crate) fn new(m: &MailboxSettings) -> Loops {
        Loops { running: Mutex::new(None), runtime: Mutex::new(None), status: Arc::new(Mutex::new(first_status(m))) }
    }
}

impl Workspace {
    /// Starts the sender and the watcher on `rt`. Their writes reach the
    /// front end as `Changed` events, like a call's.
    pub fn start_mail(&self, rt: &Handle) {
        *lock(&self.mail.runtime) = Some(rt.clone());
        let running = self.spawn_loops(rt);
        *lock(&self.mail.running) = Some(running);
    }

    /// Stops the mail loops (they stop too when the workspace is dropped).
    pub fn stop_mail(&self) {
        if let Some(r) = lock(&self.mail.running).take() {
            r.stop();
        }
    }

    /// Online, connecting, offline (with why and when it tries again) or off.
    pub fn mailbox_status(&self) -> MailboxStatusDto {
        lock(&self.mail.status).clone()
    }

    /// Something may be ready to send (an email approved, one retried, a
    /// correction that put one back).
    pub(crate) fn wake(&self) {
        if let Some(r) = lock(&self.mail.running).as_ref() {
            r.wake.notify_one();
        }
    }

    /// The rep changed the mailbox settings or the password. Connected loops
    /// connect again with the new ones at once (the watcher leaves IDLE);
    /// loops that are not (waiting out a backoff of up to minutes) start
    /// over, so a mailbox just set up or fixed connects now.
    pub(crate) fn mailbox_changed(&self, m: &MailboxSettings) {
        if self.mailbox_status().state == "online" {
            if let Some(r) = lock(&self.mail.running).as_ref() {
                r.reconnect.notify_one();
                r.wake.notify_one();
            }
            return;
        }
        let mut running = lock(&self.mail.running);
        // Stopped first, so no late report of theirs overwrites the new status.
        if let Some(old) = running.take() {
            old.stop();
        }
        set_status(&self.mail.status, &self.events, first_status(m));
        let Some(rt) = lock(&self.mail.runtime).clone() else { return };
        *running = Some(self.spawn_loops(&rt));
    }

    fn spawn_loops(&self, rt: &Handle) -> Running {
        let (status, events, engine, fixed) = (self.mail.status.clone(), self.events.clone(), self.engine.clone(), self.fixed_now);
        let report: runner::Report = Arc::new(move |ev| match ev {
            runner::Event::Status(s) => set_status(&status, &events, status_dto(&s)),
            runner::Event::Sent(n) => {
                // A message went: sending works, whatever the last failure said.
                if lock(&status).state == "offline" {
                    set_status(&status, &events, MailboxStatusDto::new("online", None, None));
                }
                if let Some(tell) = lock(&events).clone() {
                    tell(Event::MailSent(n));
                }
            }
            runner::Event::Received(r) => {
                let Some(tell) = lock(&events).clone() else { return };
                let m = InboundDto::from(&*r);
                let wanted = lock(&engine).settings().map(|s| s.notifications).unwrap_or(true);
                let notice = if wanted { crate::notify::for_inbound(&m) } else { None };
                tell(Event::MailReceived(Box::new(m)));
                if let Some(n) = notice {
                    tell(Event::Notify(n));
                }
                // A reply or an out-of-office takes touches out of today's queue.
                let now = fixed.unwrap_or_else(chrono::Utc::now);
                let counted = due(&lock(&engine), now);
                if let Ok(d) = counted {
                    tell(Event::Due(d));
                }
            }
        });
        let _inside = rt.enter();
        let gate = std::sync::Arc::new(crate::oauth::TeamGate { engine: self.engine.clone(), client: tokio::sync::Mutex::new(None) });
        runner::start(self.engine.clone(), crate::clock::from(self.fixed_now), gate, report, Timing::from_env())
    }
}
