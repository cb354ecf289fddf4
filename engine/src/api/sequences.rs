//! Sequences: list, show, lint, add.

use std::path::Path;

use chrono::{DateTime, Utc};

use super::Engine;
use crate::error::{Error, Result};
use crate::sequence::{lint, parse_sequence, Finding, Sequence};
use crate::store;

#[derive(Debug, Clone)]
pub struct SequenceInfo {
    pub slug: String,
    pub version: i64,
    pub id: crate::domain::SequenceVersionId,
    pub builtin: bool,
    pub sequence: Sequence,
    /// Enrollments per state, across every version.
    pub enrollments: Vec<(String, i64)>,
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
        let findings = lint(&info.sequence);
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
        if let Some(existing) = store::sequences::latest(&self.conn, &slug)? {
            if existing.builtin {
                return Err(Error::Conflict(format!("\"{slug}\" is a built-in playbook; save your version under another file name")));
            }
        }
        store::sequences::upsert(&self.conn, &slug, &seq.name, &src, false, now)?;
        self.changed(&[crate::events::Change::Sequences]);
        self.sequence(&slug)
    }
}

fn read_sequence_file(path: &Path) -> Result<(String, String)> {
    let src = std::fs::read_to_string(path).map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
    Ok((path.display().to_string(), src))
}
