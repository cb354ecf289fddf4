//! The mailbox: its settings, the password (to the keyring, never back),
//! the connection test, the send ledger, mail read back and what was done
//! about it, and one pass of sending and reading on demand.

use dto::{
    ClassifiedDto, ConnectionTestDto, DeliverabilityDto, InboundDto, MailboxDto, PasswordForgottenDto, PasswordInput, PasswordSavedDto,
    ProspectDto, RetriedDto, SendDto, SendsKind, SyncDto,
};
use engine::api::SendState;
use engine::mailbox::{Auth, MailboxSettings};
use engine::{Error, Result};
use mail::runner;
use mail::MailError;

use crate::keyring::{self, Kind};
use crate::{oauth, Workspace};

/// How many rows a screen's list shows (the Outbox's lists, Replies).
const RECENT: usize = 200;

/// The settings as a front end shows them, with whether a password (or a
/// sign-in) is saved for these servers.
fn view(m: &MailboxSettings) -> MailboxDto {
    MailboxDto::new(m, !m.address.is_empty() && keyring::has_secret(m))
}

/// The password is saved for the mailbox's login, so the address comes first.
fn login_of(m: &MailboxSettings) -> Result<&str> {
    if m.address.is_empty() {
        return Err(Error::Invalid(
            "set the mailbox's email address first (Settings → Mailbox, or `cadence mailbox set address you@company.com`); the password is saved for it"
                .into(),
        ));
    }
    Ok(m.login())
}

/// What a message is, from its raw bytes (`cadence classify`); no workspace needed.
pub fn classify(raw: &[u8], unsubscribe_address: Option<&str>, today: chrono::NaiveDate) -> Result<ClassifiedDto> {
    if raw.is_empty() {
        return Err(Error::Invalid("no message on standard input: cadence classify < message.eml".into()));
    }
    Ok(ClassifiedDto::from(&engine::mail::classify(raw, unsubscribe_address, today)))
}

impl Workspace {
    pub fn mailbox(&self) -> Result<MailboxDto> {
        self.read(|e, _| e.mailbox()).map(|m| view(&m))
    }

    /// Sets one mailbox setting by name; loops that are not connected start over.
    pub fn set_mailbox(&self, key: &str, value: &str) -> Result<MailboxDto> {
        let m = self.with(|e, _| e.set_mailbox(key, value))?;
        self.mailbox_changed(&m);
        Ok(view(&m))
    }

    /// The login the password is saved for (an error until the address is set).
    pub fn password_login(&self) -> Result<String> {
        let m = self.read(|e, _| e.mailbox())?;
        login_of(&m).map(str::to_string)
    }

    /// A setting as the window sets it: anything but a file path, which the
    /// shell chooses in a native dialog (an empty value clears it).
    pub fn set_mailbox_from_window(&self, key: &str, value: &str) -> Result<MailboxDto> {
        if key == "ca_file" && !value.trim().is_empty() {
            return Err(Error::Invalid("choose the certificate file with Choose…; a path is not taken from the window".into()));
        }
        self.set_mailbox(key, value)
    }

    /// Saves the password for the mailbox's login in the OS keyring.
    pub fn save_password(&self, password: &PasswordInput) -> Result<(MailboxDto, PasswordSavedDto)> {
        let m = self.read(|e, _| e.mailbox())?;
        login_of(&m)?;
        if m.auth == Auth::OAuth2 {
            return Err(Error::Invalid(
                "this mailbox signs in with its provider; use Sign in (or `cadence mailbox signin`), not a password".into(),
            ));
        }
        let store = keyring::save(&m, Kind::Password, password.expose())?;
        self.mailbox_changed(&m);
        Ok((view(&m), PasswordSavedDto { saved: true, keyring: store.label().into() }))
    }

    /// Starts signing in with the provider: the URL for the rep's browser
    /// and the listener its redirect comes back to. `finish_sign_in` waits.
    pub fn begin_sign_in(&self) -> Result<oauth::SignIn> {
        let m = self.read(|e, _| e.mailbox())?;
        let s = oauth::begin(&m)?;
        *crate::lock(&self.signing_in) = Some(s.canceller());
        Ok(s)
    }

    /// Waits for the browser to come back (up to five minutes), saves the
    /// sign-in and connects the mailbox with it.
    pub fn finish_sign_in(&self, s: oauth::SignIn) -> Result<MailboxDto> {
        let done = s.finish(oauth::WAIT);
        *crate::lock(&self.signing_in) = None;
        done?;
        let m = self.read(|e, _| e.mailbox())?;
        self.mailbox_changed(&m);
        Ok(view(&m))
    }

    /// Stops a sign-in that is waiting for the browser.
    pub fn cancel_sign_in(&self) {
        if let Some(c) = crate::lock(&self.signing_in).take() {
            c.store(true, std::sync::atomic::Ordering::SeqCst);
        }
    }

    /// Signs out: the refresh token leaves the keyring.
    pub fn sign_out(&self) -> Result<MailboxDto> {
        let m = self.read(|e, _| e.mailbox())?;
        oauth::sign_out(&m)?;
        self.mailbox_changed(&m);
        Ok(view(&m))
    }

    pub fn forget_password(&self) -> Result<PasswordForgottenDto> {
        let m = self.read(|e, _| e.mailbox())?;
        keyring::delete(&m, Kind::Password)?;
        Ok(PasswordForgottenDto { forgotten: true })
    }

    /// "Test connection": logs in to both servers with the saved password,
    /// sending nothing. Holds no lock while it waits on the network.
    pub async fn test_mailbox(&self) -> Result<ConnectionTestDto> {
        let m = self.read(|e, _| e.mailbox())?;
        if !m.is_configured() {
            return Err(MailError::NotConfigured.into());
        }
        // Signed in: a refresh now shows the sign-in still holds.
        let (token, token_ok) = match m.auth {
            Auth::Password => {
                keyring::get(&m, Kind::Password)?;
                (None, None)
            }
            Auth::OAuth2 => match oauth::refresh(&m) {
                Ok(_) => (Some("the sign-in holds: a fresh access token was issued".to_string()), Some(true)),
                Err(e @ (MailError::SignInAgain { .. } | MailError::NotSignedIn(_))) => return Err(e.into()),
                Err(e) => (Some(format!("the access token did not refresh: {e}")), Some(false)),
            },
        };
        let t = runner::test_connection(&m, &oauth::credentials()).await;
        let code = |r: &mail::Result<()>| r.as_ref().err().map(|e| e.code().as_str());
        Ok(ConnectionTestDto {
            login: m.auth.as_str(),
            token,
            token_ok,
            smtp_ok: t.smtp.is_ok(),
            smtp: t.smtp_text(),
            smtp_code: code(&t.smtp),
            imap_ok: t.imap.is_ok(),
            imap: t.imap_text(),
            imap_code: code(&t.imap),
        })
    }

    /// One list of the Outbox: waiting, held, failed or sent.
    pub fn sends(&self, kind: SendsKind) -> Result<Vec<SendDto>> {
        self.read(|e, _| {
            Ok(e.sends(kind.states(), None, RECENT)?.iter().map(|(s, email, subject)| SendDto::new(s, email, subject)).collect())
        })
    }

    /// Every email in the ledger: not sent yet first, then sent (`cadence mailbox sends`).
    pub fn all_sends(&self, limit: usize) -> Result<Vec<SendDto>> {
        self.read(|e, _| {
            let unsent = e.sends(&[SendState::Queued, SendState::Sending, SendState::Held, SendState::Failed], None, limit)?;
            let sent = e.sends(&[SendState::Sent], None, limit)?;
            Ok(unsent.iter().chain(sent.iter()).map(|(s, email, subject)| SendDto::new(s, email, subject)).collect())
        })
    }

    /// Puts a failed or held email back in line and wakes the sender.
    pub fn retry_send(&self, touch_id: i64) -> Result<RetriedDto> {
        self.with(|e, now| e.retry_send(touch_id, now))?;
        self.wake();
        Ok(RetriedDto { touch_id, state: SendState::Queued.as_str() })
    }

    /// Takes an approved email back before it goes: a draft again in Today.
    pub fn pull_back(&self, touch_id: i64) -> Result<()> {
        self.with(|e, now| e.pull_back(touch_id, now))
    }

    /// The newest mail read back, as the Replies screen lists it.
    pub fn recent_inbox(&self) -> Result<Vec<InboundDto>> {
        self.inbox(RECENT)
    }

    pub fn inbox(&self, limit: usize) -> Result<Vec<InboundDto>> {
        self.read(|e, _| Ok(e.inbox(limit)?.iter().map(InboundDto::from).collect()))
    }

    /// The rep says what a message really was. A correction may put
    /// cancelled emails back in the outbox: the sender is woken.
    pub fn correct_inbound(&self, id: i64, kind: &str) -> Result<InboundDto> {
        let r = self.with(|e, now| e.correct_inbound(id, kind, now))?;
        self.wake();
        Ok(InboundDto::from(&r))
    }

    pub fn tag_reply(&self, id: i64, sentiment: &str) -> Result<InboundDto> {
        self.with(|e, now| e.tag_reply(id, sentiment, now)).map(|r| InboundDto::from(&r))
    }

    pub fn meeting_from_reply(&self, id: i64) -> Result<InboundDto> {
        self.with(|e, now| e.meeting_from_reply(id, now)).map(|r| InboundDto::from(&r))
    }

    /// Keeps the prospect of a tagged reply in the sequence, along the
    /// branch the answered email has for the tag; the reply as it is then.
    pub fn keep_in_sequence(&self, id: i64) -> Result<InboundDto> {
        self.with(|e, now| {
            e.keep_in_sequence(id, now)?;
            e.inbound_record(id)
        })
        .map(|r| InboundDto::from(&r))
    }

    /// Adds the person a "left the company" reply names as a new prospect.
    pub fn add_referral(&self, id: i64) -> Result<ProspectDto> {
        self.with(|e, now| e.add_referral(id, now)).map(|p| ProspectDto::from(&p))
    }

    /// The deliverability alarm: receivers refusing the rep's own sending.
    pub fn deliverability(&self) -> Result<DeliverabilityDto> {
        self.read(|e, now| e.deliverability(now)).map(|d| DeliverabilityDto::from(&d))
    }

    /// The rep has looked into the refusals: sending goes on, and the emails
    /// that waited go again. The sender is woken.
    pub fn resume_sending(&self) -> Result<DeliverabilityDto> {
        let d = self.with(|e, now| e.resume_sending(now))?;
        self.wake();
        Ok(DeliverabilityDto::from(&d))
    }

    /// One pass now: send what may go, then read every watched folder.
    pub async fn sync(&self) -> Result<SyncDto> {
        let engine = self.engine();
        let clock = crate::clock::from(Some(self.now()));
        let credentials: mail::Credentials =
            std::sync::Arc::new(oauth::TeamGate { engine: engine.clone(), client: tokio::sync::Mutex::new(None) });
        let (pass, synced) = async {
            let pass = mail::sender::send_due(&engine, &clock, &credentials).await?;
            let m = mail::sender::account(&engine, &credentials)?;
            let mut imap = mail::imap_login(&m, &credentials).await?;
            let folders = imap.folders().await?;
            let synced = mail::watcher::sync(&engine, &clock, &mut imap, &m, &folders).await?;
            imap.logout().await;
            Ok::<_, MailError>((pass, synced))
        }
        .await?;
        Ok(SyncDto {
            sent: pass.sent,
            held: pass.held,
            failed: pass.failed,
            recovered: pass.recovered,
            read: synced.read,
            filed_in_sent: synced.filed,
            received: pass.synced.recorded.iter().chain(synced.recorded.iter()).map(InboundDto::from).collect(),
            next_send: pass.next.map(dto::utc),
        })
    }
}

/// A small runtime for front ends without one (the CLI's network commands).
pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::mailbox(format!("cannot start the network runtime: {e}")))
}
