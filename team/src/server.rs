//! Setting a team server up: the schema (numbered migrations, applied once
//! each, under a lock), and the people (a login role each, with a secret
//! printed once). Run by an admin with a superuser connection.

use crate::connect::{Target, SUPPORTED_SCHEMA};
use crate::{pg, Error, Result};

/// The server's migrations, in order; their number is the schema version.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/001_team.sql"),
    include_str!("../migrations/002_sequences.sql"),
    include_str!("../migrations/003_claims.sql"),
];

/// What `init` did.
#[derive(Debug, Clone, PartialEq)]
pub struct InitReport {
    /// The schema version found (0: none).
    pub from: i32,
    pub to: i32,
}

/// Brings the server's schema to this Cadence's, idempotently: each
/// migration once, in one transaction with the others, under an advisory
/// lock (two admins at once wait for each other). A server with a newer
/// schema is refused, untouched.
pub async fn init(admin: &Target, password: Option<&str>) -> Result<InitReport> {
    let who = admin.role().to_string();
    let mut client = admin.connect(password).await?;
    let tx = client.transaction().await.map_err(|e| pg(e, &who))?;
    tx.execute("SELECT pg_advisory_xact_lock(7000)", &[]).await.map_err(|e| pg(e, &who))?;
    let exists: bool = tx
        .query_one("SELECT EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = 'team' AND table_name = 'meta')", &[])
        .await
        .map_err(|e| pg(e, &who))?
        .get(0);
    let from: i32 = if exists {
        tx.query_opt("SELECT value::int FROM team.meta WHERE key = 'schema'", &[]).await.map_err(|e| pg(e, &who))?.map_or(0, |r| r.get(0))
    } else {
        0
    };
    if from > SUPPORTED_SCHEMA {
        return Err(Error::TooNew { server: from, known: SUPPORTED_SCHEMA });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(from as usize) {
        tx.batch_execute(sql).await.map_err(|e| pg(e, &who))?;
        let version = (i + 1).to_string();
        tx.execute(
            "INSERT INTO team.meta (key, value) VALUES ('schema', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            &[&version],
        )
        .await
        .map_err(|e| pg(e, &who))?;
    }
    tx.commit().await.map_err(|e| pg(e, &who))?;
    Ok(InitReport { from, to: SUPPORTED_SCHEMA })
}

/// A person added to the team.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub id: String,
    pub role: String,
    /// Their connection string with the secret in it: shown once, then
    /// kept only in their desktop's keyring.
    pub secret_url: String,
}

/// Adds a rep (or a manager): a login role that may only run the team's
/// functions, and a random secret. `public` is the server's address as the
/// desktops reach it (`postgres://host:port/db`); the role and secret go in.
pub async fn add_member(admin: &Target, password: Option<&str>, name: &str, manager: bool, public: &str) -> Result<Member> {
    let id = name.trim().to_lowercase();
    let ok = !id.is_empty() && id.len() <= 40 && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
    if !ok {
        return Err(Error::Server(format!("\"{name}\" cannot name a team member: use letters, digits, - and _ (up to 40)")));
    }
    let role = format!("cadence_{}_{}", if manager { "mgr" } else { "rep" }, id.replace('-', "_"));
    let secret = secret()?;
    let who = admin.role().to_string();
    let mut client = admin.connect(password).await?;
    crate::connect::check_schema(&client, &who).await?;
    let tx = client.transaction().await.map_err(|e| pg(e, &who))?;
    let taken: bool = tx.query_one("SELECT EXISTS (SELECT 1 FROM team.reps WHERE id = $1)", &[&id]).await.map_err(|e| pg(e, &who))?.get(0);
    if taken {
        return Err(Error::Server(format!("{id} is on the team already")));
    }
    // The secret is letters and digits, and the role name is checked above.
    let group = if manager { "cadence_managers" } else { "cadence_reps" };
    tx.batch_execute(&format!("CREATE ROLE \"{role}\" LOGIN PASSWORD '{secret}' IN ROLE {group}")).await.map_err(|e| pg(e, &who))?;
    tx.execute("INSERT INTO team.reps (id, db_role, manager) VALUES ($1, $2, $3)", &[&id, &role, &manager])
        .await
        .map_err(|e| pg(e, &who))?;
    tx.commit().await.map_err(|e| pg(e, &who))?;
    let rest = public.trim().strip_prefix("postgres://").or_else(|| public.trim().strip_prefix("postgresql://")).unwrap_or(public.trim());
    let at = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
    let secret_url = format!("postgres://{role}:{secret}@{at}");
    Target::parse(&secret_url)?;
    Ok(Member { id, secret_url, role })
}

/// 144 random bits as 24 letters and digits.
fn secret() -> Result<String> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut bytes = [0u8; 24];
    getrandom::fill(&mut bytes).map_err(|e| Error::Server(format!("no randomness for a secret: {e}")))?;
    Ok(bytes.iter().map(|b| ALPHABET[(*b as usize) % ALPHABET.len()] as char).collect())
}
