//! The command line, as clap sees it.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// The most prospects `demo` and `sample` generate in one go (the
/// benchmarks use 100,000).
pub const MAX_SAMPLE: usize = 1_000_000;

/// A count of sample prospects, at most [`MAX_SAMPLE`].
fn sample_count(s: &str) -> Result<usize, String> {
    let n: usize = s.parse().map_err(|_| format!("\"{s}\" is not a number of prospects"))?;
    if n > MAX_SAMPLE {
        return Err(format!("at most {MAX_SAMPLE} prospects at a time"));
    }
    Ok(n)
}

/// Cadence: work the day's sales-sequence queue.
#[derive(Parser)]
#[command(name = "cadence", version, about, long_about = None)]
pub struct Cli {
    /// Database file (default: the OS data directory, e.g. ~/.local/share/cadence/cadence.db)
    #[arg(long, global = true, env = "CADENCE_DB")]
    pub db: Option<PathBuf>,
    /// Act as if it were this instant (RFC 3339), for scripts and tests
    #[arg(long, global = true, env = "CADENCE_NOW")]
    pub now: Option<String>,
    /// Print JSON (stable; documented in the README)
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Load a sample workspace if the database is empty, then show today's queue
    Demo {
        #[arg(long, default_value_t = 200, value_parser = sample_count)]
        prospects: usize,
        #[arg(long, default_value_t = 7)]
        seed: u64,
    },
    /// Back up the database now: into the backups folder beside it, or to FILE (a new file)
    Backup { file: Option<PathBuf> },
    /// The backups: taken once a day at start-up and after every import (7 daily and 4 weekly kept), and your own
    Backups,
    /// Replace the workspace with a backup FILE (checked first; the database as it is now is kept as a backup)
    Restore { file: PathBuf },
    /// Add generated sample prospects, enrolled in the built-in sequences
    Sample {
        #[arg(long, default_value_t = 200, value_parser = sample_count)]
        prospects: usize,
        #[arg(long, default_value_t = 7)]
        seed: u64,
        /// Share of prospects in an active sequence, in percent
        #[arg(long, default_value_t = 85, value_parser = clap::value_parser!(u8).range(0..=100))]
        active_percent: u8,
        /// Extra prospects who went through a sequence in the last three months (history for results)
        #[arg(long, default_value_t = 0, value_parser = sample_count)]
        past: usize,
    },
    /// Results per sequence, step and A/B variant, with advice (--json for all figures, --csv for a spreadsheet)
    Stats {
        /// One sequence (its slug); every sequence when absent
        #[arg(long)]
        sequence: Option<String>,
        /// The last N days, up to now
        #[arg(long, conflicts_with_all = ["since", "until"])]
        days: Option<u32>,
        /// From this day (YYYY-MM-DD, in the rep's calendar)
        #[arg(long)]
        since: Option<chrono::NaiveDate>,
        /// Up to and including this day (YYYY-MM-DD)
        #[arg(long)]
        until: Option<chrono::NaiveDate>,
        /// CSV instead of a summary: the figures, or with --activity the activity log
        #[arg(long)]
        csv: bool,
        /// Export the activity log (every event, for a CRM or a spreadsheet) as CSV
        #[arg(long)]
        activity: bool,
        /// Write the CSV to this file instead of standard output
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Show or set the thresholds behind advice from results
    StatsSettings {
        /// Point out email steps whose reply rate stays under this percentage
        #[arg(long)]
        reply_floor: Option<f64>,
        /// Over this many days, ending now
        #[arg(long)]
        window_days: Option<u32>,
    },
    /// Import prospects from a CSV file
    Import {
        file: PathBuf,
        /// Map a column by hand: "Header=field" (field: email, first_name, ..., custom:<name>, ignore)
        #[arg(long)]
        map: Vec<String>,
        /// Update prospects whose email is already known (default: skip them)
        #[arg(long)]
        update: bool,
        /// Tag every imported prospect
        #[arg(long)]
        tag: Vec<String>,
        /// Enroll everyone imported into this sequence
        #[arg(long)]
        enroll: Option<String>,
        /// What separates the fields: comma, semicolon or tab (default: read from the header line)
        #[arg(long)]
        delimiter: Option<String>,
    },
    /// List prospects
    Prospects {
        #[arg(long)]
        search: Option<String>,
        #[arg(long)]
        tag: Option<String>,
        /// Only those from this import
        #[arg(long)]
        import: Option<i64>,
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[arg(long, default_value_t = 0)]
        offset: usize,
    },
    /// One prospect: show, or set a field
    #[command(subcommand)]
    Prospect(ProspectCmd),
    /// The do-not-contact list
    #[command(subcommand)]
    Dnc(DncCmd),
    /// Sequences: list, show, lint, add
    #[command(subcommand)]
    Sequences(SequencesCmd),
    /// Enroll prospects in a sequence
    Enroll {
        /// Sequence slug (see `cadence sequences list`)
        sequence: String,
        /// A prospect's email or id (repeatable)
        #[arg(long)]
        prospect: Vec<String>,
        #[arg(long)]
        tag: Option<String>,
        #[arg(long)]
        search: Option<String>,
        /// Everyone from this import
        #[arg(long)]
        import: Option<i64>,
        #[arg(long)]
        all: bool,
        /// Enroll even prospects already in an active sequence
        #[arg(long)]
        force: bool,
    },
    /// Today's queue: due and overdue touches
    Queue {
        #[arg(long)]
        channel: Option<String>,
        #[arg(long)]
        limit: Option<usize>,
    },
    /// Show a touch, with its rendered draft or script
    Touch { id: i64 },
    /// Approve an email (as drafted, or with your own subject and body)
    Approve {
        id: i64,
        #[arg(long)]
        subject: Option<String>,
        /// Use this file's text as the body
        #[arg(long)]
        body_file: Option<PathBuf>,
    },
    /// Log a call: connected, voicemail, no_answer, wrong_number, meeting_booked, not_interested
    Call {
        id: i64,
        #[arg(long)]
        outcome: String,
        #[arg(long)]
        notes: Option<String>,
        /// Seconds
        #[arg(long)]
        duration: Option<i64>,
    },
    /// Mark a LinkedIn, SMS or task touch done
    Done {
        id: i64,
        #[arg(long)]
        notes: Option<String>,
    },
    /// Skip this step; the sequence moves on
    Skip {
        id: i64,
        #[arg(long)]
        reason: Option<String>,
    },
    /// They accepted your LinkedIn connection request: the sequence takes its `accepted` branch now
    Accepted {
        /// The prospect's email or id
        prospect: String,
    },
    /// Move a touch later
    Snooze {
        id: i64,
        /// RFC 3339 time
        #[arg(long)]
        until: Option<String>,
        /// 90m, 2h, 1d, 1w
        #[arg(long = "for")]
        r#for: Option<String>,
    },
    /// Pause an enrollment
    Pause {
        enrollment: Option<i64>,
        #[arg(long)]
        prospect: Option<String>,
    },
    /// Resume a paused enrollment
    Resume {
        enrollment: Option<i64>,
        #[arg(long)]
        prospect: Option<String>,
    },
    /// Take a prospect out of their sequence
    Remove {
        enrollment: Option<i64>,
        #[arg(long)]
        prospect: Option<String>,
    },
    /// You are away FROM..TO (inclusive dates): work due then moves after
    Away { from: String, to: String },
    /// Approved emails waiting for their send time
    Outbox,
    /// Your settings: show, or set KEY VALUE
    #[command(subcommand)]
    Settings(SettingsCmd),
    /// Classify one email read from standard input (reply, auto_reply, bounce, unsubscribe) as JSON
    Classify {
        /// The address Cadence puts in List-Unsubscribe (default: the mailbox address)
        #[arg(long)]
        unsubscribe_address: Option<String>,
    },
    /// Your mailbox: settings, password, sending and reading
    #[command(subcommand)]
    Mailbox(MailboxCmd),
    /// Buying signals: add, import, the watched folder, rules, proposals, results by source
    #[command(subcommand)]
    Signal(SignalCmd),
    /// A team on one PostgreSQL server: set it up, add people, join, sync
    #[command(subcommand)]
    Team(TeamCmd),
}

#[derive(Subcommand)]
pub enum TeamCmd {
    /// Set a team server up (or bring it up to date): URL is a superuser connection string
    Init {
        #[arg(long)]
        url: String,
    },
    /// Add a rep; prints their one-time connection line (give it to them once)
    AddRep {
        name: String,
        /// A superuser connection string
        #[arg(long)]
        url: String,
        /// The server's address as the desktops reach it: postgres://host:port/database
        #[arg(long)]
        public: String,
    },
    /// Add a manager (may take anyone's entry off the team list)
    AddManager {
        name: String,
        #[arg(long)]
        url: String,
        #[arg(long)]
        public: String,
    },
    /// Join the team with the line your admin gave you (read from standard input when not given)
    Join { line: Option<String> },
    /// Leave the team (its entries stay on your do-not-contact list)
    Leave,
    /// Where this desktop stands with the team server
    Status,
    /// Push what changed here and pull what changed on the team, now
    Sync,
    /// Publish sequence files to the team (a manager): each linted first, a new version each
    Publish { files: Vec<PathBuf> },
    /// Retire a version of a team sequence (a manager): no new enrollments in it
    Retire { slug: String, version: i32 },
}

#[derive(Subcommand)]
pub enum SignalCmd {
    /// Add one signal about a person (--email) or a company (--domain)
    Add {
        /// job_change, new_role, funding, hiring, leadership_change, website_visit, competitor_review, event_attended, custom
        #[arg(long)]
        kind: String,
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        domain: Option<String>,
        /// One line a rep could quote ("Raised a $20M Series B")
        #[arg(long)]
        text: String,
        #[arg(long)]
        source: Option<String>,
        /// When it happened: 2026-12-01 or an RFC 3339 time (default: now)
        #[arg(long)]
        when: Option<String>,
        /// For a person who is not a prospect yet
        #[arg(long)]
        first_name: Option<String>,
        #[arg(long)]
        last_name: Option<String>,
        #[arg(long)]
        company: Option<String>,
        #[arg(long)]
        title: Option<String>,
    },
    /// Import a signals file: CSV or JSON lines (kind, email or domain, text, source, when)
    Import { file: PathBuf },
    /// Read each new file in the watched folder once (moved to done/ with a report)
    Scan,
    /// Show the watched folder, or choose one (--off to stop watching)
    Folder {
        path: Option<String>,
        #[arg(long, conflicts_with = "path")]
        off: bool,
    },
    /// The rules that turn signals into proposals or enrollments
    Rules,
    /// Set the rule for a kind: propose (or --enroll directly) SEQUENCE
    Rule {
        kind: String,
        sequence: String,
        /// Enroll directly instead of proposing
        #[arg(long)]
        enroll: bool,
        /// No new proposal for a prospect enrolled or proposed within this many days
        #[arg(long)]
        cooldown: Option<u32>,
    },
    /// Remove the rule for a kind
    Unrule { kind: String },
    /// Proposals waiting for you
    Proposals,
    /// Accept proposals (by id, or --all): each prospect is enrolled
    Accept {
        ids: Vec<i64>,
        #[arg(long, conflicts_with = "ids")]
        all: bool,
    },
    /// Dismiss proposals (by id, or --all)
    Dismiss {
        ids: Vec<i64>,
        #[arg(long, conflicts_with = "ids")]
        all: bool,
    },
    /// Reply, positive and meeting rates by source: each signal kind versus by hand
    Results {
        /// The last N days (default: all time)
        #[arg(long)]
        days: Option<u32>,
    },
}

#[derive(Subcommand)]
pub enum MailboxCmd {
    /// The mailbox settings (never the password)
    Show,
    /// address, username, provider (google|microsoft|other: fills the servers and sign-in), smtp_host,
    /// smtp_port, smtp_security (starttls|tls|plain), imap_host, imap_port, imap_security, ca_file,
    /// oauth_client_id, oauth_client_secret, oauth_auth_url, oauth_token_url, oauth_scopes, auth
    /// (password|oauth2), daily_cap, spacing_s, jitter_pct, server_saves_sent, folders,
    /// hold_on_company_mail, pause_company_on_reply, ooo_default_days, recovery_grace_s,
    /// list_unsubscribe (yes|no: a List-Unsubscribe header on every email; off lets auto-replies arrive),
    /// refusals_to_pause (refusals of your sending in a day that pause sending; 0: never)
    Set { key: String, value: String },
    /// Sign in with Google or Microsoft 365 (OAuth2): prints the address to open in your browser (and
    /// opens it when it can), waits for you to finish there, and keeps the sign-in in the OS keyring
    Signin {
        /// google or microsoft: fills the servers first (leave out to sign in with what is set)
        provider: Option<String>,
        /// Print the address only; do not start a browser
        #[arg(long)]
        no_browser: bool,
    },
    /// Sign out: the sign-in leaves the keyring
    Signout,
    /// Save the password in the OS keyring, read from standard input
    Password,
    /// Forget the saved password
    ForgetPassword,
    /// Log in to both servers and say plainly what is wrong, if anything
    Test,
    /// One pass: settle interrupted sends, send what is due, read new mail
    Sync,
    /// Keep sending and watching until stopped (what the app does in the background)
    Run,
    /// The send ledger: queued, held, failed and recently sent emails
    Sends {
        #[arg(long, default_value_t = 100)]
        limit: usize,
    },
    /// Mail read back and what Cadence did about it
    Inbox {
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Correct a classification: reply, auto_reply, left_company, bounce, unsubscribe, complaint or other
    Correct { id: i64, kind: String },
    /// Add the person a "left the company" reply names as a new prospect at the same company
    Referral { id: i64 },
    /// Receivers refusing your own sending: what they said, what it means, what to check
    Deliverability,
    /// Resume sending after refusals paused it (the emails that waited go again)
    Resume,
    /// Tag a reply positive, neutral or negative (for the results)
    Tag { id: i64, sentiment: String },
    /// Record that a reply led to a meeting (tags it positive)
    Meeting { id: i64 },
    /// Keep a tagged reply's prospect in the sequence, along the branch the email has for the tag
    Keep { id: i64 },
    /// Send a failed or held email again
    Retry { touch: i64 },
}

impl MailboxCmd {
    /// The command connects to the mail servers.
    pub fn talks_to_servers(&self) -> bool {
        matches!(self, MailboxCmd::Test | MailboxCmd::Sync | MailboxCmd::Run | MailboxCmd::Signin { .. })
    }
}

#[derive(Subcommand)]
pub enum ProspectCmd {
    /// Details, enrollments and timeline
    Show { key: String },
    /// Set a field (first_name, company, timezone, or any custom field); "" clears it
    Set { key: String, field: String, value: String },
}

#[derive(Subcommand)]
pub enum DncCmd {
    /// Add an address or @domain; their enrollments end
    Add {
        entry: String,
        #[arg(long, default_value = "added by hand")]
        reason: String,
    },
}

#[derive(Subcommand)]
pub enum SequencesCmd {
    List,
    Show {
        slug: String,
    },
    /// Check a sequence (slug or .toml file) against best practice
    Lint {
        target: String,
    },
    /// Add your own sequence file
    Add {
        file: PathBuf,
    },
}

#[derive(Subcommand)]
pub enum SettingsCmd {
    Show,
    /// timezone, working_days, hours, holiday_country, sender_name, sender_company, signature, opt_out, notifications (on|off)
    Set {
        key: String,
        value: String,
    },
}
