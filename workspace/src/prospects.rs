//! Prospects: the table, one prospect's page, editing a field, CSV import
//! (preview, then all or nothing), enrollment, pause/resume/remove,
//! do-not-contact and the rep's time away.

use chrono::NaiveDate;
use dto::{
    AwayDto, DncDto, EnrollInput, EnrollReportDto, EnrollmentDto, EnrollmentStateDto, ImportDoneDto, ImportInput, ImportPreviewDto,
    ImportReportDto, ProspectDetailDto, ProspectDto, ProspectPageDto, ProspectQuery, TimelineDto,
};
use engine::api::{Filter, Selection};
use engine::domain::EnrollmentState;
use engine::{Engine, Error, Result};

use crate::Workspace;

/// Rows shown in an import preview.
const PREVIEW_ROWS: usize = 5;

/// Who to enroll, as the command line says it.
#[derive(Debug, Clone)]
pub enum Who {
    Everyone,
    /// Everyone whose latest import was this one.
    Import(i64),
    /// By email address or id.
    Prospects(Vec<String>),
    /// Everyone with this tag and/or matching this search.
    Matching {
        tag: Option<String>,
        search: Option<String>,
    },
}

/// An enrollment by its id, or a prospect's (by email or id) that is in
/// one of the states the action applies to.
#[derive(Debug, Clone)]
pub enum EnrollmentRef {
    Id(i64),
    Prospect(String),
}

fn enrollment_id(e: &Engine, r: &EnrollmentRef, states: &[EnrollmentState]) -> Result<i64> {
    let key = match r {
        EnrollmentRef::Id(id) => return Ok(*id),
        EnrollmentRef::Prospect(key) => key,
    };
    let p = e.find_prospect(key)?;
    e.enrollments_of(p.id)?.into_iter().find(|x| states.contains(&x.state)).map(|x| x.id).ok_or_else(|| {
        Error::Conflict(format!("{} has no {} enrollment", p.email, states.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" or ")))
    })
}

impl Workspace {
    /// A page of the prospect table (the desktop's virtualised list).
    pub fn prospects(&self, query: &ProspectQuery) -> Result<ProspectPageDto> {
        self.read(|e, _| {
            let f = query.filter();
            Ok(ProspectPageDto {
                total: e.prospect_count_matching(&f)?,
                offset: query.offset,
                items: e.prospects(&f)?.iter().map(ProspectDto::from).collect(),
            })
        })
    }

    /// Prospects matching a filter (search, tag, import), as a list.
    pub fn prospect_list(&self, filter: &Filter) -> Result<Vec<ProspectDto>> {
        self.read(|e, _| Ok(e.prospects(filter)?.iter().map(ProspectDto::from).collect()))
    }

    pub fn prospect_count(&self) -> Result<i64> {
        self.read(|e, _| e.prospect_count())
    }

    /// One prospect by email or id: details, enrollments, timeline.
    pub fn prospect(&self, key: &str) -> Result<ProspectDetailDto> {
        self.read(|e, _| {
            let p = e.find_prospect(key)?;
            Ok(ProspectDetailDto {
                enrollments: e.enrollments_of(p.id)?.iter().map(EnrollmentDto::from).collect(),
                timeline: e.timeline(p.id)?.iter().map(TimelineDto::from).collect(),
                prospect: ProspectDto::from(&p),
            })
        })
    }

    /// Sets one field of a prospect (by email or id), e.g. the company a draft is blocked on.
    pub fn set_prospect_field(&self, key: &str, field: &str, value: &str) -> Result<ProspectDto> {
        self.with(|e, now| {
            let id = e.find_prospect(key)?.id;
            Ok(ProspectDto::from(&e.set_prospect_field(id, field, value, now)?))
        })
    }

    /// The first rows of a CSV file as they would import, with the column mapping.
    pub fn preview_import(&self, input: &ImportInput) -> Result<ImportPreviewDto> {
        let bytes = input.read()?;
        let overrides = input.overrides()?;
        self.read(|e, _| Ok(ImportPreviewDto::new(input.file_name(), &e.preview_csv(&bytes, &overrides, PREVIEW_ROWS)?)))
    }

    /// Imports a CSV file (one transaction), tagging every row with `tags`,
    /// then, when asked, enrolls everyone it brought in.
    pub fn import(
        &self,
        input: &ImportInput,
        tags: Vec<String>,
        enroll: Option<&str>,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ImportDoneDto> {
        let bytes = input.read()?;
        let mut opts = input.options()?;
        opts.tags = tags;
        let report = self.with(|e, now| e.import_csv_with_progress(&input.file_name(), &bytes, &opts, now, progress))?;
        let enrollment = match enroll {
            Some(slug) => Some(self.with(|e, now| e.enroll(&Selection::Import(report.import_id), slug, false, now))?),
            None => None,
        };
        Ok(ImportDoneDto { report: ImportReportDto::from(&report), enrollment: enrollment.as_ref().map(EnrollReportDto::from) })
    }

    /// Enrolls the window's selection in a sequence.
    pub fn enroll(&self, input: &EnrollInput) -> Result<EnrollReportDto> {
        self.with(|e, now| Ok(EnrollReportDto::from(&e.enroll(&input.selection(), &input.sequence, false, now)?)))
    }

    /// Enrolls who the command line names; `force` enrolls prospects already
    /// in an active sequence too.
    pub fn enroll_who(&self, sequence: &str, who: &Who, force: bool) -> Result<EnrollReportDto> {
        self.with(|e, now| {
            let selection = match who {
                Who::Everyone => Selection::All,
                Who::Import(i) => Selection::Import(*i),
                Who::Prospects(keys) => Selection::Prospects(keys.iter().map(|k| e.find_prospect(k).map(|p| p.id)).collect::<Result<_>>()?),
                Who::Matching { tag: None, search: None } => {
                    return Err(Error::Invalid("say who to enroll: --prospect, --tag, --search, --import or --all".into()))
                }
                Who::Matching { tag, search } => {
                    Selection::Filter(Filter { tag: tag.clone(), search: search.clone(), ..Default::default() })
                }
            };
            Ok(EnrollReportDto::from(&e.enroll(&selection, sequence, force, now)?))
        })
    }

    pub fn pause(&self, which: &EnrollmentRef) -> Result<EnrollmentStateDto> {
        self.with(|e, now| {
            let id = enrollment_id(e, which, &[EnrollmentState::Active])?;
            e.pause(id, now)?;
            Ok(EnrollmentStateDto { enrollment_id: id, state: EnrollmentState::Paused.as_str() })
        })
    }

    pub fn resume(&self, which: &EnrollmentRef) -> Result<EnrollmentStateDto> {
        self.with(|e, now| {
            let id = enrollment_id(e, which, &[EnrollmentState::Paused])?;
            e.resume(id, now)?;
            Ok(EnrollmentStateDto { enrollment_id: id, state: EnrollmentState::Active.as_str() })
        })
    }

    /// Takes the prospect out of the sequence (their unsent emails are cancelled).
    pub fn remove(&self, which: &EnrollmentRef) -> Result<EnrollmentStateDto> {
        self.with(|e, now| {
            let id = enrollment_id(e, which, &[EnrollmentState::Active, EnrollmentState::Paused])?;
            e.remove(id, now)?;
            Ok(EnrollmentStateDto { enrollment_id: id, state: EnrollmentState::Exited.as_str() })
        })
    }

    /// Never contact this address or `@domain`; their running sequences end.
    pub fn add_do_not_contact(&self, entry: &str, reason: &str) -> Result<DncDto> {
        self.with(|e, now| Ok(DncDto { entry: entry.to_string(), enrollments_ended: e.add_do_not_contact(entry, reason, now)? }))
    }

    /// The rep is away `from`..=`to`: work due then moves after, spacing kept.
    pub fn add_away(&self, from: NaiveDate, to: NaiveDate) -> Result<AwayDto> {
        self.with(|e, now| Ok(AwayDto { from: from.to_string(), to: to.to_string(), touches_moved: e.add_away(from, to, now)? }))
    }
}

/// A date as people type it (2026-12-21).
pub fn date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| Error::Invalid(format!("\"{s}\" is not a date like 2026-12-21")))
}
