//! Results: every sequence's headline, one sequence's figures per version,
//! step and A/B variant with advice, the rep's day, the advice thresholds,
//! and CSV exports (the figures, or the activity log) with their file names.

use std::io::Write;
use std::path::Path;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};
use dto::{ExportDto, ResultsSettingsDto, SequenceResultsDto, SequenceSummaryDto, TodayStatsDto};
use engine::api::Span;
use engine::schedule::local_to_utc;
use engine::{Engine, Error, Result};

use crate::Workspace;

/// A period of results.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Period {
    /// The last `n` days up to now; `None` is all time.
    LastDays(Option<u32>),
    /// Whole days in the rep's zone, either end open.
    Dates { since: Option<NaiveDate>, until: Option<NaiveDate> },
}

/// What a CSV export holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    /// Figures per sequence, version, step and variant.
    Figures,
    /// Every activity row.
    Activity,
}

impl ExportKind {
    pub fn parse(s: &str) -> Result<ExportKind> {
        match s {
            "figures" => Ok(ExportKind::Figures),
            "activity" => Ok(ExportKind::Activity),
            _ => Err(Error::Invalid(format!("\"{s}\" is not an export; use figures or activity"))),
        }
    }

    /// The file name offered in the save dialog: `cadence-<slug|all>-<results|activity>.csv`.
    pub fn file_name(self, slug: Option<&str>) -> String {
        let what = match self {
            ExportKind::Figures => "results",
            ExportKind::Activity => "activity",
        };
        format!("cadence-{}-{what}.csv", slug.unwrap_or("all"))
    }
}

/// The longest period of results by a number of days: a hundred years.
pub const MAX_PERIOD_DAYS: u32 = 36_525;

/// The years a period's dates may name.
const PERIOD_YEARS: std::ops::RangeInclusive<i32> = 1..=9999;

fn span(e: &Engine, period: Period, now: DateTime<Utc>) -> Result<Span> {
    match period {
        Period::LastDays(Some(d)) if d > MAX_PERIOD_DAYS => {
            Err(Error::Invalid(format!("{d} days is too long a period; the most is {MAX_PERIOD_DAYS} days (a hundred years)")))
        }
        Period::LastDays(days) => Ok(dto::last_days(days, now)),
        Period::Dates { since, until } => {
            for d in since.iter().chain(until.iter()) {
                if !PERIOD_YEARS.contains(&d.year()) {
                    return Err(Error::Invalid(format!("{d} is out of range; give a date in the years 1 to 9999")));
                }
            }
            if let (Some(a), Some(b)) = (since, until) {
                if b < a {
                    return Err(Error::Invalid(format!("--until {b} is before --since {a}")));
                }
            }
            let tz = e.settings()?.timezone;
            Ok(Span {
                from: since.map(|d| local_to_utc(tz, d, NaiveTime::MIN)),
                to: until.map(|d| local_to_utc(tz, d + Duration::days(1), NaiveTime::MIN)),
            })
        }
    }
}

impl Workspace {
    /// Every sequence's headline figures over the period.
    pub fn results_overview(&self, days: Option<u32>) -> Result<Vec<SequenceSummaryDto>> {
        self.read(|e, now| Ok(e.results_overview(span(e, Period::LastDays(days), now)?)?.iter().map(SequenceSummaryDto::from).collect()))
    }

    /// One sequence's figures, per version, step and variant, with advice.
    pub fn results(&self, slug: &str, period: Period) -> Result<SequenceResultsDto> {
        self.read(|e, now| Ok(SequenceResultsDto::from(&e.results(slug, span(e, period, now)?, now)?)))
    }

    /// One sequence's results, or every sequence's.
    pub fn results_all(&self, slug: Option<&str>, period: Period) -> Result<Vec<SequenceResultsDto>> {
        self.read(|e, now| {
            let s = span(e, period, now)?;
            let slugs = match slug {
                Some(one) => vec![one.to_string()],
                None => e.sequences()?.into_iter().map(|i| i.slug).collect(),
            };
            slugs.iter().map(|slug| Ok(SequenceResultsDto::from(&e.results(slug, s, now)?))).collect()
        })
    }

    /// The rep's day: done, skipped, left, sent, replies.
    pub fn today_stats(&self) -> Result<TodayStatsDto> {
        self.read(|e, now| Ok(TodayStatsDto::from(&e.today_stats(now)?)))
    }

    pub fn results_settings(&self) -> Result<ResultsSettingsDto> {
        self.read(|e, _| Ok(e.results_settings()?.into()))
    }

    /// Sets the thresholds behind the advice; either may be left as it is.
    pub fn set_results_settings(&self, reply_floor_pct: Option<f64>, window_days: Option<u32>) -> Result<ResultsSettingsDto> {
        self.with(|e, _| {
            let mut s = e.results_settings()?;
            if reply_floor_pct.is_none() && window_days.is_none() {
                return Ok(s.into());
            }
            s.reply_floor_pct = reply_floor_pct.unwrap_or(s.reply_floor_pct);
            s.window_days = window_days.unwrap_or(s.window_days);
            e.set_results_settings(s)?;
            Ok(e.results_settings()?.into())
        })
    }

    /// Writes a CSV export to `out`; returns the rows written.
    pub fn export(&self, kind: ExportKind, slug: Option<&str>, period: Period, out: &mut dyn Write) -> Result<u64> {
        self.read(|e, now| {
            let s = span(e, period, now)?;
            match kind {
                ExportKind::Activity => e.export_activity(s, slug, out),
                ExportKind::Figures => e.export_figures(slug, s, now, out),
            }
        })
    }

    /// Writes a CSV export to `path`, whole or not at all.
    pub fn export_to(&self, kind: ExportKind, slug: Option<&str>, period: Period, path: &Path) -> Result<ExportDto> {
        let rows = engine::api::write_atomically(path, |out| self.export(kind, slug, period, out))?;
        Ok(ExportDto { path: path.display().to_string(), rows })
    }
}
