//! Scheduling invariants, checked on random reps, prospects, times and delays:
//! no touch on a weekend, a holiday, an away day or outside its window; delays
//! (minimum spacing) kept; steps in order; pausing and resuming loses no step.

mod common;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use common::*;
use engine::api::{Outcome, QueueOptions, Selection};
use engine::domain::Channel;
use engine::holidays::is_holiday;
use engine::schedule::{Calendar, ProspectPlace};
use engine::sequence::{builtin_sequences, parse_sequence, SequenceSettings};
use engine::settings::{AwayPeriod, RepSettings};
use proptest::prelude::*;

const ZONES: &[(&str, Option<&str>)] = &[
    ("America/New_York", Some("US")),
    ("America/Los_Angeles", Some("US")),
    ("Europe/London", Some("GB")),
    ("Europe/Berlin", Some("DE")),
    ("Asia/Kolkata", Some("IN")),
    ("Australia/Sydney", Some("AU")),
    ("Pacific/Auckland", Some("NZ")),
    ("America/Sao_Paulo", Some("BR")),
    ("Asia/Tokyo", None),
];
const CHANNELS: &[Channel] = &[Channel::Email, Channel::Call, Channel::LinkedinConnect, Channel::Task];

fn rep(zone: usize, away_start: i64, away_len: i64) -> RepSettings {
    let (tz, country) = ZONES[zone];
    let from = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap() + Duration::days(away_start);
    RepSettings {
        timezone: tz.parse().unwrap(),
        holiday_country: country.map(str::to_string),
        away: vec![AwayPeriod { from, to: from + Duration::days(away_len) }],
        ..Default::default()
    }
}

/// Checks one slot against every rule; returns a description of a breach.
fn breach(
    rep: &RepSettings,
    seq: &SequenceSettings,
    place: ProspectPlace,
    channel: Channel,
    base: DateTime<Utc>,
    delay: u32,
    due: DateTime<Utc>,
) -> Option<String> {
    let cal = Calendar::new(rep);
    let rep_local = due.with_timezone(&rep.timezone);
    let day = rep_local.date_naive();
    if due < base {
        return Some("due before its base".into());
    }
    if !rep.working_days.contains(&day.weekday()) {
        return Some(format!("on the rep's weekend ({day})"));
    }
    if rep.holiday_country.as_deref().is_some_and(|c| is_holiday(c, day)) {
        return Some(format!("on a holiday of the rep ({day})"));
    }
    if rep.is_away(day) {
        return Some(format!("while the rep is away ({day})"));
    }
    if cal.business_days_between(cal.rep_date(base), day) < delay {
        return Some(format!("fewer than {delay} business days after its base"));
    }
    if channel == Channel::Email {
        let local = due.with_timezone(&place.timezone);
        let (start, end) = seq.window;
        if local.time() < start || local.time() >= end {
            return Some(format!("outside the prospect's window ({})", local.time()));
        }
        if !seq.working_days.contains(&local.weekday()) {
            return Some("on the prospect's weekend".into());
        }
        if place.country.is_some_and(|c| is_holiday(c, local.date_naive())) {
            return Some("on a public holiday where the prospect is".into());
        }
    } else if rep_local.time() < rep.day_start || rep_local.time() >= rep.day_end {
        return Some(format!("outside the rep's hours ({})", rep_local.time()));
    }
    if channel == Channel::Call && !callable(rep, seq, place, due) {
        // Outside the prospect's hours is allowed only when their hours
        // never meet the rep's in the days the scheduler looks at.
        let start = engine::schedule::start_of_day(rep.timezone, cal.add_business_days(cal.rep_date(base), delay));
        let mut t = start.max(base);
        while t < start + Duration::days(engine::schedule::CALL_SEARCH_DAYS - 1) {
            let local = t.with_timezone(&rep.timezone);
            let rep_ok = cal.is_working_day(local.date_naive()) && local.time() >= rep.day_start && local.time() < rep.day_end;
            if rep_ok && callable(rep, seq, place, t) {
                return Some(format!(
                    "a call outside the prospect's hours ({}) though {t} was in both",
                    due.with_timezone(&place.timezone)
                ));
            }
            t += Duration::minutes(15);
        }
    }
    None
}

/// Inside the prospect's calling hours, on one of their working days.
fn callable(_rep: &RepSettings, seq: &SequenceSettings, place: ProspectPlace, t: DateTime<Utc>) -> bool {
    let local = t.with_timezone(&place.timezone);
    local.time() >= seq.call_hours.0
        && local.time() < seq.call_hours.1
        && seq.working_days.contains(&local.weekday())
        && !place.country.is_some_and(|c| is_holiday(c, local.date_naive()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn every_slot_keeps_every_rule(
        rep_zone in 0..ZONES.len(),
        prospect_zone in 0..ZONES.len(),
        minutes in 0i64..(2 * 365 * 24 * 60),
        delay in 0u32..6,
        channel in 0..CHANNELS.len(),
        away_start in 0i64..400,
        away_len in 0i64..15,
    ) {
        let rep = rep(rep_zone, away_start, away_len);
        let (ptz, pcountry) = ZONES[prospect_zone];
        let place = ProspectPlace { timezone: ptz.parse::<Tz>().unwrap(), country: pcountry };
        let seq = SequenceSettings::default();
        let base = utc("2026-01-01T00:00:00Z") + Duration::minutes(minutes);
        let channel = CHANNELS[channel];
        let slot = Calendar::new(&rep).schedule(&seq, place, channel, base, delay).expect("a slot within a year");
        prop_assert!(slot.closes_at > slot.due_at);
        if let Some(why) = breach(&rep, &seq, place, channel, base, delay, slot.due_at) {
            prop_assert!(false, "{channel} from {base} +{delay}: due {} {why}", slot.due_at);
        }
    }

    #[test]
    fn a_whole_sequence_keeps_order_and_spacing(
        rep_zone in 0..ZONES.len(),
        prospect_zone in 0..ZONES.len(),
        minutes in 0i64..(365 * 24 * 60),
        which in 0usize..builtin_sequences().len(),
        lateness in proptest::collection::vec(0i64..(3 * 24 * 60), 12),
    ) {
        let rep = rep(rep_zone, 200, 10);
        let (ptz, pcountry) = ZONES[prospect_zone];
        let place = ProspectPlace { timezone: ptz.parse::<Tz>().unwrap(), country: pcountry };
        let b = &builtin_sequences()[which];
        let seq = parse_sequence(b.file, b.source).unwrap();
        let cal = Calendar::new(&rep);
        // Every path through it (one when nothing branches).
        for path in seq.paths() {
            let mut base = utc("2026-01-01T00:00:00Z") + Duration::minutes(minutes);
            let mut last_due = base;
            for (k, &i) in path.iter().enumerate() {
                let step = &seq.steps[i];
                let slot = cal.schedule(&seq.settings, place, step.channel, base, step.delay).expect("slot");
                prop_assert!(slot.due_at >= last_due, "{}: step {} due before the one before it on {path:?}", b.slug, i + 1);
                if let Some(why) = breach(&rep, &seq.settings, place, step.channel, base, step.delay, slot.due_at) {
                    prop_assert!(false, "{}: step {} on {path:?}: {why}", b.slug, i + 1);
                }
                last_due = slot.due_at;
                // The rep works it some time after it is due; the next counts from then.
                base = slot.due_at + Duration::minutes(lateness[k % lateness.len()]);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, failure_persistence: None, ..ProptestConfig::default() })]

    /// Work a sequence with random pauses and resumes in between: every step
    /// is worked exactly once, in order, and none is lost.
    #[test]
    fn pausing_and_resuming_loses_no_step(pauses in proptest::collection::vec((any::<bool>(), 1i64..20), 12)) {
        let mut now = utc("2026-11-24T14:00:00Z");
        let mut w = World::new(now);
        w.import(PEOPLE, now);
        let p = w.engine.find_prospect("dana@lumenfield.com").unwrap();
        let eid = w.engine.enroll(&Selection::Prospects(vec![p.id]), "cold-outbound-21d", false, now).unwrap().enrolled[0].1;
        let mut worked = Vec::new();
        for (pause, days) in pauses.iter().cycle().take(40) {
            if w.engine.enrollments_of(p.id).unwrap()[0].state != engine::domain::EnrollmentState::Active {
                break;
            }
            if *pause {
                w.engine.pause(eid, now).unwrap();
                now += Duration::days(*days);
                w.engine.resume(eid, now).unwrap();
            }
            // Jump to when the open step is due and work it.
            let q = w.engine.queue(now + Duration::days(10), &QueueOptions::default()).unwrap();
            let Some(item) = q.items.iter().find(|i| i.enrollment_id == eid) else { break };
            now = now.max(item.due_at) + Duration::minutes(5);
            let outcome = match item.channel {
                Channel::Email => Outcome::Approve { subject: None, body: None },
                Channel::Call => Outcome::Call { outcome: engine::domain::CallOutcome::NoAnswer, notes: None, duration_s: None },
                _ => Outcome::Done { notes: None },
            };
            w.engine.complete(item.touch_id, outcome, now).unwrap();
            worked.push(item.step);
        }
        prop_assert_eq!(worked, (0..10).collect::<Vec<_>>());
        let e = &w.engine.enrollments_of(p.id).unwrap()[0];
        prop_assert_eq!(e.state, engine::domain::EnrollmentState::Finished);
    }
}
