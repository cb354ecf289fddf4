//! Prospects: import, list, edit, do-not-contact, timeline.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::json;

use super::Engine;
use crate::activity::ActivityKind;
use crate::domain::{is_valid_email, normalise_email, OnDuplicate, Prospect, ProspectId};
use crate::error::{Error, Result};
use crate::events::Change;
use crate::import::{self, Delimiter, Encoding, Field, Mapping, Rejected, Warning};
use crate::store::{self, activity::Entry, prospects::Upserted};

#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Header (as in the file) to field, overriding the automatic mapping.
    pub mapping: HashMap<String, Field>,
    pub on_duplicate: OnDuplicate,
    /// Tags added to every imported row.
    pub tags: Vec<String>,
    /// What separates the fields; sniffed from the header line when `None`.
    pub delimiter: Option<Delimiter>,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions { mapping: HashMap::new(), on_duplicate: OnDuplicate::Skip, tags: Vec::new(), delimiter: None }
    }
}

#[derive(Debug, Clone)]
pub struct ImportReport {
    pub import_id: i64,
    pub file: String,
    pub encoding: Encoding,
    pub delimiter: Delimiter,
    pub mapping: Vec<Mapping>,
    pub imported: usize,
    pub updated: usize,
    /// Already known and left as they were (`OnDuplicate::Skip`).
    pub skipped: Vec<(u64, String)>,
    pub rejected: Vec<Rejected>,
    pub warnings: Vec<Warning>,
    /// Imported or updated rows whose time zone could not be worked out:
    /// their line and email.
    pub timezone_unknown: Vec<(u64, String)>,
}

#[derive(Debug, Clone)]
pub struct ImportPreview {
    pub encoding: Encoding,
    pub delimiter: Delimiter,
    pub headers: Vec<String>,
    pub mapping: Vec<Mapping>,
    /// The first rows, cell by cell, as written in the file.
    pub sample: Vec<Vec<String>>,
    /// Rows that would be imported (or matched against known prospects).
    pub ready: usize,
    pub rejected: usize,
    /// Why the file cannot be imported as mapped, if it cannot.
    pub problem: Option<String>,
}

#[derive(Debug, Clone)]
pub struct TimelineEntry {
    pub at: DateTime<Utc>,
    pub kind: String,
    pub sequence: Option<String>,
    pub step: Option<usize>,
    pub data: serde_json::Value,
    /// A reversal: the rep undid the action that logged `kind`.
    pub undone: bool,
}

impl Engine {
    /// Imports a CSV file in one transaction: on any storage error nothing is
    /// imported. Bad rows never stop the import; each is reported.
    pub fn import_csv(&mut self, name: &str, bytes: &[u8], opts: &ImportOptions, now: DateTime<Utc>) -> Result<ImportReport> {
        self.import_csv_with_progress(name, bytes, opts, now, &mut |_, _| {})
    }

    /// As [`Engine::import_csv`], telling `progress(rows done, rows in all)`
    /// every few hundred rows.
    pub fn import_csv_with_progress(
        &mut self,
        name: &str,
        bytes: &[u8],
        opts: &ImportOptions,
        now: DateTime<Utc>,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ImportReport> {
        let dnc = store::prospects::do_not_contact(&self.conn)?;
        let parsed = import::parse(bytes, &opts.mapping, opts.delimiter, &dnc)?;
        let tx = self.conn.savepoint()?;
        let import_id = store::prospects::create_import(&tx, name, now)?;
        let mut report = ImportReport {
            import_id,
            file: name.to_string(),
            encoding: parsed.encoding,
            delimiter: parsed.delimiter,
            mapping: parsed.mapping,
            imported: 0,
            updated: 0,
            skipped: Vec::new(),
            rejected: parsed.rejected,
            warnings: parsed.warnings,
            timezone_unknown: Vec::new(),
        };
        let update = opts.on_duplicate == OnDuplicate::Update;
        let total = parsed.rows.len();
        progress(0, total);
        for (n, (line, mut p)) in parsed.rows.into_iter().enumerate() {
            if n % 500 == 499 {
                progress(n + 1, total);
            }
            for t in &opts.tags {
                if !p.tags.contains(t) {
                    p.tags.push(t.clone());
                }
            }
            let (kind, id) = match store::prospects::upsert(&tx, &p, Some(import_id), update, now)? {
                Upserted::Inserted(id) => {
                    report.imported += 1;
                    (ActivityKind::ProspectImported, id)
                }
                Upserted::Updated(id) => {
                    report.updated += 1;
                    (ActivityKind::ProspectUpdated, id)
                }
                Upserted::Skipped(_) => {
                    report.skipped.push((line, p.email));
                    continue;
                }
            };
            if p.timezone.is_none() {
                report.timezone_unknown.push((line, p.email.clone()));
            }
            let data = json!({ "import_id": import_id, "file": name, "line": line });
            store::activity::append(&tx, now, &Entry { prospect_id: Some(id), data, ..Entry::new(kind) })?;
        }
        progress(total, total);
        store::prospects::finish_import(&tx, import_id, [report.imported, report.updated, report.skipped.len(), report.rejected.len()])?;
        tx.commit()?;
        self.changed(&[Change::Prospects]);
        Ok(report)
    }

    /// What an import would do, without doing it: the column mapping, the
    /// first rows as written, and how many rows would be imported or rejected.
    /// A file the import would refuse (no email column, say) still shows its
    /// columns, with the problem in words, so the mapping can be fixed.
    pub fn preview_csv(
        &self,
        bytes: &[u8],
        overrides: &HashMap<String, Field>,
        delimiter: Option<Delimiter>,
        sample_rows: usize,
    ) -> Result<ImportPreview> {
        let (text, encoding) = import::decode(bytes);
        let (mut reader, delimiter) = import::reader(&text, delimiter);
        let headers: Vec<String> =
            reader.headers().map_err(|e| Error::Csv(format!("the header row could not be read: {e}")))?.iter().map(String::from).collect();
        let sample = reader.records().take(sample_rows).filter_map(|r| r.ok()).map(|r| r.iter().map(String::from).collect()).collect();
        let guessed = headers
            .iter()
            .map(|h| Mapping { header: h.clone(), field: overrides.get(h).cloned().unwrap_or_else(|| import::guess_field(h)) })
            .collect();
        let dnc = store::prospects::do_not_contact(&self.conn)?;
        let (mapping, ready, rejected, problem) = match import::parse(bytes, overrides, Some(delimiter), &dnc) {
            Ok(p) => (p.mapping, p.rows.len(), p.rejected.len(), None),
            Err(e) => (guessed, 0, 0, Some(e.to_string())),
        };
        Ok(ImportPreview { encoding, delimiter, headers, mapping, sample, ready, rejected, problem })
    }

    pub fn prospects(&self, filter: &store::prospects::Filter) -> Result<Vec<Prospect>> {
        store::prospects::list(&self.conn, filter)
    }

    /// How many prospects match `filter` (its limit and offset aside).
    pub fn prospect_count_matching(&self, filter: &store::prospects::Filter) -> Result<i64> {
        store::prospects::count_matching(&self.conn, filter)
    }

    pub fn prospect_count(&self) -> Result<i64> {
        store::prospects::count(&self.conn)
    }

    /// What the mail said of a prospect's address: `ok`, `soft_bounced`
    /// (a full or unavailable mailbox), `invalid` (the address does not
    /// exist) or `left` (they left the company).
    pub fn email_status(&self, id: ProspectId) -> Result<String> {
        store::prospects::email_status(&self.conn, id)
    }

    /// A prospect by id (digits) or by email.
    pub fn find_prospect(&self, key: &str) -> Result<Prospect> {
        let id = match key.trim().parse::<ProspectId>() {
            Ok(id) => Some(id),
            Err(_) => store::prospects::find_id(&self.conn, &normalise_email(key))?,
        };
        match id {
            Some(id) => self.prospect(id),
            None => Err(Error::not_found("prospect", key)),
        }
    }

    /// Sets one field on a prospect: a standard one (first_name, company...)
    /// or a custom one used by templates. An empty value clears it.
    pub fn set_prospect_field(&mut self, id: ProspectId, field: &str, value: &str, now: DateTime<Utc>) -> Result<Prospect> {
        let p = self.prospect(id)?;
        let value = value.trim();
        let mut np = crate::domain::NewProspect { email: p.email.clone(), tz_source: p.tz_source, ..Default::default() };
        let v = Some(value.to_string()).filter(|v| !v.is_empty());
        let clearing = v.is_none();
        match field {
            "first_name" => np.first_name = v,
            "last_name" => np.last_name = v,
            "company" => np.company = v,
            "title" => np.title = v,
            "phone" => np.phone = v,
            "city" => np.city = v,
            "state" => np.state = v,
            "country" => np.country = v,
            "timezone" => {
                let tz = crate::timezone::parse_zone(value)
                    .ok_or_else(|| Error::Invalid(format!("\"{value}\" is not a time zone (try a name like Europe/Madrid)")))?;
                np.timezone = Some(tz);
                np.tz_source = crate::domain::TzSource::File;
            }
            "linkedin" => {
                if !clearing {
                    let url = crate::import::clean_linkedin(value).ok_or_else(|| {
                        Error::Invalid(format!("\"{value}\" is not a LinkedIn profile address (https://www.linkedin.com/in/...)"))
                    })?;
                    np.linkedin = Some(url);
                }
            }
            "email" => {
                return Err(Error::Invalid(
                    "`email` cannot be changed: it is who the prospect is (import them again under the new address)".into(),
                ));
            }
            "tags" => {
                let mut tags: Vec<String> = Vec::new();
                for t in value.split(',').map(str::trim).filter(|t| !t.is_empty()) {
                    if t.chars().count() > 60 {
                        return Err(Error::Invalid(format!("the tag \"{t}\" is longer than 60 characters")));
                    }
                    if !tags.iter().any(|x| x == t) {
                        tags.push(t.to_string());
                    }
                }
                let tx = self.conn.savepoint()?;
                store::prospects::set_tags(&tx, id, &tags, now)?;
                let data = json!({ "field": "tags", "value": tags.join(", ") });
                store::activity::append(&tx, now, &Entry { prospect_id: Some(id), data, ..Entry::new(ActivityKind::ProspectEdited) })?;
                tx.commit()?;
                self.changed(&[Change::Prospects]);
                return self.prospect(id);
            }
            custom => {
                let name = crate::import::headers_snake(custom);
                if name.is_empty() {
                    return Err(Error::Invalid("a field name needs letters or digits".into()));
                }
                if let Some(v) = v {
                    np.extra.insert(name, v);
                }
            }
        }
        let tx = self.conn.savepoint()?;
        if clearing {
            store::prospects::clear_field(&tx, id, field, now)?;
        } else {
            store::prospects::upsert(&tx, &np, None, true, now)?;
        }
        let data = json!({ "field": field, "value": value });
        store::activity::append(&tx, now, &Entry { prospect_id: Some(id), data, ..Entry::new(ActivityKind::ProspectEdited) })?;
        tx.commit()?;
        self.changed(&[Change::Prospects, Change::Queue]);
        self.prospect(id)
    }

    /// Adds an address (or `@domain`) to the do-not-contact list and ends
    /// every enrollment of matching prospects.
    pub fn add_do_not_contact(&mut self, entry: &str, reason: &str, now: DateTime<Utc>) -> Result<usize> {
        let e = normalise_email(entry);
        let is_domain = e.starts_with('@') && e.len() > 3 && e[1..].contains('.');
        if !is_domain && !is_valid_email(&e) {
            return Err(Error::Invalid(format!("\"{entry}\" is neither an email address nor an @domain")));
        }
        let matching: Vec<ProspectId> = if is_domain {
            store::prospects::ids_in_domain(&self.conn, &e[1..])?
        } else {
            store::prospects::find_id(&self.conn, &e)?.into_iter().collect()
        };
        let tx = self.conn.savepoint()?;
        store::prospects::add_do_not_contact(&tx, &e, reason, now)?;
        let mut ended = 0;
        for pid in matching {
            store::activity::append(
                &tx,
                now,
                &Entry { prospect_id: Some(pid), data: json!({ "entry": e, "reason": reason }), ..Entry::new(ActivityKind::DoNotContact) },
            )?;
            ended += super::enroll::exit_all(&tx, pid, crate::domain::ExitReason::DoNotContact, now)?.enrollments.len();
        }
        tx.commit()?;
        self.changed(&[Change::Prospects, Change::Queue, Change::Sequences]);
        Ok(ended)
    }

    pub fn timeline(&self, id: ProspectId) -> Result<Vec<TimelineEntry>> {
        self.prospect(id)?;
        let names: HashMap<i64, String> = store::sequences::list_all_names(&self.conn)?.into_iter().collect();
        Ok(store::activity::for_prospect(&self.conn, id)?
            .into_iter()
            .map(|a| TimelineEntry {
                at: a.at,
                sequence: a.sequence_id.and_then(|s| names.get(&s).cloned()),
                step: a.step,
                kind: a.kind,
                data: a.data,
                undone: a.undoes.is_some(),
            })
            .collect())
    }
}
