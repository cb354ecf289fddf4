//! `cadence classify` and `cadence mailbox ...`: the mailbox from the command
//! line. The network work runs on a small tokio runtime; the engine is shared
//! with it behind a mutex, as in the app.

use std::io::{IsTerminal, Read};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use dto::{ClassifiedDto, ConnectionTestDto, InboundDto, MailboxDto, SendDto};
use engine::store::sends::SendState;
use engine::{Engine, Error};
use mail::runner::{self, Event, Status};
use mail::{secret, MailError, SharedEngine};

use crate::args::MailboxCmd;
use crate::emit;

fn mail_err(e: MailError) -> Error {
    e.into()
}

fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| Error::Mailbox(format!("cannot start the network runtime: {e}")))
}

pub fn classify(unsubscribe_address: Option<&str>, now: DateTime<Utc>) -> Result<(), Error> {
    let mut raw = Vec::new();
    std::io::stdin().read_to_end(&mut raw).map_err(|e| Error::Io { path: "standard input".into(), source: e })?;
    if raw.is_empty() {
        return Err(Error::Invalid("no message on standard input: cadence classify < message.eml".into()));
    }
    let c = engine::mail::classify(&raw, unsubscribe_address, now.date_naive());
    println!("{}", serde_json::to_string_pretty(&ClassifiedDto::from(&c)).expect("serialisable"));
    Ok(())
}

pub fn run(mut eng: Engine, cmd: MailboxCmd, json: bool, now: DateTime<Utc>) -> Result<(), Error> {
    match cmd {
        MailboxCmd::Show => show(&eng, json)?,
        MailboxCmd::Set { key, value } => {
            eng.set_mailbox(&key, &value)?;
            show(&eng, json)?;
        }
        MailboxCmd::Password => {
            let m = eng.mailbox()?;
            if m.address.is_empty() {
                return Err(Error::Invalid("set the address first: cadence mailbox set address you@company.com".into()));
            }
            if std::io::stdin().is_terminal() {
                eprintln!("Password for {} (the input is shown; finish with Enter):", m.login());
            }
            let mut line = String::new();
            std::io::stdin().read_line(&mut line).map_err(|e| Error::Io { path: "standard input".into(), source: e })?;
            let password = line.trim_end_matches(['\r', '\n']);
            let store = secret::save_password(m.login(), password).map_err(mail_err)?;
            emit(json, &serde_json::json!({ "saved": true, "keyring": store.label() }), || println!("Password saved in {}.", store.label()));
        }
        MailboxCmd::ForgetPassword => {
            let m = eng.mailbox()?;
            secret::delete_password(m.login()).map_err(mail_err)?;
            emit(json, &serde_json::json!({ "forgotten": true }), || println!("Password removed from the keyring."));
        }
        MailboxCmd::Test => {
            let m = eng.mailbox()?;
            if !m.is_configured() {
                return Err(mail_err(MailError::NotConfigured));
            }
            let password = secret::password(m.login()).map_err(mail_err)?;
            let t = runtime()?.block_on(runner::test_connection(&m, &password));
            let dto = ConnectionTestDto { smtp_ok: t.smtp.is_ok(), smtp: t.smtp_text(), imap_ok: t.imap.is_ok(), imap: t.imap_text() };
            let ok = dto.smtp_ok && dto.imap_ok;
            emit(json, &dto, || println!("{}\n{}", dto.smtp, dto.imap));
            if !ok {
                return Err(Error::Mailbox("the mailbox test failed".into()));
            }
        }
        MailboxCmd::Sync => {
            let shared: SharedEngine = Arc::new(Mutex::new(eng));
            let clock = mail::clock_from(Some(now));
            let rt = runtime()?;
            let (pass, synced) = rt.block_on(async {
                let pass = mail::sender::send_due(&shared, &clock).await?;
                let (m, password) = mail::sender::account_for(&shared)?;
                let mut imap = mail::imap::Imap::connect(&m, &password).await?;
                let folders = imap.folders().await?;
                let synced = mail::watcher::sync(&shared, &clock, &mut imap, &m, &folders).await?;
                imap.logout().await;
                Ok::<_, MailError>((pass, synced))
            }).map_err(mail_err)?;
            let v = serde_json::json!({
                "sent": pass.sent, "held": pass.held, "failed": pass.failed, "recovered": pass.recovered,
                "read": synced.read, "filed_in_sent": synced.filed,
                "received": pass.synced.recorded.iter().chain(synced.recorded.iter()).map(InboundDto::from).collect::<Vec<_>>(),
                "next_send": pass.next.map(dto::utc),
            });
            emit(json, &v, || {
                println!("Sent {}, held {}, failed {}, settled {} interrupted; read {} new messages.", pass.sent, pass.held, pass.failed, pass.recovered, synced.read);
                for r in pass.synced.recorded.iter().chain(synced.recorded.iter()) {
                    println!("  {} from {}: {}", r.kind.replace('_', " "), r.from.as_deref().unwrap_or("?"), r.action);
                }
            });
        }
        MailboxCmd::Run => {
            let shared: SharedEngine = Arc::new(Mutex::new(eng));
            let report: runner::Report = Arc::new(move |ev| match ev {
                Event::Status(Status::Online { .. }) => eprintln!("mailbox: online"),
                Event::Status(Status::Offline { error, .. }) => eprintln!("mailbox: offline: {error}"),
                Event::Status(Status::Off(why)) => eprintln!("mailbox: off: {why}"),
                Event::Sent(n) => eprintln!("mailbox: sent {n}"),
                Event::Received(r) => eprintln!("mailbox: {} from {}: {}", r.kind, r.from.as_deref().unwrap_or("?"), r.action),
            });
            let timing = runner::Timing::from_env();
            runtime()?.block_on(async move {
                let _running = runner::start(shared, mail::clock_from(Some(now)), report, timing);
                let _ = tokio::signal::ctrl_c().await;
            });
        }
        MailboxCmd::Sends { limit } => {
            let unsent = eng.sends(&[SendState::Queued, SendState::Sending, SendState::Held, SendState::Failed], None, limit)?;
            let sent = eng.sends(&[SendState::Sent], None, limit)?;
            let rows: Vec<SendDto> = unsent.iter().chain(sent.iter()).map(|(s, email, subject)| SendDto::new(s, email, subject)).collect();
            emit(json, &rows, || {
                for r in &rows {
                    let when = r.sent_at.clone().unwrap_or_else(|| r.not_before.clone());
                    let why = r.reason.as_deref().map(|w| format!(" ({w})")).unwrap_or_default();
                    println!("{:>6}  {:<9} {}  {}  {}{why}", r.touch_id, r.state, when, r.email, r.subject);
                }
            });
        }
        MailboxCmd::Inbox { limit } => {
            let rows: Vec<InboundDto> = eng.inbox(limit)?.iter().map(InboundDto::from).collect();
            emit(json, &rows, || {
                for r in &rows {
                    let fixed = if r.corrected { " (corrected)" } else { "" };
                    println!("{:>5}  {:<11}{fixed} {}  {}  → {}", r.id, r.kind, r.received_at, r.from.as_deref().unwrap_or("?"), r.action);
                }
            });
        }
        MailboxCmd::Correct { id, kind } => {
            let r = eng.correct_inbound(id, &kind, now)?;
            let dto = InboundDto::from(&r);
            emit(json, &dto, || println!("Message {id} is now {}: {}.", dto.kind, dto.action));
        }
        MailboxCmd::Tag { id, sentiment } => {
            let dto = InboundDto::from(&eng.tag_reply(id, &sentiment, now)?);
            emit(json, &dto, || println!("Message {id} is tagged {sentiment}."));
        }
        MailboxCmd::Meeting { id } => {
            let dto = InboundDto::from(&eng.meeting_from_reply(id, now)?);
            emit(json, &dto, || println!("Message {id} led to a meeting; it counts in the results."));
        }
        MailboxCmd::Retry { touch } => {
            eng.retry_send(touch, now)?;
            emit(json, &serde_json::json!({ "touch_id": touch, "state": "queued" }), || println!("Touch {touch} is queued to send again."));
        }
    }
    Ok(())
}

fn show(eng: &Engine, json: bool) -> Result<(), Error> {
    let m = eng.mailbox()?;
    let has = !m.address.is_empty() && secret::has_password(m.login());
    let dto = MailboxDto::new(&m, has);
    emit(json, &dto, || {
        if !dto.configured {
            println!("No mailbox set up yet. Start with: cadence mailbox set address you@company.com");
        }
        println!("address      {}", dto.address);
        println!("sending      {}:{} ({})", dto.smtp_host, dto.smtp_port, dto.smtp_security);
        println!("reading      {}:{} ({})", dto.imap_host, dto.imap_port, dto.imap_security);
        println!("password     {}", if dto.has_password { "saved in the keyring" } else { "not saved" });
        println!("daily cap    {} emails, about {} s apart (±{}%)", dto.daily_cap, dto.spacing_s, dto.jitter_pct);
    });
    Ok(())
}
