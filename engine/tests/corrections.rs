//! What a message read back does, and how a correction undoes it, through
//! the façade on a real database file with no network: each kind of message
//! records its effect (in the same JSON existing databases hold), and
//! correcting it to "other" puts everything back.

mod common;

use chrono::{DateTime, Duration, Utc};
use common::*;
use engine::api::{Handled, Incoming, Outcome, QueueOptions, Selection, SendState};
use engine::domain::{Channel, EnrollmentState, ProspectId};
use engine::mail::{BounceInfo, Classified, Headers, Kind};
use serde_json::{json, Value};

const SEQ: &str = "cold-outbound-21d";
const LUCIA: &str = "lucia@nubaria.es";

fn monday() -> DateTime<Utc> {
    utc("2026-11-23T19:00:00Z")
}

/// Lucía enrolled, her first email approved (queued, not sent yet), and a
/// message of `kind` from her an hour later. Returns the world, Lucía, her
/// enrollment, the approved touch and the message's id.
fn with_message(kind: Kind, hard: Option<bool>) -> (World, ProspectId, i64, i64, i64) {
    let now = monday();
    let mut w = World::new(now);
    w.import(PEOPLE, now);
    let lucia = w.engine.find_prospect(LUCIA).unwrap().id;
    let eid = w.engine.enroll(&Selection::Prospects(vec![lucia]), SEQ, false, now).unwrap().enrolled[0].1;
    let q = w.engine.queue(now, &QueueOptions { limit: None, channel: Some(Channel::Email) }).unwrap();
    let touch = q.items[0].touch_id;
    w.engine.complete(touch, Outcome::Approve { subject: None, body: None }, now).unwrap();

    let bounce = hard.map(|hard| BounceInfo {
        hard,
        reason: Some(if hard { engine::mail::Reason::UserUnknown } else { engine::mail::Reason::MailboxFull }),
        notice: None,
        said: String::new(),
        recipient: Some(LUCIA.into()),
        status: Some("5.1.1".into()),
        original_message_id: None,
        report: true,
    });
    let headers = Headers {
        message_id: Some("in-1@nubaria.es".into()),
        from: Some(if bounce.is_some() { "mailer-daemon@nubaria.es".into() } else { LUCIA.into() }),
        subject: Some("Re: your note".into()),
        ..Default::default()
    };
    let c = Classified {
        headers,
        kind,
        bounce,
        return_date: None,
        evidence: "test".into(),
        complaint: None,
        referral: None,
        text: String::new(),
    };
    let at = now + Duration::hours(1);
    let m = Incoming { folder: "INBOX", uidvalidity: 1, uid: 1, received_at: at, classified: &c };
    let id = match w.engine.take_inbound(m, at).unwrap() {
        Handled::Recorded(r) => r.id,
        other => panic!("not recorded: {other:?}"),
    };
    if kind == Kind::Bounce {
        // No email has gone to her yet, so the bounce proves nothing and waits
        // for the rep; confirming it acts on it.
        let r = w.engine.inbound_record(id).unwrap();
        assert_eq!(r.kind, "other", "{}", r.action);
        assert_eq!(w.engine.correct_inbound(id, "bounce", at).unwrap().kind, "bounce");
    }
    (w, lucia, eid, touch, id)
}

fn effect(w: &World, id: i64) -> Value {
    w.engine.inbound_record(id).unwrap().detail["effect"].clone()
}

fn enrollment(w: &World, lucia: ProspectId) -> EnrollmentState {
    w.engine.enrollments_of(lucia).unwrap().remove(0).state
}

fn send_state(w: &World, touch: i64) -> SendState {
    w.engine.sends(SendState::ALL, None, 100).unwrap().into_iter().find(|(s, _, _)| s.touch_id == touch).unwrap().0.state
}

fn email_status(w: &World, lucia: ProspectId) -> String {
    engine::testing::email_status(w.engine.connection(), lucia).unwrap()
}

fn on_dnc(w: &World) -> bool {
    engine::testing::do_not_contact(w.engine.connection()).unwrap().contains(LUCIA)
}

/// Corrects the message to "other" and checks the enrollment is running
/// again and the approved email is back in the outbox.
fn undo_and_check(w: &mut World, lucia: ProspectId, touch: i64, id: i64) {
    let later = monday() + Duration::hours(2);
    let r = w.engine.correct_inbound(id, "other", later).unwrap();
    assert_eq!(r.detail["effect"], json!({}));
    assert_eq!(r.action, "nothing: not about a sequence");
    w.engine.resume_returned(later).unwrap();
    assert_eq!(enrollment(w, lucia), EnrollmentState::Active);
    assert_eq!(send_state(w, touch), SendState::Queued);
    assert_eq!(email_status(w, lucia), "ok");
    assert!(!on_dnc(w));
}

#[test]
fn a_reply_ends_the_sequence_and_its_correction_reinstates_it() {
    let (mut w, lucia, eid, touch, id) = with_message(Kind::Reply, None);
    assert_eq!(effect(&w, id), json!({ "exited": [eid], "cancelled": [touch], "paused": [] }));
    assert_eq!(enrollment(&w, lucia), EnrollmentState::Exited);
    assert_eq!(send_state(&w, touch), SendState::Cancelled);
    undo_and_check(&mut w, lucia, touch, id);
}

#[test]
fn an_unsubscribe_is_undone_with_its_do_not_contact_entry() {
    let (mut w, lucia, eid, touch, id) = with_message(Kind::Unsubscribe, None);
    assert_eq!(effect(&w, id), json!({ "exited": [eid], "cancelled": [touch], "dnc": LUCIA }));
    assert!(on_dnc(&w));
    undo_and_check(&mut w, lucia, touch, id);
}

#[test]
fn a_hard_bounce_is_undone_and_the_address_is_good_again() {
    let (mut w, lucia, eid, touch, id) = with_message(Kind::Bounce, Some(true));
    assert_eq!(effect(&w, id), json!({ "exited": [eid], "cancelled": [touch], "status": "invalid" }));
    assert_eq!(email_status(&w, lucia), "invalid");
    undo_and_check(&mut w, lucia, touch, id);
}

#[test]
fn a_soft_bounce_flags_the_address_until_corrected() {
    let (mut w, lucia, _, touch, id) = with_message(Kind::Bounce, Some(false));
    assert_eq!(effect(&w, id), json!({ "status": "soft_bounced", "retried": null }));
    assert_eq!(email_status(&w, lucia), "soft_bounced");
    assert_eq!(enrollment(&w, lucia), EnrollmentState::Active);
    undo_and_check(&mut w, lucia, touch, id);
}

#[test]
fn an_out_of_office_pauses_until_corrected() {
    let (mut w, lucia, eid, touch, id) = with_message(Kind::AutoReply, None);
    assert_eq!(enrollment(&w, lucia), EnrollmentState::Paused);
    let e = effect(&w, id);
    assert_eq!(e["paused"], json!([eid]));
    let until = DateTime::parse_from_rfc3339(e["until"].as_str().unwrap()).unwrap();
    assert!(until > monday() && e.as_object().unwrap().len() == 2, "{e}");
    assert_eq!(send_state(&w, touch), SendState::Held);
    undo_and_check(&mut w, lucia, touch, id);
}

#[test]
fn a_message_without_message_id_is_taken_once() {
    // The watcher and the pre-send check can both read the same message; with
    // no Message-ID only its folder place tells it is the same one.
    let now = monday();
    let mut w = World::new(now);
    w.import(PEOPLE, now);
    let lucia = w.engine.find_prospect(LUCIA).unwrap().id;
    w.engine.enroll(&Selection::Prospects(vec![lucia]), SEQ, false, now).unwrap();
    let headers = Headers { message_id: None, from: Some(LUCIA.into()), subject: Some("Re: your note".into()), ..Default::default() };
    let c = Classified {
        headers,
        kind: Kind::Reply,
        bounce: None,
        return_date: None,
        evidence: "test".into(),
        complaint: None,
        referral: None,
        text: "Sounds good, let's talk.".into(),
    };
    let at = now + Duration::hours(1);
    let first = w.engine.take_inbound(Incoming { folder: "INBOX", uidvalidity: 7, uid: 42, received_at: at, classified: &c }, at).unwrap();
    assert!(matches!(first, Handled::Recorded(_)), "{first:?}");
    let again = w.engine.take_inbound(Incoming { folder: "INBOX", uidvalidity: 7, uid: 42, received_at: at, classified: &c }, at).unwrap();
    assert!(matches!(again, Handled::Duplicate), "the second read is a duplicate: {again:?}");
    assert_eq!(w.engine.inbox(10).unwrap().len(), 1, "one message, one row");
    let replies = w.engine.timeline(lucia).unwrap().iter().filter(|t| t.kind.as_str() == "mail_received").count();
    assert_eq!(replies, 1, "acted on once");
}

#[test]
fn an_unreadable_message_is_kept_with_why_once_and_cannot_be_acted_on() {
    let now = monday();
    let mut w = World::new(now);
    let r = w.engine.take_unreadable("INBOX", 3, 99, now, "Cadence could not make sense of this message", now).unwrap().expect("kept");
    assert_eq!(r.kind, "unreadable");
    assert_eq!(r.action, "not read: Cadence could not make sense of this message");
    assert_eq!(w.engine.inbox(10).unwrap().len(), 1, "shown in Replies");
    assert!(w.engine.take_unreadable("INBOX", 3, 99, now, "again", now).unwrap().is_none(), "kept once");
    assert!(w.engine.correct_inbound(r.id, "reply", now).is_err(), "it concerns no prospect: nothing to act on");
}
