//! The rep's day through the façade, on a real SQLite file.

mod common;

use chrono::{Datelike, Duration, NaiveDate, Timelike, Weekday};
use common::*;
use engine::api::{Outcome, QueueOptions, Selection};
use engine::domain::{CallOutcome, Channel, EnrollmentState, ExitReason, TouchState};
use engine::Error;

const SEQ: &str = "cold-outbound-21d";

fn ids(w: &World) -> Vec<i64> {
    w.engine.prospects(&Default::default()).unwrap().iter().map(|p| p.id).collect()
}

#[test]
fn a_sequence_walks_forward_touch_by_touch() {
    // Monday 23 Nov 2026, 14:00 in New York.
    let mut now = utc("2026-11-23T19:00:00Z");
    let mut w = World::new(now);
    w.import(PEOPLE, now);
    let lucia = w.engine.find_prospect("lucia@nubaria.es").unwrap();
    let r = w.engine.enroll(&Selection::Prospects(vec![lucia.id]), SEQ, false, now).unwrap();
    assert_eq!(r.enrolled.len(), 1);
    let eid = r.enrolled[0].1;

    // The first email goes out in Lucía's morning window (08:30-11:30 Madrid),
    // today's has passed, so Tuesday 08:30 Madrid = 02:30 New York: before the
    // rep's Tuesday starts, so it is in Monday's queue to approve ahead.
    let q = w.engine.queue(now, &QueueOptions::default()).unwrap();
    assert_eq!(q.items.len(), 1);
    let item = &q.items[0];
    assert_eq!(item.channel, Channel::Email);
    assert_eq!(item.due_at, utc("2026-11-24T07:30:00Z"));
    assert!(!item.overdue);
    assert!(item.why.contains("Step 1 of 10"), "{}", item.why);
    assert!(item.why.contains("Tue 08:30 their time (Tue 02:30 yours)"), "{}", item.why);

    // Approve it as drafted: it waits in the outbox for its time.
    let detail = w.engine.touch(item.touch_id).unwrap();
    assert!(detail.draft.body.starts_with("Hi Lucía,"), "{}", detail.draft.body);
    assert!(detail.draft.body.contains("reply \"no thanks\""), "opt-out line present");
    let out = w.engine.complete(item.touch_id, Outcome::Approve { subject: None, body: None }, now).unwrap().unwrap();
    assert_eq!(w.engine.outbox().unwrap().len(), 1);
    assert_eq!(out.subject, "Nubaria and fewer dropped hand-offs");

    assert_eq!(out.send_at, utc("2026-11-24T07:30:00Z"));

    // Step 2 (LinkedIn view, delay 0) is due the day the email goes, in the rep's hours.
    now = utc("2026-11-24T14:30:00Z"); // Tuesday 09:30 New York
    let q = w.engine.queue(now, &QueueOptions::default()).unwrap();
    assert_eq!(q.items.len(), 1);
    assert_eq!(q.items[0].channel, Channel::LinkedinView);
    w.engine.complete(q.items[0].touch_id, Outcome::Done { notes: None }, now).unwrap();

    // Step 3, a call, comes two business days later: Thursday is Thanksgiving,
    // so Friday, in the rep's hours.
    let q = w.engine.queue(now + Duration::days(3), &QueueOptions::default()).unwrap();
    let call = q.items.iter().find(|i| i.channel == Channel::Call).expect("call due Friday");
    let local = call.due_at.with_timezone(&chrono_tz::America::New_York);
    assert_eq!((local.weekday(), local.day()), (Weekday::Fri, 27));
    assert!(local.hour() >= 9 && local.hour() < 17);

    // Log it late (Monday) with notes: the next step counts from Monday, not Friday.
    now = utc("2026-11-30T15:00:00Z");
    w.engine
        .complete(
            call.touch_id,
            Outcome::Call { outcome: CallOutcome::Voicemail, notes: Some("left a short message".into()), duration_s: Some(40) },
            now,
        )
        .unwrap();
    let e = w.engine.enrollments_of(lucia.id).unwrap().into_iter().find(|e| e.id == eid).unwrap();
    assert_eq!((e.state, e.step), (EnrollmentState::Active, 3));
    let next = w.engine.queue(now + Duration::days(1), &QueueOptions::default()).unwrap();
    let connect = next.items.iter().find(|i| i.enrollment_id == eid).expect("connect request due Tuesday");
    assert_eq!(connect.channel, Channel::LinkedinConnect);
    assert_eq!(connect.due_at.with_timezone(&chrono_tz::America::New_York).weekday(), Weekday::Tue);

    // The timeline has it all, in order.
    let kinds: Vec<String> = w.engine.timeline(lucia.id).unwrap().into_iter().map(|t| t.kind).collect();
    assert_eq!(kinds, ["prospect_imported", "enrolled", "email_approved", "touch_done", "call_logged"]);
}

#[test]
fn a_meeting_booked_ends_the_sequence() {
    let now = utc("2026-12-01T15:00:00Z");
    let mut w = World::new(now);
    w.import(PEOPLE, now);
    let dana = w.engine.find_prospect("dana@lumenfield.com").unwrap();
    let eid = w.engine.enroll(&Selection::Prospects(vec![dana.id]), "post-demo-followup", false, now).unwrap().enrolled[0].1;
    // Work through to the call (email, then call two days later).
    let first = w.engine.queue(now, &QueueOptions::default()).unwrap().items[0].touch_id;
    w.engine.complete(first, Outcome::Approve { subject: None, body: None }, now).unwrap();
    let later = now + Duration::days(3);
    let call = w.engine.queue(later, &QueueOptions::default()).unwrap().items.into_iter().find(|i| i.channel == Channel::Call).unwrap();
    w.engine
        .complete(call.touch_id, Outcome::Call { outcome: CallOutcome::MeetingBooked, notes: None, duration_s: Some(300) }, later)
        .unwrap();
    let e = w.engine.enrollments_of(dana.id).unwrap().into_iter().find(|e| e.id == eid).unwrap();
    assert_eq!((e.state, e.exit_reason), (EnrollmentState::Exited, Some(ExitReason::MeetingBooked)));
    assert!(w.engine.queue(later + Duration::days(30), &QueueOptions::default()).unwrap().items.is_empty());
}

#[test]
fn a_draft_with_a_missing_field_is_blocked_until_filled() {
    let now = utc("2026-11-24T13:00:00Z");
    let mut w = World::new(now);
    w.import(PEOPLE, now);
    let p = w.engine.find_prospect("nofirst@example.com").unwrap();
    w.engine.enroll(&Selection::Prospects(vec![p.id]), SEQ, false, now).unwrap();
    let later = now + Duration::days(1);
    let t = w.engine.queue(later, &QueueOptions::default()).unwrap().items[0].touch_id;
    // first_name has a default ("there"), company has none: blocked on company.
    let d = w.engine.touch(t).unwrap();
    assert_eq!(d.draft.missing, vec!["company".to_string()]);
    match w.engine.complete(t, Outcome::Approve { subject: None, body: None }, later) {
        Err(Error::Blocked { missing }) => assert_eq!(missing, vec!["company".to_string()]),
        other => panic!("expected blocked, got {other:?}"),
    }
    // A half edit (subject only) is still blocked; nothing was written.
    assert!(w.engine.complete(t, Outcome::Approve { subject: Some("hello".into()), body: None }, later).is_err());
    assert_eq!(w.engine.touch(t).unwrap().touch.state, TouchState::Pending);
    // Fill the field for this prospect: the draft renders and can be approved.
    w.engine.set_prospect_field(p.id, "company", "Harbor Labs", later).unwrap();
    let d = w.engine.touch(t).unwrap();
    assert!(d.draft.missing.is_empty());
    assert!(d.draft.body.starts_with("Hi there,"), "{}", d.draft.body);
    assert_eq!(d.draft.subject.as_deref(), Some("Harbor Labs and fewer dropped hand-offs"));
    w.engine.complete(t, Outcome::Approve { subject: None, body: None }, later).unwrap();
}

#[test]
fn edited_text_must_not_carry_placeholders_or_empty_greetings() {
    let now = utc("2026-11-24T13:00:00Z");
    let mut w = World::new(now);
    w.import(PEOPLE, now);
    let p = w.engine.find_prospect("jonas@kranich.de").unwrap();
    w.engine.enroll(&Selection::Prospects(vec![p.id]), SEQ, false, now).unwrap();
    let later = now + Duration::days(1);
    let t = w.engine.queue(later, &QueueOptions::default()).unwrap().items[0].touch_id;
    for bad in ["Hi ,\n\nquick one", "Hi {{ first_name }}, quick one"] {
        let r = w.engine.complete(t, Outcome::Approve { subject: None, body: Some(bad.into()) }, later);
        assert!(matches!(r, Err(Error::Invalid(_))), "{bad}: {r:?}");
    }
    let ok = w.engine.complete(
        t,
        Outcome::Approve { subject: Some("Kranich, kurz".into()), body: Some("Hi Jonas, a short note.".into()) },
        later,
    );
    assert!(ok.is_ok());
    let d = w.engine.touch(t).unwrap();
    assert_eq!((d.draft.subject.as_deref(), d.draft.body.as_str()), (Some("Kranich, kurz"), "Hi Jonas, a short note."));
}

#[test]
fn one_active_sequence_per_prospect_unless_forced_and_never_do_not_contact() {
    let now = utc("2026-11-24T13:00:00Z");
    let mut w = World::new(now);
    w.import(PEOPLE, now);
    let all = ids(&w);
    let r = w.engine.enroll(&Selection::All, SEQ, false, now).unwrap();
    assert_eq!(r.enrolled.len(), 4);
    let again = w.engine.enroll(&Selection::All, "cold-short-14d", false, now).unwrap();
    assert_eq!((again.enrolled.len(), again.skipped.len()), (0, 4));
    assert!(again.skipped[0].reason.contains("already in an active sequence"));
    let forced = w.engine.enroll(&Selection::Prospects(vec![all[0]]), "cold-short-14d", true, now).unwrap();
    assert_eq!(forced.enrolled.len(), 1);
    // Do-not-contact ends what is running and blocks new enrollments.
    let ended = w.engine.add_do_not_contact("@kranich.de", "asked to stop", now).unwrap();
    assert_eq!(ended, 1);
    let jonas = w.engine.find_prospect("jonas@kranich.de").unwrap();
    let r = w.engine.enroll(&Selection::Prospects(vec![jonas.id]), "re-engagement", true, now).unwrap();
    assert_eq!(r.skipped[0].reason, "on the do-not-contact list");
}

#[test]
fn pause_and_resume_lose_no_step_and_do_not_burst() {
    let now = utc("2026-11-24T13:00:00Z");
    let mut w = World::new(now);
    w.import(PEOPLE, now);
    w.engine.enroll(&Selection::All, SEQ, false, now).unwrap();
    let before = w.engine.queue(now + Duration::days(1), &QueueOptions::default()).unwrap();
    let target = &before.items[0];
    w.engine.pause(target.enrollment_id, now).unwrap();
    let during = w.engine.queue(now + Duration::days(1), &QueueOptions::default()).unwrap();
    assert!(during.items.iter().all(|i| i.enrollment_id != target.enrollment_id), "paused work is hidden");
    // Resume two weeks later: the same step comes back, due now-ish, not overdue.
    let later = utc("2026-12-08T14:00:00Z");
    w.engine.resume(target.enrollment_id, later).unwrap();
    let after = w.engine.queue(later, &QueueOptions::default()).unwrap();
    let back = after.items.iter().find(|i| i.enrollment_id == target.enrollment_id).expect("step is back");
    assert_eq!((back.touch_id, back.step), (target.touch_id, target.step));
    assert!(!back.overdue);
    assert!(back.due_at >= later);
    // Removing cancels the open step.
    w.engine.remove(target.enrollment_id, later).unwrap();
    assert_eq!(w.engine.touch(target.touch_id).unwrap().touch.state, TouchState::Cancelled);
    assert!(matches!(w.engine.resume(target.enrollment_id, later), Err(Error::Conflict(_))));
}

#[test]
fn away_shifts_work_past_the_break_keeping_its_spread() {
    let now = utc("2026-12-14T14:00:00Z"); // Monday 14 Dec
    let mut w = World::new(now);
    w.import(PEOPLE, now);
    w.engine.enroll(&Selection::All, SEQ, false, now).unwrap();
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    // Away Tue 15 to Fri 18 Dec: whatever fell in it lands from Mon 21 Dec on.
    let moved = w.engine.add_away(d("2026-12-15"), d("2026-12-18"), now).unwrap();
    assert!(moved >= 1, "the first emails were due on the 15th");
    for day in ["2026-12-15", "2026-12-16", "2026-12-17", "2026-12-18"] {
        let q = w.engine.queue(utc(&format!("{day}T16:00:00Z")), &QueueOptions::default()).unwrap();
        // Only emails that send after the break (approvable ahead) may show.
        let back = utc("2026-12-21T05:00:00Z"); // Monday 00:00 New York
        assert!(q.items.iter().all(|i| i.overdue || i.due_at >= back), "{day}: nothing newly due while away");
    }
    let monday = w.engine.queue(utc("2026-12-21T16:00:00Z"), &QueueOptions::default()).unwrap();
    assert_eq!(monday.items.iter().filter(|i| !i.overdue).count(), moved);
    assert!(w.engine.settings().unwrap().is_away(d("2026-12-16")));
}

#[test]
fn enrollments_keep_the_sequence_version_they_started_on() {
    let now = utc("2026-11-24T13:00:00Z");
    let mut w = World::new(now);
    w.import(PEOPLE, now);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("my-seq.toml");
    let v1 = "name = \"Mine\"\nkind = \"post_demo\"\n[[steps]]\nchannel = \"task\"\ndelay = 0\ninstructions = \"first version\"\n[[steps]]\nchannel = \"call\"\ndelay = 2\nscript = \"v1 script\"\n";
    std::fs::write(&path, v1).unwrap();
    w.engine.add_sequence(&path, now).unwrap();
    let p = w.engine.find_prospect("dana@lumenfield.com").unwrap();
    w.engine.enroll(&Selection::Prospects(vec![p.id]), "my-seq", false, now).unwrap();
    std::fs::write(&path, v1.replace("v1 script", "v2 script").replace("first version", "second version")).unwrap();
    let d = w.engine.add_sequence(&path, now).unwrap();
    assert_eq!(d.info.version, 2);
    let t = w.engine.queue(now, &QueueOptions::default()).unwrap().items[0].touch_id;
    assert_eq!(w.engine.touch(t).unwrap().draft.body, "first version");
}

#[test]
fn everything_survives_a_restart() {
    let now = utc("2026-11-24T13:00:00Z");
    let mut w = World::new(now);
    w.import(PEOPLE, now);
    w.engine.enroll(&Selection::All, SEQ, false, now).unwrap();
    let q1 = w.engine.queue(now + Duration::days(1), &QueueOptions::default()).unwrap();
    let w = w.reopen(now);
    let q2 = w.engine.queue(now + Duration::days(1), &QueueOptions::default()).unwrap();
    assert_eq!(q1.items.iter().map(|i| i.touch_id).collect::<Vec<_>>(), q2.items.iter().map(|i| i.touch_id).collect::<Vec<_>>());
    assert_eq!(w.engine.settings().unwrap().timezone, chrono_tz::America::New_York);
}

#[test]
fn snooze_and_skip() {
    let now = utc("2026-11-24T15:00:00Z");
    let mut w = World::new(now);
    w.import(PEOPLE, now);
    let dana = w.engine.find_prospect("dana@lumenfield.com").unwrap();
    w.engine.enroll(&Selection::Prospects(vec![dana.id]), "inbound-lead", false, now).unwrap();
    let t = w.engine.queue(now, &QueueOptions::default()).unwrap().items[0].clone();
    // Snooze two hours: still in the window (08:00-17:00 Austin), so exactly then.
    let due = w.engine.snooze(t.touch_id, now + Duration::hours(2), now).unwrap();
    assert_eq!(due, now + Duration::hours(2));
    // Snoozing to the evening lands in the next morning's window.
    let due = w.engine.snooze(t.touch_id, utc("2026-11-25T02:00:00Z"), now).unwrap();
    assert_eq!(due, utc("2026-11-25T14:00:00Z")); // 08:00 in Austin
    assert!(w.engine.snooze(t.touch_id, now - Duration::hours(1), now).is_err());
    // Skip: the step is recorded as skipped and the next one is scheduled.
    w.engine.complete(t.touch_id, Outcome::Skip { reason: Some("wrong timing".into()) }, now).unwrap();
    assert_eq!(w.engine.touch(t.touch_id).unwrap().touch.state, TouchState::Skipped);
    let e = &w.engine.enrollments_of(dana.id).unwrap()[0];
    assert_eq!(e.step, 1);
}
