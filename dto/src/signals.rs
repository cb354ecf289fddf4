//! Signals, their rules, the proposals waiting and results by source.

use engine::api::{Accepted, ProposalView, Signal, SignalReport, SignalRule, SourceResults, Taken};
use engine::sequence::Finding;
use engine::signal::SignalKind;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{utc, FindingDto};

#[derive(Serialize, TS)]
pub struct SignalDto {
    pub id: i64,
    #[ts(type = "SignalKind")]
    pub kind: &'static str,
    /// The kind in plain words ("job change").
    pub kind_words: &'static str,
    /// The person's email, or "@domain" for a company signal.
    pub who: String,
    pub text: String,
    pub source: String,
    /// When it happened (RFC 3339, UTC).
    pub happened_at: String,
}

impl From<&Signal> for SignalDto {
    fn from(s: &Signal) -> Self {
        SignalDto {
            id: s.id,
            kind: s.kind.as_str(),
            kind_words: s.kind.words(),
            who: s.email.clone().unwrap_or_else(|| format!("@{}", s.domain)),
            text: s.text.clone(),
            source: s.source.clone(),
            happened_at: utc(s.happened_at),
        }
    }
}

#[derive(Serialize, TS)]
pub struct ProposalDto {
    pub id: i64,
    pub signal: SignalDto,
    pub prospect_id: i64,
    pub name: String,
    pub email: String,
    pub company: Option<String>,
    pub title: Option<String>,
    pub sequence: String,
    pub sequence_name: String,
    pub created_at: String,
}

impl From<&ProposalView> for ProposalDto {
    fn from(v: &ProposalView) -> Self {
        ProposalDto {
            id: v.proposal.id,
            signal: SignalDto::from(&v.signal),
            prospect_id: v.prospect.id,
            name: v.prospect.full_name(),
            email: v.prospect.email.clone(),
            company: v.prospect.company.clone(),
            title: v.prospect.title.clone(),
            sequence: v.proposal.sequence.clone(),
            sequence_name: v.sequence_name.clone(),
            created_at: utc(v.proposal.created_at),
        }
    }
}

#[derive(Serialize, TS)]
pub struct SignalRuleDto {
    #[ts(type = "SignalKind")]
    pub kind: &'static str,
    pub kind_words: &'static str,
    pub sequence: String,
    /// Enroll directly instead of proposing.
    pub enroll: bool,
    pub cooldown_days: u32,
}

impl From<&SignalRule> for SignalRuleDto {
    fn from(r: &SignalRule) -> Self {
        SignalRuleDto {
            kind: r.kind.as_str(),
            kind_words: r.kind.words(),
            sequence: r.sequence.clone(),
            enroll: r.enroll,
            cooldown_days: r.cooldown_days,
        }
    }
}

/// A rule as set, with what the linter says about its sequence.
#[derive(Serialize, TS)]
pub struct SignalRuleSetDto {
    pub rule: SignalRuleDto,
    pub findings: Vec<FindingDto>,
}

impl SignalRuleSetDto {
    pub fn new(rule: &SignalRule, findings: &[Finding]) -> Self {
        SignalRuleSetDto { rule: rule.into(), findings: findings.iter().map(FindingDto::from).collect() }
    }
}

/// A rule as the window or the command line gives it.
#[derive(Deserialize, TS)]
pub struct SignalRuleInput {
    pub kind: String,
    pub sequence: String,
    #[serde(default)]
    pub enroll: bool,
    pub cooldown_days: Option<u32>,
}

impl SignalRuleInput {
    pub fn rule(&self) -> engine::Result<SignalRule> {
        Ok(SignalRule {
            kind: kind(&self.kind)?,
            sequence: self.sequence.trim().to_string(),
            enroll: self.enroll,
            cooldown_days: self.cooldown_days.unwrap_or(engine::api::DEFAULT_COOLDOWN_DAYS),
        })
    }
}

/// A signal kind as people write it, or a clear error.
pub fn kind(text: &str) -> engine::Result<SignalKind> {
    SignalKind::read(text)
        .ok_or_else(|| engine::Error::Invalid(format!("\"{text}\" is not a signal kind; use one of {}", SignalKind::expected())))
}

/// What became of one signal for one prospect, or of a bad row.
#[derive(Serialize, TS)]
pub struct SignalOutcomeDto {
    pub line: usize,
    pub who: String,
    #[ts(type = "\"proposed\" | \"enrolled\" | \"kept\" | \"refused\" | \"duplicate\" | \"rejected\"")]
    pub outcome: &'static str,
    /// Why (kept, refused, duplicate, rejected).
    pub reason: Option<String>,
    pub prospect_id: Option<i64>,
    pub sequence: Option<String>,
}

impl From<&engine::api::SignalOutcome> for SignalOutcomeDto {
    fn from(o: &engine::api::SignalOutcome) -> Self {
        let (outcome, reason, prospect_id, sequence) = match &o.taken {
            Taken::Proposed { prospect, sequence, .. } => ("proposed", None, Some(*prospect), Some(sequence.clone())),
            Taken::Enrolled { prospect, sequence, .. } => ("enrolled", None, Some(*prospect), Some(sequence.clone())),
            Taken::Kept(r) => ("kept", Some(r.clone()), None, None),
            Taken::Refused { prospect, reason } => ("refused", Some(reason.clone()), Some(*prospect), None),
            Taken::Duplicate(r) => ("duplicate", Some(r.clone()), None, None),
            Taken::Rejected(r) => ("rejected", Some(r.clone()), None, None),
        };
        SignalOutcomeDto { line: o.line, who: o.who.clone(), outcome, reason, prospect_id, sequence }
    }
}

#[derive(Serialize, TS)]
pub struct SignalReportDto {
    /// "command line", or the file's name.
    pub origin: String,
    pub stored: usize,
    pub new_prospects: usize,
    pub proposed: usize,
    pub enrolled: usize,
    /// Stored with nothing to do (no rule for the kind, no one known there).
    pub kept: usize,
    pub refused: usize,
    pub duplicates: usize,
    pub rejected: usize,
    pub outcomes: Vec<SignalOutcomeDto>,
    /// Outcomes left out of `outcomes` (the window's copy is bounded).
    pub more: usize,
}

impl From<&SignalReport> for SignalReportDto {
    fn from(r: &SignalReport) -> Self {
        SignalReportDto {
            origin: r.origin.clone(),
            stored: r.stored,
            new_prospects: r.new_prospects,
            proposed: r.proposed(),
            enrolled: r.enrolled(),
            kept: r.kept(),
            refused: r.refused(),
            duplicates: r.duplicates(),
            rejected: r.rejected(),
            outcomes: r.outcomes.iter().map(SignalOutcomeDto::from).collect(),
            more: 0,
        }
    }
}

impl SignalReportDto {
    /// The report for people: the totals, then each outcome with its line
    /// (the watched folder's report file and the command line print this).
    pub fn text(&self) -> String {
        let mut out = format!(
            "Signals from {}: {} stored, {} proposed, {} enrolled, {} kept, {} refused, {} duplicates, {} rejected",
            self.origin, self.stored, self.proposed, self.enrolled, self.kept, self.refused, self.duplicates, self.rejected
        );
        if self.new_prospects > 0 {
            out += &format!("; {} new prospects", self.new_prospects);
        }
        out.push('\n');
        for o in &self.outcomes {
            let who = if o.who.is_empty() { String::new() } else { format!(" {}", o.who) };
            let what = match (&o.reason, &o.sequence) {
                (Some(r), _) => format!("{}: {r}", o.outcome),
                (None, Some(s)) => format!("{} ({s})", o.outcome),
                (None, None) => o.outcome.to_string(),
            };
            out += &format!("  line {}{who}: {what}\n", o.line);
        }
        if self.more > 0 {
            out += &format!("  ... and {} more\n", self.more);
        }
        out
    }

    /// At most `rows` outcomes, the ones a rep must read first (rejected,
    /// refused, duplicates) before the rest; the totals count them all.
    pub fn bounded(mut self, rows: usize) -> Self {
        let rank = |o: &SignalOutcomeDto| match o.outcome {
            "rejected" => 0,
            "refused" => 1,
            "duplicate" => 2,
            _ => 3,
        };
        self.outcomes.sort_by_key(|o| (rank(o), o.line));
        self.more = self.outcomes.len().saturating_sub(rows);
        self.outcomes.truncate(rows);
        self
    }
}

#[derive(Serialize, TS)]
pub struct SkippedProposalDto {
    pub proposal: i64,
    pub reason: String,
}

#[derive(Serialize, TS)]
pub struct AcceptedDto {
    pub enrolled: usize,
    pub skipped: Vec<SkippedProposalDto>,
}

impl From<&Accepted> for AcceptedDto {
    fn from(a: &Accepted) -> Self {
        AcceptedDto {
            enrolled: a.enrolled.len(),
            skipped: a.skipped.iter().map(|(p, r)| SkippedProposalDto { proposal: *p, reason: r.clone() }).collect(),
        }
    }
}

#[derive(Serialize, TS)]
pub struct SourceResultsDto {
    /// The signal kind, or null for enrollments made by hand.
    #[ts(type = "SignalKind | null")]
    pub kind: Option<&'static str>,
    /// "by hand", or the kind in words.
    pub label: &'static str,
    pub enrolled: u64,
    pub replied: u64,
    pub positive: u64,
    pub meetings: u64,
    /// Of those enrolled.
    pub reply_rate: Option<f64>,
    pub positive_rate: Option<f64>,
    pub meeting_rate: Option<f64>,
}

impl From<&SourceResults> for SourceResultsDto {
    fn from(r: &SourceResults) -> Self {
        let rate = |n: u64| (r.enrolled > 0).then(|| n as f64 / r.enrolled as f64);
        SourceResultsDto {
            kind: r.kind.map(SignalKind::as_str),
            label: r.kind.map_or("by hand", SignalKind::words),
            enrolled: r.enrolled,
            replied: r.replied,
            positive: r.positive,
            meetings: r.meetings,
            reply_rate: rate(r.replied),
            positive_rate: rate(r.positive),
            meeting_rate: rate(r.meetings),
        }
    }
}

/// A kind and its words, for the window's choices.
#[derive(Serialize, TS)]
pub struct SignalKindDto {
    #[ts(type = "SignalKind")]
    pub kind: &'static str,
    pub words: &'static str,
}

/// The Signals screen: proposals waiting, the rules, the watched folder.
#[derive(Serialize, TS)]
pub struct SignalsDto {
    pub proposals: Vec<ProposalDto>,
    pub rules: Vec<SignalRuleDto>,
    /// The folder watched for signal files, if one is chosen.
    pub folder: Option<String>,
    pub kinds: Vec<SignalKindDto>,
}

impl SignalsDto {
    pub fn kinds() -> Vec<SignalKindDto> {
        SignalKind::ALL.iter().map(|k| SignalKindDto { kind: k.as_str(), words: k.words() }).collect()
    }
}

/// One file read from the watched folder.
#[derive(Serialize, TS)]
pub struct FolderFileDto {
    pub file: String,
    /// Where the file and its report went.
    pub moved_to: String,
    pub report: Option<SignalReportDto>,
    /// Why the file could not be read as signals at all.
    pub error: Option<String>,
}
