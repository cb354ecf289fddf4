//! CSV import: the preview, the progress and the per-row report.

use engine::api::{ImportPreview, ImportReport};
use engine::import::{Field, Mapping, Rejected, Warning};
use serde::Serialize;
use ts_rs::TS;

#[derive(Serialize, TS)]
pub struct RejectedDto {
    pub line: u64,
    pub email: Option<String>,
    pub reason: String,
}

#[derive(Serialize, TS)]
pub struct ImportReportDto {
    pub import_id: i64,
    pub file: String,
    #[ts(type = "Encoding")]
    pub encoding: &'static str,
    /// comma | semicolon | tab
    #[ts(type = "Delimiter")]
    pub delimiter: &'static str,
    pub mapping: Vec<(String, String)>,
    pub imported: usize,
    pub updated: usize,
    pub skipped: Vec<RejectedDto>,
    pub rejected: Vec<RejectedDto>,
    pub warnings: Vec<RejectedDto>,
    pub timezone_unknown: usize,
    /// Who has no known time zone (line and email; the first of them in the window).
    pub no_timezone: Vec<RejectedDto>,
    /// How many rows were skipped, rejected or warned about in all: the
    /// lists above may hold only the first of them (see `bounded`).
    pub skipped_total: usize,
    pub rejected_total: usize,
    pub warnings_total: usize,
}

impl ImportReportDto {
    /// The report with at most `rows` lines in each list (the window's
    /// copy); the totals still count them all.
    pub fn bounded(mut self, rows: usize) -> Self {
        self.skipped.truncate(rows);
        self.rejected.truncate(rows);
        self.warnings.truncate(rows);
        self.no_timezone.truncate(rows);
        self
    }
}

impl From<&Rejected> for RejectedDto {
    fn from(x: &Rejected) -> Self {
        let Rejected { line, email, reason } = x;
        RejectedDto { line: *line, email: email.clone(), reason: reason.clone() }
    }
}

impl From<&Warning> for RejectedDto {
    fn from(w: &Warning) -> Self {
        let Warning { line, message } = w;
        RejectedDto { line: *line, email: None, reason: message.clone() }
    }
}

impl From<&ImportReport> for ImportReportDto {
    fn from(r: &ImportReport) -> Self {
        let ImportReport {
            import_id,
            file,
            encoding,
            delimiter,
            mapping,
            imported,
            updated,
            skipped,
            rejected,
            warnings,
            timezone_unknown,
        } = r;
        ImportReportDto {
            import_id: *import_id,
            file: file.clone(),
            encoding: encoding.as_str(),
            delimiter: delimiter.as_str(),
            mapping: mapping.iter().map(|Mapping { header, field }| (header.clone(), field.name())).collect(),
            imported: *imported,
            updated: *updated,
            skipped: skipped
                .iter()
                .map(|(l, e)| RejectedDto { line: *l, email: Some(e.clone()), reason: "already known; left as it was".into() })
                .collect(),
            rejected: rejected.iter().map(RejectedDto::from).collect(),
            warnings: warnings.iter().map(RejectedDto::from).collect(),
            timezone_unknown: timezone_unknown.len(),
            no_timezone: timezone_unknown
                .iter()
                .map(|(l, e)| RejectedDto {
                    line: *l,
                    email: Some(e.clone()),
                    reason: "no known time zone; emails and calls use yours".into(),
                })
                .collect(),
            skipped_total: skipped.len(),
            rejected_total: rejected.len(),
            warnings_total: warnings.len(),
        }
    }
}

/// A CSV file the rep chose for import, as the window knows it: a token
/// that names it for `preview_import` and `import_csv` (the path stays in
/// the shell), its name and its size.
#[derive(Serialize, TS)]
pub struct ImportFileDto {
    pub token: String,
    pub file: String,
    #[ts(type = "number")]
    pub size: u64,
}

#[derive(Serialize, TS)]
pub struct MappingDto {
    pub header: String,
    /// A field name (`email`, `first_name`, `custom:industry`, `ignore`...).
    pub field: String,
}

#[derive(Serialize, TS)]
pub struct ImportPreviewDto {
    pub file: String,
    #[ts(type = "Encoding")]
    pub encoding: &'static str,
    /// comma | semicolon | tab: sniffed from the header line, or the rep's choice.
    #[ts(type = "Delimiter")]
    pub delimiter: &'static str,
    pub headers: Vec<String>,
    pub mapping: Vec<MappingDto>,
    pub sample: Vec<Vec<String>>,
    pub ready: usize,
    pub rejected: usize,
    pub problem: Option<String>,
    /// The fields a column can be mapped to.
    pub fields: Vec<String>,
}

impl ImportPreviewDto {
    pub fn new(file: String, p: &ImportPreview) -> Self {
        let field = |f: &Field| match f {
            Field::Custom(name) => format!("custom:{name}"),
            other => other.name(),
        };
        let ImportPreview { encoding, delimiter, headers, mapping, sample, ready, rejected, problem } = p;
        ImportPreviewDto {
            file,
            encoding: encoding.as_str(),
            delimiter: delimiter.as_str(),
            headers: headers.clone(),
            mapping: mapping.iter().map(|Mapping { header, field: f }| MappingDto { header: header.clone(), field: field(f) }).collect(),
            sample: sample.iter().map(|row| row.iter().map(|c| clip(c)).collect()).collect(),
            ready: *ready,
            rejected: *rejected,
            problem: problem.clone(),
            fields: engine::import::Field::NAMES.iter().map(|n| n.to_string()).collect(),
        }
    }
}

/// Characters of a cell a preview shows (a cell may be megabytes long).
pub const PREVIEW_CELL_CHARS: usize = 200;

fn clip(cell: &str) -> String {
    match cell.char_indices().nth(PREVIEW_CELL_CHARS) {
        Some((at, _)) => format!("{}…", &cell[..at]),
        None => cell.to_string(),
    }
}

#[derive(Serialize, TS)]
pub struct ImportProgressDto {
    pub done: usize,
    pub total: usize,
}
