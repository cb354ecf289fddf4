//! Time away as the rep plans it: what it would move, before it is added;
//! taking it back.

mod common;

use chrono::NaiveDate;
use common::*;
use engine::api::{QueueOptions, Selection};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn an_away_period_says_what_it_moves_and_can_be_taken_back() {
    let now = utc("2026-11-23T19:00:00Z");
    let mut w = World::new(now);
    w.import(PEOPLE, now);
    let ids = w.engine.prospects(&Default::default()).unwrap().iter().map(|p| p.id).collect();
    w.engine.enroll(&Selection::Prospects(ids), "cold-outbound-21d", false, now).unwrap();
    let due = w.engine.queue(utc("2026-11-25T23:00:00Z"), &QueueOptions::default()).unwrap().items.len();
    assert!(due > 0);
    let preview = w.engine.away_preview(d("2026-11-24"), d("2026-11-25")).unwrap();
    assert!(preview > 0, "the first emails are due then");
    assert!(w.engine.away_preview(d("2026-11-25"), d("2026-11-24")).is_err(), "the end before the start");
    // Nothing moved by the preview.
    assert_eq!(w.engine.away_preview(d("2026-11-24"), d("2026-11-25")).unwrap(), preview);
    let moved = w.engine.add_away(d("2026-11-24"), d("2026-11-25"), now).unwrap();
    assert_eq!(moved, preview, "the preview said what would move");
    assert_eq!(w.engine.away_preview(d("2026-11-24"), d("2026-11-25")).unwrap(), 0, "nothing is due while away");
    assert_eq!(w.engine.settings().unwrap().away.len(), 1);
    w.engine.remove_away(d("2026-11-24"), d("2026-11-25")).unwrap();
    assert!(w.engine.settings().unwrap().away.is_empty());
    assert!(w.engine.remove_away(d("2026-11-24"), d("2026-11-25")).is_err(), "no such period any more");
}
