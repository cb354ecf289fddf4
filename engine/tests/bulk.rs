//! Acting on many touches at once: all or nothing.

mod common;

use chrono::Duration;
use common::*;
use engine::api::{BulkAction, QueueOptions, Selection};
use engine::domain::{Channel, EnrollmentState, TouchState};

fn world() -> (World, Vec<i64>) {
    let now = utc("2026-11-23T19:00:00Z");
    let mut w = World::new(now);
    w.import(PEOPLE, now);
    let ids = w.engine.prospects(&Default::default()).unwrap().iter().map(|p| p.id).collect();
    w.engine.enroll(&Selection::Prospects(ids), "cold-outbound-21d", false, now).unwrap();
    w.engine.set_setting("sender_name", "Alex Rivera").unwrap();
    let q = w.engine.queue(utc("2026-11-24T14:00:00Z"), &QueueOptions { limit: None, channel: Some(Channel::Email) }).unwrap();
    let touches = q.items.iter().map(|i| i.touch_id).collect();
    (w, touches)
}

#[test]
fn a_bulk_snooze_moves_every_touch_and_a_refusal_changes_nothing() {
    let (mut w, touches) = world();
    assert!(touches.len() >= 3);
    let now = utc("2026-11-24T14:00:00Z");
    let due = |w: &World, id: i64| w.engine.touch(id).unwrap().touch.due_at;
    let before: Vec<_> = touches.iter().map(|&t| due(&w, t)).collect();

    // One of them was worked already: the whole snooze is refused, and no touch moved.
    w.engine.complete(touches[1], engine::api::Outcome::Skip { reason: None }, now).unwrap();
    let until = now + Duration::days(3);
    let err = w.engine.bulk(&touches, &BulkAction::Snooze(until), now).unwrap_err();
    assert!(err.to_string().contains(&format!("touch {}", touches[1])) && err.to_string().contains("nothing was changed"), "{err}");
    assert_eq!(due(&w, touches[0]), before[0], "the first touch did not move");
    assert_eq!(due(&w, touches[2]), before[2]);

    // Without it, every touch moves to the first fitting time after `until`.
    let rest: Vec<i64> = touches.iter().copied().filter(|&t| t != touches[1]).collect();
    assert_eq!(w.engine.bulk(&rest, &BulkAction::Snooze(until), now).unwrap(), rest.len());
    for &t in &rest {
        assert!(due(&w, t) >= until, "touch {t} moved");
    }
}

#[test]
fn bulk_pause_skip_and_approve() {
    let (mut w, touches) = world();
    let now = utc("2026-11-24T14:00:00Z");
    assert_eq!(w.engine.bulk(&touches[..1], &BulkAction::Approve, now).unwrap(), 1);
    assert_eq!(w.engine.touch(touches[0]).unwrap().touch.state, TouchState::Approved);
    assert_eq!(w.engine.bulk(&touches[1..2], &BulkAction::Skip(Some("not now".into())), now).unwrap(), 1);
    assert_eq!(w.engine.touch(touches[1]).unwrap().touch.state, TouchState::Skipped);
    w.engine.bulk(&touches[2..], &BulkAction::Pause, now).unwrap();
    for &t in &touches[2..] {
        let e = w.engine.touch(t).unwrap().touch.enrollment_id;
        let p = w.engine.touch(t).unwrap().touch.prospect_id;
        let state = w.engine.enrollments_of(p).unwrap().into_iter().find(|x| x.id == e).unwrap().state;
        assert_eq!(state, EnrollmentState::Paused);
    }
}
