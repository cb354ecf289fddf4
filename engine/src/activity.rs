//! The vocabulary of the activity log: every kind of row it holds, and the
//! groups of kinds that SQL filters on. SQL that names kinds is written from
//! these lists (see [`sql_list`]); the migrations' triggers and partial
//! indexes, which cannot be, are checked against them by the tests below.

crate::domain::str_enum!(
    /// What an activity row records.
    ActivityKind {
        ProspectImported = "prospect_imported",
        ProspectUpdated = "prospect_updated",
        ProspectEdited = "prospect_edited",
        DoNotContact = "do_not_contact",
        Enrolled = "enrolled",
        Paused = "paused",
        Resumed = "resumed",
        Exited = "exited",
        Finished = "finished",
        /// An exit undone by a corrected classification (labelled with the exit's reason).
        Reinstated = "reinstated",
        /// The rep's time away was added (no prospect: not on any timeline).
        AwayAdded = "away_added",
        EmailApproved = "email_approved",
        /// An approved email taken back from the Outbox before it went: a draft again.
        EmailPulledBack = "email_pulled_back",
        CallLogged = "call_logged",
        TouchDone = "touch_done",
        TouchSkipped = "touch_skipped",
        TouchSnoozed = "touch_snoozed",
        TouchRescheduled = "touch_rescheduled",
        EmailSent = "email_sent",
        EmailFailed = "email_failed",
        EmailHeld = "email_held",
        EmailRescheduled = "email_rescheduled",
        EmailRetried = "email_retried",
        MailReceived = "mail_received",
        ClassificationCorrected = "classification_corrected",
        ReplyTagged = "reply_tagged",
        MeetingBooked = "meeting_booked",
        /// A prospect added from a "left the company" reply that named them.
        ReferralAdded = "referral_added",
        /// An enrollment sent down a branch by something the rep said after
        /// the step was worked: a LinkedIn request accepted, a reply kept in
        /// the sequence (labelled with it: `accepted`, `positive`...).
        BranchTaken = "branch_taken",
    }
);

impl ActivityKind {
    /// Kinds counted straight from the log (one row, one event), kept per day
    /// in `activity_days` by the `activity_counted_by_day` trigger. In the
    /// trigger's order.
    pub const COUNTED: &'static [ActivityKind] = &[
        ActivityKind::CallLogged,
        ActivityKind::EmailSent,
        ActivityKind::Enrolled,
        ActivityKind::Exited,
        ActivityKind::Finished,
        ActivityKind::Reinstated,
        ActivityKind::TouchDone,
        ActivityKind::TouchSkipped,
    ];

    /// Kinds about mail read back, reply tags and meetings, settled per
    /// enrollment: the condition of the partial index `activity_settled`, in
    /// its order (a query must repeat it word for word to use the index).
    pub const SETTLED: &'static [ActivityKind] =
        &[ActivityKind::ClassificationCorrected, ActivityKind::MailReceived, ActivityKind::MeetingBooked, ActivityKind::ReplyTagged];

    /// Kinds that make up the rep's own day: touches worked and emails sent.
    pub const WORKED: &'static [ActivityKind] = &[
        ActivityKind::EmailApproved,
        ActivityKind::EmailPulledBack,
        ActivityKind::CallLogged,
        ActivityKind::TouchDone,
        ActivityKind::TouchSkipped,
        ActivityKind::EmailSent,
    ];

    /// Kinds that concern one prospect and so show on their timeline.
    pub fn on_timeline(self) -> bool {
        self != ActivityKind::AwayAdded
    }
}

/// How many rows a group of log rows nets to: a row counts one, a reversal
/// of an undone row (`undoes` set) minus one.
pub const NET: &str = "sum(iif(undoes IS NULL, 1, -1))";

/// `'a', 'b', ...`: the kinds as an SQL list of literals, for `kind IN (...)`.
pub fn sql_list(kinds: &[ActivityKind]) -> String {
    kinds.iter().map(|k| format!("'{}'", k.as_str())).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;

    fn manifest() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
    }

    fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files(&path, ext, out);
            } else if path.extension().is_some_and(|e| e == ext) {
                out.push(path);
            }
        }
    }

    /// The quoted literals right after `kind = `, `kind IN (`, `kind LIKE `
    /// and the like (any case); `'{...}'`, a `format!` placeholder, is none.
    fn kind_literals(sql: &str) -> Vec<Vec<String>> {
        let lower = sql.to_lowercase();
        let mut out = Vec::new();
        for op in ["kind = ", "kind in (", "kind like ", "kind <> ", "kind != "] {
            let mut from = 0;
            while let Some(i) = lower[from..].find(op) {
                let start = from + i + op.len();
                from = start;
                let rest = &sql[start..];
                let end = if op.ends_with('(') {
                    rest.find(')').unwrap_or(rest.len())
                } else {
                    rest.find([' ', '\n', ';', ')']).unwrap_or(rest.len())
                };
                let list: Vec<String> = rest[..end]
                    .split(',')
                    .map(str::trim)
                    .filter(|t| t.starts_with('\''))
                    .map(|t| t.trim_matches('\'').to_string())
                    .filter(|t| !t.starts_with('{'))
                    .collect();
                if !list.is_empty() {
                    out.push(list);
                }
            }
        }
        out
    }

    fn strip_comments(sql: &str) -> String {
        sql.lines().map(|l| l.split("--").next().unwrap_or("")).collect::<Vec<_>>().join("\n")
    }

    fn migrations() -> Vec<(PathBuf, String)> {
        let mut paths = Vec::new();
        files(&manifest().join("migrations"), "sql", &mut paths);
        paths.sort();
        assert!(!paths.is_empty());
        paths.into_iter().map(|p| (p.clone(), strip_comments(&std::fs::read_to_string(&p).unwrap()))).collect()
    }

    #[test]
    fn kinds_round_trip_and_groups_are_distinct() {
        for k in ActivityKind::ALL {
            assert_eq!(ActivityKind::parse(k.as_str()), Some(*k));
        }
        assert_eq!(ActivityKind::ALL.len(), 29);
        for group in [ActivityKind::COUNTED, ActivityKind::SETTLED, ActivityKind::WORKED] {
            let mut sorted = group.to_vec();
            sorted.sort();
            sorted.dedup();
            assert_eq!(sorted.len(), group.len());
        }
        assert_eq!(sql_list(&[ActivityKind::EmailSent, ActivityKind::Enrolled]), "'email_sent', 'enrolled'");
    }

    #[test]
    fn the_scan_finds_literals_and_skips_placeholders() {
        let sql = "SELECT 1 FROM activity WHERE kind IN ('a', 'b') AND kind = 'c' AND kind LIKE 'd_%' AND kind = '{}' AND kind = ?1";
        assert_eq!(kind_literals(sql), vec![vec!["c"], vec!["a", "b"], vec!["d_%"]]);
    }

    /// Every kind the migrations name (in triggers, indexes and backfills)
    /// is an [`ActivityKind`], and a `LIKE` pattern matches at least one.
    #[test]
    fn migrations_name_only_known_kinds() {
        let mut seen = 0;
        for (path, sql) in migrations() {
            for list in kind_literals(&sql) {
                for k in list {
                    seen += 1;
                    if let Some(prefix) = k.strip_suffix('%') {
                        assert!(
                            ActivityKind::ALL.iter().any(|a| a.as_str().starts_with(prefix)),
                            "{}: LIKE '{k}' matches no kind",
                            path.display()
                        );
                    } else {
                        assert!(ActivityKind::parse(&k).is_some(), "{}: '{k}' is not an ActivityKind", path.display());
                    }
                }
            }
        }
        assert!(seen > 20, "the scan found the kinds in the migrations ({seen})");
    }

    /// The trigger that keeps the daily counts (and the migration that filled
    /// them) counts exactly [`ActivityKind::COUNTED`]; the `activity_settled`
    /// index covers exactly [`ActivityKind::SETTLED`], in the order the
    /// queries repeat.
    #[test]
    fn migration_kind_lists_match_the_groups() {
        let all: String = migrations().into_iter().map(|(_, s)| s).collect();
        let names = |kinds: &[ActivityKind]| kinds.iter().map(|k| k.as_str().to_string()).collect::<Vec<_>>();
        let trigger = &all[all.find("CREATE TRIGGER activity_counted_by_day").unwrap()..];
        assert_eq!(kind_literals(trigger)[0], names(ActivityKind::COUNTED));
        let fill = &all[all.find("INSERT INTO activity_days").unwrap()..];
        assert_eq!(kind_literals(fill)[0], names(ActivityKind::COUNTED));
        let index = &all[all.find("CREATE INDEX activity_settled").unwrap()..];
        assert_eq!(kind_literals(index)[0], names(ActivityKind::SETTLED));
    }

    /// SQL in the engine's code names no kind by a literal: kinds are written
    /// from [`ActivityKind`] (`format!`) or bound as parameters.
    #[test]
    fn engine_sql_names_no_kind_literally() {
        let mut paths = Vec::new();
        files(&manifest().join("src"), "rs", &mut paths);
        let me = manifest().join("src").join("activity.rs");
        let mut found = Vec::new();
        for p in paths.iter().filter(|p| **p != me) {
            let text = std::fs::read_to_string(p).unwrap();
            for list in kind_literals(&text) {
                found.push(format!("{}: {list:?}", p.display()));
            }
        }
        assert!(found.is_empty(), "kinds written literally in SQL:\n{}", found.join("\n"));
    }

    /// The README's list of timeline kinds is the kinds that show on a timeline.
    #[test]
    fn readme_lists_the_timeline_kinds() {
        let readme = std::fs::read_to_string(manifest().join("../README.md")).unwrap();
        let start = readme.find("Timeline kinds:").expect("the README lists the timeline kinds");
        let end = start + readme[start..].find("\n\n").unwrap_or(readme.len() - start);
        let mut listed: Vec<&str> = readme[start..end].split('`').skip(1).step_by(2).collect();
        let mut kinds: Vec<&str> = ActivityKind::ALL.iter().filter(|k| k.on_timeline()).map(|k| k.as_str()).collect();
        listed.sort();
        kinds.sort();
        assert_eq!(listed, kinds);
    }
}
