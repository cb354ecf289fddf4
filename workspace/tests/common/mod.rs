//! The test host: drives the application layer exactly as the desktop shell
//! does (the same `Workspace` calls, the same events, the same errors as
//! `ErrorDto`), with no webview, on a real database file in a temporary
//! directory. Like the shell, it turns every error into the DTO the window
//! gets, so tests assert on codes and words a rep would see.

#![allow(dead_code)]

pub mod live;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use dto::ErrorDto;
use workspace::{Event, Workspace};

pub struct Host {
    pub dir: tempfile::TempDir,
    pub ws: Workspace,
    events: Arc<Mutex<Vec<Event>>>,
    now: Option<DateTime<Utc>>,
}

pub fn at(t: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(t).unwrap().with_timezone(&Utc)
}

impl Host {
    /// A new workspace acting as if it were `now` (`None`: the real clock).
    pub fn new(now: Option<&str>) -> Host {
        let dir = tempfile::tempdir().unwrap();
        let now = now.map(at);
        let ws = Workspace::open(&dir.path().join("data/cadence.db"), now).unwrap();
        let events = Arc::new(Mutex::new(Vec::new()));
        let sink = events.clone();
        ws.on_event(Arc::new(move |e| sink.lock().unwrap().push(e)));
        Host { dir, ws, events, now }
    }

    /// The same file opened again, as after a restart.
    pub fn reopen(&self) -> Workspace {
        Workspace::open(&self.db(), self.now).unwrap()
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("data/cadence.db")
    }

    /// A file in the host's directory.
    pub fn file(&self, name: &str, text: &str) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    /// Events since the last call, and forgets them.
    pub fn events(&self) -> Vec<Event> {
        std::mem::take(&mut *self.events.lock().unwrap())
    }

    /// The views the window would be told to refresh since the last call.
    pub fn changed(&self) -> Vec<String> {
        let mut out: Vec<String> =
            self.events().into_iter().filter_map(|e| if let Event::Changed(c) = e { Some(c.what) } else { None }).flatten().collect();
        out.sort();
        out.dedup();
        out
    }

    /// The error as the window gets it.
    pub fn error<T>(r: workspace::Result<T>) -> ErrorDto {
        match r {
            Ok(_) => panic!("expected an error, got a reply"),
            Err(e) => ErrorDto::from(&e),
        }
    }
}

pub fn path(p: &Path) -> String {
    p.display().to_string()
}

/// Four prospects as a CRM exports them; one row has no email.
pub const LEADS: &str = "Email,First Name,Last Name,Company,Title,Time Zone\n\
dana@lumenfield.com,Dana,Reyes,Lumenfield,VP Sales,America/Chicago\n\
omar@harborlabs.io,Omar,Haddad,Harbor Labs,Head of Growth,Europe/London\n\
,No,Email,Nowhere,CEO,UTC\n\
li@quillstack.com,Li,Wen,Quillstack,COO,Asia/Singapore\n";
