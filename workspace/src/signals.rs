//! Signals: one added by hand, a file imported, the watched folder read,
//! the rules, the proposals accepted or dismissed, results by source.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use dto::{
    AcceptedDto, FolderFileDto, ProposalDto, SignalReportDto, SignalRuleDto, SignalRuleInput, SignalRuleSetDto, SignalsDto,
    SourceResultsDto,
};
use engine::api::Span;
use engine::signal::{Format, RawSignal};
use engine::{Error, Result};

use crate::prospects::{file_name, read_csv};
use crate::{Workspace, REPORT_ROWS};

/// A file in the watched folder is left alone until it has not changed for
/// this long (it may still be being written).
pub const SETTLED: Duration = Duration::from_secs(1);

/// Where read files go, inside the watched folder.
pub const DONE: &str = "done";

impl Workspace {
    /// The Signals screen: proposals waiting, rules, the folder.
    pub fn signals(&self) -> Result<SignalsDto> {
        self.read(|e, _| {
            Ok(SignalsDto {
                proposals: e.proposals()?.iter().map(ProposalDto::from).collect(),
                rules: e.signal_rules()?.iter().map(SignalRuleDto::from).collect(),
                folder: e.signals_folder()?,
                kinds: SignalsDto::kinds(),
            })
        })
    }

    /// One signal, by field name (kind, email or domain, text, source, when,
    /// and a new person's first_name, last_name, company, title).
    pub fn add_signal(&self, raw: &RawSignal) -> Result<SignalReportDto> {
        self.with(|e, now| Ok(SignalReportDto::from(&e.add_signal(raw, now)?)))
    }

    /// A signals file (CSV or JSON lines) at `path`; the report is whole.
    pub fn import_signals_path(&self, path: &Path) -> Result<SignalReportDto> {
        let bytes = read_csv(path)?;
        self.with(|e, now| Ok(SignalReportDto::from(&e.import_signals(&file_name(path), &bytes, now)?)))
    }

    /// A signals file the rep chose in the desktop's dialog (by its token,
    /// as for prospects). The window's report is bounded.
    pub fn import_signals_file(&self, token: &str) -> Result<SignalReportDto> {
        let (path, name) = self.import_files.get(token)?;
        let bytes = read_csv(&path)?;
        let report = self.with(|e, now| Ok(SignalReportDto::from(&e.import_signals(&name, &bytes, now)?)))?;
        self.import_files.end(token);
        Ok(report.bounded(REPORT_ROWS))
    }

    pub fn set_signal_rule(&self, input: &SignalRuleInput) -> Result<SignalRuleSetDto> {
        let rule = input.rule()?;
        self.with(|e, now| {
            let (rule, findings) = e.set_signal_rule(&rule, now)?;
            Ok(SignalRuleSetDto::new(&rule, &findings))
        })
    }

    pub fn remove_signal_rule(&self, kind: &str) -> Result<()> {
        let kind = dto::kind(kind)?;
        self.with(|e, _| e.remove_signal_rule(kind))
    }

    /// Accepts these proposals, or every open one with `None`.
    pub fn accept_proposals(&self, ids: Option<&[i64]>) -> Result<AcceptedDto> {
        self.with(|e, now| Ok(AcceptedDto::from(&e.accept_proposals(ids, now)?)))
    }

    pub fn dismiss_proposals(&self, ids: Option<&[i64]>) -> Result<usize> {
        self.with(|e, now| e.dismiss_proposals(ids, now))
    }

    /// Reply, positive and meeting rates by where enrollments came from,
    /// over the last `days` days (all time with `None`).
    pub fn results_by_source(&self, days: Option<u32>) -> Result<Vec<SourceResultsDto>> {
        self.read(|e, now| {
            let span = Span { from: days.map(|d| now - chrono::Duration::days(i64::from(d))), to: None };
            Ok(e.results_by_source(span)?.iter().map(SourceResultsDto::from).collect())
        })
    }

    /// Chooses (or with `None`, forgets) the folder watched for signal
    /// files. It must be an existing folder, given as a full path.
    pub fn set_signals_folder(&self, folder: Option<&str>) -> Result<SignalsDto> {
        let folder = folder.map(str::trim).filter(|f| !f.is_empty());
        if let Some(f) = folder {
            let path = Path::new(f);
            if !path.is_absolute() {
                return Err(Error::Invalid(format!("\"{f}\" is not a full path; give the folder as /home/you/signals")));
            }
            if !path.is_dir() {
                return Err(Error::Invalid(format!("{f} is not a folder (does it exist?)")));
            }
        }
        self.with(|e, _| e.set_signals_folder(folder))?;
        self.signals()
    }

    /// Reads each new signals file in the watched folder once: the file is
    /// taken like an import, then moved into `done/` with a report beside
    /// it (`NAME.report.txt`). A file that is not signals at all is moved
    /// too, its report saying why. Files still changing, hidden files and
    /// other kinds of file are left where they are.
    pub fn scan_signals_folder(&self) -> Result<Vec<FolderFileDto>> {
        let Some(folder) = self.read(|e, _| e.signals_folder())? else { return Ok(Vec::new()) };
        let dir = PathBuf::from(&folder);
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| Error::Io { path, source }
        };
        let mut files: Vec<PathBuf> = Vec::new();
        for entry in std::fs::read_dir(&dir).map_err(io(&dir))? {
            let entry = entry.map_err(io(&dir))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let Ok(meta) = entry.metadata() else { continue };
            let settled = meta.modified().ok().and_then(|m| SystemTime::now().duration_since(m).ok()).is_some_and(|age| age >= SETTLED);
            if meta.is_file() && !name.starts_with('.') && Format::of(&name).is_some() && settled {
                files.push(entry.path());
            }
        }
        files.sort();
        if files.is_empty() {
            return Ok(Vec::new());
        }
        let done = dir.join(DONE);
        std::fs::create_dir_all(&done).map_err(io(&done))?;
        let mut out = Vec::new();
        for path in files {
            let name = file_name(&path);
            let taken = read_csv(&path).and_then(|bytes| self.with(|e, now| e.import_signals(&name, &bytes, now)));
            let (report, error) = match taken {
                Ok(r) => (Some(SignalReportDto::from(&r)), None),
                // The file itself is wrong: it is read once, like any other.
                Err(e @ Error::Invalid(_)) => (None, Some(e.to_string())),
                Err(other) => return Err(other),
            };
            let target = free_name(&done, &name);
            std::fs::rename(&path, &target).map_err(io(&path))?;
            let text = match (&report, &error) {
                (Some(r), _) => r.text(),
                (None, Some(e)) => format!("{name} was not read as signals: {e}\n"),
                (None, None) => String::new(),
            };
            let report_path = PathBuf::from(format!("{}.report.txt", target.display()));
            std::fs::write(&report_path, text).map_err(io(&report_path))?;
            out.push(FolderFileDto {
                file: name,
                moved_to: target.display().to_string(),
                report: report.map(|r| r.bounded(REPORT_ROWS)),
                error,
            });
        }
        Ok(out)
    }
}

/// `dir/name`, or `dir/stem-2.ext` (3, 4, ...) when that is taken.
fn free_name(dir: &Path, name: &str) -> PathBuf {
    let first = dir.join(name);
    if !first.exists() {
        return first;
    }
    let (stem, ext) = name.rsplit_once('.').map_or((name, String::new()), |(s, e)| (s, format!(".{e}")));
    (2..).map(|n| dir.join(format!("{stem}-{n}{ext}"))).find(|p| !p.exists()).expect("a free name")
}
