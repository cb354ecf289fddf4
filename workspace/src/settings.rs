//! The rep's settings, and what the app needs to know at start.

use dto::{SettingsDto, WorkspaceDto};
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
