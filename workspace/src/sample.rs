//! The sample workspace: sixty prospects part-way through the built-in
//! sequences, with months of history so Results has something to show.

use dto::{SampleDto, SampleReportDto};
use engine::api::SampleOptions;
use engine::Result;

use crate::Workspace;

/// The desktop's "load a sample workspace" and `cadence demo`.
pub const SAMPLE_PROSPECTS: usize = 60;
pub const SAMPLE_SEED: u64 = 7;
/// Past prospects, spread over three months, for the results.
pub const SAMPLE_PAST: usize = 400;

/// What to generate (`cadence sample`).
#[derive(Debug, Clone)]
pub struct SampleSize {
    pub prospects: usize,
    pub seed: u64,
    pub active_percent: Option<u8>,
    pub past: usize,
}

impl Workspace {
    /// The sample the first-run screen offers.
    pub fn load_sample(&self) -> Result<SampleReportDto> {
        let r = self.generate(&SampleSize { prospects: SAMPLE_PROSPECTS, seed: SAMPLE_SEED, active_percent: None, past: SAMPLE_PAST })?;
        Ok(SampleReportDto { prospects: r.prospects, enrollments: r.active_enrollments })
    }

    /// `cadence demo`: a sample of `prospects`, only into an empty workspace.
    /// `None` when the workspace already has prospects.
    pub fn demo(&self, prospects: usize, seed: u64) -> Result<Option<SampleDto>> {
        if self.prospect_count()? > 0 {
            return Ok(None);
        }
        self.generate(&SampleSize { prospects, seed, active_percent: None, past: SAMPLE_PAST }).map(Some)
    }

    pub fn generate(&self, size: &SampleSize) -> Result<SampleDto> {
        let mut opts = SampleOptions {
            rep_timezone: engine::timezone::system_zone(),
            past: size.past,
            ..SampleOptions::new(size.prospects, size.seed)
        };
        if let Some(p) = size.active_percent {
            opts.active_percent = p;
        }
        let r = self.with(|e, now| e.generate_sample(&opts, now))?;
        Ok(SampleDto { prospects: r.prospects, active_enrollments: r.active_enrollments, touches: r.touches })
    }
}
