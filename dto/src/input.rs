//! What the desktop UI sends: requests, deserialised at the IPC edge and
//! turned into engine calls by the shell. Each is checked here, so the shell
//! stays one line per command.

use engine::api::{Filter, Outcome, SnoozeFor};
use engine::domain::CallOutcome;
use engine::error::Error;
use serde::Deserialize;
use ts_rs::TS;

/// How the rep finishes a touch.
#[derive(Debug, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OutcomeInput {
    /// An email, as drafted or with the rep's edits.
    Approve {
        subject: Option<String>,
        body: Option<String>,
    },
    Call {
        #[ts(type = "CallOutcome")]
        outcome: String,
        notes: Option<String>,
        duration_s: Option<i64>,
    },
    Done {
        notes: Option<String>,
    },
    Skip {
        reason: Option<String>,
    },
}

fn blank_is_none(s: Option<String>) -> Option<String> {
    s.map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
}

impl TryFrom<OutcomeInput> for Outcome {
    type Error = Error;
    fn try_from(o: OutcomeInput) -> Result<Outcome, Error> {
        Ok(match o {
            OutcomeInput::Approve { subject, body } => Outcome::Approve { subject, body },
            OutcomeInput::Call { outcome, notes, duration_s } => Outcome::Call {
                outcome: CallOutcome::parse(&outcome).ok_or_else(|| {
                    Error::Invalid(format!("\"{outcome}\" is not a call outcome; expected one of {}", CallOutcome::expected()))
                })?,
                notes: blank_is_none(notes),
                duration_s,
            },
            OutcomeInput::Done { notes } => Outcome::Done { notes: blank_is_none(notes) },
            OutcomeInput::Skip { reason } => Outcome::Skip { reason: blank_is_none(reason) },
        })
    }
}

#[derive(Debug, Clone, Copy, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SnoozeInput {
    Hour,
    Tomorrow,
    NextWeek,
}

impl From<SnoozeInput> for SnoozeFor {
    fn from(s: SnoozeInput) -> SnoozeFor {
        match s {
            SnoozeInput::Hour => SnoozeFor::Hour,
            SnoozeInput::Tomorrow => SnoozeFor::Tomorrow,
            SnoozeInput::NextWeek => SnoozeFor::NextWeek,
        }
    }
}

/// What to do to every selected touch of the queue.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum BulkInput {
    /// A preset, or a date and time in the rep's zone ("2026-12-01T09:00").
    Snooze {
        preset: Option<SnoozeInput>,
        until: Option<String>,
    },
    Skip {
        reason: Option<String>,
    },
    Pause,
    Remove,
    /// Emails the rep has opened and read, approved as drafted.
    Approve,
}

/// A page of the prospect table.
#[derive(Debug, Deserialize, TS)]
pub struct ProspectQuery {
    pub search: Option<String>,
    pub offset: usize,
    pub limit: usize,
}

impl ProspectQuery {
    pub fn filter(&self) -> Filter {
        let ProspectQuery { search, offset, limit } = self;
        Filter {
            search: search.clone().filter(|s| !s.trim().is_empty()),
            limit: Some((*limit).min(1000)),
            offset: *offset,
            ..Default::default()
        }
    }
}

/// A CSV file to preview or import, with the rep's column choices. The file
/// is named by the token the shell handed out when the rep chose it
/// (`ImportFileDto`), never by a path: the web view cannot name a file.
#[derive(Debug, Deserialize, TS)]
pub struct ImportInput {
    /// From `choose_import_file`.
    pub token: String,
    /// Header as written in the file, then the field it goes to.
    pub mapping: Vec<(String, String)>,
    /// Update known prospects instead of leaving them as they are.
    pub update: bool,
    /// comma | semicolon | tab; sniffed from the header line when absent.
    #[serde(default)]
    #[ts(optional, type = "Delimiter")]
    pub delimiter: Option<String>,
}

impl ImportInput {
    pub fn overrides(&self) -> Result<std::collections::HashMap<String, engine::import::Field>, Error> {
        import_overrides(&self.mapping)
    }

    pub fn options(&self) -> Result<engine::api::ImportOptions, Error> {
        let ImportInput {
            // Which file: the workspace looks the token up.
            token: _,
            mapping,
            update,
            delimiter,
        } = self;
        let mut opts = import_options(mapping, *update)?;
        opts.delimiter = parse_delimiter(delimiter.as_deref())?;
        Ok(opts)
    }
}

/// The rep's column choices (header, then field name) as the engine's fields.
pub fn import_overrides(mapping: &[(String, String)]) -> Result<std::collections::HashMap<String, engine::import::Field>, Error> {
    mapping
        .iter()
        .map(|(h, f)| {
            engine::import::Field::parse(f).map(|field| (h.clone(), field)).ok_or_else(|| {
                Error::Invalid(format!("\"{f}\" is not a field a column can go to; use {}", engine::import::Field::expected()))
            })
        })
        .collect()
}

/// The engine's import options for the rep's column choices; `update`
/// refreshes known prospects instead of leaving them as they are.
/// `comma`, `semicolon` or `tab` (or the character) as the engine's delimiter.
pub fn parse_delimiter(text: Option<&str>) -> Result<Option<engine::import::Delimiter>, Error> {
    text.map(|t| {
        engine::import::Delimiter::parse(t)
            .ok_or_else(|| Error::Invalid(format!("\"{t}\" is no separator Cadence reads: comma, semicolon or tab")))
    })
    .transpose()
}

pub fn import_options(mapping: &[(String, String)], update: bool) -> Result<engine::api::ImportOptions, Error> {
    Ok(engine::api::ImportOptions {
        mapping: import_overrides(mapping)?,
        on_duplicate: if update { engine::domain::OnDuplicate::Update } else { engine::domain::OnDuplicate::Skip },
        tags: Vec::new(),
        delimiter: None,
    })
}

/// Who to enroll: a list of prospects, or everyone matching a search.
#[derive(Debug, Deserialize, TS)]
pub struct EnrollInput {
    pub sequence: String,
    pub prospect_ids: Vec<i64>,
    /// When set, everyone matching this search (an empty one: everyone).
    pub matching: Option<String>,
    /// When set, everyone whose latest import was this one.
    pub import_id: Option<i64>,
}

impl EnrollInput {
    pub fn selection(&self) -> engine::api::Selection {
        let EnrollInput {
            // Which sequence: the enroll call's other argument.
            sequence: _,
            prospect_ids,
            matching,
            import_id,
        } = self;
        if let Some(id) = *import_id {
            return engine::api::Selection::Import(id);
        }
        match matching {
            Some(search) => engine::api::Selection::Filter(Filter {
                search: Some(search.clone()).filter(|s| !s.trim().is_empty()),
                ..Default::default()
            }),
            None => engine::api::Selection::Prospects(prospect_ids.clone()),
        }
    }
}
