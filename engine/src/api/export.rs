//! CSV exports for a CRM or a spreadsheet: the figures, and the activity log.
//! Every cell that came from outside (names, subjects, notes) is defused so a
//! spreadsheet never runs it as a formula.

use std::io::Write;

use super::report::SequenceResults;
use super::results::Figures;
use super::Engine;
use crate::error::{Error, Result};
use crate::store::{self, results::Span};

/// Columns of the figures export, after sequence, version, step, channel,
/// label and variant.
const FIGURE_COLUMNS: &[&str] = &[
    "enrolled",
    "emails_sent",
    "calls",
    "calls_connected",
    "linkedin",
    "tasks",
    "skipped",
    "replies",
    "positive_replies",
    "untagged_replies",
    "meetings",
    "bounces_hard",
    "bounces_soft",
    "unsubscribes",
    "auto_replies",
    "exited",
    "finished",
    "reply_rate",
    "positive_rate",
    "meeting_rate",
    "reply_rate_enrolled",
    "positive_rate_enrolled",
    "meeting_rate_enrolled",
    "connect_rate",
];

const ACTIVITY_COLUMNS: &[&str] =
    &["id", "at", "kind", "email", "first_name", "last_name", "company", "sequence", "version", "step", "variant", "label", "data"];

/// A cell a spreadsheet will not take for a formula: text starting with
/// = + - @ or a control character gets a leading apostrophe.
pub fn defuse(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\n') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

fn rate(r: Option<f64>) -> String {
    r.map_or(String::new(), |r| format!("{r:.4}"))
}

fn figure_cells(f: &Figures) -> Vec<String> {
    let counts = [
        f.enrolled,
        f.emails_sent,
        f.calls,
        f.calls_connected,
        f.linkedin,
        f.tasks,
        f.skipped,
        f.replies,
        f.positive,
        f.untagged,
        f.meetings,
        f.bounces_hard,
        f.bounces_soft,
        f.unsubscribes,
        f.auto_replies,
        f.exited,
        f.finished,
    ];
    let rates = [
        f.reply_rate(),
        f.positive_rate(),
        f.meeting_rate(),
        f.reply_rate_enrolled(),
        f.positive_rate_enrolled(),
        f.meeting_rate_enrolled(),
        f.connect_rate(),
    ];
    counts.iter().map(u64::to_string).chain(rates.into_iter().map(rate)).collect()
}

fn io(e: impl std::fmt::Display) -> Error {
    Error::Invalid(format!("could not write the export: {e}"))
}

/// Writes the header of the figures export.
fn figures_header<W: Write>(w: &mut csv::Writer<W>) -> Result<()> {
    let head = ["sequence", "version", "step", "channel", "label", "variant"].into_iter().chain(FIGURE_COLUMNS.iter().copied());
    w.write_record(head).map_err(io)
}

/// One sequence's figures: the whole, each version, each step, each variant.
/// Returns the rows written (without the header).
fn write_figures<W: Write>(r: &SequenceResults, w: &mut csv::Writer<W>) -> Result<u64> {
    let mut rows = 0;
    let mut put = |version: String, step: String, channel: &str, label: &str, variant: &str, f: &Figures| -> Result<()> {
        let head =
            [defuse(&r.slug).into_owned(), version, step, channel.to_string(), defuse(label).into_owned(), defuse(variant).into_owned()];
        rows += 1;
        w.write_record(head.into_iter().chain(figure_cells(f))).map_err(io)
    };
    put(String::new(), String::new(), "", "all", "", &r.figures)?;
    for v in &r.versions {
        put(v.version.to_string(), String::new(), "", "", "", &v.figures)?;
        for s in &v.steps {
            let label = s.label.as_deref().unwrap_or("");
            put(v.version.to_string(), (s.step + 1).to_string(), s.channel.as_str(), label, "", &s.figures)?;
            for x in &s.variants {
                put(v.version.to_string(), (s.step + 1).to_string(), s.channel.as_str(), label, &x.name, &x.figures)?;
            }
        }
    }
    w.flush().map_err(io)?;
    Ok(rows)
}

/// Writes a file through a temporary one beside it, renamed into place once
/// complete, so a failed export leaves nothing half-written.
pub fn write_atomically(path: &std::path::Path, write: impl FnOnce(&mut dyn Write) -> Result<u64>) -> Result<u64> {
    let io = |source| Error::Io { path: path.to_path_buf(), source };
    let tmp = path.with_extension("csv.part");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&tmp).map_err(io)?);
    let rows = write(&mut file).and_then(|n| file.flush().map(|_| n).map_err(io));
    drop(file);
    match rows {
        Ok(n) => std::fs::rename(&tmp, path).map(|_| n).map_err(io),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

impl Engine {
    /// The figures of one sequence (or every one) for `span` as CSV: the
    /// whole, each version, step and variant. Returns the rows written.
    pub fn export_figures<W: Write>(&self, slug: Option<&str>, span: Span, now: chrono::DateTime<chrono::Utc>, out: W) -> Result<u64> {
        let slugs = match slug {
            Some(s) => vec![s.to_string()],
            None => self.sequences()?.into_iter().map(|s| s.slug).collect(),
        };
        let mut w = csv::Writer::from_writer(out);
        figures_header(&mut w)?;
        let mut rows = 0;
        for s in slugs {
            rows += write_figures(&self.results(&s, span, now)?, &mut w)?;
        }
        Ok(rows)
    }

    /// The activity log for `span` (one sequence's, or all of it) as CSV,
    /// oldest first. Returns the rows written.
    pub fn export_activity<W: Write>(&self, span: Span, slug: Option<&str>, out: W) -> Result<u64> {
        let versions = match slug {
            Some(s) => {
                let v: Vec<i64> = store::sequences::versions(&self.conn, s)?.iter().map(|v| v.id).collect();
                if v.is_empty() {
                    return Err(Error::NotFound { what: "sequence", id: format!("{s} (see `cadence sequences list`)") });
                }
                Some(v)
            }
            None => None,
        };
        let mut w = csv::Writer::from_writer(out);
        w.write_record(ACTIVITY_COLUMNS).map_err(io)?;
        let mut rows = 0;
        store::results::export(&self.conn, span, versions.as_deref(), |r| {
            let variant = match (r.sequence_id, r.step, r.variant) {
                (Some(id), Some(step), Some(v)) => {
                    self.sequence_version(id).ok().and_then(|s| s.steps.get(step).map(|st| st.variant(v).0.to_string())).unwrap_or_default()
                }
                _ => String::new(),
            };
            let opt = |s: &Option<String>| defuse(s.as_deref().unwrap_or("")).into_owned();
            let record = [
                r.id.to_string(),
                r.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                r.kind,
                opt(&r.email),
                opt(&r.first_name),
                opt(&r.last_name),
                opt(&r.company),
                opt(&r.sequence),
                r.version.map_or(String::new(), |v| v.to_string()),
                r.step.map_or(String::new(), |s| (s + 1).to_string()),
                defuse(&variant).into_owned(),
                opt(&r.label),
                defuse(&r.data).into_owned(),
            ];
            rows += 1;
            w.write_record(record).map_err(io)
        })?;
        w.flush().map_err(io)?;
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::defuse;

    #[test]
    fn formulas_are_defused_and_plain_text_is_not() {
        assert_eq!(defuse("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
        assert_eq!(defuse("+1 555"), "'+1 555");
        assert_eq!(defuse("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(defuse("Lucía Fernández"), "Lucía Fernández");
        assert_eq!(defuse(""), "");
    }
}
