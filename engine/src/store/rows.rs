//! The rows an action on some prospects may change, read whole, and put back
//! as they were: the undo of an action. Every table a touch action writes is
//! here: the prospects themselves, their enrollments, touches and sends, and
//! the A/B turns of their sequences.

use std::collections::BTreeMap;

use rusqlite::types::Value;
use rusqlite::{params_from_iter, Connection};

use crate::domain::{ProspectId, SequenceVersionId};
use crate::error::{Error, Result};

/// A table, its key columns, and which of its rows concern the prospects
/// (`?P`) and sequence versions (`?S`) of an action. Parents first.
const TABLES: &[(&str, &[&str], &str)] = &[
    ("prospects", &["id"], "id IN (?P)"),
    ("enrollments", &["id"], "prospect_id IN (?P)"),
    ("touches", &["id"], "prospect_id IN (?P)"),
    ("sends", &["touch_id"], "touch_id IN (SELECT id FROM touches WHERE prospect_id IN (?P))"),
    ("variant_turns", &["sequence_id", "step"], "sequence_id IN (?S)"),
];

/// Which rows: the prospects acted on and their sequence versions.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    pub prospects: Vec<ProspectId>,
    pub versions: Vec<SequenceVersionId>,
}

type Key = Vec<String>;

/// One table's rows in scope, by key.
#[derive(Debug, Clone, PartialEq)]
struct Table {
    columns: Vec<String>,
    rows: BTreeMap<Key, Vec<Value>>,
}

/// Every row in scope, as it stood when read.
#[derive(Debug, Clone, PartialEq)]
pub struct Rows(Vec<Table>);

fn list(ids: &[i64]) -> String {
    if ids.is_empty() {
        return "NULL".into();
    }
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
}

fn key(columns: &[String], keys: &[&str], row: &[Value]) -> Key {
    keys.iter()
        .map(|k| {
            let i = columns.iter().position(|c| c == k).expect("key column");
            format!("{:?}", row[i])
        })
        .collect()
}

impl Scope {
    fn condition(&self, template: &str) -> String {
        template.replace("?P", &list(&self.prospects)).replace("?S", &list(&self.versions))
    }

    /// Reads every row in scope.
    pub fn read(&self, conn: &Connection) -> Result<Rows> {
        let mut tables = Vec::with_capacity(TABLES.len());
        for (name, keys, condition) in TABLES {
            let mut stmt = conn.prepare(&format!("SELECT * FROM {name} WHERE {}", self.condition(condition)))?;
            let columns: Vec<String> = stmt.column_names().into_iter().map(str::to_string).collect();
            let n = columns.len();
            let mut rows = BTreeMap::new();
            let mut q = stmt.query([])?;
            while let Some(r) = q.next()? {
                let row = (0..n).map(|i| r.get::<_, Value>(i)).collect::<rusqlite::Result<Vec<_>>>()?;
                rows.insert(key(&columns, keys, &row), row);
            }
            tables.push(Table { columns, rows });
        }
        Ok(Rows(tables))
    }
}

impl Rows {
    /// Puts back `self` (the rows before an action) where `after` (the rows
    /// just after it) still stand. Refused, changing nothing, when a row in
    /// scope has changed since `after`; the error names the table.
    pub fn restore(&self, conn: &Connection, scope: &Scope, after: &Rows) -> Result<()> {
        let now = scope.read(conn)?;
        if let Some(i) = (0..TABLES.len()).find(|&i| now.0[i] != after.0[i]) {
            return Err(Error::Conflict(format!("changed since: {}", TABLES[i].0)));
        }
        // Rows the action added go first, children before parents.
        for (i, (name, keys, _)) in TABLES.iter().enumerate().rev() {
            let (before, after) = (&self.0[i], &after.0[i]);
            for (k, row) in &after.rows {
                if !before.rows.contains_key(k) {
                    let (sql, args) = by_key(keys, &after.columns, row);
                    conn.execute(&format!("DELETE FROM {name} WHERE {sql}"), params_from_iter(args))?;
                }
            }
        }
        // Then rows it changed or removed, parents before children.
        for (i, (name, keys, _)) in TABLES.iter().enumerate() {
            let (before, after) = (&self.0[i], &after.0[i]);
            let cols = &before.columns;
            for (k, row) in &before.rows {
                match after.rows.get(k) {
                    Some(now) if now == row => {}
                    Some(now) => {
                        // Only the columns that changed, never a key: setting a
                        // parent key, even to itself, makes SQLite check every
                        // child row that refers to it (the whole activity log).
                        let (sql, mut args) = by_key(keys, cols, row);
                        let mut set = Vec::new();
                        for (j, c) in cols.iter().enumerate() {
                            if now[j] != row[j] && !keys.contains(&c.as_str()) {
                                args.push(row[j].clone());
                                set.push(format!("{c} = ?{}", args.len()));
                            }
                        }
                        conn.execute(&format!("UPDATE {name} SET {} WHERE {sql}", set.join(", ")), params_from_iter(args))?;
                    }
                    None => {
                        let marks = (1..=cols.len()).map(|j| format!("?{j}")).collect::<Vec<_>>().join(", ");
                        conn.execute(&format!("INSERT INTO {name} ({}) VALUES ({marks})", cols.join(", ")), params_from_iter(row.iter()))?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// `a = ?1 AND b = ?2` for a row's key, with the key's values.
fn by_key(keys: &[&str], columns: &[String], row: &[Value]) -> (String, Vec<Value>) {
    let mut args = Vec::new();
    let mut parts = Vec::new();
    for k in keys {
        let i = columns.iter().position(|c| c == k).expect("key column");
        args.push(row[i].clone());
        parts.push(format!("{k} = ?{}", args.len()));
    }
    (parts.join(" AND "), args)
}
