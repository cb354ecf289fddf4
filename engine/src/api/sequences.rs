//! Sequences: list, show, lint, add; edited as text in the app.

use std::path::Path;

use chrono::{DateTime, Utc};

use super::Engine;
use crate::domain::{Channel, ProspectId};
use crate::draft::{self, Draft};
use crate::error::{Error, Result};
use crate::sequence::{lint, parse_sequence, Finding, Sequence};
use crate::store;

#[derive(Debug, Clone)]
pub struct SequenceInfo {
    pub slug: String,
    pub version: i64,
    pub id: crate::domain::SequenceVersionId,
    pub builtin: bool,
    /// Published by the team's manager: read-only here.
    pub team: bool,
    pub sequence: Sequence,
    /// Enrollments per state, across every version.
    pub enrollments: Vec<(String, i64)>,
}

/// One step of edited sequence text, rendered for a prospect.
#[derive(Debug, Clone)]
pub struct StepPreview {
    /// 0-based.
    pub index: usize,
    pub channel: Channel,
    pub label: Option<String>,
    pub draft: Draft,
}

#[derive(Debug, Clone)]
pub struct SequenceDetail {
    pub info: SequenceInfo,
    pub findings: Vec<Finding>,
    /// One per step of the latest version, counted across every version.
    pub step_counts: Vec<store::sequences::StepCount>,
}

impl Engine {
    pub fn sequences(&self) -> Result<Vec<SequenceInfo>> {
        store::sequences::list_latest(&self.conn)?
            .into_iter()
            .map(|s| {
                Ok(SequenceInfo {
                    sequence: (*self.sequence_version(s.id)?).clone(),
                    enrollments: store::sequences::enrollment_counts(&self.conn, &s.slug)?,
                    slug: s.slug,
                    version: s.version,
                    id: s.id,
                    builtin: s.builtin,
                    team: s.team,
                })
            })
            .collect()
    }

    pub fn sequence(&self, slug: &str) -> Result<SequenceDetail> {
        let info = self
            .sequences()?
            .into_iter()
            .find(|s| s.slug == slug)
            .ok_or_else(|| Error::NotFound { what: "sequence", id: format!("{slug} (see `cadence sequences list`)") })?;
        let mut findings = lint(&info.sequence);
        findings.extend(self.signal_findings(slug, &info.sequence)?);
        let step_counts = store::sequences::step_counts(&self.conn, slug, info.sequence.steps.len())?;
        Ok(SequenceDetail { info, findings, step_counts })
    }

    /// Parses and lints a sequence file without storing it.
    pub fn lint_file(&self, path: &Path) -> Result<(Sequence, Vec<Finding>)> {
        let (name, src) = read_sequence_file(path)?;
        let seq = parse_sequence(&name, &src).map_err(Error::Sequence)?;
        let findings = lint(&seq);
        Ok((seq, findings))
    }

    /// Stores a sequence file (a new version when its slug exists already).
    /// The slug is the file name without `.toml`.
    pub fn add_sequence(&mut self, path: &Path, now: DateTime<Utc>) -> Result<SequenceDetail> {
        let (name, src) = read_sequence_file(path)?;
        let seq = parse_sequence(&name, &src).map_err(Error::Sequence)?;
        let slug = path.file_stem().and_then(|s| s.to_str()).unwrap_or("sequence").to_string();
        self.store_sequence(&slug, &seq, &src, now)
    }

    /// The text of a sequence's latest version, to edit or duplicate.
    pub fn sequence_source(&self, slug: &str) -> Result<String> {
        Ok(store::sequences::latest(&self.conn, slug)?.ok_or_else(|| Error::not_found("sequence", slug))?.source)
    }

    /// Sequence text as the rep edits it: parsed (errors name the line and
    /// field) and linted; nothing is stored.
    pub fn check_sequence_source(&self, slug: &str, src: &str) -> Result<(Sequence, Vec<Finding>)> {
        let seq = parse_sequence(&format!("{slug}.toml"), src).map_err(Error::Sequence)?;
        let mut findings = lint(&seq);
        findings.extend(self.signal_findings(slug, &seq)?);
        Ok((seq, findings))
    }

    /// Saves edited text under `slug`: a new sequence, or a new version of
    /// one of the rep's own (running enrollments keep the version they
    /// started on). A built-in playbook's slug is refused: save a copy.
    pub fn save_sequence_source(&mut self, slug: &str, src: &str, now: DateTime<Utc>) -> Result<SequenceDetail> {
        let ok = !slug.is_empty()
            && slug.len() <= 60
            && slug.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
            && slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !ok {
            return Err(Error::Invalid(format!(
                "\"{slug}\" cannot name a sequence: use lower-case letters, digits and dashes (my-cold-outbound)"
            )));
        }
        let (seq, _) = self.check_sequence_source(slug, src)?;
        self.store_sequence(slug, &seq, src, now)
    }

    fn store_sequence(&mut self, slug: &str, seq: &Sequence, src: &str, now: DateTime<Utc>) -> Result<SequenceDetail> {
        if store::sequences::is_team(&self.conn, slug)? {
            return Err(Error::Conflict(format!(
                "\"{slug}\" is a team sequence: ask your manager for a new version (`cadence team publish`), or save yours under another name"
            )));
        }
        if let Some(existing) = store::sequences::latest(&self.conn, slug)? {
            if existing.builtin {
                return Err(Error::Conflict(format!("\"{slug}\" is a built-in playbook; save your version under another name")));
            }
        }
        store::sequences::upsert(&self.conn, slug, &seq.name, src, false, now)?;
        self.changed(&[crate::events::Change::Sequences]);
        self.sequence(slug)
    }

    /// Each step of edited sequence text as it would read for one prospect:
    /// the first variant, with the rep's settings, blocked fields marked.
    pub fn preview_sequence(&self, slug: &str, src: &str, prospect: ProspectId) -> Result<Vec<StepPreview>> {
        let (seq, _) = self.check_sequence_source(slug, src)?;
        let p = self.prospect(prospect)?;
        let rep = self.settings()?;
        let fields = draft::fields(&p, &rep, &seq);
        let mut subject: Option<String> = None;
        let mut out = Vec::new();
        for (i, step) in seq.steps.iter().enumerate() {
            let d = draft::render(step, 0, &fields, subject.as_deref());
            if step.channel == Channel::Email && subject.is_none() {
                subject = d.subject.clone();
            }
            out.push(StepPreview { index: i, channel: step.channel, label: step.label.clone(), draft: d });
        }
        Ok(out)
    }
}

fn read_sequence_file(path: &Path) -> Result<(String, String)> {
    let src = std::fs::read_to_string(path).map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
    Ok((path.display().to_string(), src))
}
