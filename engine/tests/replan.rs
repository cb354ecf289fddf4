//! Re-planning a backlog: a week away without telling Cadence leaves many
//! touches overdue; spread over the next working days, no day above the
//! cap, every touch at a time its own rules allow, all in one go.

mod common;

use chrono::{Datelike, Duration};
use common::*;
use engine::api::{QueueOptions, SampleOptions};
use engine::domain::Channel;
use engine::Engine;
use proptest::prelude::*;

fn backlog(prospects: usize, seed: u64) -> (tempfile::TempDir, Engine, chrono::DateTime<chrono::Utc>) {
    let start = utc("2026-11-16T14:00:00Z");
    let dir = tempfile::tempdir().unwrap();
    let mut e = Engine::open(&dir.path().join("c.db"), start).unwrap();
    let opts =
        SampleOptions { rep_timezone: Some(chrono_tz::America::New_York), active_percent: 100, ..SampleOptions::new(prospects, seed) };
    e.generate_sample(&opts, start).unwrap();
    // Nothing worked for a week.
    (dir, e, start + Duration::days(8))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn no_day_above_the_cap_every_rule_kept_and_nothing_left_overdue(seed in 1u64..1000, days in 1u32..8, per_day in 5usize..40) {
        let (_dir, mut e, now) = backlog(120, seed);
        let before = e.queue(now, &QueueOptions::default()).unwrap();
        prop_assume!(before.overdue > 0);
        let plan = e.replan_preview(days, per_day, now).unwrap();
        prop_assert_eq!(plan.moves.len(), before.overdue);
        let rep = e.settings().unwrap();
        let today = now.with_timezone(&rep.timezone).date_naive();
        for (day, by_channel) in &plan.days {
            let total: usize = by_channel.values().sum();
            let moved = plan.moves.iter().filter(|m| m.due_at.with_timezone(&rep.timezone).date_naive() == *day).count();
            // A day already fuller than the cap gets nothing more.
            prop_assert!(total <= per_day || moved == 0, "{day}: {total} due, {moved} moved, cap {per_day}");
            prop_assert!(*day >= today);
            prop_assert!(rep.working_days.contains(&day.weekday()), "{day} is not a working day");
        }
        for m in &plan.moves {
            prop_assert!(m.due_at >= now && m.closes_at > m.due_at);
            if m.channel == Channel::Email {
                let t = e.touch(m.touch).unwrap();
                let tz: chrono_tz::Tz = t.prospect.timezone.unwrap_or(rep.timezone);
                let local = m.due_at.with_timezone(&tz).time();
                prop_assert!(local >= chrono::NaiveTime::from_hms_opt(6, 0, 0).unwrap() && local < chrono::NaiveTime::from_hms_opt(20, 0, 0).unwrap(), "an email at {local} their time");
            }
        }
        // Applied: exactly as previewed, nothing overdue.
        let applied = e.replan(days, per_day, now).unwrap();
        prop_assert_eq!(applied.moves.len(), plan.moves.len());
        prop_assert_eq!(e.queue(now, &QueueOptions::default()).unwrap().overdue, 0);
        for m in &applied.moves {
            prop_assert_eq!(e.touch(m.touch).unwrap().touch.due_at, m.due_at);
        }
    }
}

#[test]
fn a_refused_plan_changes_nothing() {
    let (_dir, mut e, now) = backlog(60, 3);
    assert!(e.replan(0, 10, now).is_err());
    assert!(e.replan(3, 0, now).is_err());
    assert!(e.queue(now, &QueueOptions::default()).unwrap().overdue > 0, "still overdue: nothing moved");
}

#[test]
fn the_first_working_day_back_is_known_after_time_away_or_a_long_absence() {
    let now = utc("2026-11-23T15:00:00Z"); // a Monday, 10:00 in New York
    let mut w = World::new(now);
    w.import(PEOPLE, now);
    let ids = w.engine.prospects(&Default::default()).unwrap().iter().map(|p| p.id).collect();
    w.engine.enroll(&engine::api::Selection::Prospects(ids), "cold-outbound-21d", false, now).unwrap();
    let q = w.engine.queue(now, &QueueOptions { limit: None, channel: Some(Channel::Email) }).unwrap();
    w.engine.complete(q.items[0].touch_id, engine::api::Outcome::Skip { reason: None }, now).unwrap();
    let back = |w: &World, at: &str| w.engine.today_stats(utc(at)).unwrap().back_after_days;

    // Worked on Monday: Tuesday and Thursday are ordinary days; the next
    // Monday, after a week with nothing worked, is a day back.
    assert_eq!(back(&w, "2026-11-24T15:00:00Z"), None);
    assert_eq!(back(&w, "2026-11-26T15:00:00Z"), None);
    assert_eq!(back(&w, "2026-11-30T15:00:00Z"), Some(7));

    // Time away from Tuesday 1 to Friday 4 December: Monday 7 is the first
    // working day after it (the weekend is not), Tuesday 8 is not.
    w.engine
        .add_away(chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(), chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap(), now)
        .unwrap();
    assert_eq!(back(&w, "2026-12-07T15:00:00Z"), Some(4));
    w.engine
        .complete(
            w.engine.queue(utc("2026-12-07T15:00:00Z"), &QueueOptions::default()).unwrap().items[0].touch_id,
            engine::api::Outcome::Skip { reason: None },
            utc("2026-12-07T15:00:00Z"),
        )
        .unwrap();
    assert_eq!(back(&w, "2026-12-08T15:00:00Z"), None);
}
