//! Prospects, imports and the do-not-contact list.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};

use super::{secs, ts};
use crate::domain::{email_domain, NewProspect, Prospect, ProspectId, TzSource};
use crate::error::Result;

const COLUMNS: &str = "id, email, first_name, last_name, company, title, phone, linkedin, city, state, country, \
                       timezone, tz_source, domain, tags, extra, created_at, updated_at";

fn from_row(r: &Row) -> rusqlite::Result<Prospect> {
    let tags: String = r.get(14)?;
    let extra: String = r.get(15)?;
    Ok(Prospect {
        id: r.get(0)?,
        email: r.get(1)?,
        first_name: r.get(2)?,
        last_name: r.get(3)?,
        company: r.get(4)?,
        title: r.get(5)?,
        phone: r.get(6)?,
        linkedin: r.get(7)?,
        city: r.get(8)?,
        state: r.get(9)?,
        country: r.get(10)?,
        timezone: r.get::<_, Option<String>>(11)?.and_then(|t| t.parse().ok()),
        tz_source: TzSource::parse(&r.get::<_, String>(12)?).unwrap_or_default(),
        domain: r.get(13)?,
        tags: serde_json::from_str(&tags).unwrap_or_default(),
        extra: serde_json::from_str::<BTreeMap<String, String>>(&extra).unwrap_or_default(),
        created_at: ts(r.get(16)?),
        updated_at: ts(r.get(17)?),
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Upserted {
    Inserted(ProspectId),
    Updated(ProspectId),
    Skipped(ProspectId),
}

pub fn find_id(conn: &Connection, email: &str) -> Result<Option<ProspectId>> {
    let mut stmt = conn.prepare_cached("SELECT id FROM prospects WHERE email = ?1")?;
    Ok(stmt.query_row([email], |r| r.get(0)).optional()?)
}

/// Inserts `p`, or when its email is known, updates the fields the new data
/// has (empty cells never blank a stored value) or leaves it as it was.
pub fn upsert(conn: &Connection, p: &NewProspect, import_id: Option<i64>, update: bool, now: DateTime<Utc>) -> Result<Upserted> {
    let tags = serde_json::to_string(&p.tags).unwrap_or_else(|_| "[]".into());
    let extra = serde_json::to_string(&p.extra).unwrap_or_else(|_| "{}".into());
    let tz = p.timezone.map(|t| t.name());
    if let Some(id) = find_id(conn, &p.email)? {
        if !update {
            return Ok(Upserted::Skipped(id));
        }
        let mut stmt = conn.prepare_cached(
            "UPDATE prospects SET first_name = COALESCE(?2, first_name), last_name = COALESCE(?3, last_name),
                company = COALESCE(?4, company), title = COALESCE(?5, title), phone = COALESCE(?6, phone),
                linkedin = COALESCE(?7, linkedin), city = COALESCE(?8, city), state = COALESCE(?9, state),
                country = COALESCE(?10, country),
                timezone = CASE WHEN ?11 IS NOT NULL THEN ?11 ELSE timezone END,
                tz_source = CASE WHEN ?11 IS NOT NULL THEN ?12 ELSE tz_source END,
                extra = json_patch(extra, ?13),
                tags = (SELECT json_group_array(value) FROM (SELECT value FROM json_each(tags) UNION SELECT value FROM json_each(?14))),
                last_import_id = COALESCE(?15, last_import_id), updated_at = ?16
             WHERE id = ?1",
        )?;
        stmt.execute(params![
            id,
            p.first_name,
            p.last_name,
            p.company,
            p.title,
            p.phone,
            p.linkedin,
            p.city,
            p.state,
            p.country,
            tz,
            p.tz_source.as_str(),
            extra,
            tags,
            import_id,
            secs(now)
        ])?;
        return Ok(Upserted::Updated(id));
    }
    let mut stmt = conn.prepare_cached(
        "INSERT INTO prospects (email, first_name, last_name, company, title, phone, linkedin, city, state, country,
            timezone, tz_source, domain, tags, extra, last_import_id, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?17)",
    )?;
    stmt.execute(params![
        p.email,
        p.first_name,
        p.last_name,
        p.company,
        p.title,
        p.phone,
        p.linkedin,
        p.city,
        p.state,
        p.country,
        tz,
        p.tz_source.as_str(),
        email_domain(&p.email),
        tags,
        extra,
        import_id,
        secs(now)
    ])?;
    Ok(Upserted::Inserted(conn.last_insert_rowid()))
}

pub fn get(conn: &Connection, id: ProspectId) -> Result<Option<Prospect>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM prospects WHERE id = ?1"))?;
    Ok(stmt.query_row([id], from_row).optional()?)
}

/// Which prospects to list or enroll.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Matches name, email, company or title (case-insensitive substring).
    pub search: Option<String>,
    pub tag: Option<String>,
    pub import_id: Option<i64>,
    pub ids: Option<Vec<ProspectId>>,
    pub limit: Option<usize>,
    pub offset: usize,
}

fn where_clause(f: &Filter) -> (String, Vec<rusqlite::types::Value>) {
    use rusqlite::types::Value;
    let mut clauses = vec!["1 = 1".to_string()];
    let mut args: Vec<Value> = Vec::new();
    if let Some(s) = f.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        args.push(Value::Text(format!("%{}%", s.replace('%', "\\%").replace('_', "\\_"))));
        let n = args.len();
        clauses.push(format!(
            "(email LIKE ?{n} ESCAPE '\\' OR first_name LIKE ?{n} ESCAPE '\\' OR last_name LIKE ?{n} ESCAPE '\\' \
             OR company LIKE ?{n} ESCAPE '\\' OR title LIKE ?{n} ESCAPE '\\' \
             OR (first_name || ' ' || last_name) LIKE ?{n} ESCAPE '\\')"
        ));
    }
    if let Some(t) = &f.tag {
        args.push(Value::Text(t.clone()));
        clauses.push(format!("EXISTS (SELECT 1 FROM json_each(tags) WHERE value = ?{})", args.len()));
    }
    if let Some(i) = f.import_id {
        args.push(Value::Integer(i));
        clauses.push(format!("last_import_id = ?{}", args.len()));
    }
    if let Some(ids) = &f.ids {
        let list = ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(",");
        clauses.push(format!("id IN ({list})"));
    }
    (clauses.join(" AND "), args)
}

pub fn list(conn: &Connection, f: &Filter) -> Result<Vec<Prospect>> {
    let (w, args) = where_clause(f);
    let limit = f.limit.map_or(-1, |l| l as i64);
    let sql = format!("SELECT {COLUMNS} FROM prospects WHERE {w} ORDER BY id LIMIT {limit} OFFSET {}", f.offset);
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args), from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn ids(conn: &Connection, f: &Filter) -> Result<Vec<ProspectId>> {
    let (w, args) = where_clause(f);
    let mut stmt = conn.prepare(&format!("SELECT id FROM prospects WHERE {w} ORDER BY id"))?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn count_matching(conn: &Connection, f: &Filter) -> Result<i64> {
    let (w, args) = where_clause(f);
    Ok(conn.query_row(&format!("SELECT count(*) FROM prospects WHERE {w}"), rusqlite::params_from_iter(args), |r| r.get(0))?)
}

pub fn count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM prospects", [], |r| r.get(0))?)
}

/// Emails (and `@domain` entries) on the do-not-contact list.
pub fn do_not_contact(conn: &Connection) -> Result<HashSet<String>> {
    let mut stmt = conn.prepare("SELECT email FROM do_not_contact")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Why an address may not be mailed: its entry, or its domain's, on the
/// do-not-contact list.
pub fn listed(conn: &Connection, email: &str) -> Result<Option<(String, String)>> {
    let domain = format!("@{}", crate::domain::email_domain(email));
    let mut stmt =
        conn.prepare_cached("SELECT email, reason FROM do_not_contact WHERE email IN (?1, ?2) ORDER BY email = ?1 DESC LIMIT 1")?;
    Ok(stmt.query_row([email, domain.as_str()], |r| Ok((r.get(0)?, r.get(1)?))).optional()?)
}

pub fn add_do_not_contact(conn: &Connection, entry: &str, reason: &str, now: DateTime<Utc>) -> Result<bool> {
    let n = conn.execute(
        "INSERT INTO do_not_contact (email, reason, added_at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
        params![entry, reason, secs(now)],
    )?;
    Ok(n > 0)
}

pub fn remove_do_not_contact(conn: &Connection, entry: &str) -> Result<()> {
    conn.execute("DELETE FROM do_not_contact WHERE email = ?1", [entry])?;
    Ok(())
}

/// ok, soft_bounced or invalid: what bounces said about the address.
pub fn set_email_status(conn: &Connection, id: ProspectId, status: &str, now: DateTime<Utc>) -> Result<()> {
    conn.execute("UPDATE prospects SET email_status = ?2, updated_at = ?3 WHERE id = ?1", params![id, status, secs(now)])?;
    Ok(())
}

/// Replaces a prospect's tags.
pub fn set_tags(conn: &Connection, id: ProspectId, tags: &[String], now: DateTime<Utc>) -> Result<()> {
    let json = serde_json::to_string(tags).unwrap_or_else(|_| "[]".into());
    conn.execute("UPDATE prospects SET tags = ?2, updated_at = ?3 WHERE id = ?1", params![id, json, secs(now)])?;
    Ok(())
}

pub fn email_status(conn: &Connection, id: ProspectId) -> Result<String> {
    Ok(conn.query_row("SELECT email_status FROM prospects WHERE id = ?1", [id], |r| r.get(0))?)
}

pub fn create_import(conn: &Connection, file: &str, now: DateTime<Utc>) -> Result<i64> {
    conn.execute("INSERT INTO imports (file, at) VALUES (?1, ?2)", params![file, secs(now)])?;
    Ok(conn.last_insert_rowid())
}

pub fn finish_import(conn: &Connection, id: i64, counts: [usize; 4]) -> Result<()> {
    conn.execute(
        "UPDATE imports SET imported = ?2, updated = ?3, skipped = ?4, rejected = ?5 WHERE id = ?1",
        params![id, counts[0] as i64, counts[1] as i64, counts[2] as i64, counts[3] as i64],
    )?;
    Ok(())
}

pub fn ids_in_domain(conn: &Connection, domain: &str) -> Result<Vec<ProspectId>> {
    let mut stmt = conn.prepare("SELECT id FROM prospects WHERE domain = ?1")?;
    let rows = stmt.query_map([domain], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Empties one field (a standard column, or a key of `extra`).
pub fn clear_field(conn: &Connection, id: ProspectId, field: &str, now: DateTime<Utc>) -> Result<()> {
    const COLUMNS: &[&str] = &["first_name", "last_name", "company", "title", "phone", "linkedin", "city", "state", "country"];
    if COLUMNS.contains(&field) {
        conn.execute(&format!("UPDATE prospects SET {field} = NULL, updated_at = ?2 WHERE id = ?1"), params![id, secs(now)])?;
    } else if field == "timezone" {
        conn.execute("UPDATE prospects SET timezone = NULL, tz_source = 'unknown', updated_at = ?2 WHERE id = ?1", params![id, secs(now)])?;
    } else {
        conn.execute(
            "UPDATE prospects SET extra = json_remove(extra, '$.' || json_quote(?2)), updated_at = ?3 WHERE id = ?1",
            params![id, field, secs(now)],
        )?;
    }
    Ok(())
}

/// Benchmark baseline: the same prospect and activity rows an import writes,
/// inserted plainly (one transaction, prepared statements, no parsing,
/// validation, de-duplication or time-zone work).
#[doc(hidden)]
pub fn insert_plain(conn: &mut Connection, rows: &[NewProspect], now: DateTime<Utc>) -> Result<()> {
    let tx = conn.transaction()?;
    {
        let mut p = tx.prepare_cached(
            "INSERT INTO prospects (email, first_name, last_name, company, title, phone, linkedin, city, state, country,
                timezone, tz_source, domain, tags, extra, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, '[]', '{}', ?14, ?14)",
        )?;
        let mut a = tx.prepare_cached("INSERT INTO activity (at, kind, prospect_id, data) VALUES (?1, ?3, ?2, '{}')")?;
        for r in rows {
            p.execute(params![
                r.email,
                r.first_name,
                r.last_name,
                r.company,
                r.title,
                r.phone,
                r.linkedin,
                r.city,
                r.state,
                r.country,
                r.timezone.map(|t| t.name()),
                r.tz_source.as_str(),
                email_domain(&r.email),
                secs(now)
            ])?;
            a.execute(params![secs(now), tx.last_insert_rowid(), crate::activity::ActivityKind::ProspectImported])?;
        }
    }
    tx.commit()?;
    Ok(())
}
