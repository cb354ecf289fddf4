//! Buying signals: something that happened to a person or a company, which
//! a rule may turn into an enrollment. This module is pure: the kinds, the
//! checks a signal passes, and reading signals from a CSV or JSON-lines file
//! (each row checked on its own, with its line). Storing them and acting on
//! them is `api/signals.rs`.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

use crate::domain::{email_domain, is_valid_email, normalise_email, str_enum};
use crate::import::{self, headers::snake};

str_enum!(
    /// What happened.
    SignalKind {
        JobChange = "job_change",
        NewRole = "new_role",
        Funding = "funding",
        Hiring = "hiring",
        LeadershipChange = "leadership_change",
        WebsiteVisit = "website_visit",
        CompetitorReview = "competitor_review",
        EventAttended = "event_attended",
        Custom = "custom",
    }
);

impl SignalKind {
    /// The kind in plain words ("job change"), as a draft quotes it.
    pub fn words(self) -> &'static str {
        match self {
            SignalKind::JobChange => "job change",
            SignalKind::NewRole => "new role",
            SignalKind::Funding => "funding",
            SignalKind::Hiring => "hiring",
            SignalKind::LeadershipChange => "leadership change",
            SignalKind::WebsiteVisit => "website visit",
            SignalKind::CompetitorReview => "competitor review",
            SignalKind::EventAttended => "event attended",
            SignalKind::Custom => "signal",
        }
    }

    /// A kind as people write it: "Job change", "job-change", "JOB_CHANGE".
    pub fn read(text: &str) -> Option<SignalKind> {
        SignalKind::parse(&snake(text))
    }
}

/// The longest signal text: one line a rep could quote.
pub const MAX_TEXT: usize = 280;

/// A signal as it comes in, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSignal {
    pub kind: SignalKind,
    /// The person, normalised; `None` for a company signal.
    pub email: Option<String>,
    /// The company's domain (the email's, for a person).
    pub domain: String,
    pub text: String,
    pub source: String,
    pub happened_at: DateTime<Utc>,
    /// Who the person is, when the signal names someone new.
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub company: Option<String>,
    pub title: Option<String>,
}

impl NewSignal {
    /// What makes two signals the same one: kind, who, the day and the words.
    pub fn fingerprint(&self) -> String {
        let who = self.email.as_deref().unwrap_or(&self.domain);
        format!("{}|{}|{}|{}", self.kind, who, self.happened_at.date_naive(), self.text.to_lowercase())
    }

    /// Who it is about, for reports: the email, or "@domain".
    pub fn who(&self) -> String {
        self.email.clone().unwrap_or_else(|| format!("@{}", self.domain))
    }
}

/// The raw values of one signal, by field name, before any check.
pub type RawSignal = BTreeMap<String, String>;

/// Header names people use for each field (compared after `snake`).
const ALIASES: &[(&str, &[&str])] = &[
    ("kind", &["kind", "type", "signal", "signal_type", "signal_kind", "event"]),
    ("email", &["email", "email_address", "work_email", "e_mail", "person"]),
    ("domain", &["domain", "company_domain", "website", "company_website", "url"]),
    ("text", &["text", "signal_text", "description", "summary", "headline", "detail", "details"]),
    ("source", &["source", "from", "provider"]),
    ("when", &["when", "date", "happened_at", "happened_on", "occurred_at", "detected_at", "at"]),
    ("first_name", &["first_name", "firstname", "first", "given_name"]),
    ("last_name", &["last_name", "lastname", "last", "surname", "family_name"]),
    ("company", &["company", "company_name", "account", "organization", "organisation"]),
    ("title", &["title", "job_title", "role", "position"]),
];

/// The field a header (or JSON key) stands for, if any.
fn field_of(header: &str) -> Option<&'static str> {
    let h = snake(header);
    ALIASES.iter().find(|(_, names)| names.contains(&h.as_str())).map(|(f, _)| *f)
}

/// Text from outside, made one clean line: control characters dropped,
/// runs of white space (new lines too) made one space.
fn one_line(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c.is_control()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// A company's domain from what people paste: "https://www.acme.com/about" → "acme.com".
fn clean_domain(raw: &str) -> Option<String> {
    let d = raw.trim().to_lowercase();
    let d = d.strip_prefix("https://").or_else(|| d.strip_prefix("http://")).unwrap_or(&d);
    let d = d.split(['/', '?', '#']).next().unwrap_or_default();
    let d = d.strip_prefix("www.").unwrap_or(d).trim_start_matches('@');
    is_valid_email(&format!("x@{d}")).then(|| d.to_string())
}

/// When it happened: RFC 3339, or a day (taken at midday UTC, so the day
/// reads the same in every zone). Absent means now.
fn when(raw: Option<&str>, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    let Some(raw) = raw.map(str::trim).filter(|s| !s.is_empty()) else { return Ok(now) };
    let t = if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        t.with_timezone(&Utc)
    } else if let Ok(d) = NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        d.and_time(NaiveTime::from_hms_opt(12, 0, 0).expect("noon")).and_utc()
    } else {
        return Err(format!("when \"{raw}\" is not a date (2026-12-01) or a time (2026-12-01T09:30:00Z)"));
    };
    if t > now + chrono::Duration::days(1) {
        return Err(format!("when \"{raw}\" is in the future"));
    }
    Ok(t)
}

/// Checks one signal's raw values. `default_source` names where it came from
/// when the row does not say.
pub fn check(raw: &RawSignal, default_source: &str, now: DateTime<Utc>) -> Result<NewSignal, String> {
    let get = |k: &str| raw.get(k).map(|v| one_line(v)).filter(|v| !v.is_empty());
    let kind_raw = get("kind").ok_or("no kind (job_change, funding, hiring, ...)")?;
    let kind = SignalKind::read(&kind_raw).ok_or_else(|| format!("kind \"{kind_raw}\" is not one of {}", SignalKind::expected()))?;
    let email = match get("email") {
        Some(e) => {
            let e = normalise_email(&e);
            if !is_valid_email(&e) {
                return Err(format!("email \"{e}\" is not an email address"));
            }
            Some(e)
        }
        None => None,
    };
    let domain = match (&email, get("domain")) {
        (Some(e), _) => email_domain(e),
        (None, Some(d)) => clean_domain(&d).ok_or_else(|| format!("domain \"{d}\" is not a company domain like acme.com"))?,
        (None, None) => return Err("no one named: give an email (a person) or a domain (a company)".into()),
    };
    let text = get("text").ok_or("no text: one line a rep could quote, like \"raised a Series B\"")?;
    if text.chars().count() > MAX_TEXT {
        return Err(format!("the text is {} characters; a signal is one line (at most {MAX_TEXT})", text.chars().count()));
    }
    let happened_at = when(get("when").as_deref(), now)?;
    Ok(NewSignal {
        kind,
        email,
        domain,
        text,
        source: get("source").unwrap_or_else(|| default_source.to_string()),
        happened_at,
        first_name: get("first_name"),
        last_name: get("last_name"),
        company: get("company"),
        title: get("title"),
    })
}

/// One row of a signals file: its line, and the signal or what is wrong.
#[derive(Debug, Clone)]
pub struct Row {
    pub line: usize,
    pub signal: Result<NewSignal, String>,
}

/// The format of a signals file, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    JsonLines,
}

impl Format {
    pub fn of(name: &str) -> Option<Format> {
        let lower = name.to_lowercase();
        if lower.ends_with(".csv") || lower.ends_with(".tsv") || lower.ends_with(".txt") {
            Some(Format::Csv)
        } else if lower.ends_with(".jsonl") || lower.ends_with(".ndjson") || lower.ends_with(".json") {
            Some(Format::JsonLines)
        } else {
            None
        }
    }
}

/// Reads every row of a signals file. A file that cannot be read at all
/// (no header naming a kind and text) is an error; a bad row is a row with
/// its reason.
pub fn read(name: &str, bytes: &[u8], now: DateTime<Utc>) -> Result<Vec<Row>, String> {
    let format = Format::of(name).ok_or_else(|| format!("{name}: not a signals file (.csv or .jsonl)"))?;
    let (text, _) = import::decode(bytes);
    let source = std::path::Path::new(name).file_name().map_or(name.to_string(), |n| n.to_string_lossy().into_owned());
    match format {
        Format::Csv => read_csv(&text, &source, now),
        Format::JsonLines => Ok(read_json_lines(&text, &source, now)),
    }
}

fn read_csv(text: &str, source: &str, now: DateTime<Utc>) -> Result<Vec<Row>, String> {
    let (mut rdr, _) = import::reader(text, None);
    let headers = rdr.headers().map_err(|e| format!("the header line cannot be read: {e}"))?.clone();
    let fields: Vec<Option<&str>> = headers.iter().map(field_of).collect();
    for need in ["kind", "text"] {
        if !fields.contains(&Some(need)) {
            let found = headers.iter().collect::<Vec<_>>().join(", ");
            return Err(format!("no \"{need}\" column (the header line has: {found})"));
        }
    }
    if !fields.contains(&Some("email")) && !fields.contains(&Some("domain")) {
        return Err("no \"email\" or \"domain\" column: a signal must name a person or a company".into());
    }
    let mut rows = Vec::new();
    for record in rdr.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                rows.push(Row { line, signal: Err(format!("cannot be read: {e}")) });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        if record.iter().all(str::is_empty) {
            continue;
        }
        let raw: RawSignal = fields.iter().zip(record.iter()).filter_map(|(f, v)| f.map(|f| (f.to_string(), v.to_string()))).collect();
        rows.push(Row { line, signal: check(&raw, source, now) });
    }
    Ok(rows)
}

fn read_json_lines(text: &str, source: &str, now: DateTime<Utc>) -> Vec<Row> {
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_text = line.trim();
        if line_text.is_empty() {
            continue;
        }
        let signal = match serde_json::from_str::<serde_json::Value>(line_text) {
            Ok(serde_json::Value::Object(map)) => {
                let raw: RawSignal = map
                    .iter()
                    .filter_map(|(k, v)| {
                        let value = match v {
                            serde_json::Value::String(s) => s.clone(),
                            serde_json::Value::Number(n) => n.to_string(),
                            _ => return None,
                        };
                        field_of(k).map(|f| (f.to_string(), value))
                    })
                    .collect();
                check(&raw, source, now)
            }
            Ok(_) => Err("not a JSON object ({\"kind\": ..., \"email\": ..., \"text\": ...})".into()),
            Err(e) => Err(format!("not valid JSON: {e}")),
        };
        rows.push(Row { line: i + 1, signal });
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        "2026-12-07T10:00:00Z".parse().unwrap()
    }

    #[test]
    fn a_csv_with_every_kind_of_row() {
        let csv = "Signal Type,Email,Company Domain,Description,Date\n\
                   Funding,,https://www.Acme.com/news,\"Raised a $20M Series B\",2026-12-01\n\
                   job change,Ana@Quarry.io,,\"Joined Quarry as VP Sales\",2026-12-03T08:00:00Z\n\
                   promotion,bo@x.io,,text,\n\
                   hiring,,,Hiring 12 SDRs,\n\
                   hiring,,acme.com,,\n\
                   hiring,not-an-email,,Hiring,\n\
                   hiring,a@b.io,,Hiring,2027-05-01\n";
        let rows = read("signals.csv", csv.as_bytes(), now()).unwrap();
        assert_eq!(rows.len(), 7);
        let a = rows[0].signal.as_ref().unwrap();
        assert_eq!((a.kind, a.email.as_deref(), a.domain.as_str()), (SignalKind::Funding, None, "acme.com"));
        assert_eq!(a.source, "signals.csv");
        let b = rows[1].signal.as_ref().unwrap();
        assert_eq!((b.email.as_deref(), b.domain.as_str(), rows[1].line), (Some("ana@quarry.io"), "quarry.io", 3));
        let errs: Vec<String> = rows[2..].iter().map(|r| format!("{}: {}", r.line, r.signal.as_ref().unwrap_err())).collect();
        assert!(errs[0].starts_with("4: kind \"promotion\" is not one of job_change"), "{errs:?}");
        assert!(errs[1].contains("give an email (a person) or a domain"), "{errs:?}");
        assert!(errs[2].contains("no text"), "{errs:?}");
        assert!(errs[3].contains("not an email address"), "{errs:?}");
        assert!(errs[4].contains("in the future"), "{errs:?}");
    }

    #[test]
    fn json_lines_and_a_file_without_the_columns() {
        let jl = "{\"kind\":\"website_visit\",\"domain\":\"acme.com\",\"text\":\"Read the pricing page\\ntwice\"}\n\n[1]\n{oops\n";
        let rows = read("drop.jsonl", jl.as_bytes(), now()).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].signal.as_ref().unwrap().text, "Read the pricing page twice");
        assert_eq!((rows[1].line, rows[2].line), (3, 4));
        assert!(rows[2].signal.as_ref().unwrap_err().starts_with("not valid JSON"));
        let err = read("x.csv", b"name,email\nA,a@b.io\n", now()).unwrap_err();
        assert!(err.contains("no \"kind\" column"), "{err}");
        assert!(read("x.xlsx", b"", now()).unwrap_err().contains("not a signals file"));
    }

    #[test]
    fn the_same_signal_has_the_same_fingerprint() {
        let raw = |text: &str, when: &str| -> RawSignal {
            [("kind", "funding"), ("domain", "acme.com"), ("text", text), ("when", when)]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let a = check(&raw("Raised a Series B", "2026-12-01"), "cli", now()).unwrap();
        let b = check(&raw("raised a  series b", "2026-12-01T18:00:00Z"), "cli", now()).unwrap();
        let c = check(&raw("Raised a Series B", "2026-12-02"), "cli", now()).unwrap();
        assert_eq!(a.fingerprint(), b.fingerprint());
        assert_ne!(a.fingerprint(), c.fingerprint());
    }
}
