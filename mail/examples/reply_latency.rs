//! Benchmark: from a reply handed to the mail server to its prospect's
//! enrollment stopped (and pending touches cancelled), with the watcher on
//! IMAP IDLE against the real Dovecot on loopback (which itself waits 0.5 s
//! before telling an idling client). Needs `scripts/mail-server start`.
//!
//!     cargo run -p cadence-mail --release --example reply_latency [-- RUNS]

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{NaiveTime, Utc, Weekday};
use engine::api::{ImportOptions, Outcome, QueueOptions, Selection};
use engine::domain::{Channel, EnrollmentState};
use engine::settings::RepSettings;
use engine::Engine;
use lettre::message::Mailbox;
use lettre::transport::smtp::client::Tls;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use mail::runner::{self, Event, Timing};

const SEQUENCE: &str = include_str!("../tests/fixtures/all-day.toml");

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let runs: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(11);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().join("target/mail-server");
    std::env::set_var("CADENCE_KEYRING", "kernel");
    let dir = tempfile::tempdir().unwrap();
    let now = Utc::now();
    let mut e = Engine::open(&dir.path().join("cadence.db"), now).unwrap();
    let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
    let days = vec![Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun];
    e.set_settings(&RepSettings {
        sender_name: "Rep".into(),
        working_days: days,
        day_start: t(0, 0),
        day_end: t(23, 59),
        ..Default::default()
    })
    .unwrap();
    let ca = root.join("tls/ca.pem");
    for (k, v) in [
        ("address", "rep@example.test"),
        ("smtp_host", "127.0.0.1"),
        ("smtp_port", "1587"),
        ("imap_host", "127.0.0.1"),
        ("imap_port", "1993"),
        ("imap_security", "tls"),
        ("ca_file", ca.to_str().unwrap()),
        ("spacing_s", "0"),
        ("jitter_pct", "0"),
    ] {
        e.set_mailbox(k, v).unwrap();
    }
    let seq = dir.path().join("all-day.toml");
    std::fs::write(&seq, SEQUENCE).unwrap();
    e.add_sequence(&seq, now).unwrap();
    let tag = format!("prospect+lat{}-", std::process::id());
    let mut csv = String::from("email,first_name,company,timezone\n");
    for i in 0..runs {
        csv += &format!("{tag}{i}@example.test,P{i},C{i},UTC\n");
    }
    e.import_csv("l.csv", csv.as_bytes(), &ImportOptions::default(), now).unwrap();
    e.enroll(&Selection::All, "all-day", false, now).unwrap();
    for item in e.queue(now, &QueueOptions { limit: None, channel: Some(Channel::Email) }).unwrap().items {
        e.complete(item.touch_id, Outcome::Approve { subject: None, body: None }, now).unwrap();
    }
    let engine = Arc::new(Mutex::new(e));
    let clock: mail::Clock = Arc::new(chrono::Utc::now);
    let credentials: mail::Credentials = Arc::new(|_: &engine::mailbox::MailboxSettings| Ok(mail::Secret::Password("rep-secret".into())));
    let pass = mail::sender::send_due(&engine, &clock, &credentials).await.unwrap();
    assert_eq!(pass.sent, runs);
    let ids: Vec<String> = engine
        .lock()
        .unwrap()
        .sends(&[engine::api::SendState::Sent], None, 1000)
        .unwrap()
        .iter()
        .map(|(s, email, _)| format!("{}|{email}", s.message_id.clone().unwrap()))
        .collect();

    let online = Arc::new(Mutex::new(0));
    let o = online.clone();
    let timing = Timing { idle: Duration::from_secs(600), ..Timing::default() };
    let running = runner::start(
        engine.clone(),
        clock.clone(),
        credentials.clone(),
        Arc::new(move |ev| {
            if let Event::Status(runner::Status::Online { .. }) = ev {
                *o.lock().unwrap() += 1
            }
        }),
        timing,
    );
    while *online.lock().unwrap() == 0 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await; // first read done, now idling
    let smtp = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1").port(1025).tls(Tls::None).build();
    let mut times = Vec::new();
    for pair in &ids {
        let (id, email) = pair.split_once('|').unwrap();
        let msg = Message::builder()
            .from(email.parse::<Mailbox>().unwrap())
            .to("rep@example.test".parse::<Mailbox>().unwrap())
            .subject("Re: Hello")
            .in_reply_to(format!("<{id}>"))
            .references(format!("<{id}>"))
            .body("Sounds good, let's talk.".to_string())
            .unwrap();
        let p = engine.lock().unwrap().find_prospect(email).unwrap().id;
        let t0 = Instant::now();
        smtp.send(msg).await.unwrap();
        loop {
            let state = engine.lock().unwrap().enrollments_of(p).unwrap()[0].state;
            if state == EnrollmentState::Exited {
                break;
            }
            assert!(t0.elapsed() < Duration::from_secs(30), "no stop within 30 s");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        times.push(t0.elapsed().as_secs_f64() * 1000.0);
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    running.stop();
    let mut sorted = times.clone();
    sorted.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "reply to enrollment stopped, IDLE, {} runs: median {:.0} ms (min {:.0}, max {:.0})",
        runs,
        sorted[runs / 2],
        sorted[0],
        sorted[runs - 1]
    );
}
