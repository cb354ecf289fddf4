//! Faults against the real servers: the SMTP server stops mid-run, the IMAP
//! server goes away and comes back, an out-of-office reply from Sieve.

mod common;

use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use chrono::Datelike;
use common::*;
use engine::api::SendState;
use engine::domain::EnrollmentState;
use mail::runner::{self, Event, Timing};

/// Starts the servers again when a test that stops them ends, pass or fail.
struct Restore;
impl Drop for Restore {
    fn drop(&mut self) {
        let _ = Command::new(repo().join("scripts/mail-server")).arg("start").status();
    }
}

fn setup(name: &str, n: usize) -> Live {
    mail_server(&["start"]);
    let live = Live::new(name);
    live.add_all_day_sequence();
    live.enroll(n, "all-day");
    live
}

fn mail_server(args: &[&str]) {
    let ok = Command::new(repo().join("scripts/mail-server")).args(args).status().unwrap().success();
    assert!(ok, "scripts/mail-server {args:?}");
}

fn postfix(cmd: &str) {
    let conf = mail_root().join("run/conf/postfix");
    let ok = Command::new("postfix").arg("-c").arg(&conf).arg(cmd).status().unwrap().success();
    assert!(ok, "postfix {cmd}");
}

fn quick() -> Timing {
    Timing { idle: Duration::from_secs(5), poll: Duration::from_millis(300), max_backoff: Duration::from_secs(1) }
}

fn count(live: &Live, states: &[SendState]) -> usize {
    live.with(|e| e.sends(states, None, 10_000).unwrap().len())
}

/// Every delivered message's Message-ID, and whether any came twice.
fn delivered_ids(live: &Live) -> (usize, usize) {
    let ids: Vec<String> = live.delivered().iter().filter_map(|m| header(m, "Message-ID")).collect();
    let distinct: std::collections::HashSet<_> = ids.iter().collect();
    (ids.len(), distinct.len())
}

#[tokio::test]
async fn smtp_server_stopped_mid_run_mail_waits_and_goes_later_none_lost() {
    let _restore = Restore;
    let live = setup("smtpdown", 20);
    live.with(|e| e.set_mailbox("spacing_s", "1").unwrap());
    live.approve_emails();
    let running = runner::start(live.engine.clone(), live.clock.clone(), live.credentials.clone(), Arc::new(|_| {}), quick());
    eventually(30, "a few sent", || count(&live, &[SendState::Sent]) >= 3).await;
    postfix("stop");
    tokio::time::sleep(Duration::from_secs(3)).await;
    let stuck = count(&live, &[SendState::Sent]);
    assert!(stuck < 20, "the server stopped before the end ({stuck} sent)");
    assert_eq!(
        count(&live, &[SendState::Queued, SendState::Sending, SendState::Sent]),
        20,
        "nothing failed or was lost while the server was down"
    );
    mail_server(&["start"]);
    eventually(60, "all sent after the server came back", || count(&live, &[SendState::Sent]) == 20).await;
    running.stop();
    eventually(20, "all delivered", || delivered_ids(&live).0 >= 20).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(delivered_ids(&live), (20, 20), "each email delivered exactly once");
}

#[tokio::test]
async fn the_watcher_reconnects_after_the_imap_server_goes_away_and_misses_nothing() {
    let _restore = Restore;
    let live = setup("imapdrop", 1);
    live.approve_emails();
    assert_eq!(live.send().await.sent, 1);
    eventually(10, "delivered", || live.delivered().len() == 1).await;
    let first = header(&live.delivered()[0], "Message-ID").unwrap();
    let events = Arc::new(std::sync::Mutex::new(Vec::new()));
    let ev = events.clone();
    let running = runner::start(
        live.engine.clone(),
        live.clock.clone(),
        live.credentials.clone(),
        Arc::new(move |e: Event| ev.lock().unwrap().push(format!("{e:?}"))),
        quick(),
    );
    eventually(20, "online", || events.lock().unwrap().iter().any(|e| e.contains("Online"))).await;
    // The server drops the watcher's connection; the reply arrives before it is back.
    let conf = mail_root().join("run/conf/dovecot/dovecot.conf");
    let kicked = Command::new("doveadm").arg("-c").arg(&conf).args(["kick", "rep@example.test"]).output().unwrap();
    assert!(String::from_utf8_lossy(&kicked.stdout).contains("rep@example.test"), "kicked: {kicked:?}");
    deliver(&live.address(0), "Re: Hello", "Yes, let's talk next week.", Some(&first)).await;
    let exited = || {
        live.with(|e| {
            let p = e.find_prospect(&live.address(0)).unwrap();
            e.enrollments_of(p.id).unwrap()[0].state == EnrollmentState::Exited
        })
    };
    eventually(60, "the reply that came during the outage is acted on", exited).await;
    eventually(20, "connected again", || events.lock().unwrap().iter().filter(|e| e.contains("Online")).count() >= 2).await;
    let online = events.lock().unwrap().iter().filter(|e| e.contains("Online")).count();
    assert!(online >= 2, "the watcher connected again: {:?}", events.lock().unwrap());
    running.stop();
}

/// The rep writes to the prospect by hand, outside Cadence, and the real
/// RFC 3834 reply of Sieve's vacation to that is what Cadence reads:
/// matched by sender, not by thread. (Sieve answers Cadence's own emails
/// too as long as they carry no List-Unsubscribe, the default:
/// `workspace/tests/host_inbox.rs` shows both sides of that rule.)
#[tokio::test]
async fn an_out_of_office_reply_pauses_until_the_day_after_the_return_date() {
    mail_server(&["start"]);
    let live = Live::new("vacation");
    live.add_all_day_sequence();
    let now = live.now();
    live.with(|e| {
        let csv = "email,first_name,company,timezone\nprospect@example.test,Pat,Prospect Co,UTC\n";
        e.import_csv("v.csv", csv.as_bytes(), &engine::api::ImportOptions::default(), now).unwrap();
        e.enroll(&engine::api::Selection::All, "all-day", false, now).unwrap();
    });
    let back = (live.now() + chrono::Duration::days(10)).date_naive();
    let month = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        [back.month0() as usize];
    let body = format!(
        "Thank you for your message. I am out of the office until {} {month} {} with limited access to email.",
        back.day(),
        back.year()
    );
    std::env::set_var("VACATION_BODY", &body);
    mail_server(&["vacation", "reset"]);
    mail_server(&["vacation", "on"]);
    live.approve_emails();
    assert_eq!(live.send().await.sent, 1);
    deliver_as("rep@example.test", "prospect@example.test", "Quick one", "Are you around this week?").await;
    let mut record = None;
    for _ in 0..50 {
        if let Some(r) = live.read().await.recorded.into_iter().find(|r| r.kind == "auto_reply") {
            record = Some(r);
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    mail_server(&["vacation", "off"]);
    let r = record.expect("Sieve's vacation reply arrived and was classified");
    assert_eq!(r.detail["return_date"].as_str(), Some(back.to_string().as_str()));
    assert!(r.action.starts_with("paused 1 sequence until"), "{}", r.action);
    let until = r.detail["effect"]["until"].as_str().unwrap().to_string();
    assert!(until.as_str() > back.to_string().as_str(), "resumes after the return date: {until}");
    let state = || {
        live.with(|e| {
            let p = e.find_prospect("prospect@example.test").unwrap();
            e.enrollments_of(p.id).unwrap()[0].state
        })
    };
    assert_eq!(state(), EnrollmentState::Paused);
    // The day it resumes, the sequence goes on by itself.
    live.advance(chrono::Duration::days(12));
    live.read().await;
    assert_eq!(state(), EnrollmentState::Active);
}
