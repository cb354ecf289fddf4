//! A mail loop that never stalls and never dies silently (issue 14), against
//! the real servers: a hostile message in the folder is read past, a message
//! without a Message-ID seen by both the pre-send check and the watcher is
//! taken once, and a panic inside a loop is reported and the loop goes on.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use engine::api::SendState;
use engine::domain::EnrollmentState;
use lettre::address::Envelope;
use lettre::transport::smtp::client::Tls;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use mail::runner::{self, Event, Timing};
use mail::Credentials;

fn setup(name: &str) -> Live {
    let live = Live::new(name);
    live.add_all_day_sequence();
    live.enroll(1, "all-day");
    live
}

fn exited(live: &Live) -> bool {
    live.with(|e| {
        let p = e.find_prospect(&live.address(0)).unwrap();
        e.enrollments_of(p.id).unwrap()[0].state == EnrollmentState::Exited
    })
}

/// Raw bytes to the rep through port 1025, exactly as given (no Message-ID added).
async fn deliver_raw(from: &str, raw: &str) {
    let envelope = Envelope::new(Some(from.parse().unwrap()), vec!["rep@example.test".parse().unwrap()]).unwrap();
    let t = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1").port(1025).tls(Tls::None).build();
    t.send_raw(&envelope, raw.as_bytes()).await.unwrap();
}

#[tokio::test]
async fn a_hostile_message_in_the_folder_is_read_past_and_the_next_reply_acts() {
    let live = setup("hostile");
    live.approve_emails();
    assert_eq!(live.send().await.sent, 1);
    // 3 MB of opt-out look-alikes from a stranger (it crashed the reader),
    // then the prospect's reply.
    let hostile =
        format!("From: stranger@example.net\r\nTo: rep@example.test\r\nSubject: coffee\r\n\r\n{}\r\n", "please stop by ".repeat(200_000));
    deliver_raw("stranger@example.net", &hostile).await;
    deliver(&live.address(0), "Re: A question", "Yes, let's talk.", None).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let synced = live.read().await;
    assert!(synced.read >= 2, "both read: {synced:?}");
    assert!(exited(&live), "the reply after the hostile message stopped the sequence");
}

#[tokio::test]
async fn a_message_without_message_id_seen_by_the_pre_send_check_and_the_watcher_is_taken_once() {
    let live = setup("noid");
    live.approve_emails();
    assert_eq!(live.send().await.sent, 1);
    // The second email is due at once with the all-day sequence; approve it,
    // then the prospect writes, with no Message-ID at all.
    live.advance(chrono::Duration::days(1));
    live.approve_emails();
    let who = live.address(0);
    let raw = format!(
        "From: {who}\r\nTo: rep@example.test\r\nSubject: Re: A question\r\nDate: {}\r\n\r\nPlease call me instead.\r\n",
        chrono::Utc::now().to_rfc2822()
    );
    deliver_raw(&who, &raw).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    // The pre-send check finds it and holds the email; then the watcher reads the folder.
    let pass = live.send().await;
    assert_eq!(pass.held, 1, "{pass:?}");
    let synced = live.read().await;
    assert!(synced.recorded.is_empty(), "already taken: {synced:?}");
    let mine: Vec<_> = live.with(|e| e.inbox(50).unwrap()).into_iter().filter(|r| r.from.as_deref() == Some(who.as_str())).collect();
    assert_eq!(mine.len(), 1, "taken once: {mine:?}");
    assert!(exited(&live));
    assert_eq!(live.with(|e| e.sends(&[SendState::Cancelled], None, 10).unwrap().len()), 1, "the held email was cancelled by the reply");
}

#[tokio::test]
async fn a_panic_in_a_loop_is_reported_and_the_loops_go_on() {
    let live = setup("panic");
    live.approve_emails();
    assert_eq!(live.send().await.sent, 1);
    // The first three asks for the password panic (in whichever loop asks).
    let asked = Arc::new(AtomicUsize::new(0));
    let (a, p) = (asked.clone(), live.password.clone());
    let credentials: Credentials = Arc::new(move |_: &engine::mailbox::MailboxSettings| {
        if a.fetch_add(1, Ordering::SeqCst) < 3 {
            panic!("injected");
        }
        Ok(mail::Secret::Password(p.lock().unwrap().clone()))
    });
    let events = Arc::new(Mutex::new(Vec::new()));
    let ev = events.clone();
    let timing = Timing { idle: Duration::from_secs(5), poll: Duration::from_millis(300), max_backoff: Duration::from_secs(1) };
    let running = runner::start(
        live.engine.clone(),
        live.clock.clone(),
        credentials,
        Arc::new(move |e: Event| ev.lock().unwrap().push(format!("{e:?}"))),
        timing,
    );
    eventually(20, "the panic reported", || events.lock().unwrap().iter().any(|e| e.contains("internal error"))).await;
    eventually(20, "online after the panics", || events.lock().unwrap().iter().any(|e| e.contains("Online"))).await;
    // Let the watcher finish its first read and start idling, as it would be
    // when a reply comes in later.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let sent = Instant::now();
    deliver(&live.address(0), "Re: A question", "Sounds good.", None).await;
    eventually(20, "the reply acted on", || exited(&live)).await;
    eprintln!("reply to exit after the panics: {:?}", sent.elapsed());
    assert!(sent.elapsed() < Duration::from_secs(5), "the loops are back at full speed: {:?}", sent.elapsed());
    running.stop();
}
