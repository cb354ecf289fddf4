//! CSV import: the preview, the progress and the per-row report.

use engine::api::{self, ImportReport};
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
    #[ts(type = "string")]
    pub encoding: &'static str,
    pub mapping: Vec<(String, String)>,
    pub imported: usize,
    pub updated: usize,
    pub skipped: Vec<RejectedDto>,
    pub rejected: Vec<RejectedDto>,
    pub warnings: Vec<RejectedDto>,
    pub timezone_unknown: usize,
}

impl From<&ImportReport> for ImportReportDto {
    fn from(r: &ImportReport) -> Self {
        ImportReportDto {
            import_id: r.import_id,
            file: r.file.clone(),
            encoding: r.encoding.as_str(),
            mapping: r.mapping.iter().map(|m| (m.header.clone(), m.field.name())).collect(),
            imported: r.imported,
            updated: r.updated,
            skipped: r.skipped.iter().map(|(l, e)| RejectedDto { line: *l, email: Some(e.clone()), reason: "already known; left as it was".into() }).collect(),
            rejected: r.rejected.iter().map(|x| RejectedDto { line: x.line, email: x.email.clone(), reason: x.reason.clone() }).collect(),
            warnings: r.warnings.iter().map(|w| RejectedDto { line: w.line, email: None, reason: w.message.clone() }).collect(),
            timezone_unknown: r.timezone_unknown,
        }
    }
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
    #[ts(type = "string")]
    pub encoding: &'static str,
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
    pub fn new(file: String, p: &api::ImportPreview) -> Self {
        let field = |f: &engine::import::Field| match f {
            engine::import::Field::Custom(name) => format!("custom:{name}"),
            other => other.name(),
        };
        ImportPreviewDto {
            file,
            encoding: p.encoding.as_str(),
            headers: p.headers.clone(),
            mapping: p.mapping.iter().map(|m| MappingDto { header: m.header.clone(), field: field(&m.field) }).collect(),
            sample: p.sample.clone(),
            ready: p.ready,
            rejected: p.rejected,
            problem: p.problem.clone(),
            fields: [
                "email", "first_name", "last_name", "full_name", "company", "title", "phone", "linkedin", "city", "state", "country", "timezone",
                "tags", "ignore",
            ]
            .map(String::from)
            .to_vec(),
        }
    }
}

#[derive(Serialize, TS)]
pub struct ImportProgressDto {
    pub done: usize,
    pub total: usize,
}
