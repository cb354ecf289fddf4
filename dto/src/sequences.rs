//! Sequences: summaries, steps with their counts, and the linter's findings.

use engine::api::{SequenceDetail, SequenceInfo};
use engine::sequence::{Finding, Sequence};
use serde::Serialize;
use ts_rs::TS;

#[derive(Serialize, TS)]
pub struct FindingDto {
    #[ts(type = "string")]
    pub rule: &'static str,
    pub step: Option<usize>,
    pub message: String,
    pub reason: String,
}

impl From<&Finding> for FindingDto {
    fn from(f: &Finding) -> Self {
        FindingDto { rule: f.rule.as_str(), step: f.step, message: f.message.clone(), reason: f.reason.clone() }
    }
}

#[derive(Serialize, TS)]
pub struct StepDto {
    pub number: usize,
    #[ts(type = "Channel")]
    pub channel: &'static str,
    pub delay: u32,
    /// Business days after enrollment.
    pub day: u32,
    pub approval: bool,
    #[ts(type = "string | null")]
    pub thread: Option<&'static str>,
    pub breakup: bool,
    pub label: Option<String>,
    pub subject: Option<String>,
    pub text: String,
    pub variants: Vec<String>,
}

#[derive(Serialize, TS)]
pub struct SequenceDto {
    pub slug: String,
    pub version: i64,
    pub name: String,
    pub description: String,
    #[ts(type = "string")]
    pub kind: &'static str,
    pub builtin: bool,
    pub touches: usize,
    pub business_days: u32,
    #[ts(type = "Array<string>")]
    pub channels: Vec<&'static str>,
    pub window: String,
    pub enrollments: std::collections::BTreeMap<String, i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub steps: Option<Vec<StepDto>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub findings: Option<Vec<FindingDto>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step_counts: Option<Vec<StepCountDto>>,
}

pub fn steps(seq: &Sequence) -> Vec<StepDto> {
    let mut day = 0;
    seq.steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            day += s.delay;
            StepDto {
                number: i + 1,
                channel: s.channel.as_str(),
                delay: s.delay,
                day,
                approval: s.approval,
                thread: (s.channel == engine::domain::Channel::Email).then(|| s.thread.as_str()),
                breakup: s.breakup,
                label: s.label.clone(),
                subject: s.subject.clone(),
                text: s.text.clone(),
                variants: (0..s.variant_count()).map(|v| s.variant(v).0.to_string()).collect(),
            }
        })
        .collect()
}

impl SequenceDto {
    pub fn summary(i: &SequenceInfo) -> Self {
        let s = &i.sequence;
        SequenceDto {
            slug: i.slug.clone(),
            version: i.version,
            name: s.name.clone(),
            description: s.description.clone(),
            kind: s.kind.as_str(),
            builtin: i.builtin,
            touches: s.steps.len(),
            business_days: s.span_business_days(),
            channels: s.channel_families(),
            window: format!("{}-{}", s.settings.window.0.format("%H:%M"), s.settings.window.1.format("%H:%M")),
            enrollments: i.enrollments.iter().cloned().collect(),
            steps: None,
            findings: None,
            step_counts: None,
        }
    }

    pub fn detail(d: &SequenceDetail) -> Self {
        let mut dto = SequenceDto::summary(&d.info);
        dto.steps = Some(steps(&d.info.sequence));
        dto.findings = Some(d.findings.iter().map(FindingDto::from).collect());
        dto.step_counts = Some(d.step_counts.iter().map(StepCountDto::from).collect());
        dto
    }
}

#[derive(Serialize, TS)]
pub struct LintDto {
    pub file: String,
    pub name: String,
    pub ok: bool,
    pub findings: Vec<FindingDto>,
}

#[derive(Serialize, TS)]
pub struct StepCountDto {
    /// Enrollments whose next touch is this step.
    pub waiting: i64,
    pub done: i64,
    pub skipped: i64,
    /// Enrollments that left the sequence at this step.
    pub exited: i64,
}

impl From<&engine::store::sequences::StepCount> for StepCountDto {
    fn from(c: &engine::store::sequences::StepCount) -> Self {
        StepCountDto { waiting: c.waiting, done: c.done, skipped: c.skipped, exited: c.exited }
    }
}
