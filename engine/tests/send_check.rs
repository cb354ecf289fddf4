//! The do-not-contact list is checked before every send attempt, team or
//! not: an entry that reached the list without ending the sequence (written
//! by another process, pulled from the team) still stops the email.

mod common;

use chrono::Duration;
use common::*;
use engine::api::{NextSend, Outcome, QueueOptions, Selection, SendState};
use engine::domain::{EnrollmentState, ExitReason};

#[test]
fn an_address_listed_after_approval_is_not_mailed() {
    let now = utc("2026-11-24T14:00:00Z");
    let mut w = World::new(now);
    w.import(PEOPLE, now);
    for (k, v) in
        [("address", "rep@northwind.test"), ("smtp_host", "127.0.0.1"), ("imap_host", "127.0.0.1"), ("spacing_s", "0"), ("jitter_pct", "0")]
    {
        w.engine.set_mailbox(k, v).unwrap();
    }
    let ids: Vec<i64> = ["dana@lumenfield.com", "jonas@kranich.de"].iter().map(|e| w.engine.find_prospect(e).unwrap().id).collect();
    w.engine.enroll(&Selection::Prospects(ids.clone()), "cold-outbound-21d", false, now).unwrap();
    let at = now + Duration::days(7);
    for p in &ids {
        let q = w.engine.queue(at, &QueueOptions::default()).unwrap();
        let email =
            q.items.iter().find(|i| i.prospect_id == *p && i.channel == engine::domain::Channel::Email).expect("an email due").touch_id;
        w.engine.complete(email, Outcome::Approve { subject: None, body: None }, at).unwrap();
    }
    // Another process lists Dana's domain: her sequence is still running here.
    w.engine
        .connection()
        .execute("INSERT INTO do_not_contact (email, reason, added_at) VALUES ('@lumenfield.com', 'listed in another window', 0)", [])
        .unwrap();
    assert_eq!(w.engine.enrollments_of(ids[0]).unwrap()[0].state, EnrollmentState::Active);

    let mut sent_to = Vec::new();
    let mut clock = at;
    for _ in 0..10 {
        match w.engine.next_send(clock).unwrap() {
            NextSend::Send(out) => {
                sent_to.push(out.to.clone());
                w.engine.send_succeeded(out.touch_id, clock).unwrap();
            }
            NextSend::Wait { until, .. } => clock = until.max(clock + Duration::seconds(1)),
            NextSend::Idle => break,
        }
    }
    assert_eq!(sent_to, ["jonas@kranich.de"], "Dana's email never starts");
    let e = &w.engine.enrollments_of(ids[0]).unwrap()[0];
    assert_eq!((e.state, e.exit_reason), (EnrollmentState::Exited, Some(ExitReason::DoNotContact)));
    let cancelled = w.engine.sends(&[SendState::Cancelled], None, 10).unwrap();
    assert_eq!(cancelled.len(), 1);
    assert_eq!(cancelled[0].0.prospect_id, ids[0]);
    let timeline = w.engine.timeline(ids[0]).unwrap();
    assert!(
        timeline.iter().any(|t| t.kind == "do_not_contact" && t.data["at_send"] == true && t.data["entry"] == "@lumenfield.com"),
        "{timeline:?}"
    );
}
