//! Where "now" comes from for the mail loops: the system clock, or a given
//! start moving on with real time.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use mail::Clock;

pub fn system() -> Clock {
    Arc::new(Utc::now)
}

/// The system clock, or, given a start (`--now`, `CADENCE_NOW`), that start
/// moving on with real time: a fixed instant would never reach a send time.
pub fn from(start: Option<DateTime<Utc>>) -> Clock {
    match start {
        Some(start) => {
            let began = std::time::Instant::now();
            Arc::new(move || start + chrono::Duration::from_std(began.elapsed()).unwrap_or_default())
        }
        None => system(),
    }
}

/// `CADENCE_NOW` (RFC 3339), when set: the app acts as if it were then
/// (tests and demos).
pub fn fixed_from_env() -> Option<DateTime<Utc>> {
    std::env::var("CADENCE_NOW").ok().and_then(|t| DateTime::parse_from_rfc3339(&t).ok()).map(|t| t.with_timezone(&Utc))
}

/// The time now, or `CADENCE_NOW`: for a front end acting before a
/// workspace is open.
pub fn now() -> DateTime<Utc> {
    fixed_from_env().unwrap_or_else(Utc::now)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_given_start_moves_on() {
        let start = chrono::DateTime::parse_from_rfc3339("2026-11-24T09:00:00Z").unwrap().with_timezone(&chrono::Utc);
        let c = super::from(Some(start));
        let a = c();
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert!(a >= start && c() > a);
    }
}
