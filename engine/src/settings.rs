//! The rep's own settings: where and when they work, and how they sign.

use chrono::{NaiveDate, NaiveTime, Weekday};
use chrono_tz::Tz;

#[derive(Debug, Clone, PartialEq)]
pub struct RepSettings {
    pub timezone: Tz,
    pub working_days: Vec<Weekday>,
    pub day_start: NaiveTime,
    pub day_end: NaiveTime,
    /// ISO code of the country whose public holidays the rep takes off.
    pub holiday_country: Option<String>,
    pub away: Vec<AwayPeriod>,
    pub sender_name: String,
    pub sender_company: String,
    pub signature: String,
    pub opt_out: String,
}

/// Days (inclusive, in the rep's calendar) on which the rep does not work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AwayPeriod {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Default for RepSettings {
    fn default() -> Self {
        let t = |h| NaiveTime::from_hms_opt(h, 0, 0).expect("valid time");
        RepSettings {
            timezone: Tz::UTC,
            working_days: vec![Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri],
            day_start: t(9),
            day_end: t(17),
            holiday_country: None,
            away: Vec::new(),
            sender_name: String::new(),
            sender_company: String::new(),
            signature: String::new(),
            opt_out: "If this isn't relevant to you, just reply \"no thanks\" and I won't follow up again.".into(),
        }
    }
}

impl RepSettings {
    pub fn is_away(&self, date: NaiveDate) -> bool {
        self.away.iter().any(|a| a.from <= date && date <= a.to)
    }
}
