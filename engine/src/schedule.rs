//! When a touch is due. Pure functions of the rep's calendar, the sequence's
//! settings, the prospect's place and a start instant: no clock inside.
//!
//! - Business days are counted on the rep's calendar (working days, public
//!   holidays of the rep's country, away periods).
//! - Emails fall inside the sequence's window in the prospect's local time, on
//!   a day that is a working day for the sequence and not a public holiday in
//!   the prospect's country, and on one of the rep's working days (the rep
//!   approves them that day).
//! - Calls fall inside the rep's hours, preferably when it is also business
//!   hours for the prospect; everything else inside the rep's hours.
//! - A step's delay counts from when the previous step was actually done, so a
//!   late step pushes the later ones and nothing bunches up to catch up.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;

use crate::domain::{Channel, Timing};
use crate::holidays;
use crate::sequence::SequenceSettings;
use crate::settings::RepSettings;

/// Where the prospect is, for scheduling. An unknown zone falls back to the rep's.
#[derive(Debug, Clone, Copy)]
pub struct ProspectPlace<'a> {
    pub timezone: Tz,
    /// ISO country code, for public holidays.
    pub country: Option<&'a str>,
}

/// A due instant and the end of the window it falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub due_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
}

/// How far ahead a slot is looked for before giving up.
const SEARCH_DAYS: i64 = 400;
/// Days a call waits for the prospect's hours to meet the rep's.
pub const CALL_SEARCH_DAYS: i64 = 10;

/// A local wall-clock time on a date in `tz`, as UTC. In a DST gap the first
/// valid instant after it is used.
pub fn local_to_utc(tz: Tz, date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    let naive = date.and_time(time);
    let mut probe = naive;
    for _ in 0..5 {
        if let Some(t) = tz.from_local_datetime(&probe).earliest() {
            return t.with_timezone(&Utc);
        }
        probe += Duration::minutes(30);
    }
    Utc.from_utc_datetime(&naive)
}

/// Midnight at the start of `date` in `tz`.
pub fn start_of_day(tz: Tz, date: NaiveDate) -> DateTime<Utc> {
    local_to_utc(tz, date, NaiveTime::MIN)
}

pub struct Calendar<'a> {
    pub rep: &'a RepSettings,
}

impl<'a> Calendar<'a> {
    pub fn new(rep: &'a RepSettings) -> Self {
        Calendar { rep }
    }

    pub fn rep_date(&self, t: DateTime<Utc>) -> NaiveDate {
        t.with_timezone(&self.rep.timezone).date_naive()
    }

    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        self.rep.working_days.contains(&d.weekday())
            && !self.rep.holiday_country.as_deref().is_some_and(|c| holidays::is_holiday(c, d))
            && !self.rep.is_away(d)
    }

    /// The first working day on or after `d`.
    pub fn working_day_on_or_after(&self, mut d: NaiveDate) -> NaiveDate {
        for _ in 0..SEARCH_DAYS {
            if self.is_working_day(d) {
                return d;
            }
            d = d.succ_opt().unwrap_or(d);
        }
        d
    }

    /// `n` working days after `d` (with `n == 0`: `d` itself, or the next working day).
    pub fn add_business_days(&self, d: NaiveDate, n: u32) -> NaiveDate {
        let mut day = d;
        let mut left = n;
        if left == 0 {
            return self.working_day_on_or_after(day);
        }
        while left > 0 {
            day = day.succ_opt().unwrap_or(day);
            day = self.working_day_on_or_after(day);
            left -= 1;
        }
        day
    }

    /// Working days strictly after `a` up to and including `b`.
    pub fn business_days_between(&self, a: NaiveDate, b: NaiveDate) -> u32 {
        a.succ_opt().map_or(0, |start| b.succ_opt().map_or(0, |end| self.working_days_in(start, end)))
    }

    /// Working days in `[from, until)`.
    pub fn working_days_in(&self, from: NaiveDate, until: NaiveDate) -> u32 {
        from.iter_days().take_while(|d| *d < until).filter(|d| self.is_working_day(*d)).count() as u32
    }

    /// The step's slot: `delay` business days after `base` (when the previous
    /// step was done, or the enrollment), at the first fitting time.
    pub fn schedule(
        &self,
        seq: &SequenceSettings,
        place: ProspectPlace,
        channel: Channel,
        base: DateTime<Utc>,
        delay: u32,
    ) -> Option<Slot> {
        let base_day = self.rep_date(base);
        let target = self.add_business_days(base_day, delay);
        let from = if target == base_day { base } else { start_of_day(self.rep.timezone, target) };
        self.next_slot(seq, place, channel, from)
    }

    /// The earliest slot at or after `from` for a touch on `channel`. A call
    /// goes in the prospect's calling hours where they meet the rep's; only
    /// when they meet on none of the next [`CALL_SEARCH_DAYS`] days (the two
    /// are half a world apart) does it go anywhere in the rep's hours.
    pub fn next_slot(&self, seq: &SequenceSettings, place: ProspectPlace, channel: Channel, from: DateTime<Utc>) -> Option<Slot> {
        match channel.timing() {
            Timing::ProspectWindow => {
                self.search(from, SEARCH_DAYS, |day, whole, _| self.prospect_window(seq.window, seq, place, day, whole))
            }
            Timing::CallHours => self
                .search(from, CALL_SEARCH_DAYS, |day, _, hours| self.prospect_window(seq.call_hours, seq, place, day, hours))
                .or_else(|| self.search(from, SEARCH_DAYS, |_, _, hours| open(hours))),
            Timing::RepHours => self.search(from, SEARCH_DAYS, |_, _, hours| open(hours)),
        }
    }

    /// The first of the rep's working days from `from` on (at most `days`)
    /// where `pick` finds a slot; it is given the day, the day's bounds and
    /// the rep's hours that day, each from `from` on.
    fn search(
        &self,
        from: DateTime<Utc>,
        days: i64,
        pick: impl Fn(NaiveDate, (DateTime<Utc>, DateTime<Utc>), (DateTime<Utc>, DateTime<Utc>)) -> Option<Slot>,
    ) -> Option<Slot> {
        let rep_tz = self.rep.timezone;
        let mut day = self.rep_date(from);
        for _ in 0..days {
            if self.is_working_day(day) {
                let whole = (start_of_day(rep_tz, day).max(from), start_of_day(rep_tz, day + Duration::days(1)));
                let hours = (local_to_utc(rep_tz, day, self.rep.day_start).max(from), local_to_utc(rep_tz, day, self.rep.day_end));
                if let Some(slot) = pick(day, whole, hours) {
                    return Some(slot);
                }
            }
            day = day.succ_opt()?;
        }
        None
    }

    /// The earliest part of the prospect's local `window` (on one of their
    /// working, non-holiday days) that overlaps `within`.
    fn prospect_window(
        &self,
        window: (NaiveTime, NaiveTime),
        seq: &SequenceSettings,
        place: ProspectPlace,
        rep_day: NaiveDate,
        within: (DateTime<Utc>, DateTime<Utc>),
    ) -> Option<Slot> {
        let mut best: Option<Slot> = None;
        for offset in [-1, 0, 1] {
            let p_day = rep_day + Duration::days(offset);
            if !seq.working_days.contains(&p_day.weekday()) || place.country.is_some_and(|c| holidays::is_holiday(c, p_day)) {
                continue;
            }
            let w_start = local_to_utc(place.timezone, p_day, window.0);
            let w_end = local_to_utc(place.timezone, p_day, window.1);
            let start = w_start.max(within.0);
            let end = w_end.min(within.1);
            if start < end && best.is_none_or(|b| start < b.due_at) {
                best = Some(Slot { due_at: start, closes_at: w_end });
            }
        }
        best
    }
}

fn open((start, end): (DateTime<Utc>, DateTime<Utc>)) -> Option<Slot> {
    (start < end).then_some(Slot { due_at: start, closes_at: end })
}

/// When a prospect can be called: their calling hours, on their working days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reach {
    /// Inside their hours right now.
    pub now: bool,
    /// The hours now (when `now`), else the next ones.
    pub opens: DateTime<Utc>,
    pub closes: DateTime<Utc>,
}

/// The prospect's calling hours (their local `hours` on their `working_days`)
/// that hold `now`, or the next ones.
pub fn reach(tz: Tz, hours: (NaiveTime, NaiveTime), working_days: &[Weekday], now: DateTime<Utc>) -> Option<Reach> {
    let mut day = now.with_timezone(&tz).date_naive();
    for _ in 0..14 {
        if working_days.contains(&day.weekday()) {
            let (opens, closes) = (local_to_utc(tz, day, hours.0), local_to_utc(tz, day, hours.1));
            if now < closes {
                return Some(Reach { now: opens <= now, opens, closes });
            }
        }
        day = day.succ_opt()?;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn rep() -> RepSettings {
        RepSettings { timezone: "America/Los_Angeles".parse().unwrap(), holiday_country: Some("US".into()), ..Default::default() }
    }

    #[test]
    fn email_lands_in_the_prospects_morning() {
        let rep = rep();
        let cal = Calendar::new(&rep);
        let seq = SequenceSettings::default(); // window 08:30-11:30
        let ny = ProspectPlace { timezone: "America/New_York".parse().unwrap(), country: Some("US") };
        let india = ProspectPlace { timezone: "Asia/Kolkata".parse().unwrap(), country: Some("IN") };
        let check = |place, base: &str, delay, expect: &str| {
            let slot = cal.schedule(&seq, place, Channel::Email, utc(base), delay).unwrap();
            assert_eq!(slot.due_at, utc(expect), "{base} +{delay}");
        };
        // Monday 23 Nov 2026, 10:00 in Los Angeles = 13:00 New York: window passed, next day.
        check(ny, "2026-11-23T18:00:00Z", 0, "2026-11-24T13:30:00Z");
        // Wednesday +1 business day skips Thanksgiving (Thu 26th): Friday 08:30 New York.
        check(ny, "2026-11-25T17:00:00Z", 1, "2026-11-27T13:30:00Z");
        // India: 08:30 IST Wednesday is 19:00 Tuesday in Los Angeles, still the rep's Tuesday.
        check(india, "2026-12-01T18:00:00Z", 0, "2026-12-02T03:00:00Z");
        // ...but Tuesday 24 Nov is a public holiday in India (Guru Nanak's birthday): Wednesday.
        check(india, "2026-11-23T18:00:00Z", 0, "2026-11-25T03:00:00Z");
    }

    #[test]
    fn away_days_and_weekends_are_skipped() {
        let mut rep = rep();
        rep.away.push(AwayPeriodFor::days("2026-11-30", "2026-12-04"));
        let cal = Calendar::new(&rep);
        let seq = SequenceSettings::default();
        let here = ProspectPlace { timezone: rep.timezone, country: Some("US") };
        // Friday 27 Nov, +1 business day: Monday is away all week, so Monday 7 Dec.
        let slot = cal.schedule(&seq, here, Channel::Call, utc("2026-11-27T20:00:00Z"), 1).unwrap();
        assert_eq!(slot.due_at, utc("2026-12-07T17:00:00Z"));
        assert_eq!(cal.rep_date(slot.due_at).weekday(), Weekday::Mon);
    }

    struct AwayPeriodFor;
    impl AwayPeriodFor {
        fn days(a: &str, b: &str) -> crate::settings::AwayPeriod {
            let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
            crate::settings::AwayPeriod { from: d(a), to: d(b) }
        }
    }
}
