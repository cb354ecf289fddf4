//! The rep's own settings: where and when they work, and how they sign.

use chrono::{NaiveDate, NaiveTime, Weekday};

use crate::error::Error;
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
    /// A desktop notification when a reply or an out-of-office changes a sequence.
    pub notifications: bool,
}

/// Days (inclusive, in the rep's calendar) on which the rep does not work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AwayPeriod {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// Thresholds for the advice drawn from the results, set by the rep.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ResultsSettings {
    /// A step whose reply rate stays below this (percent) is pointed out.
    pub reply_floor_pct: f64,
    /// Over this many days, ending now.
    pub window_days: u32,
}

impl Default for ResultsSettings {
    fn default() -> Self {
        ResultsSettings { reply_floor_pct: 3.0, window_days: 30 }
    }
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
            notifications: true,
        }
    }
}

impl RepSettings {
    pub fn is_away(&self, date: NaiveDate) -> bool {
        self.away.iter().any(|a| a.from <= date && date <= a.to)
    }

    /// Sets one setting from text, as the CLI and the app's forms take it:
    /// timezone, working_days, hours, holiday_country, sender_name,
    /// sender_company, signature ("\\n" for a line break), opt_out or
    /// notifications (on/off).
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), Error> {
        let s = self;
        let v = value.trim();
        match key {
            "timezone" => s.timezone = v.parse().map_err(|_| Error::Invalid(format!("\"{v}\" is not an IANA time zone like Europe/Madrid")))?,
            "working_days" => {
                s.working_days = v
                    .split(',')
                    .map(|d| crate::sequence::parse_weekday(d).ok_or_else(|| Error::Invalid(format!("\"{d}\" is not a day (mon..sun)"))))
                    .collect::<Result<_, _>>()?
            }
            "hours" => {
                let (a, b) = crate::sequence::parse_hours(v).ok_or_else(|| Error::Invalid(format!("\"{v}\" is not hours like 09:00-17:30")))?;
                s.day_start = a;
                s.day_end = b;
            }
            "holiday_country" => s.holiday_country = (!v.is_empty() && v != "none").then(|| v.to_uppercase()),
            "sender_name" => s.sender_name = v.to_string(),
            "sender_company" => s.sender_company = v.to_string(),
            "signature" => s.signature = value.replace("\\n", "\n"),
            "opt_out" => s.opt_out = v.to_string(),
            "notifications" => {
                s.notifications = match v.to_lowercase().as_str() {
                    "on" | "true" | "yes" => true,
                    "off" | "false" | "no" => false,
                    _ => return Err(Error::Invalid(format!("notifications are \"on\" or \"off\", not \"{v}\""))),
                }
            }
            _ => {
                return Err(Error::Invalid(format!(
                    "unknown setting \"{key}\"; use timezone, working_days, hours, holiday_country, sender_name, sender_company, signature, opt_out or notifications"
                )))
            }
        }
        Ok(())
    }
}
