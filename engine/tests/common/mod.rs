//! Helpers shared by the engine's integration tests: a real database file in
//! a temporary directory, a fixed rep, and a clock that only moves when told.

#![allow(dead_code)]

use chrono::{DateTime, Utc};
use engine::api::ImportOptions;
use engine::settings::RepSettings;
use engine::Engine;

pub fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

pub struct World {
    pub dir: tempfile::TempDir,
    pub engine: Engine,
}

impl World {
    /// A fresh database file with a rep in New York who takes US holidays.
    pub fn new(now: DateTime<Utc>) -> World {
        let dir = tempfile::tempdir().unwrap();
        let mut engine = Engine::open(&dir.path().join("cadence.db"), now).unwrap();
        let rep = RepSettings {
            timezone: "America/New_York".parse().unwrap(),
            holiday_country: Some("US".into()),
            sender_name: "Alex Rivera".into(),
            ..Default::default()
        };
        engine.set_settings(&rep).unwrap();
        World { dir, engine }
    }

    pub fn reopen(self, now: DateTime<Utc>) -> World {
        let World { dir, engine } = self;
        drop(engine);
        let engine = Engine::open(&dir.path().join("cadence.db"), now).unwrap();
        World { dir, engine }
    }

    pub fn import(&mut self, csv: &str, now: DateTime<Utc>) -> engine::api::ImportReport {
        self.engine.import_csv("test.csv", csv.as_bytes(), &ImportOptions::default(), now).unwrap()
    }
}

pub const PEOPLE: &str = "\
First Name,Last Name,Email,Company,Title,City,Country,Phone
Lucía,Fernández,lucia@nubaria.es,Nubaria,VP RevOps,Madrid,Spain,+34 600 000 001
Jonas,Müller,jonas@kranich.de,Kranich,Head of Sales,Berlin,Germany,+49 30 1234567
Dana,Brooks,dana@lumenfield.com,Lumenfield,CRO,Austin,United States,+1 512 555 0100
,Nofirst,nofirst@example.com,,Ops,London,United Kingdom,
";

/// A reply from `from` in the thread of `in_reply_to`, as the classifier
/// would hand it over.
pub fn reply(message_id: &str, from: &str, in_reply_to: &str, text: &str) -> engine::mail::Classified {
    engine::mail::Classified {
        headers: engine::mail::Headers {
            message_id: Some(message_id.into()),
            from: Some(from.into()),
            subject: Some("Re: your note".into()),
            in_reply_to: vec![in_reply_to.into()],
            ..Default::default()
        },
        kind: engine::mail::Kind::Reply,
        bounce: None,
        return_date: None,
        evidence: "test".into(),
        complaint: None,
        referral: None,
        text: text.into(),
    }
}
