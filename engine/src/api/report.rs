//! One sequence's results as the Results screen and `cadence stats` show
//! them: the figures (`results.rs`), with the A/B verdicts and the advice
//! drawn from them (`advice.rs`).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::advice::{self, Advice};
use super::paths::PathResults;
use super::results::{Figures, TrendPoint, VersionResults};
use super::Engine;
use super::Span;
use crate::error::Result;

#[derive(Debug, Clone, PartialEq)]
pub struct SequenceResults {
    pub slug: String,
    pub name: String,
    pub span: Span,
    pub figures: Figures,
    pub exits: BTreeMap<String, u64>,
    /// Oldest version first.
    pub versions: Vec<VersionResults>,
    pub trend: Vec<TrendPoint>,
    pub advice: Vec<Advice>,
    /// The ways enrollments took through a branching sequence (empty for
    /// one that does not branch).
    pub paths: Vec<PathResults>,
}

impl Engine {
    /// All figures for one sequence (every version) in `span`, with the trend,
    /// the A/B verdicts and the advice drawn from them.
    pub fn results(&self, slug: &str, span: Span, now: DateTime<Utc>) -> Result<SequenceResults> {
        let mut f = self.sequence_figures(slug, span, now)?;
        for v in &mut f.versions {
            advice::judge_variants(&mut v.steps);
        }
        let advice = advice::advise(&f.versions, &f.recent, &f.settings);
        Ok(SequenceResults {
            slug: slug.to_string(),
            name: f.name,
            span,
            figures: f.figures,
            exits: f.exits,
            versions: f.versions,
            trend: f.trend,
            advice,
            paths: self.path_results(slug, span)?,
        })
    }
}
