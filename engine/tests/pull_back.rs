//! An approved email taken back from the Outbox before it goes.

mod common;

use common::*;
use engine::api::{NextSend, Outcome, QueueOptions, Selection};
use engine::domain::{Channel, TouchState};

#[test]
fn an_approved_email_comes_back_as_the_draft_it_was_and_goes_only_when_approved_again() {
    let now = utc("2026-11-23T19:00:00Z");
    let mut w = World::new(now);
    w.import(PEOPLE, now);
    w.engine.set_setting("sender_name", "Alex Rivera").unwrap();
    for (k, v) in [("address", "alex@northwind.example"), ("smtp_host", "smtp.northwind.example"), ("imap_host", "imap.northwind.example")]
    {
        w.engine.set_mailbox(k, v).unwrap();
    }
    let lucia = w.engine.find_prospect("lucia@nubaria.es").unwrap().id;
    w.engine.enroll(&Selection::Prospects(vec![lucia]), "cold-outbound-21d", false, now).unwrap();
    let q = w.engine.queue(now, &QueueOptions { limit: None, channel: Some(Channel::Email) }).unwrap();
    let t = q.items[0].touch_id;
    let edited = "Hi Lucía,\n\nA shorter note, edited by hand.\n\nAlex";
    w.engine.complete(t, Outcome::Approve { subject: Some("Edited subject".into()), body: Some(edited.into()) }, now).unwrap();
    assert_eq!(w.engine.outbox().unwrap().len(), 1);
    let done = w.engine.today_stats(now).unwrap().done;

    w.engine.pull_back(t, now).unwrap();
    assert!(w.engine.outbox().unwrap().is_empty(), "out of the Outbox");
    let d = w.engine.touch(t).unwrap();
    assert_eq!(d.touch.state, TouchState::Pending);
    assert_eq!((d.draft.subject.as_deref(), d.draft.body.as_str()), (Some("Edited subject"), edited), "the draft as the rep left it");
    assert_eq!(w.engine.today_stats(now).unwrap().done, done - 1, "no longer counted as done");
    // Nothing goes while it is a draft.
    assert!(matches!(w.engine.next_send(utc("2026-11-24T08:00:00Z")).unwrap(), NextSend::Idle | NextSend::Wait { .. }));
    assert!(w.engine.pull_back(t, now).is_err(), "a draft cannot be pulled back");

    // Approved again as it stands, it goes with the edited text.
    w.engine.complete(t, Outcome::Approve { subject: None, body: None }, now).unwrap();
    let send_at = w.engine.outbox().unwrap()[0].send_at;
    match w.engine.next_send(send_at).unwrap() {
        NextSend::Send(o) => {
            assert_eq!(o.subject, "Edited subject");
            assert!(o.body.contains("A shorter note, edited by hand."), "{}", o.body);
            w.engine.send_succeeded(o.touch_id, send_at).unwrap();
        }
        other => panic!("not sent: {other:?}"),
    }
    assert!(w.engine.pull_back(t, send_at).is_err(), "a sent email cannot be pulled back");
}
