//! The rep's settings, and what the app needs to know at start.

use dto::{CalendarChoicesDto, SettingsDto, WorkspaceDto};
use engine::Result;

use crate::Workspace;

/// `CADENCE_TRACE` is set: the UI reports its timings for the benchmarks.
pub fn tracing() -> bool {
    std::env::var_os("CADENCE_TRACE").is_some()
}

impl Workspace {
    /// Is this a first run, where is the data, which zone and time.
    pub fn info(&self) -> Result<WorkspaceDto> {
        self.read(|e, now| {
            Ok(WorkspaceDto {
                prospects: e.prospect_count()?,
                database: self.database.display().to_string(),
                timezone: e.settings()?.timezone.name().into(),
                now: dto::utc(now),
                trace: tracing(),
            })
        })
    }

    pub fn settings(&self) -> Result<SettingsDto> {
        self.read(|e, _| Ok(SettingsDto::from(&e.settings()?)))
    }

    /// Sets one of the rep's settings by name (timezone, hours, holiday_country...).
    pub fn set_setting(&self, key: &str, value: &str) -> Result<SettingsDto> {
        self.with(|e, _| Ok(SettingsDto::from(&e.set_setting(key, value)?)))
    }

    /// The time zones, this computer's zone and the holiday countries the
    /// calendar settings offer.
    pub fn calendar_choices(&self) -> CalendarChoicesDto {
        CalendarChoicesDto {
            system_timezone: engine::timezone::system_zone().map(|z| z.name().to_string()),
            timezones: chrono_tz::TZ_VARIANTS.iter().map(|z| z.name().to_string()).filter(|n| n.contains('/') || n == "UTC").collect(),
            holiday_countries: engine::holidays::countries().into_iter().map(str::to_string).collect(),
        }
    }

    /// How many touches an away period from `from` to `to` would move.
    pub fn away_preview(&self, from: &str, to: &str) -> Result<usize> {
        let (from, to) = (crate::date(from)?, crate::date(to)?);
        self.read(|e, _| e.away_preview(from, to))
    }

    /// Takes an away period back (what it moved stays moved).
    pub fn remove_away(&self, from: &str, to: &str) -> Result<SettingsDto> {
        let (from, to) = (crate::date(from)?, crate::date(to)?);
        self.with(|e, _| {
            e.remove_away(from, to)?;
            Ok(SettingsDto::from(&e.settings()?))
        })
    }

    /// A new workspace works in the machine's zone until the rep says
    /// otherwise (the desktop does this at start; settings already made stay).
    pub fn adopt_system_zone(&self) -> Result<()> {
        self.with(|e, _| {
            let mut s = e.settings()?;
            if s == Default::default() {
                if let Some(tz) = engine::timezone::system_zone() {
                    s.timezone = tz;
                    e.set_settings(&s)?;
                }
            }
            Ok(())
        })
    }
}
