//! Public holidays by country, from `data/holidays.csv`, which
//! `scripts/gen-holidays.py` generates from python-holidays (regenerate it
//! yearly). Parsed once, on first use.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use chrono::NaiveDate;

static CSV: &str = include_str!("../data/holidays.csv");

type Table = HashMap<&'static str, HashSet<NaiveDate>>;

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t: Table = HashMap::new();
        for line in CSV.lines().filter(|l| !l.starts_with('#')).skip(1) {
            let mut parts = line.splitn(3, ',');
            let (Some(code), Some(date)) = (parts.next(), parts.next()) else { continue };
            if let Ok(d) = NaiveDate::parse_from_str(date, "%Y-%m-%d") {
                t.entry(code).or_default().insert(d);
            }
        }
        t
    })
}

/// Whether `date` is a public holiday in the country with ISO code `code`
/// (e.g. "US", "GB"). Unknown countries have no holidays.
pub fn is_holiday(code: &str, date: NaiveDate) -> bool {
    table().get(code).is_some_and(|days| days.contains(&date))
}

/// Countries with holiday data.
pub fn countries() -> Vec<&'static str> {
    let mut c: Vec<_> = table().keys().copied().collect();
    c.sort();
    c
}

/// The first and last year covered, so callers can warn when data runs out.
pub fn years_covered() -> (i32, i32) {
    use chrono::Datelike;
    let years = table().values().flatten().map(|d| d.year());
    let (mut lo, mut hi) = (i32::MAX, i32::MIN);
    for y in years {
        lo = lo.min(y);
        hi = hi.max(y);
    }
    (lo, hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_holidays() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let check = |c: &str, day: &str, expect: bool| assert_eq!(is_holiday(c, d(day)), expect, "{c} {day}");
        check("US", "2026-11-26", true); // Thanksgiving
        check("US", "2027-07-05", true); // Independence Day observed
        check("GB", "2026-12-28", true); // Boxing Day observed
        check("DE", "2026-10-03", true);
        check("IN", "2026-01-26", true);
        check("US", "2026-11-24", false);
        check("XX", "2026-12-25", false);
        for c in ["US", "GB", "CA", "AU", "DE", "FR", "NL", "ES"] {
            check(c, "2026-12-25", true);
        }
        check("IN", "2027-08-15", true); // Independence Day
        let (lo, hi) = years_covered();
        assert!(lo <= 2026 && hi >= 2027, "{lo}-{hi}");
    }
}
