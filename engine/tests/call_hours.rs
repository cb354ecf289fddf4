//! Calls in the prospect's hours: the queue says who can be reached now,
//! when the others' hours open, and lists calls in the order they can be
//! made; a snoozed call lands in their hours.

mod common;

use common::*;
use engine::api::{QueueOptions, Selection, SnoozeFor};
use engine::domain::Channel;

/// A call first, on every weekday, in the usual 09:00-17:00 calling hours.
const CALL_FIRST: &str = "name = \"Calls\"\nkind = \"post_demo\"\n\
[settings]\nworking_days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]\ncall_hours = \"09:00-17:00\"\n\
[[steps]]\nchannel = \"call\"\ndelay = 0\nscript = \"Say hello.\"\n\
[[steps]]\nchannel = \"task\"\ndelay = 2\ninstructions = \"Send the deck.\"\n";

const PEOPLE_3: &str = "\
First Name,Last Name,Email,Company,City,Country,Phone
Sam,Ortiz,sam@sf.example,Bayline,San Francisco,United States,+1 415 555 0100
Jonas,Müller,jonas@kranich.de,Kranich,Berlin,Germany,+49 30 1234567
Kai,Nomad,kai@nowhere.example,Driftco,,,
";

#[test]
fn calls_come_in_the_order_the_prospects_can_be_reached() {
    // Tuesday 24 Nov 2026, 14:30 in New York: 11:30 in San Francisco, 20:30 in Berlin.
    let now = utc("2026-11-24T19:30:00Z");
    let mut w = World::new(utc("2026-11-24T13:00:00Z"));
    w.import(PEOPLE_3, now);
    let path = w.dir.path().join("calls.toml");
    std::fs::write(&path, CALL_FIRST).unwrap();
    w.engine.add_sequence(&path, now).unwrap();
    let ids = w.engine.prospects(&Default::default()).unwrap().iter().map(|p| p.id).collect();
    // Enrolled early in the rep's day, so each call is due today.
    w.engine.enroll(&Selection::Prospects(ids), "calls", false, utc("2026-11-24T13:00:00Z")).unwrap();

    let q = w.engine.queue(now, &QueueOptions { limit: None, channel: Some(Channel::Call) }).unwrap();
    let order: Vec<&str> = q.items.iter().map(|i| i.email.as_str()).collect();
    assert_eq!(order, ["sam@sf.example", "kai@nowhere.example", "jonas@kranich.de"], "reachable now, unknown, later");
    let sam = &q.items[0];
    let reach = sam.reach.expect("San Francisco's hours");
    assert!(reach.now, "11:30 in San Francisco");
    assert_eq!(reach.closes, utc("2026-11-25T01:00:00Z"), "17:00 their time");
    assert!(q.items[1].reach.is_none(), "no zone, no hours to tell");
    let jonas = q.items[2].reach.expect("Berlin's hours");
    assert!(!jonas.now, "20:30 in Berlin: outside their hours");
    assert_eq!(jonas.opens, utc("2026-11-25T08:00:00Z"), "09:00 Berlin tomorrow");

    // Snoozed "tomorrow", Jonas's call lands in Berlin's hours and the rep's
    // (09:00 New York is 15:00 Berlin), not at the rep's 09:00 whatever it is there.
    let t = q.items[2].touch_id;
    let until = w.engine.snooze_time(SnoozeFor::Tomorrow, now).unwrap();
    let due = w.engine.snooze(t, until, now).unwrap();
    let berlin = due.with_timezone(&"Europe/Berlin".parse::<chrono_tz::Tz>().unwrap());
    assert!(berlin.format("%H:%M").to_string().as_str() >= "09:00" && berlin.format("%H:%M").to_string().as_str() < "17:00", "{berlin}");
}

#[test]
fn reach_on_a_friday_evening_waits_for_monday() {
    let tz: chrono_tz::Tz = "Europe/Berlin".parse().unwrap();
    let hours = (chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap(), chrono::NaiveTime::from_hms_opt(17, 0, 0).unwrap());
    let weekdays = [chrono::Weekday::Mon, chrono::Weekday::Tue, chrono::Weekday::Wed, chrono::Weekday::Thu, chrono::Weekday::Fri];
    // Friday 27 Nov 2026, 18:00 in Berlin.
    let r = engine::schedule::reach(tz, hours, &weekdays, utc("2026-11-27T17:00:00Z")).unwrap();
    assert!(!r.now);
    assert_eq!(r.opens, utc("2026-11-30T08:00:00Z"), "Monday 09:00");
}
