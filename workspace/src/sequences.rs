//! Sequences: the list, one in full, the linter, adding a file.

use std::path::{Path, PathBuf};

use dto::{FindingDto, LintDto, SequenceDto};
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
}
