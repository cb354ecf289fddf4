//! Sequences: the list, one in full, the linter, adding a file.

use std::path::{Path, PathBuf};

use dto::{FindingDto, LintDto, PreviewStepDto, SequenceCheckDto, SequenceDto};
use engine::Result;

use crate::Workspace;

impl Workspace {
    pub fn sequences(&self) -> Result<Vec<SequenceDto>> {
        self.read(|e, _| Ok(e.sequences()?.iter().map(SequenceDto::summary).collect()))
    }

    /// One sequence with its steps, the linter's findings and step counts.
    pub fn sequence(&self, slug: &str) -> Result<SequenceDto> {
        self.read(|e, _| Ok(SequenceDto::detail(&e.sequence(slug)?)))
    }

    /// Lints a sequence file (a `.toml` path, or any path that exists) or a
    /// stored sequence by slug.
    pub fn lint(&self, target: &str) -> Result<LintDto> {
        let path = PathBuf::from(target);
        self.read(|e, _| {
            let (name, findings) = if path.extension().is_some_and(|x| x == "toml") || path.exists() {
                let (seq, f) = e.lint_file(&path)?;
                (seq.name, f)
            } else {
                let d = e.sequence(target)?;
                (d.info.sequence.name, d.findings)
            };
            Ok(LintDto {
                file: target.to_string(),
                name,
                ok: findings.is_empty(),
                findings: findings.iter().map(FindingDto::from).collect(),
            })
        })
    }

    /// Adds (or adds a new version of) a sequence from a file.
    pub fn add_sequence(&self, file: &Path) -> Result<SequenceDto> {
        self.with(|e, now| Ok(SequenceDto::detail(&e.add_sequence(file, now)?)))
    }

    /// The text of a sequence's latest version, to edit or duplicate.
    pub fn sequence_source(&self, slug: &str) -> Result<String> {
        self.read(|e, _| e.sequence_source(slug))
    }

    /// Edited sequence text: parsed and linted, nothing stored. A text that
    /// does not parse is not an error here: the problem is the answer.
    pub fn check_sequence(&self, slug: &str, source: &str) -> Result<SequenceCheckDto> {
        self.read(|e, _| {
            Ok(match e.check_sequence_source(slug, source) {
                Ok((seq, findings)) => SequenceCheckDto {
                    name: Some(seq.name.clone()),
                    steps: seq.steps.len(),
                    problem: None,
                    findings: findings.iter().map(FindingDto::from).collect(),
                },
                Err(engine::Error::Sequence(problem)) => {
                    SequenceCheckDto { name: None, steps: 0, problem: Some(problem.to_string()), findings: Vec::new() }
                }
                Err(other) => return Err(other),
            })
        })
    }

    /// Each step of edited text as it would read for one prospect.
    pub fn preview_sequence(&self, slug: &str, source: &str, prospect: i64) -> Result<Vec<PreviewStepDto>> {
        self.read(|e, _| {
            Ok(e.preview_sequence(slug, source, prospect)?
                .into_iter()
                .map(|s| PreviewStepDto {
                    number: s.index + 1,
                    channel: s.channel.as_str(),
                    label: s.label,
                    subject: s.draft.subject,
                    text: s.draft.body,
                    missing: s.draft.missing,
                    problem: s.draft.problem,
                })
                .collect())
        })
    }

    /// Saves edited text: a new sequence, or a new version of the rep's own.
    pub fn save_sequence(&self, slug: &str, source: &str) -> Result<SequenceDto> {
        self.with(|e, now| Ok(SequenceDto::detail(&e.save_sequence_source(slug, source, now)?)))
    }
}
