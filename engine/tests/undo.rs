//! Undo: the last actions on the queue taken back within a few seconds, to
//! the exact state before them, with the log kept append-only.

mod common;

use chrono::{DateTime, Duration, Utc};
use common::*;
use engine::api::{BulkAction, NextSend, Outcome, QueueOptions, Selection, Span, UNDO_WINDOW_S};
use engine::domain::{CallOutcome, Channel, EnrollmentState, TouchState};
use rusqlite::types::Value;

/// Every row of every table an action on the queue can change, and the
/// results as counted from the log.
fn state(w: &World, now: DateTime<Utc>) -> String {
    let conn = w.engine.connection();
    let mut out = String::new();
    for table in ["prospects", "enrollments", "touches", "sends", "variant_turns", "do_not_contact"] {
        let mut stmt = conn.prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2")).unwrap();
        let n = stmt.column_count();
        let rows = stmt.query_map([], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect::<rusqlite::Result<Vec<_>>>()).unwrap();
        for row in rows {
            out.push_str(&format!("{table} {:?}\n", row.unwrap()));
        }
    }
    let figures = w.engine.results_overview(Span { from: None, to: None }).unwrap();
    out.push_str(&format!(
        "{:?}\n{:?}\n",
        figures.iter().map(|s| (&s.slug, &s.figures)).collect::<Vec<_>>(),
        w.engine.today_stats(now).unwrap()
    ));
    out
}

fn activity_rows(w: &World) -> i64 {
    w.engine.connection().query_row("SELECT count(*) FROM activity", [], |r| r.get(0)).unwrap()
}

fn world(sequence: &str) -> (World, Vec<i64>, DateTime<Utc>) {
    let now = utc("2026-11-24T14:00:00Z");
    let mut w = World::new(now);
    w.import(PEOPLE, now);
    for (k, v) in [("address", "alex@northwind.example"), ("smtp_host", "smtp.northwind.example"), ("imap_host", "imap.northwind.example")]
    {
        w.engine.set_mailbox(k, v).unwrap();
    }
    let ids = w.engine.prospects(&Default::default()).unwrap().iter().map(|p| p.id).collect();
    w.engine.enroll(&Selection::Prospects(ids), sequence, false, now).unwrap();
    let q = w.engine.queue(now, &QueueOptions { limit: None, channel: Some(Channel::Email) }).unwrap();
    (w, q.items.iter().map(|i| i.touch_id).collect(), now)
}

fn approve(e: &mut engine::Engine, t: i64, now: DateTime<Utc>) {
    e.undoable(&[t], now, |e| e.complete(t, Outcome::Approve { subject: None, body: None }, now), |_| "Approved".into()).unwrap();
}

#[test]
fn an_approval_undone_is_a_draft_again_exactly_as_before_and_the_log_says_so() {
    let (mut w, touches, now) = world("cold-outbound-21d");
    let t = touches[0];
    let before = state(&w, now);
    let logged = activity_rows(&w);

    approve(&mut w.engine, t, now);
    assert_eq!(w.engine.outbox().unwrap().len(), 1);
    assert_eq!(w.engine.can_undo(now + Duration::seconds(3)), Some("Approved"));

    let undone = w.engine.undo(now + Duration::seconds(3)).unwrap();
    assert_eq!(undone.what, "Approved");
    assert_eq!(state(&w, now), before, "every row and every figure as before the approval");
    assert!(w.engine.outbox().unwrap().is_empty());
    assert_eq!(w.engine.touch(t).unwrap().touch.state, TouchState::Pending);
    // The log only grew: the approval, then its reversal.
    assert_eq!(activity_rows(&w), logged + 2);
    let p = w.engine.touch(t).unwrap().prospect.id;
    let timeline = w.engine.timeline(p).unwrap();
    let last = timeline.last().unwrap();
    assert_eq!((last.kind.as_str(), last.undone), ("email_approved", true));
    // Nothing goes out; a second undo has nothing to take back.
    assert!(matches!(w.engine.next_send(now + Duration::hours(1)).unwrap(), NextSend::Idle | NextSend::Wait { .. }));
    assert!(w.engine.undo(now + Duration::seconds(4)).is_err());
    // And it can be approved again, and go.
    approve(&mut w.engine, t, now + Duration::seconds(5));
    assert_eq!(w.engine.outbox().unwrap().len(), 1);
}

#[test]
fn an_email_that_has_gone_stays_sent_and_an_old_action_stays_done() {
    let (mut w, touches, now) = world("cold-outbound-21d");
    approve(&mut w.engine, touches[0], now);
    let at = w.engine.outbox().unwrap()[0].send_at;
    match w.engine.next_send(at).unwrap() {
        NextSend::Send(o) => w.engine.send_succeeded(o.touch_id, at).unwrap(),
        other => panic!("not sent: {other:?}"),
    }
    let err = w.engine.undo(now + Duration::seconds(2)).unwrap_err();
    assert!(err.to_string().contains("the email has gone"), "{err}");
    assert_eq!(w.engine.touch(touches[0]).unwrap().touch.state, TouchState::Done, "sent, and left so");

    // Past the window, an action is kept.
    approve(&mut w.engine, touches[1], now);
    let late = now + Duration::seconds(UNDO_WINDOW_S + 1);
    assert_eq!(w.engine.can_undo(late), None);
    assert!(w.engine.undo(late).unwrap_err().to_string().contains("nothing to undo"));
    assert_eq!(w.engine.touch(touches[1]).unwrap().touch.state, TouchState::Approved);
}

#[test]
fn a_call_that_ended_the_sequence_undone_puts_the_sequence_and_the_figures_back() {
    let (mut w, touches, now) = world("inbound-lead");
    let t = touches[0];
    w.engine.complete(t, Outcome::Approve { subject: None, body: None }, now).unwrap();
    let e = w.engine.touch(t).unwrap().enrollment.id;
    let call = w.engine.queue(now + Duration::days(10), &QueueOptions { limit: None, channel: Some(Channel::Call) }).unwrap();
    let call = call.items.iter().find(|i| w.engine.touch(i.touch_id).unwrap().enrollment.id == e).unwrap().touch_id;
    let later = w.engine.touch(call).unwrap().touch.due_at + Duration::minutes(5);
    let before = state(&w, later);

    let outcome = Outcome::Call { outcome: CallOutcome::NotInterested, notes: Some("not this year".into()), duration_s: Some(90) };
    w.engine.undoable(&[call], later, |e| e.complete(call, outcome, later), |_| "Logged the call".into()).unwrap();
    let d = w.engine.touch(call).unwrap();
    assert_eq!(d.enrollment.state, EnrollmentState::Exited);
    assert_ne!(state(&w, later), before, "the call counted");

    w.engine.undo(later + Duration::seconds(5)).unwrap();
    assert_eq!(state(&w, later), before, "the call, the exit and their counts are taken back");
    let d = w.engine.touch(call).unwrap();
    assert_eq!((d.enrollment.state, d.touch.state), (EnrollmentState::Active, TouchState::Pending));
    // The daily counts still agree with a rebuild from the log.
    let kept = engine::testing::days_snapshot(w.engine.connection()).unwrap();
    engine::testing::rebuild_days(w.engine.connection()).unwrap();
    let rebuilt = engine::testing::days_snapshot(w.engine.connection()).unwrap();
    let nonzero = |v: Vec<engine::testing::DayCount>| v.into_iter().filter(|d| d.6 != 0).collect::<Vec<_>>();
    assert_eq!(nonzero(kept), nonzero(rebuilt));
}

#[test]
fn a_bulk_action_and_a_snooze_are_undone_latest_first() {
    let (mut w, touches, now) = world("cold-outbound-21d");
    let start = state(&w, now);
    let three = &touches[..3];
    w.engine
        .undoable(three, now, |e| e.bulk(three, &BulkAction::Skip(Some("wrong persona".into())), now), |n| format!("Skipped {n}"))
        .unwrap();
    let skipped = state(&w, now);
    let t = touches[3];
    let until = now + Duration::days(2);
    w.engine.undoable(&[t], now, |e| e.snooze(t, until, now), |_| "Snoozed".into()).unwrap();
    assert!(w.engine.touch(t).unwrap().touch.due_at >= until);

    assert_eq!(w.engine.undo(now + Duration::seconds(1)).unwrap().what, "Snoozed");
    assert_eq!(state(&w, now), skipped);
    assert_eq!(w.engine.undo(now + Duration::seconds(2)).unwrap().what, "Skipped 3");
    assert_eq!(state(&w, now), start, "all three touches pending again, skips uncounted");
    for &t in three {
        assert_eq!(w.engine.touch(t).unwrap().touch.state, TouchState::Pending);
    }
}

#[test]
fn an_undo_is_refused_when_the_rows_changed_since() {
    let (mut w, touches, now) = world("cold-outbound-21d");
    let t = touches[0];
    let until = now + Duration::days(1);
    w.engine.undoable(&[t], now, |e| e.snooze(t, until, now), |_| "Snoozed".into()).unwrap();
    // Something else moved the same touch meanwhile (not through undo).
    w.engine.snooze(t, now + Duration::days(3), now).unwrap();
    let moved = w.engine.touch(t).unwrap().touch.due_at;
    let err = w.engine.undo(now + Duration::seconds(1)).unwrap_err();
    assert!(err.to_string().contains("changed since"), "{err}");
    assert_eq!(w.engine.touch(t).unwrap().touch.due_at, moved, "nothing was put back");
}
