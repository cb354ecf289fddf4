//! The rep's calendar beyond the settings themselves: what an away period
//! would move before it is added, and taking one back.

use chrono::{Duration, NaiveDate};

use super::{Change, Engine};
use crate::error::{Error, Result};
use crate::schedule::start_of_day;
use crate::store;

impl Engine {
    /// How many pending touches are due in `from..=to` (the rep's days): the
    /// ones an away period there would move after it.
    pub fn away_preview(&self, from: NaiveDate, to: NaiveDate) -> Result<usize> {
        if to < from {
            return Err(Error::Invalid(format!("the away period ends ({to}) before it starts ({from})")));
        }
        let tz = self.settings()?.timezone;
        let touches =
            store::enrollments::pending_due_between(&self.conn, start_of_day(tz, from), start_of_day(tz, to + Duration::days(1)))?;
        Ok(touches.len())
    }

    /// Takes an away period back. Touches it moved stay where they are (a
    /// later day is never wrong); new ones may be scheduled on those days again.
    pub fn remove_away(&mut self, from: NaiveDate, to: NaiveDate) -> Result<()> {
        let mut rep = self.settings()?;
        let before = rep.away.len();
        rep.away.retain(|a| !(a.from == from && a.to == to));
        if rep.away.len() == before {
            return Err(Error::not_found("away period", format!("{from} to {to}")));
        }
        store::settings::save(&self.conn, &rep)?;
        self.changed(&[Change::Settings, Change::Queue]);
        Ok(())
    }
}
