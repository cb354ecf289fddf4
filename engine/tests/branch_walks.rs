//! Enrollments walked through the built-in branching playbook on a real
//! database file, every call outcome chosen at random: each next touch is
//! the step the branch names, due after the work that led to it, and the
//! steps an enrollment went through are one of the sequence's paths.

mod common;

use chrono::Duration;
use common::*;
use engine::api::{Outcome, QueueOptions, Selection};
use engine::domain::{CallOutcome, Channel, EnrollmentState};
use engine::sequence::{builtin_sequences, parse_sequence};
use proptest::prelude::*;

const OUTCOMES: [CallOutcome; 4] = [CallOutcome::Connected, CallOutcome::Voicemail, CallOutcome::NoAnswer, CallOutcome::WrongNumber];

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn every_walk_follows_a_path_and_the_scheduling_rules(
        picks in proptest::collection::vec(0usize..4, 4),
        lateness in proptest::collection::vec(0i64..(2 * 24 * 60), 12),
    ) {
        let b = builtin_sequences().into_iter().find(|b| b.slug == "cold-call-branches").expect("the branching playbook");
        let seq = parse_sequence(b.file, b.source).unwrap();
        let mut at = utc("2026-11-23T15:00:00Z");
        let mut w = World::new(at);
        w.import(PEOPLE, at);
        let p = w.engine.find_prospect("dana@lumenfield.com").unwrap();
        w.engine.enroll(&Selection::Prospects(vec![p.id]), b.slug, false, at).unwrap();
        let (mut visited, mut expected, mut calls) = (Vec::new(), Some(0usize), 0);
        for k in 0..20 {
            let q = w.engine.queue(at + Duration::days(60), &QueueOptions::default()).unwrap();
            let Some(item) = q.items.into_iter().find(|i| i.prospect_id == p.id) else { break };
            let d = w.engine.touch(item.touch_id).unwrap();
            prop_assert_eq!(Some(d.touch.step), expected, "the step the branch named, after {:?}", visited);
            prop_assert!(d.touch.due_at >= at, "step {} due {} before the work that led to it ({at})", d.touch.step + 1, d.touch.due_at);
            visited.push(d.touch.step);
            at = d.touch.due_at + Duration::minutes(lateness[k % lateness.len()]);
            let (outcome, took) = match d.touch.channel {
                Channel::Call => {
                    let o = OUTCOMES[picks[calls % picks.len()]];
                    calls += 1;
                    (Outcome::Call { outcome: o, notes: None, duration_s: None }, Some(o.as_str()))
                }
                Channel::Email => (Outcome::Approve { subject: None, body: None }, None),
                _ => (Outcome::Done { notes: None }, None),
            };
            w.engine.complete(item.touch_id, outcome, at).unwrap();
            expected = seq.steps[d.touch.step].next_after(d.touch.step, took).filter(|&n| n < seq.steps.len());
        }
        prop_assert_eq!(expected, None, "the walk reached the end");
        prop_assert_eq!(w.engine.enrollments_of(p.id).unwrap()[0].state, EnrollmentState::Finished);
        prop_assert!(seq.paths().contains(&visited), "{:?} is not a path of {:?}", visited, seq.paths());
    }
}

/// Works every touch of `p` due by `until` with these call outcomes in turn.
fn work(w: &mut World, p: i64, mut at: chrono::DateTime<chrono::Utc>, calls: &[CallOutcome]) {
    let mut k = 0;
    for _ in 0..20 {
        let q = w.engine.queue(at + Duration::days(60), &QueueOptions::default()).unwrap();
        let Some(item) = q.items.into_iter().find(|i| i.prospect_id == p) else { return };
        let d = w.engine.touch(item.touch_id).unwrap();
        at = d.touch.due_at.max(at) + Duration::hours(1);
        let outcome = match d.touch.channel {
            Channel::Call => {
                k += 1;
                Outcome::Call { outcome: calls[(k - 1).min(calls.len() - 1)], notes: None, duration_s: None }
            }
            Channel::Email => Outcome::Approve { subject: None, body: None },
            _ => Outcome::Done { notes: None },
        };
        w.engine.complete(item.touch_id, outcome, at).unwrap();
    }
}

#[test]
fn results_show_each_path_with_how_many_took_it_and_the_meetings_on_it() {
    let now = utc("2026-11-23T15:00:00Z");
    let mut w = World::new(now);
    w.import(PEOPLE, now);
    w.import("First Name,Email,Company,Country\nAna,ana@quarry.example,Quarry,Portugal\n", now);
    let ids: Vec<i64> = w.engine.prospects(&Default::default()).unwrap().iter().filter(|p| p.company.is_some()).map(|p| p.id).collect();
    assert_eq!(ids.len(), 4);
    w.engine.enroll(&Selection::Prospects(ids.clone()), "cold-call-branches", false, now).unwrap();
    // Two pick up (one books a meeting on the follow-up call), one gets the
    // voicemail, one never answers.
    work(&mut w, ids[0], now, &[CallOutcome::Connected, CallOutcome::MeetingBooked]);
    work(&mut w, ids[1], now, &[CallOutcome::Connected, CallOutcome::NoAnswer]);
    work(&mut w, ids[2], now, &[CallOutcome::Voicemail, CallOutcome::NoAnswer]);
    work(&mut w, ids[3], now, &[CallOutcome::NoAnswer]);
    let r = w.engine.results("cold-call-branches", engine::api::Span { from: None, to: None }, now + Duration::days(60)).unwrap();
    let got: Vec<(Vec<usize>, u64, u64, u64)> = r.paths.iter().map(|p| (p.steps.clone(), p.enrolled, p.running, p.meetings)).collect();
    assert_eq!(
        got,
        vec![
            (vec![1, 2, 3, 4, 5, 6, 7], 1, 0, 0),
            (vec![1, 2, 3, 5, 6, 7], 1, 0, 0),
            (vec![1, 2, 3, 8, 9], 1, 0, 1),
            (vec![1, 2, 3, 8, 9, 10], 1, 0, 0),
        ],
        "{:#?}",
        r.paths
    );
    // A sequence that does not branch has no paths to show.
    assert!(w.engine.results("cold-outbound-21d", engine::api::Span { from: None, to: None }, now).unwrap().paths.is_empty());
}

#[test]
fn a_sequence_edited_mid_flight_keeps_running_enrollments_on_their_version_and_path() {
    let now = utc("2026-11-23T15:00:00Z");
    let mut w = World::new(now);
    w.import(PEOPLE, now);
    let src = builtin_sequences().into_iter().find(|b| b.slug == "cold-call-branches").unwrap().source;
    w.engine.save_sequence_source("my-branches", src, now).unwrap();
    let lucia = w.engine.find_prospect("lucia@nubaria.es").unwrap().id;
    let dana = w.engine.find_prospect("dana@lumenfield.com").unwrap().id;
    w.engine.enroll(&Selection::Prospects(vec![lucia]), "my-branches", false, now).unwrap();
    // Version 2: a connected call now goes straight to the last note.
    let edited = src.replace("connected = \"as discussed\"", "connected = \"last note\"");
    w.engine.save_sequence_source("my-branches", &edited, now + Duration::hours(1)).unwrap();
    w.engine.enroll(&Selection::Prospects(vec![dana]), "my-branches", false, now + Duration::hours(1)).unwrap();
    let step_after_connected = |w: &mut World, p: i64| {
        let mut at = now + Duration::hours(2);
        for _ in 0..5 {
            let q = w.engine.queue(at + Duration::days(30), &QueueOptions::default()).unwrap();
            let item = q.items.into_iter().find(|i| i.prospect_id == p).unwrap();
            let d = w.engine.touch(item.touch_id).unwrap();
            at = d.touch.due_at.max(at) + Duration::hours(1);
            let call = d.touch.channel == Channel::Call;
            let outcome = match d.touch.channel {
                Channel::Call => Outcome::Call { outcome: CallOutcome::Connected, notes: None, duration_s: None },
                Channel::Email => Outcome::Approve { subject: None, body: None },
                _ => Outcome::Done { notes: None },
            };
            w.engine.complete(item.touch_id, outcome, at).unwrap();
            if call {
                let q = w.engine.queue(at + Duration::days(30), &QueueOptions::default()).unwrap();
                let next = q.items.into_iter().find(|i| i.prospect_id == p).unwrap();
                return w.engine.touch(next.touch_id).unwrap().step.label.clone().unwrap();
            }
        }
        panic!("no call");
    };
    assert_eq!(step_after_connected(&mut w, lucia), "as discussed", "Lucía stays on version 1 and its branches");
    assert_eq!(step_after_connected(&mut w, dana), "last note", "Dana started on version 2");
}
