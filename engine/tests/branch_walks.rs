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
