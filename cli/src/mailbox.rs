//! `cadence classify` and `cadence mailbox ...`: the mailbox from the command
//! line. The network commands run on a small tokio runtime; `mailbox run`
//! starts the same mail loops the app runs and prints their events.

use std::io::{IsTerminal, Read};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use dto::{MailboxDto, PasswordInput};
use workspace::{Error, Event, Result, Workspace};

use crate::args::MailboxCmd;
use crate::emit;
use crate::human::{safe, safe_text};

pub fn classify(unsubscribe_address: Option<&str>, now: DateTime<Utc>) -> Result<()> {
    let mut raw = Vec::new();
    std::io::stdin().read_to_end(&mut raw).map_err(|e| Error::Io { path: "standard input".into(), source: e })?;
    let c = workspace::classify(&raw, unsubscribe_address, now.date_naive())?;
    println!("{}", serde_json::to_string_pretty(&c).expect("serialisable"));
    Ok(())
}

pub fn run(ws: Workspace, cmd: MailboxCmd, json: bool) -> Result<()> {
    match cmd {
        MailboxCmd::Show => emit(json, &ws.mailbox()?, show),
        MailboxCmd::Set { key, value } => emit(json, &ws.set_mailbox(&key, &value)?, show),
        MailboxCmd::Password => {
            let login = ws.password_login()?;
            if std::io::stdin().is_terminal() {
                eprintln!("Password for {} (the input is shown; finish with Enter):", safe(&login));
            }
            let mut line = String::new();
            std::io::stdin().read_line(&mut line).map_err(|e| Error::Io { path: "standard input".into(), source: e })?;
            let (_, saved) = ws.save_password(&PasswordInput::new(line.trim_end_matches(['\r', '\n']).to_string()))?;
            emit(json, &saved, |s| println!("Password saved in {}.", safe(&s.keyring)));
        }
        MailboxCmd::Signin { provider, no_browser } => {
            if let Some(p) = provider {
                ws.set_mailbox("provider", &p)?;
            }
            let signin = ws.begin_sign_in()?;
            eprintln!("Open this address in your browser to sign in:\n\n    {}\n", signin.url);
            if !no_browser && !open_browser(&signin.url) {
                eprintln!("(No browser could be started here; copy the address into one.)");
            }
            eprintln!("Waiting for you to finish in the browser…");
            let m = ws.finish_sign_in(signin)?;
            emit(json, &m, |m| println!("Signed in as {}; the sign-in is kept in the OS keyring.", safe(&m.address)));
        }
        MailboxCmd::Signout => emit(json, &ws.sign_out()?, |_| println!("Signed out: the sign-in was removed from the keyring.")),
        MailboxCmd::ForgetPassword => emit(json, &ws.forget_password()?, |_| println!("Password removed from the keyring.")),
        MailboxCmd::Test => {
            let t = workspace::runtime()?.block_on(ws.test_mailbox())?;
            emit(json, &t, |t| {
                let login = if t.login == "oauth2" { "signed in with the provider (OAuth2)" } else { "password" };
                println!("Login: {login}");
                if let Some(token) = &t.token {
                    println!("Token: {}", safe_text(token));
                }
                println!("{}\n{}", safe_text(&t.smtp), safe_text(&t.imap));
            });
            if !(t.smtp_ok && t.imap_ok && t.token_ok != Some(false)) {
                return Err(Error::mailbox("the mailbox test failed"));
            }
        }
        MailboxCmd::Sync => {
            let s = workspace::runtime()?.block_on(ws.sync())?;
            emit(json, &s, |s| {
                println!(
                    "Sent {}, held {}, failed {}, settled {} interrupted; read {} new messages.",
                    s.sent, s.held, s.failed, s.recovered, s.read
                );
                for r in &s.received {
                    println!("  {} from {}: {}", r.kind.replace('_', " "), safe(r.from.as_deref().unwrap_or("?")), safe(&r.action));
                }
            });
        }
        MailboxCmd::Run => {
            ws.on_event(Arc::new(|e| match e {
                Event::MailboxStatus(s) => match (s.state.as_str(), s.message) {
                    ("online", _) => eprintln!("mailbox: online"),
                    (state, Some(why)) => eprintln!("mailbox: {state}: {}", safe(&why)),
                    (state, None) => eprintln!("mailbox: {state}"),
                },
                Event::MailSent(n) => eprintln!("mailbox: sent {n}"),
                Event::MailReceived(r) => {
                    eprintln!("mailbox: {} from {}: {}", r.kind, safe(r.from.as_deref().unwrap_or("?")), safe(&r.action))
                }
                Event::Changed(_) | Event::Due(_) | Event::Notify(_) => {}
            }));
            let first = ws.mailbox_status();
            if first.state == "off" {
                eprintln!("mailbox: off: {}", safe(&first.message.unwrap_or_default()));
            }
            let rt = workspace::runtime()?;
            ws.start_mail(rt.handle());
            rt.block_on(async {
                let _ = tokio::signal::ctrl_c().await;
            });
            ws.stop_mail();
        }
        MailboxCmd::Sends { limit } => emit(json, &ws.all_sends(limit)?, |rows| {
            for r in rows {
                let when = r.sent_at.clone().unwrap_or_else(|| r.not_before.clone());
                let why = r.reason.as_deref().map(|w| format!(" ({})", safe(w))).unwrap_or_default();
                println!("{:>6}  {:<9} {}  {}  {}{why}", r.touch_id, r.state, safe(&when), safe(&r.email), safe(&r.subject));
            }
        }),
        MailboxCmd::Inbox { limit } => emit(json, &ws.inbox(limit)?, |rows| {
            for r in rows {
                let fixed = if r.corrected { " (corrected)" } else { "" };
                println!(
                    "{:>5}  {:<11}{fixed} {}  {}  → {}",
                    r.id,
                    r.kind,
                    safe(&r.received_at),
                    safe(r.from.as_deref().unwrap_or("?")),
                    safe(&r.action)
                );
            }
        }),
        MailboxCmd::Correct { id, kind } => {
            emit(json, &ws.correct_inbound(id, &kind)?, |d| println!("Message {id} is now {}: {}.", d.kind, safe(&d.action)))
        }
        MailboxCmd::Referral { id } => emit(json, &ws.add_referral(id)?, |p| {
            let name = [p.first_name.as_deref(), p.last_name.as_deref()].into_iter().flatten().collect::<Vec<_>>().join(" ");
            println!("Added {} <{}> as a prospect (#{}).", safe(&name), safe(&p.email), p.id);
        }),
        MailboxCmd::Deliverability => emit(json, &ws.deliverability()?, deliverability),
        MailboxCmd::Resume => emit(json, &ws.resume_sending()?, |_| println!("Sending resumed; the emails that waited go again.")),
        MailboxCmd::Tag { id, sentiment } => {
            emit(json, &ws.tag_reply(id, &sentiment)?, |_| println!("Message {id} is tagged {}.", safe(&sentiment)))
        }
        MailboxCmd::Meeting { id } => {
            emit(json, &ws.meeting_from_reply(id)?, |_| println!("Message {id} led to a meeting; it counts in the results."))
        }
        MailboxCmd::Keep { id } => emit(json, &ws.keep_in_sequence(id)?, |m| {
            let who = m.prospect_name.as_deref().unwrap_or("The prospect");
            println!(
                "{} stays in the sequence, along the branch for a {} reply.",
                crate::human::safe(who),
                m.sentiment.as_deref().unwrap_or("tagged")
            );
        }),
        MailboxCmd::Retry { touch } => emit(json, &ws.retry_send(touch)?, |_| println!("Touch {touch} is queued to send again.")),
    }
    Ok(())
}

fn deliverability(d: &dto::DeliverabilityDto) {
    match (&d.paused_at, &d.paused_why) {
        (Some(at), Some(why)) => println!("Sending is PAUSED since {}: {}. Resume with: cadence mailbox resume", safe(at), safe(why)),
        _ => println!("Sending is on."),
    }
    match &d.alarm {
        Some(a) => {
            println!("Alarm: {} ({} not yet seen)", safe(&a.label), a.unseen);
            println!("  The receiver said: {}", safe(&a.said));
            println!("  {}", safe(&a.advice));
        }
        None => println!("No refusal of your sending you have not seen."),
    }
    let pause = if d.threshold == 0 { "never pauses".to_string() } else { format!("pauses at {}", d.threshold) };
    println!(
        "{} refusals count toward the pause (the last 24 hours, since you last resumed; sending {pause}); the last 7 days:",
        d.last_day
    );
    for r in &d.refusals {
        println!("  {}  {:<14} {}  {}", safe(&r.at), safe(&r.reason), safe(&r.source), safe(&r.said));
    }
}

fn show(dto: &MailboxDto) {
    if !dto.configured {
        println!("No mailbox set up yet. Start with: cadence mailbox set address you@company.com");
    }
    println!("address      {}", safe(&dto.address));
    println!("sending      {}:{} ({})", safe(&dto.smtp_host), dto.smtp_port, safe(&dto.smtp_security));
    println!("reading      {}:{} ({})", safe(&dto.imap_host), dto.imap_port, safe(&dto.imap_security));
    if dto.auth == "oauth2" {
        println!(
            "sign-in      {} ({})",
            if dto.signed_in { "signed in, kept in the keyring" } else { "not signed in: cadence mailbox signin" },
            safe(&dto.provider)
        );
    } else {
        println!("password     {}", if dto.has_password { "saved in the keyring" } else { "not saved" });
    }
    println!("daily cap    {} emails, about {} s apart (±{}%)", dto.daily_cap, dto.spacing_s, dto.jitter_pct);
}

/// Opens `url` in the rep's browser (xdg-open, or macOS's open). The URL
/// carries no secret: the PKCE challenge and the state only.
fn open_browser(url: &str) -> bool {
    let opener = if cfg!(target_os = "macos") { "open" } else { "xdg-open" };
    std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .is_ok()
}
