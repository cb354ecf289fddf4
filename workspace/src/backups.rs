//! Backups of the workspace's database: taken automatically (once a day at
//! start-up, and after every import), by hand, and before a restore; kept by
//! rotation; restored into the open workspace, or in place of a database
//! that cannot be opened.
//!
//! They live in `backups/` beside the database (0700), one file each
//! (0600), named `cadence-<UTC time>-<kind>.db`: the name is the record,
//! so listing needs nothing but the folder. A backup is SQLite's online
//! backup on a connection of its own (`engine::api::backup_file`): the rep
//! goes on working meanwhile.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, Duration, NaiveDateTime, Utc};
use dto::{BackupDto, ErrorDto, RestoredDto, StartupProblemDto};

use crate::{rep_zone, Error, Result, Workspace};

/// Why a backup was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupKind {
    /// At start-up, when the newest backup is older than a day.
    Daily,
    /// After an import.
    Import,
    /// `cadence backup`, or "Back up now" in Settings.
    Manual,
    /// The database as it was, just before a restore replaced it.
    BeforeRestore,
}

impl BackupKind {
    const ALL: [BackupKind; 4] = [BackupKind::Daily, BackupKind::Import, BackupKind::Manual, BackupKind::BeforeRestore];

    pub fn as_str(self) -> &'static str {
        match self {
            BackupKind::Daily => "daily",
            BackupKind::Import => "import",
            BackupKind::Manual => "manual",
            BackupKind::BeforeRestore => "before_restore",
        }
    }

    /// Taken by Cadence itself, and so thinned by rotation; the rep's own
    /// are kept until the rep deletes them.
    fn rotated(self) -> bool {
        matches!(self, BackupKind::Daily | BackupKind::Import)
    }
}

/// Rotation: the newest automatic backup of each of the last `DAILY` days
/// that have one, and of each of the last `WEEKLY` weeks; the newest
/// `BEFORE_RESTORE` copies made by restores.
pub const DAILY: usize = 7;
pub const WEEKLY: usize = 4;
pub const BEFORE_RESTORE: usize = 3;

const STAMP: &str = "%Y-%m-%dT%H-%M-%SZ";

/// The backups folder of the database at `database`.
pub fn folder(database: &Path) -> PathBuf {
    database.parent().unwrap_or(Path::new(".")).join("backups")
}

/// A backup found in the folder.
#[derive(Debug, Clone)]
pub struct Backup {
    pub path: PathBuf,
    pub kind: BackupKind,
    pub taken_at: DateTime<Utc>,
    pub size: u64,
}

impl Backup {
    fn dto(&self, tz: chrono_tz::Tz) -> BackupDto {
        BackupDto {
            file: self.path.display().to_string(),
            name: self.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            kind: self.kind.as_str(),
            taken_at: dto::utc(self.taken_at),
            taken_local: dto::local(self.taken_at, tz),
            size_bytes: self.size,
        }
    }
}

/// `cadence-2026-12-07T13-36-00Z-daily.db` (or `...-daily-2.db` when two
/// fall in one second) back to its time and kind.
fn parse_name(name: &str) -> Option<(DateTime<Utc>, BackupKind)> {
    let rest = name.strip_prefix("cadence-")?.strip_suffix(".db")?;
    let (stamp, kind) = rest.split_at_checked(STAMP.len() + 2)?;
    let at = NaiveDateTime::parse_from_str(stamp, STAMP).ok()?.and_utc();
    let kind = kind.strip_prefix('-')?;
    let kind = kind.rsplit_once('-').filter(|(_, n)| n.parse::<u32>().is_ok()).map_or(kind, |(k, _)| k);
    BackupKind::ALL.into_iter().find(|k| k.as_str() == kind).map(|k| (at, k))
}

/// Every backup in the folder, newest first. Files of other names are not
/// Cadence's and are left alone.
pub fn list(database: &Path) -> Result<Vec<Backup>> {
    let dir = folder(database);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(Error::Io { path: dir, source }),
    };
    let mut out: Vec<Backup> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let (taken_at, kind) = parse_name(&e.file_name().to_string_lossy())?;
            let meta = e.metadata().ok().filter(|m| m.is_file())?;
            Some(Backup { path: e.path(), kind, taken_at, size: meta.len() })
        })
        .collect();
    out.sort_by(|a, b| b.taken_at.cmp(&a.taken_at).then_with(|| b.path.cmp(&a.path)));
    Ok(out)
}

/// Takes a backup of the database at `database` into the folder.
pub fn take(database: &Path, kind: BackupKind, now: DateTime<Utc>) -> Result<Backup> {
    let dir = folder(database);
    engine::api::create_private_dir(&dir)?;
    let stem = format!("cadence-{}-{}", now.format(STAMP), kind.as_str());
    let mut path = dir.join(format!("{stem}.db"));
    let mut n = 2;
    while path.exists() {
        path = dir.join(format!("{stem}-{n}.db"));
        n += 1;
    }
    let size = engine::api::backup_file(database, &path)?;
    Ok(Backup { path, kind, taken_at: now, size })
}

/// Which backups rotation keeps, from a newest-first list.
pub fn keep(backups: &[Backup]) -> Vec<PathBuf> {
    let mut kept = Vec::new();
    let (mut days, mut weeks) = (Vec::new(), Vec::new());
    for b in backups.iter().filter(|b| b.kind.rotated()) {
        let day = b.taken_at.date_naive();
        let week = (day.iso_week().year(), day.iso_week().week());
        let mut keep_it = false;
        if !days.contains(&day) && days.len() < DAILY {
            days.push(day);
            keep_it = true;
        }
        if !weeks.contains(&week) && weeks.len() < WEEKLY {
            weeks.push(week);
            keep_it = true;
        }
        if keep_it {
            kept.push(b.path.clone());
        }
    }
    kept.extend(backups.iter().filter(|b| b.kind == BackupKind::BeforeRestore).take(BEFORE_RESTORE).map(|b| b.path.clone()));
    kept.extend(backups.iter().filter(|b| b.kind == BackupKind::Manual).map(|b| b.path.clone()));
    kept
}

/// Deletes the backups rotation does not keep; returns them.
pub fn rotate(database: &Path) -> Result<Vec<PathBuf>> {
    let all = list(database)?;
    let kept = keep(&all);
    let mut removed = Vec::new();
    for b in all.into_iter().filter(|b| !kept.contains(&b.path)) {
        std::fs::remove_file(&b.path).map_err(|source| Error::Io { path: b.path.clone(), source })?;
        removed.push(b.path);
    }
    Ok(removed)
}

/// The daily backup: taken (and the folder rotated) when the newest backup
/// of any kind is older than a day, or there is none.
pub fn take_if_due(database: &Path, now: DateTime<Utc>) -> Result<Option<Backup>> {
    if list(database)?.first().is_some_and(|b| now - b.taken_at < Duration::days(1)) {
        return Ok(None);
    }
    let b = take(database, BackupKind::Daily, now)?;
    rotate(database)?;
    Ok(Some(b))
}

/// The backups that pass the check (`quick_check`, a schema this Cadence
/// reads), newest first: what can replace a damaged database.
pub fn good(database: &Path) -> Result<Vec<Backup>> {
    Ok(list(database)?.into_iter().filter(|b| engine::api::inspect_backup(&b.path).is_ok()).collect())
}

/// The backup in the folder called `name` (a bare file name, as the window
/// names one: never a path).
pub fn named(database: &Path, name: &str) -> Result<PathBuf> {
    if parse_name(name).is_none() || name.contains(['/', '\\']) {
        return Err(Error::Invalid(format!("\"{name}\" is not the name of a Cadence backup")));
    }
    let path = folder(database).join(name);
    if !path.is_file() {
        return Err(Error::NotFound { what: "backup", id: name.to_string() });
    }
    Ok(path)
}

/// When the workspace would not open: what went wrong and the good backups.
pub fn startup_problem(database: &Path, error: ErrorDto) -> StartupProblemDto {
    StartupProblemDto {
        error,
        database: database.display().to_string(),
        backups: good(database).unwrap_or_default().iter().map(|b| b.dto(chrono_tz::UTC)).collect(),
    }
}

/// Restores the backup at `file` in place of the database at `database`,
/// which cannot be opened (damaged, or from a newer Cadence). The old file
/// (with its -wal and -shm) is moved aside, never written to, and kept as
/// `<database>.damaged-<time>`; the backup is copied in its place. The
/// workspace is then opened as usual (and migrated, for an older backup).
pub fn restore_in_place(database: &Path, file: &Path, now: DateTime<Utc>) -> Result<RestoredDto> {
    let info = engine::api::inspect_backup(file)?;
    let mut kept = None;
    if database.exists() {
        let aside = PathBuf::from(format!("{}.damaged-{}", database.display(), now.format(STAMP)));
        for suffix in ["", "-wal", "-shm"] {
            let from = PathBuf::from(format!("{}{suffix}", database.display()));
            if from.exists() {
                let to = PathBuf::from(format!("{}{suffix}", aside.display()));
                std::fs::rename(&from, &to).map_err(|source| Error::Io { path: from.clone(), source })?;
            }
        }
        kept = Some(aside.display().to_string());
    }
    engine::api::backup_file(file, database)?;
    Ok(RestoredDto { restored_from: file.display().to_string(), previous_kept_as: kept, prospects: info.prospects })
}

impl Workspace {
    /// The backups in the folder, newest first.
    pub fn backups(&self) -> Result<Vec<BackupDto>> {
        let tz = self.read(|e, _| Ok(rep_zone(e)))?;
        Ok(list(&self.database)?.iter().map(|b| b.dto(tz)).collect())
    }

    /// A backup now: into the folder, or to `to` (a new file the rep names;
    /// an existing one is never overwritten).
    pub fn backup(&self, to: Option<&Path>) -> Result<BackupDto> {
        let tz = self.read(|e, _| Ok(rep_zone(e)))?;
        let b = match to {
            Some(path) => {
                let size = engine::api::backup_file(&self.database, path)?;
                Backup { path: path.to_path_buf(), kind: BackupKind::Manual, taken_at: self.now(), size }
            }
            None => take(&self.database, BackupKind::Manual, self.now())?,
        };
        Ok(b.dto(tz))
    }

    /// The daily backup, when one is due (at start-up). A workspace with
    /// no prospects yet has nothing to lose and is not backed up.
    pub fn backup_if_due(&self) -> Result<Option<BackupDto>> {
        let (tz, prospects) = self.read(|e, _| Ok((rep_zone(e), e.prospect_count()?)))?;
        if prospects == 0 {
            return Ok(None);
        }
        Ok(take_if_due(&self.database, self.now())?.map(|b| b.dto(tz)))
    }

    /// After an import: a backup, rotated. A failure is told, not fatal:
    /// the import itself is done.
    pub(crate) fn backup_after_import(&self) {
        if let Err(e) = take(&self.database, BackupKind::Import, self.now()).and_then(|_| rotate(&self.database)) {
            eprintln!("cadence: the backup after the import failed: {e}");
        }
    }

    /// Restores the backup in the folder called `name` (the window's way).
    pub fn restore_named(&self, name: &str) -> Result<RestoredDto> {
        self.restore(&named(&self.database, name)?)
    }

    /// Replaces the workspace with the backup at `file`: checked first (a
    /// damaged file, another program's database or one from a newer
    /// Cadence is refused and nothing changes); the database as it is now
    /// is kept as a `before_restore` backup; then the backup is restored
    /// into the open database, so every window and the mail loops see it.
    pub fn restore(&self, file: &Path) -> Result<RestoredDto> {
        let database = self.database.clone();
        let mut kept = None;
        let info = self.with(|e, now| {
            // Under the engine's lock: nothing this workspace does writes
            // between the copy of what is there and the restore.
            e.restore(file, now, |_| {
                kept = Some(take(&database, BackupKind::BeforeRestore, now)?.path);
                Ok(())
            })
        })?;
        rotate(&self.database)?;
        let mailbox = self.read(|e, _| e.mailbox())?;
        self.mailbox_changed(&mailbox);
        Ok(RestoredDto {
            restored_from: file.display().to_string(),
            previous_kept_as: kept.map(|p| p.display().to_string()),
            prospects: info.prospects,
        })
    }
}
