//! The send ledger's rules through the façade, on a real SQLite file, with no
//! network: what may go when, and what ending or pausing a sequence does to
//! an approved email that has not gone yet.

mod common;

use common::*;
use engine::api::SendState;
use engine::api::{NextSend, Outcome, QueueOptions, Selection};
use engine::domain::{Channel, EnrollmentState, TouchState};

const SEQ: &str = "cold-outbound-21d";

/// Lucía's first email approved on Monday; it goes Tuesday 08:30 Madrid.
fn approved(w: &mut World) -> (i64, i64) {
    let now = utc("2026-11-23T19:00:00Z");
    w.import(PEOPLE, now);
    let lucia = w.engine.find_prospect("lucia@nubaria.es").unwrap();
    let eid = w.engine.enroll(&Selection::Prospects(vec![lucia.id]), SEQ, false, now).unwrap().enrolled[0].1;
    let q = w.engine.queue(now, &QueueOptions { limit: None, channel: Some(Channel::Email) }).unwrap();
    let t = q.items[0].touch_id;
    w.engine.complete(t, Outcome::Approve { subject: None, body: None }, now).unwrap();
    for (k, v) in [
        ("address", "alex@northwind.example"),
        ("smtp_host", "smtp.northwind.example"),
        ("imap_host", "imap.northwind.example"),
        ("daily_cap", "1"),
        ("spacing_s", "0"),
    ] {
        w.engine.set_mailbox(k, v).unwrap();
    }
    (t, eid)
}

fn state(w: &World, t: i64) -> SendState {
    let all = w.engine.sends(SendState::ALL, None, 100).unwrap();
    all.iter().find(|(s, _, _)| s.touch_id == t).unwrap().0.state
}

#[test]
fn an_email_waits_for_its_window_then_starts_one_attempt_with_a_fixed_message_id() {
    let mut w = World::new(utc("2026-11-23T19:00:00Z"));
    let (t, _) = approved(&mut w);
    match w.engine.next_send(utc("2026-11-23T20:00:00Z")).unwrap() {
        NextSend::Wait { until, .. } => assert_eq!(until, utc("2026-11-24T07:30:00Z")),
        other => panic!("it is not its time yet: {other:?}"),
    }
    let NextSend::Send(out) = w.engine.next_send(utc("2026-11-24T07:31:00Z")).unwrap() else { panic!("due now") };
    assert_eq!(out.touch_id, t);
    assert!(out.message_id.ends_with("@northwind.example"));
    assert_eq!(state(&w, t), SendState::Sending, "recorded before any SMTP");
    // Cut off: not found in the mailbox, so queued again with the same Message-ID.
    w.engine.send_recovered(t, false, utc("2026-11-24T07:45:00Z")).unwrap();
    let NextSend::Send(again) = w.engine.next_send(utc("2026-11-24T07:46:00Z")).unwrap() else { panic!("goes again") };
    assert_eq!(again.message_id, out.message_id);
    w.engine.send_succeeded(t, utc("2026-11-24T07:46:01Z")).unwrap();
    assert_eq!(w.engine.touch(t).unwrap().touch.state, TouchState::Done);
}

#[test]
fn a_missed_window_moves_to_the_next_one_instead_of_going_late() {
    let mut w = World::new(utc("2026-11-23T19:00:00Z"));
    let (t, _) = approved(&mut w);
    // The app was closed all Tuesday; Wednesday evening in Madrid nothing goes.
    match w.engine.next_send(utc("2026-11-25T19:00:00Z")).unwrap() {
        // Thursday is Thanksgiving, the (US) rep's holiday: Friday 08:30 Madrid.
        NextSend::Wait { until, .. } => assert_eq!(until, utc("2026-11-27T07:30:00Z")),
        other => panic!("no late send: {other:?}"),
    }
    assert_eq!(state(&w, t), SendState::Queued);
}

#[test]
fn do_not_contact_cancels_an_approved_email_that_has_not_gone() {
    let mut w = World::new(utc("2026-11-23T19:00:00Z"));
    let (t, eid) = approved(&mut w);
    w.engine.add_do_not_contact("lucia@nubaria.es", "asked by phone", utc("2026-11-23T20:00:00Z")).unwrap();
    assert_eq!(state(&w, t), SendState::Cancelled);
    assert!(matches!(w.engine.next_send(utc("2026-11-24T07:31:00Z")).unwrap(), NextSend::Idle));
    let e = w.engine.enrollments_of(w.engine.find_prospect("lucia@nubaria.es").unwrap().id).unwrap();
    assert_eq!((e[0].id, e[0].state), (eid, EnrollmentState::Exited));
}

#[test]
fn pausing_holds_an_approved_email_and_resuming_releases_it() {
    let mut w = World::new(utc("2026-11-23T19:00:00Z"));
    let (t, eid) = approved(&mut w);
    w.engine.pause(eid, utc("2026-11-23T20:00:00Z")).unwrap();
    assert_eq!(state(&w, t), SendState::Held);
    assert!(!matches!(w.engine.next_send(utc("2026-11-24T07:31:00Z")).unwrap(), NextSend::Send(_)));
    w.engine.resume(eid, utc("2026-11-24T07:32:00Z")).unwrap();
    assert!(matches!(w.engine.next_send(utc("2026-11-24T07:33:00Z")).unwrap(), NextSend::Send(_)));
}

#[test]
fn a_sending_limit_defers_an_email_without_using_up_its_attempts() {
    let mut w = World::new(utc("2026-11-23T19:00:00Z"));
    let (t, _) = approved(&mut w);
    let mut at = utc("2026-11-24T07:31:00Z");
    // Refused for the limit twelve times over days: still queued, never failed.
    for _ in 0..12 {
        let out = match w.engine.next_send(at).unwrap() {
            NextSend::Send(out) => out,
            // Outside the prospect's window: it waits for the next one.
            NextSend::Wait { until, .. } => {
                at = until;
                let NextSend::Send(out) = w.engine.next_send(at).unwrap() else { panic!("due at {at}") };
                out
            }
            NextSend::Idle => panic!("the email is gone from the ledger"),
        };
        assert_eq!(out.touch_id, t);
        w.engine.send_deferred(t, "550 5.4.5 Daily user sending limit exceeded", at + chrono::Duration::hours(1), at).unwrap();
        assert_eq!(state(&w, t), SendState::Queued);
        assert!(!matches!(w.engine.next_send(at + chrono::Duration::minutes(30)).unwrap(), NextSend::Send(_)), "it waits the hour out");
        at += chrono::Duration::hours(1);
    }
    let all = w.engine.sends(SendState::ALL, None, 100).unwrap();
    let s = &all.iter().find(|(s, _, _)| s.touch_id == t).unwrap().0;
    assert!(s.attempts <= 1, "deferrals do not count as attempts: {}", s.attempts);
    assert!(s.reason.as_deref().unwrap().contains("sending limit"), "{:?}", s.reason);
    let mut last = w.engine.next_send(at).unwrap();
    if let NextSend::Wait { until, .. } = last {
        at = until;
        last = w.engine.next_send(at).unwrap();
    }
    let NextSend::Send(_) = last else { panic!("goes once the limit is over: {last:?}") };
    w.engine.send_succeeded(t, at).unwrap();
    assert_eq!(state(&w, t), SendState::Sent);
}
