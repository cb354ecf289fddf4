//! Results: figures per sequence, version, step and variant, with rates, A/B
//! verdicts, the trend and advice (`cadence stats --json`, the Results
//! screen), and the rep's own day.

use std::collections::BTreeMap;

use engine::api::{Advice, Figures, ResultsSettings, SequenceResults, SequenceSummary, StepResults, TodayStats, VariantResults, VersionResults};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::utc;

/// Counts and rates. Rates are fractions (0.034 is 3.4%); `null` when
/// nothing was sent (or enrolled, or called) to divide by.
#[derive(Serialize, TS, Debug, Clone, PartialEq)]
pub struct FiguresDto {
    pub enrolled: u64,
    pub emails_sent: u64,
    pub calls: u64,
    pub calls_connected: u64,
    pub linkedin: u64,
    pub tasks: u64,
    pub skipped: u64,
    pub replies: u64,
    pub positive_replies: u64,
    pub untagged_replies: u64,
    pub meetings: u64,
    pub bounces_hard: u64,
    pub bounces_soft: u64,
    pub unsubscribes: u64,
    pub auto_replies: u64,
    pub exited: u64,
    pub finished: u64,
    pub reply_rate: Option<f64>,
    pub positive_rate: Option<f64>,
    pub meeting_rate: Option<f64>,
    pub reply_rate_enrolled: Option<f64>,
    pub positive_rate_enrolled: Option<f64>,
    pub meeting_rate_enrolled: Option<f64>,
    pub connect_rate: Option<f64>,
}

impl From<&Figures> for FiguresDto {
    fn from(f: &Figures) -> Self {
        FiguresDto {
            enrolled: f.enrolled,
            emails_sent: f.emails_sent,
            calls: f.calls,
            calls_connected: f.calls_connected,
            linkedin: f.linkedin,
            tasks: f.tasks,
            skipped: f.skipped,
            replies: f.replies,
            positive_replies: f.positive,
            untagged_replies: f.untagged,
            meetings: f.meetings,
            bounces_hard: f.bounces_hard,
            bounces_soft: f.bounces_soft,
            unsubscribes: f.unsubscribes,
            auto_replies: f.auto_replies,
            exited: f.exited,
            finished: f.finished,
            reply_rate: f.reply_rate(),
            positive_rate: f.positive_rate(),
            meeting_rate: f.meeting_rate(),
            reply_rate_enrolled: f.reply_rate_enrolled(),
            positive_rate_enrolled: f.positive_rate_enrolled(),
            meeting_rate_enrolled: f.meeting_rate_enrolled(),
            connect_rate: f.connect_rate(),
        }
    }
}

#[derive(Serialize, TS, Debug, Clone, PartialEq)]
pub struct AbTestDto {
    /// too_early | no_difference_yet | meaningful
    pub verdict: String,
    pub p_value: Option<f64>,
    /// Index of the variant ahead, only when the difference is meaningful.
    pub leader: Option<usize>,
    pub sends_needed: Option<u64>,
    pub summary: String,
}

#[derive(Serialize, TS, Debug, Clone, PartialEq)]
pub struct VariantDto {
    pub index: usize,
    pub name: String,
    pub subject: Option<String>,
    pub figures: FiguresDto,
    /// 95% interval of the reply rate, [low, high].
    pub interval: Option<(f64, f64)>,
}

impl From<&VariantResults> for VariantDto {
    fn from(v: &VariantResults) -> Self {
        VariantDto { index: v.index, name: v.name.clone(), subject: v.subject.clone(), figures: (&v.figures).into(), interval: v.interval }
    }
}

#[derive(Serialize, TS, Debug, Clone, PartialEq)]
pub struct StepResultsDto {
    /// 1-based, as the rep counts.
    pub step: usize,
    #[ts(type = "Channel")]
    pub channel: String,
    pub label: Option<String>,
    pub figures: FiguresDto,
    pub variants: Vec<VariantDto>,
    pub ab: Option<AbTestDto>,
}

impl From<&StepResults> for StepResultsDto {
    fn from(s: &StepResults) -> Self {
        StepResultsDto {
            step: s.step + 1,
            channel: s.channel.as_str().into(),
            label: s.label.clone(),
            figures: (&s.figures).into(),
            variants: s.variants.iter().map(VariantDto::from).collect(),
            ab: s.ab.as_ref().map(|a| AbTestDto {
                verdict: a.verdict.as_str().into(),
                p_value: a.p_value,
                leader: a.leader,
                sends_needed: a.sends_needed,
                summary: a.summary.clone(),
            }),
        }
    }
}

#[derive(Serialize, TS, Debug, Clone, PartialEq)]
pub struct VersionResultsDto {
    pub version: i64,
    pub figures: FiguresDto,
    /// Exits by reason: replied, meeting_booked, unsubscribed, bounced, ...
    pub exits: BTreeMap<String, u64>,
    pub steps: Vec<StepResultsDto>,
}

impl From<&VersionResults> for VersionResultsDto {
    fn from(v: &VersionResults) -> Self {
        VersionResultsDto { version: v.version, figures: (&v.figures).into(), exits: v.exits.clone(), steps: v.steps.iter().map(StepResultsDto::from).collect() }
    }
}

#[derive(Serialize, TS, Debug, Clone, PartialEq)]
pub struct TrendPointDto {
    /// The Monday the week starts on (rep's calendar), YYYY-MM-DD.
    pub week: String,
    pub emails_sent: u64,
    pub replies: u64,
}

#[derive(Serialize, TS, Debug, Clone, PartialEq)]
pub struct AdviceDto {
    /// low_reply | unsubscribes | bounces | reply_sources | untagged
    pub kind: String,
    pub version: Option<i64>,
    /// 1-based.
    pub step: Option<usize>,
    pub text: String,
}

impl From<&Advice> for AdviceDto {
    fn from(a: &Advice) -> Self {
        AdviceDto { kind: a.kind.into(), version: a.version, step: a.step.map(|s| s + 1), text: a.text.clone() }
    }
}

#[derive(Serialize, TS, Debug, Clone, PartialEq)]
pub struct SequenceResultsDto {
    pub slug: String,
    pub name: String,
    /// The period, RFC 3339 UTC; `null` ends are open.
    pub from: Option<String>,
    pub to: Option<String>,
    pub figures: FiguresDto,
    pub exits: BTreeMap<String, u64>,
    /// Oldest first; figures stay with the version that was sent.
    pub versions: Vec<VersionResultsDto>,
    pub trend: Vec<TrendPointDto>,
    pub advice: Vec<AdviceDto>,
    /// Why there is no open rate.
    pub opens: String,
}

impl From<&SequenceResults> for SequenceResultsDto {
    fn from(r: &SequenceResults) -> Self {
        SequenceResultsDto {
            slug: r.slug.clone(),
            name: r.name.clone(),
            from: r.span.from.map(utc),
            to: r.span.to.map(utc),
            figures: (&r.figures).into(),
            exits: r.exits.clone(),
            versions: r.versions.iter().map(VersionResultsDto::from).collect(),
            trend: r.trend.iter().map(|t| TrendPointDto { week: t.week.to_string(), emails_sent: t.emails_sent, replies: t.replies }).collect(),
            advice: r.advice.iter().map(AdviceDto::from).collect(),
            opens: engine::api::NO_OPENS.into(),
        }
    }
}

#[derive(Serialize, TS, Debug, Clone, PartialEq)]
pub struct SequenceSummaryDto {
    pub slug: String,
    pub name: String,
    pub figures: FiguresDto,
}

impl From<&SequenceSummary> for SequenceSummaryDto {
    fn from(s: &SequenceSummary) -> Self {
        SequenceSummaryDto { slug: s.slug.clone(), name: s.name.clone(), figures: (&s.figures).into() }
    }
}

#[derive(Serialize, TS, Debug, Clone, PartialEq)]
pub struct TodayStatsDto {
    pub day: Option<String>,
    pub done: u64,
    pub skipped: u64,
    pub left: u64,
    pub emails_sent: u64,
    pub replies: u64,
}

impl From<&TodayStats> for TodayStatsDto {
    fn from(t: &TodayStats) -> Self {
        TodayStatsDto { day: t.day.map(|d| d.to_string()), done: t.done, skipped: t.skipped, left: t.left, emails_sent: t.emails_sent, replies: t.replies }
    }
}

#[derive(Serialize, Deserialize, TS, Debug, Clone, Copy, PartialEq)]
pub struct ResultsSettingsDto {
    pub reply_floor_pct: f64,
    pub window_days: u32,
}

impl From<ResultsSettings> for ResultsSettingsDto {
    fn from(s: ResultsSettings) -> Self {
        ResultsSettingsDto { reply_floor_pct: s.reply_floor_pct, window_days: s.window_days }
    }
}

impl From<ResultsSettingsDto> for ResultsSettings {
    fn from(s: ResultsSettingsDto) -> Self {
        ResultsSettings { reply_floor_pct: s.reply_floor_pct, window_days: s.window_days }
    }
}

/// What an export wrote.
#[derive(Serialize, TS, Debug, Clone, PartialEq)]
pub struct ExportDto {
    pub path: String,
    pub rows: u64,
}

/// The period "the last `days` days" up to `now`, or all time.
pub fn last_days(days: Option<u32>, now: chrono::DateTime<chrono::Utc>) -> engine::api::Span {
    engine::api::Span { from: days.map(|d| now - chrono::Duration::days(i64::from(d))), to: None }
}
