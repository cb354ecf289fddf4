//! Live mail tests: the real Postfix and Dovecot on loopback that
//! `scripts/mail-server start` runs (the test command starts them), a real
//! database file, the kernel keyring, and a clock that moves when told.
//! Every test uses its own prospect addresses (prospect+TAG-N@example.test,
//! all delivered to prospect's mailbox), so tests do not see each other's mail.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, NaiveTime, Utc, Weekday};
use engine::api::{ImportOptions, Outcome, QueueOptions, Selection};
use engine::domain::Channel;
use engine::settings::RepSettings;
use engine::Engine;
use lettre::message::Mailbox;
use lettre::transport::smtp::client::Tls;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use mail::{Clock, Credentials, SharedEngine};

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

pub fn mail_root() -> PathBuf {
    repo().join("target/mail-server")
}

/// The real time: the servers stamp mail with it, and the pre-send check
/// compares against it. Tests use sequences and a rep that work every day,
/// all day, so this is always inside a window.
pub fn start_time() -> DateTime<Utc> {
    Utc::now()
}

pub struct Live {
    pub dir: tempfile::TempDir,
    pub engine: SharedEngine,
    pub clock: Clock,
    now: Arc<Mutex<DateTime<Utc>>>,
    pub tag: String,
    /// The rep's password as the loops get it. The OS keyring is the
    /// application layer's (its own tests cover it); here the tests change
    /// the password at will.
    pub password: Arc<Mutex<String>>,
    pub credentials: Credentials,
}

impl Live {
    pub fn new(name: &str) -> Live {
        // SAFETY: set before any thread reads it; every test sets the same value.
        unsafe { std::env::set_var("CADENCE_KEYRING", "kernel") };
        assert!(mail_root().join("tls/ca.pem").exists(), "the test mail servers are not running: scripts/mail-server start");
        let dir = tempfile::tempdir().unwrap();
        let now = Arc::new(Mutex::new(start_time()));
        let mut eng = Engine::open(&dir.path().join("cadence.db"), start_time()).unwrap();
        let every_day = [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun].to_vec();
        let rep = RepSettings {
            sender_name: "Rep Person".into(),
            working_days: every_day,
            day_start: NaiveTime::from_hms_opt(0, 0, 0).unwrap(),
            day_end: NaiveTime::from_hms_opt(23, 59, 0).unwrap(),
            ..Default::default()
        };
        eng.set_settings(&rep).unwrap();
        let ca = mail_root().join("tls/ca.pem");
        for (k, v) in [
            ("address", "rep@example.test"),
            ("smtp_host", "127.0.0.1"),
            ("smtp_port", "1587"),
            ("smtp_security", "starttls"),
            ("imap_host", "127.0.0.1"),
            ("imap_port", "1993"),
            ("imap_security", "tls"),
            ("ca_file", ca.to_str().unwrap()),
            ("spacing_s", "0"),
            ("jitter_pct", "0"),
            ("daily_cap", "1000"),
            ("recovery_grace_s", "2"),
        ] {
            eng.set_mailbox(k, v).unwrap();
        }
        let password = Arc::new(Mutex::new("rep-secret".to_string()));
        let p = password.clone();
        let credentials: Credentials =
            Arc::new(move |_: &engine::mailbox::MailboxSettings| Ok(mail::Secret::Password(p.lock().unwrap().clone())));
        let tag = format!("{name}{}", std::process::id());
        // Real time plus however far the test has moved the clock on.
        let c = now.clone();
        let began = start_time();
        let clock: Clock = Arc::new(move || *c.lock().unwrap() + (Utc::now() - began));
        Live { dir, engine: Arc::new(Mutex::new(eng)), clock, now, tag, password, credentials }
    }

    /// Adds `fixtures/all-day.toml` as the sequence "all-day".
    pub fn add_all_day_sequence(&self) {
        let path = self.dir.path().join("all-day.toml");
        std::fs::write(&path, include_str!("../fixtures/all-day.toml")).unwrap();
        let now = self.now();
        self.with(|e| e.add_sequence(&path, now).unwrap());
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("cadence.db")
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    pub fn advance(&self, by: chrono::Duration) {
        *self.now.lock().unwrap() += by;
    }

    pub fn with<T>(&self, f: impl FnOnce(&mut Engine) -> T) -> T {
        f(&mut self.engine.lock().unwrap())
    }

    pub fn address(&self, i: usize) -> String {
        format!("prospect+{}-{i}@example.test", self.tag)
    }

    /// Imports `n` prospects and enrolls them in `sequence`.
    pub fn enroll(&self, n: usize, sequence: &str) {
        let mut csv = String::from("email,first_name,company,timezone\n");
        for i in 0..n {
            csv += &format!("{},Pat{i},Company{i},UTC\n", self.address(i));
        }
        let now = self.now();
        self.with(|e| {
            let r = e.import_csv("live.csv", csv.as_bytes(), &ImportOptions::default(), now).unwrap();
            assert_eq!(r.imported, n, "{:?}", r.rejected);
            let rep = e.enroll(&Selection::All, sequence, false, now).unwrap();
            assert_eq!(rep.enrolled.len(), n);
        });
    }

    /// Approves every email due today, as drafted. Returns the touch ids.
    pub fn approve_emails(&self) -> Vec<i64> {
        let now = self.now();
        self.with(|e| {
            let q = e.queue(now, &QueueOptions { limit: None, channel: None }).unwrap();
            let ids: Vec<i64> = q.items.iter().filter(|i| i.channel == Channel::Email).map(|i| i.touch_id).collect();
            for id in &ids {
                e.complete(*id, Outcome::Approve { subject: None, body: None }, now).unwrap();
            }
            ids
        })
    }

    /// Works every non-email touch due today (marks it done or logs a call).
    pub fn work_other_touches(&self) {
        let now = self.now();
        self.with(|e| {
            let q = e.queue(now, &QueueOptions { limit: None, channel: None }).unwrap();
            for i in q.items.iter().filter(|i| i.channel != Channel::Email) {
                let outcome = if i.channel == Channel::Call {
                    Outcome::Call { outcome: engine::domain::CallOutcome::NoAnswer, notes: None, duration_s: None }
                } else {
                    Outcome::Done { notes: None }
                };
                e.complete(i.touch_id, outcome, now).unwrap();
            }
        });
    }

    pub async fn send(&self) -> mail::sender::Pass {
        mail::sender::send_due(&self.engine, &self.clock, &self.credentials).await.unwrap()
    }

    pub async fn read(&self) -> mail::watcher::Synced {
        let m = mail::sender::account(&self.engine, &self.credentials).unwrap();
        let mut imap = mail::imap_login(&m, &self.credentials).await.unwrap();
        let folders = imap.folders().await.unwrap();
        let s = mail::watcher::sync(&self.engine, &self.clock, &mut imap, &m, &folders).await.unwrap();
        imap.logout().await;
        s
    }

    /// Messages in prospect's mailbox addressed to this test's prospects.
    pub fn delivered(&self) -> Vec<String> {
        maildir(&mail_root().join("mail/example.test/prospect/Maildir"), "")
            .into_iter()
            .filter(|m| m.contains(&format!("prospect+{}-", self.tag)))
            .collect()
    }

    /// Messages in the rep's `folder` ("" for INBOX, ".Sent") mentioning this test's prospects.
    pub fn rep_mail(&self, folder: &str) -> Vec<(String, bool)> {
        let dir = mail_root().join("mail/example.test/rep/Maildir").join(folder);
        let mut out = Vec::new();
        for sub in ["new", "cur"] {
            for f in std::fs::read_dir(dir.join(sub)).into_iter().flatten().flatten() {
                let name = f.file_name().to_string_lossy().to_string();
                let seen = name.rsplit_once(":2,").is_some_and(|(_, flags)| flags.contains('S'));
                let text = String::from_utf8_lossy(&std::fs::read(f.path()).unwrap_or_default()).to_string();
                if text.contains(&format!("prospect+{}-", self.tag)) {
                    out.push((text, seen));
                }
            }
        }
        out
    }
}

pub fn maildir(dir: &Path, _: &str) -> Vec<String> {
    let mut out = Vec::new();
    for sub in ["new", "cur"] {
        for f in std::fs::read_dir(dir.join(sub)).into_iter().flatten().flatten() {
            out.push(String::from_utf8_lossy(&std::fs::read(f.path()).unwrap_or_default()).to_string());
        }
    }
    out
}

/// The value of a header in a raw message (first occurrence, unfolded).
pub fn header(msg: &str, name: &str) -> Option<String> {
    let head = msg.split("\r\n\r\n").next().unwrap_or(msg);
    let head = head.split("\n\n").next().unwrap_or(head).replace("\r\n", "\n");
    let mut lines = head.lines().peekable();
    while let Some(l) = lines.next() {
        if let Some((k, v)) = l.split_once(':') {
            if k.eq_ignore_ascii_case(name) {
                let mut v = v.trim().to_string();
                while lines.peek().is_some_and(|n| n.starts_with([' ', '\t'])) {
                    v.push(' ');
                    v.push_str(lines.next().unwrap().trim());
                }
                return Some(v);
            }
        }
    }
    None
}

/// Mail from outside the rep's server, as a mail client would send it
/// (lettre, port 1025 on loopback, no login).
pub async fn deliver(from: &str, subject: &str, body: &str, in_reply_to: Option<&str>) {
    let mut b =
        Message::builder().from(from.parse::<Mailbox>().unwrap()).to("rep@example.test".parse::<Mailbox>().unwrap()).subject(subject);
    if let Some(id) = in_reply_to {
        b = b.in_reply_to(id.to_string()).references(id.to_string());
    }
    let msg = b.body(body.to_string()).unwrap();
    let t = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1").port(1025).tls(Tls::None).build();
    t.send(msg).await.unwrap();
}

/// A plain message from `from` to `to` through port 1025 (no login).
pub async fn deliver_as(from: &str, to: &str, subject: &str, body: &str) {
    let msg = Message::builder()
        .from(from.parse::<Mailbox>().unwrap())
        .to(to.parse::<Mailbox>().unwrap())
        .subject(subject)
        .body(body.to_string())
        .unwrap();
    let t = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1").port(1025).tls(Tls::None).build();
    t.send(msg).await.unwrap();
}

/// Waits (up to `secs`) for `f` to hold.
pub async fn eventually(secs: u64, what: &str, mut f: impl FnMut() -> bool) {
    let end = std::time::Instant::now() + Duration::from_secs(secs);
    while !f() {
        assert!(std::time::Instant::now() < end, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
