//! Results: figures per sequence, version, step and variant, with rates, A/B
//! verdicts, the trend and advice (`cadence stats --json`, the Results
//! screen), and the rep's own day.

use std::collections::BTreeMap;

use engine::api::{
    AbTest, Advice, Figures, ResultsSettings, SequenceResults, SequenceSummary, Span, StepResults, TodayStats, TrendPoint, VariantResults,
    VersionResults,
};
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
    pub complaints: u64,
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
        let Figures {
            enrolled,
            emails_sent,
            calls,
            calls_connected,
            linkedin,
            tasks,
            skipped,
            replies,
            positive,
            untagged,
            meetings,
            bounces_hard,
            bounces_soft,
            unsubscribes,
            complaints,
            auto_replies,
            exited,
            finished,
        } = *f;
        FiguresDto {
            enrolled,
            emails_sent,
            calls,
            calls_connected,
            linkedin,
            tasks,
            skipped,
            replies,
            positive_replies: positive,
            untagged_replies: untagged,
            meetings,
            bounces_hard,
            bounces_soft,
            unsubscribes,
            complaints,
            auto_replies,
            exited,
            finished,
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
    #[ts(type = "Verdict")]
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
        let VariantResults { index, name, subject, figures, interval } = v;
        VariantDto { index: *index, name: name.clone(), subject: subject.clone(), figures: figures.into(), interval: *interval }
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
        let StepResults { step, channel, label, figures, variants, ab } = s;
        StepResultsDto {
            step: step + 1,
            channel: channel.as_str().into(),
            label: label.clone(),
            figures: figures.into(),
            variants: variants.iter().map(VariantDto::from).collect(),
            ab: ab.as_ref().map(AbTestDto::from),
        }
    }
}

impl From<&AbTest> for AbTestDto {
    fn from(a: &AbTest) -> Self {
        let AbTest { verdict, p_value, leader, sends_needed, summary } = a;
        AbTestDto {
            verdict: verdict.as_str().into(),
            p_value: *p_value,
            leader: *leader,
            sends_needed: *sends_needed,
            summary: summary.clone(),
        }
    }
}

#[derive(Serialize, TS, Debug, Clone, PartialEq)]
pub struct VersionResultsDto {
    pub version: i64,
    pub figures: FiguresDto,
    /// Exits by reason: replied, meeting_booked, unsubscribed, bounced, ...
    #[ts(type = "{ [key in ExitReason]?: number }")]
    pub exits: BTreeMap<String, u64>,
    pub steps: Vec<StepResultsDto>,
}

impl From<&VersionResults> for VersionResultsDto {
    fn from(v: &VersionResults) -> Self {
        let VersionResults {
            // The version's row id is internal; `version` is the number the rep sees.
            id: _,
            version,
            figures,
            exits,
            steps,
        } = v;
        VersionResultsDto {
            version: *version,
            figures: figures.into(),
            exits: exits.clone(),
            steps: steps.iter().map(StepResultsDto::from).collect(),
        }
    }
}

#[derive(Serialize, TS, Debug, Clone, PartialEq)]
pub struct TrendPointDto {
    /// The Monday the week starts on (rep's calendar), YYYY-MM-DD.
    pub week: String,
    pub emails_sent: u64,
    pub replies: u64,
}

impl From<&TrendPoint> for TrendPointDto {
    fn from(t: &TrendPoint) -> Self {
        let TrendPoint { week, emails_sent, replies } = *t;
        TrendPointDto { week: week.to_string(), emails_sent, replies }
    }
}

#[derive(Serialize, TS, Debug, Clone, PartialEq)]
pub struct AdviceDto {
    #[ts(type = "AdviceKind")]
    pub kind: String,
    pub version: Option<i64>,
    /// 1-based.
    pub step: Option<usize>,
    pub text: String,
}

impl From<&Advice> for AdviceDto {
    fn from(a: &Advice) -> Self {
        let Advice { kind, version, step, text } = a;
        AdviceDto { kind: (*kind).into(), version: *version, step: step.map(|s| s + 1), text: text.clone() }
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
    #[ts(type = "{ [key in ExitReason]?: number }")]
    pub exits: BTreeMap<String, u64>,
    /// Oldest first; figures stay with the version that was sent.
    pub versions: Vec<VersionResultsDto>,
    pub trend: Vec<TrendPointDto>,
    pub advice: Vec<AdviceDto>,
    /// Why there is no open rate.
    pub opens: String,
    /// The ways enrollments took through a branching sequence, most taken
    /// first; empty when no version branches.
    pub paths: Vec<PathResultsDto>,
}

#[derive(Serialize, TS, Debug, Clone, PartialEq)]
pub struct PathResultsDto {
    pub version: i64,
    /// Steps taken, 1-based, in order.
    pub steps: Vec<usize>,
    pub enrolled: u64,
    /// Still running on it (the path may go on).
    pub running: u64,
    pub replies: u64,
    pub meetings: u64,
    /// Of those enrolled.
    pub reply_rate: Option<f64>,
    pub meeting_rate: Option<f64>,
}

impl From<&engine::api::PathResults> for PathResultsDto {
    fn from(p: &engine::api::PathResults) -> Self {
        let engine::api::PathResults { version, steps, enrolled, running, replies, meetings } = p;
        let rate = |n: u64| (*enrolled > 0).then(|| n as f64 / *enrolled as f64);
        PathResultsDto {
            version: *version,
            steps: steps.clone(),
            enrolled: *enrolled,
            running: *running,
            replies: *replies,
            meetings: *meetings,
            reply_rate: rate(*replies),
            meeting_rate: rate(*meetings),
        }
    }
}

impl From<&SequenceResults> for SequenceResultsDto {
    fn from(r: &SequenceResults) -> Self {
        let SequenceResults { slug, name, span: Span { from, to }, figures, exits, versions, trend, advice, paths } = r;
        SequenceResultsDto {
            slug: slug.clone(),
            name: name.clone(),
            from: from.map(utc),
            to: to.map(utc),
            figures: figures.into(),
            exits: exits.clone(),
            versions: versions.iter().map(VersionResultsDto::from).collect(),
            trend: trend.iter().map(TrendPointDto::from).collect(),
            advice: advice.iter().map(AdviceDto::from).collect(),
            opens: engine::api::NO_OPENS.into(),
            paths: paths.iter().map(PathResultsDto::from).collect(),
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
        let SequenceSummary { slug, name, figures } = s;
        SequenceSummaryDto { slug: slug.clone(), name: name.clone(), figures: figures.into() }
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
    /// Today is the first working day back after time away or a long
    /// absence, of that many days: the app offers to re-plan the backlog.
    pub back_after_days: Option<u32>,
}

impl From<&TodayStats> for TodayStatsDto {
    fn from(t: &TodayStats) -> Self {
        let TodayStats { day, done, skipped, left, emails_sent, replies, back_after_days } = *t;
        TodayStatsDto { day: day.map(|d| d.to_string()), done, skipped, left, emails_sent, replies, back_after_days }
    }
}

#[derive(Serialize, Deserialize, TS, Debug, Clone, Copy, PartialEq)]
pub struct ResultsSettingsDto {
    pub reply_floor_pct: f64,
    pub window_days: u32,
}

impl From<ResultsSettings> for ResultsSettingsDto {
    fn from(s: ResultsSettings) -> Self {
        let ResultsSettings { reply_floor_pct, window_days } = s;
        ResultsSettingsDto { reply_floor_pct, window_days }
    }
}

impl From<ResultsSettingsDto> for ResultsSettings {
    fn from(s: ResultsSettingsDto) -> Self {
        let ResultsSettingsDto { reply_floor_pct, window_days } = s;
        ResultsSettings { reply_floor_pct, window_days }
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
