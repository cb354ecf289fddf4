//! What the desktop app relies on from the engine: change events after each
//! write, the CSV preview, snooze presets, per-step counts, settings by name,
//! and blocked drafts shown with their blanks marked.

mod common;

use std::sync::{Arc, Mutex};

use chrono::{Datelike, Duration, Timelike, Weekday};
use common::{utc, World, PEOPLE};
use engine::api::{Outcome, QueueOptions, Selection, SnoozeFor};
use engine::events::Change;

const SEQ: &str = "cold-outbound-21d";

fn recorder(w: &mut World) -> Arc<Mutex<Vec<Vec<Change>>>> {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    w.engine.on_change(Box::new(move |what| sink.lock().unwrap().push(what.to_vec())));
    seen
}

#[test]
fn every_write_says_what_it_changed_and_reads_say_nothing() {
    let now = utc("2026-11-24T15:00:00Z");
    let mut w = World::new(now);
    let seen = recorder(&mut w);
    w.import(PEOPLE, now);
    assert_eq!(seen.lock().unwrap().pop(), Some(vec![Change::Prospects]));
    w.engine.enroll(&Selection::All, SEQ, false, now).unwrap();
    assert!(seen.lock().unwrap().pop().unwrap().contains(&Change::Queue));
    let q = w.engine.queue(now, &QueueOptions::default()).unwrap();
    let _ = w.engine.touch(q.items[0].touch_id).unwrap();
    assert!(seen.lock().unwrap().is_empty(), "reads are silent");
    let t = q.items.iter().find(|i| i.email == "dana@lumenfield.com").unwrap().touch_id;
    w.engine.complete(t, Outcome::Approve { subject: None, body: None }, now).unwrap();
    let last = seen.lock().unwrap().pop().unwrap();
    assert!(last.contains(&Change::Queue) && last.contains(&Change::Outbox), "{last:?}");
    // A refused write says nothing.
    assert!(w.engine.complete(t, Outcome::Skip { reason: None }, now).is_err());
    assert!(seen.lock().unwrap().is_empty());
}

#[test]
fn a_csv_preview_maps_counts_and_writes_nothing() {
    let now = utc("2026-11-24T15:00:00Z");
    let w = World::new(now);
    let csv = "Work Email,Name,Company\nana@acme.example,Ana Silva,Acme\nnot-an-email,Bo,Beta\n";
    let p = w.engine.preview_csv(csv.as_bytes(), &Default::default(), None, 5).unwrap();
    assert_eq!(p.headers, vec!["Work Email", "Name", "Company"]);
    assert_eq!(p.mapping.iter().map(|m| m.field.name()).collect::<Vec<_>>(), vec!["email", "full_name", "company"]);
    assert_eq!((p.ready, p.rejected, p.sample.len()), (1, 1, 2));
    assert!(p.problem.is_none());
    assert_eq!(w.engine.prospect_count().unwrap(), 0);
    // No email column: the columns still show, with the problem in words.
    let p = w.engine.preview_csv(b"Name,Org\nAna,Acme\n", &Default::default(), None, 5).unwrap();
    assert_eq!(p.headers, vec!["Name", "Org"]);
    assert!(p.problem.unwrap().contains("no column holds email addresses"));
}

#[test]
fn snooze_presets_follow_the_reps_calendar() {
    // Friday 16:00 in New York.
    let now = utc("2026-11-27T21:00:00Z");
    let w = World::new(now);
    let ny: chrono_tz::Tz = "America/New_York".parse().unwrap();
    assert_eq!(w.engine.snooze_time(SnoozeFor::Hour, now).unwrap(), now + Duration::hours(1));
    let tomorrow = w.engine.snooze_time(SnoozeFor::Tomorrow, now).unwrap().with_timezone(&ny);
    assert_eq!((tomorrow.weekday(), tomorrow.day(), tomorrow.hour()), (Weekday::Mon, 30, 9), "the next working day, at the start of it");
    let next_week = w.engine.snooze_time(SnoozeFor::NextWeek, now).unwrap().with_timezone(&ny);
    assert_eq!((next_week.weekday(), next_week.day()), (Weekday::Mon, 30));
}

#[test]
fn step_counts_follow_the_work() {
    let now = utc("2026-11-24T15:00:00Z");
    let mut w = World::new(now);
    w.import(PEOPLE, now);
    w.engine.enroll(&Selection::All, SEQ, false, now).unwrap();
    let q = w.engine.queue(now, &QueueOptions::default()).unwrap();
    let dana = q.items.iter().find(|i| i.email == "dana@lumenfield.com").unwrap().touch_id;
    let jonas = q.items.iter().find(|i| i.email == "jonas@kranich.de").unwrap().touch_id;
    w.engine.complete(dana, Outcome::Approve { subject: None, body: None }, now).unwrap();
    w.engine.complete(jonas, Outcome::Skip { reason: Some("wrong person".into()) }, now).unwrap();
    let c = w.engine.sequence(SEQ).unwrap().step_counts;
    assert_eq!((c[0].waiting, c[0].done, c[0].skipped), (2, 1, 1));
    assert_eq!(c[1].waiting, 2, "Dana and Jonas wait at step 2");
}

#[test]
fn a_blocked_draft_shows_its_blanks_and_they_cannot_be_approved() {
    let now = utc("2026-11-24T15:00:00Z");
    let mut w = World::new(now);
    w.import(PEOPLE, now);
    let p = w.engine.find_prospect("nofirst@example.com").unwrap();
    w.engine.enroll(&Selection::Prospects(vec![p.id]), SEQ, false, now).unwrap();
    let t = w.engine.queue(now + Duration::days(1), &QueueOptions::default()).unwrap().items[0].touch_id;
    let d = w.engine.touch(t).unwrap();
    assert_eq!(d.draft.subject.as_deref(), Some("⟦company⟧ and fewer dropped hand-offs"));
    assert!(d.draft.body.contains("Teams like ⟦company⟧"), "{}", d.draft.body);
    // Sending the preview back as an edit is refused, and names the mark.
    let err =
        w.engine.complete(t, Outcome::Approve { subject: d.draft.subject.clone(), body: Some(d.draft.body.clone()) }, now).unwrap_err();
    assert!(err.to_string().contains("missing field"), "{err}");
}

#[test]
fn settings_are_set_by_name_with_clear_errors() {
    let now = utc("2026-11-24T15:00:00Z");
    let mut w = World::new(now);
    let seen = recorder(&mut w);
    let s = w.engine.set_setting("sender_company", "Northwind Labs").unwrap();
    assert_eq!(s.sender_company, "Northwind Labs");
    assert_eq!(w.engine.settings().unwrap().sender_company, "Northwind Labs");
    assert!(seen.lock().unwrap().pop().unwrap().contains(&Change::Settings));
    let err = w.engine.set_setting("timezone", "Mars/Olympus").unwrap_err();
    assert!(err.to_string().contains("IANA"), "{err}");
    let err = w.engine.set_setting("colour", "blue").unwrap_err();
    assert!(err.to_string().contains("unknown setting"), "{err}");
}
