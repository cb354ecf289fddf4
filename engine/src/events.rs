//! Change events: after every write the engine says which views it touched,
//! so a front end refreshes exactly those, and never polls.

/// A part of the workspace that a write changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Change {
    /// Today's queue (touches due, done, moved).
    Queue,
    Prospects,
    Sequences,
    /// Approved emails waiting to go out.
    Outbox,
    Settings,
    /// Mail read back from the mailbox and what was done about it.
    Inbox,
    /// Signals, their rules and the proposals waiting.
    Signals,
}

impl Change {
    pub const ALL: [Change; 7] =
        [Change::Queue, Change::Prospects, Change::Sequences, Change::Outbox, Change::Settings, Change::Inbox, Change::Signals];

    pub fn as_str(self) -> &'static str {
        match self {
            Change::Queue => "queue",
            Change::Prospects => "prospects",
            Change::Sequences => "sequences",
            Change::Outbox => "outbox",
            Change::Settings => "settings",
            Change::Inbox => "inbox",
            Change::Signals => "signals",
        }
    }
}

/// Called after a write has committed, with what it changed.
pub type Listener = Box<dyn Fn(&[Change]) + Send>;
