//! Exactly once, under `kill -9`: `cadence mailbox run` sends a burst of 200
//! approved emails through the real Postfix on loopback and is killed three
//! times mid-burst; after the last restart every email is in the prospect's
//! mailbox exactly once. Needs the test mail servers (scripts/mail-server).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{NaiveTime, Utc, Weekday};
use engine::api::SendState;
use engine::api::{ImportOptions, Outcome, QueueOptions, Selection};
use engine::domain::Channel;
use engine::settings::RepSettings;
use engine::Engine;

const N: usize = 200;

const SEQUENCE: &str = include_str!("../../mail/tests/fixtures/all-day.toml");

fn mail_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().join("target/mail-server")
}

fn spawn(db: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_cadence"))
        .args(["--db", db.to_str().unwrap(), "mailbox", "run"])
        .env("CADENCE_KEYRING", "kernel")
        .env("CADENCE_MAIL_POLL_S", "0.2")
        .env("CADENCE_MAIL_BACKOFF_S", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Messages for this test in prospect's mailbox, by Message-ID.
fn delivered(tag: &str) -> HashMap<String, usize> {
    let mut ids = HashMap::new();
    let dir = mail_root().join("mail/example.test/prospect/Maildir");
    for sub in ["new", "cur"] {
        for f in std::fs::read_dir(dir.join(sub)).into_iter().flatten().flatten() {
            let text = String::from_utf8_lossy(&std::fs::read(f.path()).unwrap_or_default()).to_string();
            if !text.contains(tag) {
                continue;
            }
            if let Some(id) = text.lines().find_map(|l| l.strip_prefix("Message-ID: ")) {
                *ids.entry(id.trim().to_string()).or_default() += 1;
            }
        }
    }
    ids
}

fn sent(db: &Path) -> usize {
    let e = Engine::open(db, Utc::now()).unwrap();
    e.sends(&[SendState::Sent], None, 10_000).unwrap().len()
}

fn wait_until(secs: u64, what: &str, mut f: impl FnMut() -> bool) {
    let end = Instant::now() + Duration::from_secs(secs);
    while !f() {
        assert!(Instant::now() < end, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn mailbox_killed_mid_burst_sends_every_email_exactly_once() {
    assert!(mail_root().join("tls/ca.pem").exists(), "start the test mail servers: scripts/mail-server start");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cadence.db");
    let tag = format!("prospect+crash{}-", std::process::id());
    let now = Utc::now();
    {
        let mut e = Engine::open(&db, now).unwrap();
        let every_day = vec![Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun];
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        e.set_settings(&RepSettings {
            sender_name: "Rep Person".into(),
            working_days: every_day,
            day_start: t(0, 0),
            day_end: t(23, 59),
            ..Default::default()
        })
        .unwrap();
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
            ("recovery_grace_s", "1"),
        ] {
            e.set_mailbox(k, v).unwrap();
        }
        let seq = dir.path().join("all-day.toml");
        std::fs::write(&seq, SEQUENCE).unwrap();
        e.add_sequence(&seq, now).unwrap();
        let mut csv = String::from("email,first_name,company,timezone\n");
        for i in 0..N {
            csv += &format!("{tag}{i}@example.test,Pat{i},Company{i},UTC\n");
        }
        e.import_csv("burst.csv", csv.as_bytes(), &ImportOptions::default(), now).unwrap();
        e.enroll(&Selection::All, "all-day", false, now).unwrap();
        let q = e.queue(now, &QueueOptions { limit: None, channel: Some(Channel::Email) }).unwrap();
        assert_eq!(q.items.len(), N);
        for item in &q.items {
            e.complete(item.touch_id, Outcome::Approve { subject: None, body: None }, now).unwrap();
        }
        std::env::set_var("CADENCE_KEYRING", "kernel");
        workspace::keyring::save(&e.mailbox().unwrap(), workspace::keyring::Kind::Password, "rep-secret").unwrap();
    }

    // Kill -9 three times while the burst is going out.
    let mut kills = 0;
    for at in [30, 90, 150] {
        let mut child = spawn(&db);
        wait_until(120, "the burst to get going", || delivered(&tag).len() >= at);
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        kills += 1;
    }
    let mut child = spawn(&db);
    wait_until(180, "every email sent", || sent(&db) == N);
    wait_until(30, "every email delivered", || delivered(&tag).len() == N);
    std::thread::sleep(Duration::from_secs(1));
    child.kill().unwrap();
    child.wait().unwrap();

    let got = delivered(&tag);
    let twice: Vec<_> = got.iter().filter(|(_, n)| **n > 1).collect();
    assert_eq!(kills, 3);
    assert!(twice.is_empty(), "sent twice: {twice:?}");
    assert_eq!(got.len(), N, "every email arrived");
    let e = Engine::open(&db, Utc::now()).unwrap();
    assert!(e.sends(&[SendState::Sending, SendState::Queued, SendState::Failed], None, 10).unwrap().is_empty());
}
