//! Where the team server is and how to reach it: a connection string
//! (`postgres://role@host:port/db`, or key=value), plain only on this
//! machine (loopback or a unix socket), TLS everywhere else.

use std::net::IpAddr;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use tokio_postgres::config::Host;
use tokio_postgres::{Client as PgClient, Config, NoTls};

use crate::{pg, Error, Result};

/// The server schema this Cadence speaks.
pub const SUPPORTED_SCHEMA: i32 = 3;

/// How long a connection attempt may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// A team server and the login on it, without the secret.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    config: Config,
    /// The connection string as given, with any password taken out.
    pub url: String,
}

impl Target {
    /// Reads a connection string; a password in it is returned apart (it
    /// goes to the keyring, never with the address).
    pub fn parse(url: &str) -> Result<(Target, Option<String>)> {
        let mut config = Config::from_str(url.trim()).map_err(|e| Error::BadUrl(e.to_string()))?;
        if config.get_hosts().is_empty() {
            return Err(Error::BadUrl("no host: give postgres://role@host:port/database".into()));
        }
        if config.get_user().is_none_or(str::is_empty) {
            return Err(Error::BadUrl("no role: give postgres://role@host:port/database".into()));
        }
        let password = config.get_password().map(|p| String::from_utf8_lossy(p).into_owned());
        let mut clean = config.clone();
        clean = strip_password(clean);
        config.connect_timeout(CONNECT_TIMEOUT);
        let shown = display(&clean);
        Ok((Target { config: strip_password(config), url: shown }, password))
    }

    /// The role this desktop logs in as.
    pub fn role(&self) -> &str {
        self.config.get_user().unwrap_or_default()
    }

    /// Whether every host is this machine (loopback or a unix socket).
    pub fn is_local(&self) -> bool {
        self.config.get_hosts().iter().all(|h| match h {
            Host::Tcp(name) => name == "localhost" || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback()),
            #[cfg(unix)]
            Host::Unix(_) => true,
        })
    }

    /// Connects, plain on this machine and over TLS elsewhere; the
    /// connection is driven on the current tokio runtime until it drops.
    pub async fn connect(&self, password: Option<&str>) -> Result<PgClient> {
        let mut config = self.config.clone();
        if let Some(p) = password {
            config.password(p);
        }
        let who = self.role().to_string();
        if self.is_local() {
            let (client, connection) = config.connect(NoTls).await.map_err(|e| pg(e, &who))?;
            tokio::spawn(async move {
                let _ = connection.await;
            });
            Ok(client)
        } else {
            if config.get_ssl_mode() == tokio_postgres::config::SslMode::Disable {
                return Err(Error::NeedsTls(self.url.clone()));
            }
            config.ssl_mode(tokio_postgres::config::SslMode::Require);
            let (client, connection) = config.connect(tls()).await.map_err(|e| pg(e, &who))?;
            tokio::spawn(async move {
                let _ = connection.await;
            });
            Ok(client)
        }
    }

    /// The underlying configuration (with the password when given), for a
    /// connection whose messages (LISTEN) the caller drives itself.
    pub(crate) fn config(&self, password: Option<&str>) -> Config {
        let mut c = self.config.clone();
        if let Some(p) = password {
            c.password(p);
        }
        c
    }
}

/// Checks the server speaks this Cadence's schema.
pub(crate) async fn check_schema(client: &PgClient, who: &str) -> Result<()> {
    let row = client.query_one("SELECT team.schema_version()", &[]).await.map_err(|e| pg(e, who))?;
    let server: Option<i32> = row.get(0);
    match server {
        None => Err(Error::NotSetUp),
        Some(v) if v > SUPPORTED_SCHEMA => Err(Error::TooNew { server: v, known: SUPPORTED_SCHEMA }),
        Some(v) if v < SUPPORTED_SCHEMA => Err(Error::NotSetUp),
        Some(_) => Ok(()),
    }
}

pub(crate) fn tls() -> tokio_postgres_rustls::MakeRustlsConnect {
    let roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("ring supports the default TLS versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    tokio_postgres_rustls::MakeRustlsConnect::new(config)
}

fn strip_password(mut c: Config) -> Config {
    // Config has no way to unset a password: rebuild it from the display form.
    if c.get_password().is_some() {
        c.password(Vec::<u8>::new());
    }
    c
}

/// A connection string for people and settings: role, hosts, port, database.
fn display(c: &Config) -> String {
    let hosts: Vec<String> = c
        .get_hosts()
        .iter()
        .map(|h| match h {
            Host::Tcp(name) => name.clone(),
            #[cfg(unix)]
            Host::Unix(path) => path.display().to_string().replace('/', "%2F"),
        })
        .collect();
    let port = c.get_ports().first().copied().unwrap_or(5432);
    format!("postgres://{}@{}:{port}/{}", c.get_user().unwrap_or_default(), hosts.join(","), c.get_dbname().unwrap_or("postgres"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_is_taken_out_and_only_this_machine_goes_plain() {
        let (t, p) = Target::parse("postgres://cadence_rep_ana:s3cret@127.0.0.1:55432/postgres").unwrap();
        assert_eq!(p.as_deref(), Some("s3cret"));
        assert_eq!(t.url, "postgres://cadence_rep_ana@127.0.0.1:55432/postgres");
        assert!(!t.url.contains("s3cret"));
        assert!(t.is_local());
        let (far, _) = Target::parse("postgres://ana@team.example.com/cadence").unwrap();
        assert!(!far.is_local());
        assert!(matches!(Target::parse("postgres://@127.0.0.1/db"), Err(Error::BadUrl(_))));
        assert!(matches!(Target::parse("not a url at all ::"), Err(Error::BadUrl(_))));
    }
}
