//! Prospects: the table, one prospect's page, editing a field, CSV import
//! (preview, then all or nothing), enrollment, pause/resume/remove,
//! do-not-contact and the rep's time away.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use dto::{
    AwayDto, DncDto, EnrollInput, EnrollReportDto, EnrollmentDto, EnrollmentStateDto, ImportDoneDto, ImportFileDto, ImportInput,
    ImportPreviewDto, ImportReportDto, ProspectDetailDto, ProspectDto, ProspectPageDto, ProspectQuery, TimelineDto,
};
use engine::api::{Filter, ImportOptions, Selection};
use engine::domain::EnrollmentState;
use engine::{Engine, Error, Result};

use crate::{lock, Workspace};

/// Rows shown in an import preview.
const PREVIEW_ROWS: usize = 5;

/// The largest CSV file an import reads (200 MB); a larger one is refused
/// before a byte of it is read.
pub const IMPORT_MAX_BYTES: u64 = 200 * 1024 * 1024;

/// Rows of each kind (skipped, rejected, warnings) in the report the window
/// gets; the report's totals count the rest.
pub const REPORT_ROWS: usize = 100;

/// How long a chosen file's token lasts.
const TOKEN_LIFETIME: Duration = Duration::from_secs(60 * 60);

/// Chosen files kept at once; the oldest goes first.
const MAX_CHOSEN: usize = 16;

/// CSV files the rep chose (the desktop's open dialog), by the token the
/// window names them with. A token ends when its file is imported or after
/// `TOKEN_LIFETIME`.
#[derive(Default)]
pub(crate) struct ImportFiles(Mutex<HashMap<String, Chosen>>);

struct Chosen {
    path: PathBuf,
    name: String,
    at: Instant,
}

impl ImportFiles {
    fn add(&self, path: &Path, name: String) -> Result<String> {
        let token = token()?;
        let mut files = lock(&self.0);
        files.retain(|_, c| c.at.elapsed() < TOKEN_LIFETIME);
        while files.len() >= MAX_CHOSEN {
            let Some(oldest) = files.iter().min_by_key(|(_, c)| c.at).map(|(t, _)| t.clone()) else { break };
            files.remove(&oldest);
        }
        files.insert(token.clone(), Chosen { path: path.to_path_buf(), name, at: Instant::now() });
        Ok(token)
    }

    /// The file a live token names: its path and name.
    pub(crate) fn get(&self, token: &str) -> Result<(PathBuf, String)> {
        let mut files = lock(&self.0);
        files.retain(|_, c| c.at.elapsed() < TOKEN_LIFETIME);
        files.get(token).map(|c| (c.path.clone(), c.name.clone())).ok_or_else(|| {
            Error::Invalid("that file is no longer chosen (it was imported or the choice expired); choose the file again".into())
        })
    }

    pub(crate) fn end(&self, token: &str) {
        lock(&self.0).remove(token);
    }
}

/// 128 random bits, as hex.
fn token() -> Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| Error::Invalid(format!("no randomness for a file token: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

pub(crate) fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

/// Refuses what is not a regular file (a device such as `/dev/zero`, a
/// FIFO, a directory) or is larger than an import may be.
fn check_file(path: &Path, meta: &std::fs::Metadata) -> Result<u64> {
    if !meta.is_file() {
        let what = if meta.is_dir() { "a folder" } else { "not a regular file (a device, pipe or socket)" };
        return Err(Error::Invalid(format!("{} is {what}; choose a CSV file", path.display())));
    }
    too_large(path, meta.len())?;
    Ok(meta.len())
}

fn too_large(path: &Path, size: u64) -> Result<()> {
    if size > IMPORT_MAX_BYTES {
        return Err(Error::Invalid(format!(
            "{} is larger than the {} MB an import may be; split it into smaller files",
            path.display(),
            IMPORT_MAX_BYTES / (1024 * 1024)
        )));
    }
    Ok(())
}

/// Opens without waiting: opening a FIFO for reading would otherwise block
/// until something writes to it.
fn open(path: &Path) -> std::io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut o, libc::O_NONBLOCK);
    o.open(path)
}

/// A CSV file's bytes: its metadata is checked before it is opened and the
/// opened file checked again (it may have been swapped), and no more than
/// `IMPORT_MAX_BYTES` are read even if it grows.
pub(crate) fn read_csv(path: &Path) -> Result<Vec<u8>> {
    let io = |source| Error::Io { path: path.to_path_buf(), source };
    check_file(path, &std::fs::metadata(path).map_err(io)?)?;
    let file = open(path).map_err(io)?;
    let size = check_file(path, &file.metadata().map_err(io)?)?;
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(IMPORT_MAX_BYTES + 1).read_to_end(&mut bytes).map_err(io)?;
    too_large(path, bytes.len() as u64)?;
    Ok(bytes)
}

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
                email_status: e.email_status(p.id)?,
                enrollments: e.enrollment_views(p.id)?.iter().map(EnrollmentDto::from).collect(),
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

    /// Takes a CSV file the rep chose (the desktop's native dialog) for
    /// import: checks it is a regular file no larger than an import may be
    /// and hands back a token that names it for `preview_import` and
    /// `import`. Nothing of it is read yet.
    pub fn choose_import_file(&self, path: &Path) -> Result<ImportFileDto> {
        let meta = std::fs::metadata(path).map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
        let size = check_file(path, &meta)?;
        let file = file_name(path);
        Ok(ImportFileDto { token: self.import_files.add(path, file.clone())?, file, size })
    }

    /// The first rows of a chosen CSV file as they would import, with the
    /// column mapping. The token stays valid.
    pub fn preview_import(&self, input: &ImportInput) -> Result<ImportPreviewDto> {
        let (path, name) = self.import_files.get(&input.token)?;
        let bytes = read_csv(&path)?;
        let overrides = input.overrides()?;
        let delimiter = dto::parse_delimiter(input.delimiter.as_deref())?;
        self.read(|e, _| Ok(ImportPreviewDto::new(name, &e.preview_csv(&bytes, &overrides, delimiter, PREVIEW_ROWS)?)))
    }

    /// Imports a chosen CSV file (one transaction); the token ends when it
    /// has. The report lists the first `REPORT_ROWS` rows of each kind and
    /// counts them all.
    pub fn import(&self, input: &ImportInput, progress: &mut dyn FnMut(usize, usize)) -> Result<ImportReportDto> {
        let (path, name) = self.import_files.get(&input.token)?;
        let report = self.import_bytes(&path, name, input.options()?, progress)?;
        self.import_files.end(&input.token);
        Ok(report.bounded(REPORT_ROWS))
    }

    /// Imports the CSV file at `path` (the command line's own argument) as
    /// `how` says, then, when asked, enrolls everyone it brought in. The
    /// report is whole.
    pub fn import_path(&self, path: &Path, how: &PathImport, progress: &mut dyn FnMut(usize, usize)) -> Result<ImportDoneDto> {
        let mut opts = dto::import_options(how.mapping, how.update)?;
        opts.tags = how.tags.clone();
        opts.delimiter = dto::parse_delimiter(how.delimiter)?;
        let report = self.import_bytes(path, file_name(path), opts, progress)?;
        let enrollment = match how.enroll {
            Some(slug) => Some(self.with(|e, now| e.enroll(&Selection::Import(report.import_id), slug, false, now))?),
            None => None,
        };
        Ok(ImportDoneDto { report, enrollment: enrollment.as_ref().map(EnrollReportDto::from) })
    }

    fn import_bytes(
        &self,
        path: &Path,
        name: String,
        opts: ImportOptions,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ImportReportDto> {
        let bytes = read_csv(path)?;
        let report = self.with(|e, now| e.import_csv_with_progress(&name, &bytes, &opts, now, progress))?;
        self.backup_after_import();
        Ok(ImportReportDto::from(&report))
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

    /// The prospect (email or id) accepted the LinkedIn connection request
    /// their sequence waits on: it goes the accepted way from now.
    pub fn connection_accepted(&self, key: &str) -> Result<dto::BranchTakenDto> {
        self.with(|e, now| {
            let p = e.find_prospect(key)?;
            Ok(dto::BranchTakenDto::from(&e.connection_accepted(p.id, now)?))
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

/// How the command line imports a file: the columns mapped by hand, whether
/// known prospects are updated, tags for every row, the separator (sniffed
/// when `None`) and a sequence to enroll everyone in.
#[derive(Debug, Default, Clone)]
pub struct PathImport<'a> {
    pub mapping: &'a [(String, String)],
    pub update: bool,
    pub tags: Vec<String>,
    pub delimiter: Option<&'a str>,
    pub enroll: Option<&'a str>,
}
