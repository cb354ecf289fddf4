//! The mailbox in the app: the mail loops (`mail::runner`) on Tauri's async
//! runtime, sharing the workspace's engine. Their reports become window
//! events (`mailbox-status`, `mail-received`); the last status is kept for a
//! window that asks. The password goes from the window to the OS keyring and
//! nowhere else: it is not logged, kept or sent back.

use std::sync::{Arc, Mutex};

use dto::{ConnectionTestDto, ErrorDto, InboundDto, MailboxDto, MailboxStatusDto, PasswordInput};
use engine::mailbox::MailboxSettings;
use mail::runner::{self, Event, Running, Status, Timing};
use mail::{secret, Clock, MailError, SharedEngine};
use tauri::{AppHandle, Emitter, Manager};

use crate::workspace::Workspace;

pub struct Mailbox {
    engine: SharedEngine,
    app: AppHandle,
    clock: Clock,
    status: Arc<Mutex<MailboxStatusDto>>,
    running: Mutex<Running>,
}

fn status_dto(s: &Status) -> MailboxStatusDto {
    match s {
        Status::Off(why) => MailboxStatusDto::new("off", Some(why.clone()), None),
        Status::Online { .. } => MailboxStatusDto::new("online", None, None),
        Status::Offline { error, retry_at } => MailboxStatusDto::new("offline", Some(error.clone()), Some(*retry_at)),
    }
}

/// Before the loops report: off until a mailbox is set up, else connecting.
fn first_status(m: &MailboxSettings) -> MailboxStatusDto {
    if m.is_configured() {
        MailboxStatusDto::new("connecting", None, None)
    } else {
        MailboxStatusDto::new("off", Some(MailError::NotConfigured.to_string()), None)
    }
}

/// The settings as the window shows them, with whether a password is saved.
pub fn view(m: &MailboxSettings) -> MailboxDto {
    MailboxDto::new(m, !m.address.is_empty() && secret::has_password(m.login()))
}

fn set_status(app: &AppHandle, status: &Mutex<MailboxStatusDto>, new: MailboxStatusDto) {
    let mut cur = status.lock().unwrap_or_else(|p| p.into_inner());
    if *cur != new {
        *cur = new.clone();
        let _ = app.emit("mailbox-status", new);
    }
}

impl Mailbox {
    /// Starts the mail loops. Their writes reach the window through the
    /// workspace's change events, like a command's.
    pub fn start(app: &AppHandle, engine: SharedEngine) -> Mailbox {
        let settings = engine.lock().unwrap_or_else(|p| p.into_inner()).mailbox().unwrap_or_default();
        let status = Arc::new(Mutex::new(first_status(&settings)));
        let clock = mail::clock_from(crate::workspace::fixed_now());
        let running = Mutex::new(spawn(app, &engine, &clock, &status));
        Mailbox { engine, app: app.clone(), clock, status, running }
    }

    pub fn status(&self) -> MailboxStatusDto {
        self.status.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Something may be ready to send (an email approved, one retried).
    pub fn wake(&self) {
        self.running.lock().unwrap_or_else(|p| p.into_inner()).wake.notify_one();
    }

    /// The rep changed the mailbox settings or the password. Connected
    /// loops pick the change up themselves; loops that are not (waiting out
    /// a backoff of up to minutes) start over, so a mailbox just set up or
    /// fixed connects now.
    pub fn settings_changed(&self, m: &MailboxSettings) -> MailboxDto {
        if self.status().state == "online" {
            self.wake();
        } else {
            let mut running = self.running.lock().unwrap_or_else(|p| p.into_inner());
            running.stop();
            set_status(&self.app, &self.status, first_status(m));
            *running = spawn(&self.app, &self.engine, &self.clock, &self.status);
        }
        view(m)
    }

    /// Saves the password for the mailbox's login in the OS keyring.
    pub fn save_password(&self, m: &MailboxSettings, password: &PasswordInput) -> Result<MailboxDto, ErrorDto> {
        if m.address.is_empty() {
            return Err(ErrorDto::from(&engine::Error::Invalid("enter the email address first; the password is saved for it".into())));
        }
        secret::save_password(m.login(), password.expose()).map_err(|e| ErrorDto::from(&engine::Error::from(e)))?;
        Ok(self.settings_changed(m))
    }
}

/// "Test connection": logs in to both servers with the saved password,
/// sending nothing.
pub async fn test(engine: SharedEngine) -> Result<ConnectionTestDto, ErrorDto> {
    let err = |e: MailError| ErrorDto::from(&engine::Error::from(e));
    let m = engine.lock().unwrap_or_else(|p| p.into_inner()).mailbox().map_err(|e| ErrorDto::from(&e))?;
    if !m.is_configured() {
        return Err(err(MailError::NotConfigured));
    }
    let password = secret::password(m.login()).map_err(err)?;
    let t = runner::test_connection(&m, &password).await;
    Ok(ConnectionTestDto { smtp_ok: t.smtp.is_ok(), smtp: t.smtp_text(), imap_ok: t.imap.is_ok(), imap: t.imap_text() })
}

/// Starts the loops on Tauri's runtime, reporting to the window.
fn spawn(app: &AppHandle, engine: &SharedEngine, clock: &Clock, status: &Arc<Mutex<MailboxStatusDto>>) -> Running {
    let (window, status) = (app.clone(), status.clone());
    let report: runner::Report = Arc::new(move |ev| match ev {
        Event::Status(s) => set_status(&window, &status, status_dto(&s)),
        // A message went: sending works, whatever the last failure said.
        Event::Sent(_) => {
            if status.lock().unwrap_or_else(|p| p.into_inner()).state == "offline" {
                set_status(&window, &status, MailboxStatusDto::new("online", None, None));
            }
        }
        Event::Received(r) => {
            let _ = window.emit("mail-received", InboundDto::from(&r));
            // A reply or an out-of-office takes touches out of today's queue.
            if let Some(ws) = window.try_state::<Workspace>() {
                ws.read(|e| crate::tray::show_due(&window, e));
            }
        }
    });
    let rt = tauri::async_runtime::handle();
    let _inside = rt.inner().enter();
    runner::start(engine.clone(), clock.clone(), report, Timing::from_env())
}
