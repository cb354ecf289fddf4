//! Acting only on mail that proves it is about our sends (issue 14): a
//! bounce ends a sequence and marks the address invalid only when it is a
//! delivery report or comes from a mail system, and names one of our sends
//! or an address we sent to in the last 30 days; otherwise it waits for the
//! rep. Our own copy is only what the rep's own address sent. A return date
//! years ahead is capped. Real messages through the classifier and the
//! façade, on a real database file.

mod common;

use chrono::{DateTime, Duration, Utc};
use common::*;
use engine::api::{Handled, Incoming, NextSend, Outcome, QueueOptions, Selection};
use engine::domain::{Channel, EnrollmentState};
use engine::mail::classify;

const SEQ: &str = "cold-outbound-21d";

/// The CEO of victim.com enrolled, the first email approved and, with
/// `send`, sent (with its Message-ID). Returns the world, the prospect id,
/// and the sent Message-ID.
fn world(send: bool) -> (World, i64, Option<String>) {
    let now = utc("2026-11-23T19:00:00Z");
    let mut w = World::new(now);
    w.import("email,first_name,company,timezone\nceo@victim.com,Vic,Victim,Europe/Madrid\n", now);
    let p = w.engine.find_prospect("ceo@victim.com").unwrap().id;
    w.engine.enroll(&Selection::Prospects(vec![p]), SEQ, false, now).unwrap();
    let t = w.engine.queue(now, &QueueOptions { limit: None, channel: Some(Channel::Email) }).unwrap().items[0].touch_id;
    w.engine.complete(t, Outcome::Approve { subject: None, body: None }, now).unwrap();
    for (k, v) in
        [("address", "rep@example.test"), ("smtp_host", "smtp.example.test"), ("imap_host", "imap.example.test"), ("spacing_s", "0")]
    {
        w.engine.set_mailbox(k, v).unwrap();
    }
    let mut id = None;
    if send {
        let at = utc("2026-11-24T07:31:00Z");
        let NextSend::Send(out) = w.engine.next_send(at).unwrap() else { panic!("due") };
        w.engine.send_succeeded(out.touch_id, at).unwrap();
        id = Some(out.message_id);
    }
    (w, p, id)
}

fn take(w: &mut World, raw: &[u8], uid: u32, at: DateTime<Utc>) -> Handled {
    let c = classify(raw, None, at.date_naive());
    w.engine.take_inbound(Incoming { folder: "INBOX", uidvalidity: 1, uid, received_at: at, classified: &c }, at).unwrap()
}

fn state(w: &World, p: i64) -> (EnrollmentState, String) {
    let e = w.engine.enrollments_of(p).unwrap()[0].state;
    let status = engine::testing::email_status(w.engine.connection(), p).unwrap();
    (e, status)
}

fn forged() -> Vec<u8> {
    std::fs::read(format!("{}/tests/mail/forged_bounce.eml", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn a_forged_bounce_from_a_stranger_changes_nothing_and_waits_for_the_rep() {
    let (mut w, p, _) = world(true);
    let at = utc("2026-11-24T10:00:00Z");
    let Handled::Recorded(r) = take(&mut w, &forged(), 1, at) else { panic!("recorded for the rep to see") };
    assert_eq!(r.kind, "other");
    assert!(r.action.contains("correct it to Bounce"), "{}", r.action);
    assert_eq!(state(&w, p), (EnrollmentState::Active, "ok".to_string()), "the address stays good and the sequence runs");
    // The rep confirms it: now it acts.
    let confirmed = w.engine.correct_inbound(r.id, "bounce", at).unwrap();
    assert_eq!(confirmed.kind, "bounce");
    assert_eq!(state(&w, p), (EnrollmentState::Exited, "invalid".to_string()));
}

#[test]
fn a_bounce_from_a_mail_system_about_an_address_we_wrote_to_is_acted_on() {
    let (mut w, p, _) = world(true);
    let raw = String::from_utf8(forged())
        .unwrap()
        .replace("Helpful Stranger <stranger@example.net>", "Mail Delivery System <MAILER-DAEMON@mx.example.test>");
    let at = utc("2026-11-24T10:00:00Z");
    let Handled::Recorded(r) = take(&mut w, raw.as_bytes(), 1, at) else { panic!("recorded") };
    assert_eq!(r.kind, "bounce", "{}", r.action);
    assert_eq!(state(&w, p), (EnrollmentState::Exited, "invalid".to_string()));
}

#[test]
fn a_bounce_from_a_mail_system_about_someone_we_never_wrote_to_waits() {
    let (mut w, p, _) = world(false);
    let raw = String::from_utf8(forged()).unwrap().replace("Helpful Stranger <stranger@example.net>", "MAILER-DAEMON@mx.example.test");
    let at = utc("2026-11-24T10:00:00Z");
    let Handled::Recorded(r) = take(&mut w, raw.as_bytes(), 1, at) else { panic!("recorded") };
    assert_eq!(r.kind, "other", "nothing was sent to them: {}", r.action);
    assert_eq!(state(&w, p).0, EnrollmentState::Active);
    // Nor 31 days after the last email.
    let (mut w, p, _) = world(true);
    let late = utc("2026-11-24T07:31:00Z") + Duration::days(31);
    let Handled::Recorded(r) = take(&mut w, raw.as_bytes(), 2, late) else { panic!("recorded") };
    assert_eq!(r.kind, "other");
    assert_eq!(state(&w, p).1, "ok");
}

#[test]
fn a_stranger_reusing_our_message_id_is_not_filed_as_our_copy() {
    let (mut w, _, sent) = world(true);
    let id = sent.unwrap();
    let at = utc("2026-11-24T10:00:00Z");
    let fake =
        format!("From: ceo@victim.com\r\nTo: rep@example.test\r\nSubject: hello\r\nMessage-ID: <{id}>\r\n\r\nThanks, let's talk.\r\n");
    let h = take(&mut w, fake.as_bytes(), 1, at);
    assert!(!matches!(h, Handled::OwnCopy { .. }), "{h:?}");
    let ours = format!("From: rep@example.test\r\nTo: ceo@victim.com\r\nSubject: hello\r\nMessage-ID: <{id}>\r\n\r\nHi Vic\r\n");
    assert!(matches!(take(&mut w, ours.as_bytes(), 2, at), Handled::OwnCopy { .. }), "the rep's own copy is");
}

#[test]
fn a_return_date_years_ahead_is_capped_and_says_so() {
    let (mut w, p, _) = world(true);
    let at = utc("2026-11-24T10:00:00Z");
    let ooo = "From: ceo@victim.com\r\nTo: rep@example.test\r\nSubject: Automatic reply: away\r\nAuto-Submitted: auto-replied\r\nMessage-ID: <ooo@victim.com>\r\n\r\nI am out of the office until 3 December 2031.\r\n";
    let Handled::Recorded(r) = take(&mut w, ooo.as_bytes(), 1, at) else { panic!("recorded") };
    assert_eq!(r.kind, "auto_reply");
    assert_eq!(r.detail["return_date"], "2027-11-24", "capped at a year");
    assert!(r.action.contains("more than a year ahead"), "{}", r.action);
    assert_eq!(state(&w, p).0, EnrollmentState::Paused);
}
