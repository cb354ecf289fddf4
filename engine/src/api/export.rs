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
    "complaints",
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

const ACTIVITY_COLUMNS: &[&str] = &[
    "id",
    "at",
    "kind",
    "email",
    "first_name",
    "last_name",
    "company",
    "sequence",
    "version",
    "step",
    "variant",
    "label",
    "data",
    "undoes",
];

/// A cell a spreadsheet will not take for a formula: text whose first
/// non-blank character is = + - @ (or their full-width and small forms), or
/// which starts with a tab, CR or LF, gets a leading apostrophe. Spaces
/// before the sign do not hide it (spreadsheets skip them). Quoting a cell
/// that holds the separator, a quote or a line break is the CSV writer's job
/// (`QuoteStyle::Necessary`). Only text cells go through here: counts, rates,
/// ids and times are Cadence's own and never negative, so they are written
/// as they are.
pub fn defuse(cell: &str) -> std::borrow::Cow<'_, str> {
    let first = cell.chars().find(|c| matches!(c, '\t' | '\r' | '\n') || !c.is_whitespace());
    match first {
        Some(c) if FORMULA_STARTS.contains(&c) => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// What makes a spreadsheet read a cell as a formula (or hide its start).
const FORMULA_STARTS: &[char] = &[
    '=', '+', '-', '@', '\t', '\r', '\n', //
    '\u{FF1D}', '\u{FF0B}', '\u{FF0D}', '\u{FF20}', // full-width ＝ ＋ － ＠
    '\u{FE66}', '\u{FE62}', '\u{FE63}', '\u{FE6B}', // small ﹦ ﹢ ﹣ ﹫
    '\u{2212}', // minus sign −
];

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
        f.complaints,
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
/// complete, so a failed export leaves nothing half-written. The temporary
/// file has an unpredictable name in the target's folder and is created
/// exclusively (`O_CREAT | O_EXCL`, so a symlink or file already at that
/// name is never followed or reused), readable by the rep alone (0600 on
/// Unix); the rename replaces the target (a symlink there is replaced, not
/// followed).
pub fn write_atomically(path: &std::path::Path, write: impl FnOnce(&mut dyn Write) -> Result<u64>) -> Result<u64> {
    let io = |source| Error::Io { path: path.to_path_buf(), source };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => std::path::Path::new("."),
    };
    let name: String = path.file_name().map(|n| n.to_string_lossy().chars().take(64).collect()).unwrap_or_default();
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".part").rand_bytes(12);
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600));
    let tmp = builder.tempfile_in(dir).map_err(io)?;
    let mut file = std::io::BufWriter::new(tmp);
    // On an error the temporary file is dropped, which deletes it.
    let n = write(&mut file)?;
    let tmp = file.into_inner().map_err(|e| io(e.into_error()))?;
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(n)
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
                r.undoes.map_or(String::new(), |u| u.to_string()),
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

    #[test]
    fn every_formula_start_is_defused_even_behind_blanks_or_in_full_width() {
        for cell in [
            "=1+1",
            "+1+1",
            "-1+1",
            "-2",
            "@SUM(A1:A9)",
            "\t=1+1",
            "\r=1+1",
            "\n=1+1",
            "\tplain",
            "\rplain",
            " =1+1",
            "   @SUM(A1)",
            "\u{a0}=1+1",
            "\u{3000}=1+1",
            "＝1+1",
            "＋1",
            "－1",
            "＠SUM(A1)",
            "  ＝HYPERLINK(\"http://x\")",
            "﹦1+1",
            "−1",
        ] {
            assert_eq!(defuse(cell), format!("'{cell}"), "{cell:?}");
        }
        for cell in ["Acme, Inc.", "1+1", "a=b", "x@y.com", "Ana - Growth", "   ", "{\"field\":\"company\"}", "'quoted"] {
            assert_eq!(defuse(cell), cell, "{cell:?}");
        }
    }

    #[test]
    fn cells_with_the_separator_a_quote_or_a_line_break_are_quoted() {
        let mut w = csv::Writer::from_writer(Vec::new());
        let cells = ["Acme, Inc.", "Head of \"Growth\"", "line one\nline two", "cr\rhere", "=1+1, \"x\"", "plain"];
        w.write_record(cells.iter().map(|c| defuse(c).into_owned())).unwrap();
        let out = String::from_utf8(w.into_inner().unwrap()).unwrap();
        assert_eq!(out, "\"Acme, Inc.\",\"Head of \"\"Growth\"\"\",\"line one\nline two\",\"cr\rhere\",\"'=1+1, \"\"x\"\"\",plain\n");
        let mut r = csv::ReaderBuilder::new().has_headers(false).from_reader(out.as_bytes());
        let back: Vec<String> = r.records().next().unwrap().unwrap().iter().map(str::to_string).collect();
        assert_eq!(back, ["Acme, Inc.", "Head of \"Growth\"", "line one\nline two", "cr\rhere", "'=1+1, \"x\"", "plain"]);
    }
}
