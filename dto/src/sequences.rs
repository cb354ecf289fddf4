//! Sequences: summaries, steps with their counts, and the linter's findings.

use engine::api::{SequenceDetail, SequenceInfo, StepCount};
use engine::sequence::{Finding, Sequence, SequenceSettings, Step};
use serde::Serialize;
use ts_rs::TS;

#[derive(Serialize, TS)]
pub struct FindingDto {
    #[ts(type = "LintRule")]
    pub rule: &'static str,
    pub step: Option<usize>,
    pub message: String,
    pub reason: String,
}

impl From<&Finding> for FindingDto {
    fn from(f: &Finding) -> Self {
        let Finding { rule, step, message, reason } = f;
        FindingDto { rule: rule.as_str(), step: *step, message: message.clone(), reason: reason.clone() }
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
    #[ts(type = "Thread | null")]
    pub thread: Option<&'static str>,
    pub breakup: bool,
    pub label: Option<String>,
    pub subject: Option<String>,
    pub text: String,
    pub variants: Vec<String>,
    /// Where an enrollment goes after this step, by what happened at it;
    /// what is not listed goes on to the next step.
    pub next: Vec<BranchDto>,
    /// Every step that can come after this one, each once: the branches in
    /// the file's order, then where everything else goes. The tree is drawn
    /// from these.
    pub then: Vec<ThenDto>,
    /// A connection request that branches on acceptance: business days it
    /// waits for one (0 otherwise).
    pub accept_within: u32,
}

/// A way out of a step, for drawing the tree.
#[derive(Serialize, TS)]
pub struct ThenDto {
    /// What leads there: branch keys ("connected", "voicemail"), "always",
    /// "otherwise" (what no branch names), or "next" (no branches at all).
    pub when: Vec<String>,
    /// The step (1-based); null: the sequence ends.
    pub step: Option<usize>,
}

#[derive(Serialize, TS)]
pub struct BranchDto {
    /// A call's outcome, or "always".
    pub when: String,
    /// The label of the step it goes to, or "end".
    pub label: String,
    /// That step's number (1-based); null: the sequence ends.
    pub step: Option<usize>,
}

#[derive(Serialize, TS)]
pub struct SequenceDto {
    pub slug: String,
    pub version: i64,
    pub name: String,
    pub description: String,
    #[ts(type = "SequenceKind")]
    pub kind: &'static str,
    pub builtin: bool,
    /// Touches and business days on the longest path (the file's length
    /// when nothing branches)...
    pub touches: usize,
    pub business_days: u32,
    /// ...and on the shortest.
    pub touches_min: usize,
    pub business_days_min: u32,
    /// Published by the team's manager: read-only here.
    pub team: bool,
    #[ts(type = "Array<string>")]
    pub channels: Vec<&'static str>,
    pub window: String,
    /// Enrollments per state; a state with none is absent.
    #[ts(type = "{ [key in EnrollmentState]?: number }")]
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
    let n = seq.steps.len();
    seq.steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let Step {
                channel,
                delay,
                approval,
                thread,
                breakup,
                label,
                subject,
                text,
                // Named through `Step::variant` below, which counts the step's own text as "A".
                variants: _,
                next,
                accept_within,
            } = s;
            day += delay;
            StepDto {
                number: i + 1,
                channel: channel.as_str(),
                delay: *delay,
                day,
                approval: *approval,
                thread: (*channel == engine::domain::Channel::Email).then(|| thread.as_str()),
                breakup: *breakup,
                label: label.clone(),
                subject: subject.clone(),
                text: text.clone(),
                variants: (0..s.variant_count()).map(|v| s.variant(v).0.to_string()).collect(),
                next: next.iter().map(|b| BranchDto { when: b.when.clone(), label: b.label.clone(), step: b.to.map(|t| t + 1) }).collect(),
                then: then(s, i, n),
                accept_within: *accept_within,
            }
        })
        .collect()
}

/// The ways out of step `i` (of `n`), branches first in the file's order.
fn then(s: &Step, i: usize, n: usize) -> Vec<ThenDto> {
    let mut out: Vec<ThenDto> = Vec::new();
    for b in &s.next {
        match out.iter_mut().find(|t| t.step == b.to.map(|x| x + 1)) {
            Some(t) => t.when.push(b.when.clone()),
            None => out.push(ThenDto { when: vec![b.when.clone()], step: b.to.map(|x| x + 1) }),
        }
    }
    for to in s.successors(i, n) {
        let step = to.map(|x| x + 1);
        if !out.iter().any(|t| t.step == step) {
            let when = if s.next.is_empty() { "next" } else { "otherwise" };
            out.push(ThenDto { when: vec![when.into()], step });
        }
    }
    out
}

impl SequenceDto {
    pub fn summary(i: &SequenceInfo) -> Self {
        let SequenceInfo {
            slug,
            version,
            // The version's row id is internal; `version` is the number the rep sees.
            id: _,
            builtin,
            team,
            sequence: s,
            enrollments,
        } = i;
        let Sequence {
            name,
            description,
            kind,
            settings:
                SequenceSettings {
                    window,
                    // Not shown in the list or the detail (the file has them).
                    working_days: _,
                    call_hours: _,
                },
            // Template fallbacks: in the file, not in the list.
            defaults: _,
            steps,
        } = s;
        // Each path's touches and business days.
        let spans: Vec<(usize, u32)> = s.paths().iter().map(|p| (p.len(), p.iter().map(|&i| steps[i].delay).sum())).collect();
        SequenceDto {
            slug: slug.clone(),
            version: *version,
            name: name.clone(),
            description: description.clone(),
            kind: kind.as_str(),
            builtin: *builtin,
            team: *team,
            touches: spans.iter().map(|p| p.0).max().unwrap_or(0),
            business_days: spans.iter().map(|p| p.1).max().unwrap_or(0),
            touches_min: spans.iter().map(|p| p.0).min().unwrap_or(0),
            business_days_min: spans.iter().map(|p| p.1).min().unwrap_or(0),
            channels: s.channel_families(),
            window: format!("{}-{}", window.0.format("%H:%M"), window.1.format("%H:%M")),
            enrollments: enrollments.iter().cloned().collect(),
            steps: None,
            findings: None,
            step_counts: None,
        }
    }

    pub fn detail(d: &SequenceDetail) -> Self {
        let SequenceDetail { info, findings, step_counts } = d;
        let mut dto = SequenceDto::summary(info);
        dto.steps = Some(steps(&info.sequence));
        dto.findings = Some(findings.iter().map(FindingDto::from).collect());
        dto.step_counts = Some(step_counts.iter().map(StepCountDto::from).collect());
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

impl From<&StepCount> for StepCountDto {
    fn from(c: &StepCount) -> Self {
        let StepCount { waiting, done, skipped, exited } = *c;
        StepCountDto { waiting, done, skipped, exited }
    }
}

/// Sequence text being edited in the app: whether it reads, and the
/// linter's findings when it does.
#[derive(Serialize, TS)]
pub struct SequenceCheckDto {
    /// The sequence's name, when the text parses.
    pub name: Option<String>,
    pub steps: usize,
    /// Why the text does not parse: line, field and what was expected.
    pub problem: Option<String>,
    pub findings: Vec<FindingDto>,
}

/// One step of edited text, rendered for a prospect.
#[derive(Serialize, TS)]
pub struct PreviewStepDto {
    pub number: usize,
    #[ts(type = "Channel")]
    pub channel: &'static str,
    pub label: Option<String>,
    pub subject: Option<String>,
    pub text: String,
    /// Fields the prospect lacks: the draft would be blocked.
    pub missing: Vec<String>,
    pub problem: Option<String>,
}
