//! IMAP: reading the rep's mailbox without changing it (BODY.PEEK, so
//! nothing is marked read), finding a sent message by its Message-ID, and
//! filing Cadence's own copies in Sent.

use std::fmt::Debug;
use std::time::Duration;

use async_imap::extensions::idle::IdleResponse;
use async_imap::types::NameAttribute;
use async_imap::{Client, Session};
use chrono::{DateTime, NaiveDate, Utc};
use engine::mailbox::{MailboxSettings, Security};
use futures::TryStreamExt;
use rustls_pki_types::ServerName;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;

use crate::error::{MailError, Result};
use crate::tls;

const TIMEOUT: Duration = Duration::from_secs(30);

pub trait Io: AsyncRead + AsyncWrite + Unpin + Send + Debug {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send + Debug> Io for T {}
type Stream = Box<dyn Io>;

pub struct Imap {
    session: Session<Stream>,
    server: String,
    /// The server can push new mail (IDLE).
    pub can_idle: bool,
    can_move: bool,
}

/// The folders that matter: where sent mail is filed, where junk lands.
#[derive(Debug, Clone, Default)]
pub struct Folders {
    pub all: Vec<String>,
    pub sent: Option<String>,
    pub junk: Option<String>,
}

fn proto(server: &str) -> impl Fn(async_imap::error::Error) -> MailError + '_ {
    move |e| match e {
        async_imap::error::Error::Io(io) => MailError::Unreachable { server: server.into(), detail: io.to_string() },
        other => MailError::Protocol { server: server.into(), detail: other.to_string() },
    }
}

async fn with_timeout<T>(server: &str, what: &str, f: impl std::future::Future<Output = Result<T>>) -> Result<T> {
    tokio::time::timeout(TIMEOUT, f).await.map_err(|_| MailError::Unreachable {
        server: server.into(),
        detail: format!("no answer to {what} within {} s", TIMEOUT.as_secs()),
    })?
}

impl Imap {
    /// Connects, secures (TLS or STARTTLS) and logs in.
    pub async fn connect(m: &MailboxSettings, secret: &crate::Secret) -> Result<Imap> {
        m.check_secure().map_err(MailError::Engine)?;
        let server = format!("{}:{}", m.imap_host, m.imap_port);
        let srv = server.as_str();
        let tcp = with_timeout(srv, "connecting", async {
            TcpStream::connect((m.imap_host.as_str(), m.imap_port))
                .await
                .map_err(|e| MailError::Unreachable { server: srv.into(), detail: e.to_string() })
        })
        .await?;
        let secure = |tcp: TcpStream| async {
            let ca = tls::extra_ca(m.ca_file.as_deref(), srv)?;
            let config = tls::client_config(ca.as_deref(), srv)?;
            let name =
                ServerName::try_from(m.imap_host.clone()).map_err(|e| MailError::Tls { server: srv.into(), detail: e.to_string() })?;
            tokio_rustls::TlsConnector::from(config)
                .connect(name, tcp)
                .await
                .map_err(|e| MailError::Tls { server: srv.into(), detail: e.to_string() })
        };
        // Which token mechanism the greeting advertises (both carry the
        // same bearer token; the choice is not a matter of security).
        let mut starttls_offers_oauthbearer = false;
        let stream: Stream = match m.imap_security {
            Security::Tls => Box::new(with_timeout(srv, "the TLS handshake", secure(tcp)).await?),
            Security::StartTls => {
                let mut plain = Client::new(tcp);
                starttls_offers_oauthbearer = greeting(&mut plain, srv).await?;
                with_timeout(srv, "STARTTLS", async { plain.run_command_and_check_ok("STARTTLS", None).await.map_err(proto(srv)) }).await?;
                Box::new(with_timeout(srv, "the TLS handshake", secure(plain.into_inner())).await?)
            }
            Security::Plain => Box::new(tcp),
        };
        let mut client = Client::new(stream);
        let offers_oauthbearer = match m.imap_security {
            Security::StartTls => starttls_offers_oauthbearer,
            _ => greeting(&mut client, srv).await?,
        };
        let refused = |e: async_imap::error::Error| match e {
            async_imap::error::Error::No(msg) | async_imap::error::Error::Bad(msg) => {
                MailError::Auth { server: srv.into(), detail: server_words(&msg) }
            }
            other => proto(srv)(other),
        };
        let mut session = with_timeout(srv, "the login", async {
            match secret {
                crate::Secret::Password(password) => client.login(m.login(), password).await.map_err(|(e, _)| refused(e)),
                crate::Secret::Bearer(token) => {
                    let (mechanism, sasl) = if offers_oauthbearer {
                        ("OAUTHBEARER", Sasl::oauthbearer(m.login(), token))
                    } else {
                        ("XOAUTH2", Sasl::xoauth2(m.login(), token))
                    };
                    client.authenticate(mechanism, sasl).await.map_err(|(e, _)| refused(e))
                }
            }
        })
        .await?;
        let caps = session.capabilities().await.map_err(proto(srv))?;
        let (can_idle, can_move) = (caps.has_str("IDLE"), caps.has_str("MOVE"));
        Ok(Imap { session, server, can_idle, can_move })
    }

    /// Selects a folder; returns its UIDVALIDITY.
    pub async fn select(&mut self, folder: &str) -> Result<u32> {
        let srv = self.server.clone();
        let mb = with_timeout(&srv, "SELECT", async { self.session.select(folder).await.map_err(proto(&srv)) }).await?;
        Ok(mb.uid_validity.unwrap_or(0))
    }

    /// UIDs above `after` in the selected folder, ascending.
    pub async fn uids_after(&mut self, after: u32) -> Result<Vec<u32>> {
        let srv = self.server.clone();
        let found = with_timeout(&srv, "SEARCH", async {
            self.session.uid_search(format!("UID {}:*", after.saturating_add(1))).await.map_err(proto(&srv))
        })
        .await?;
        // `n:*` always matches the highest UID, even one below n.
        let mut uids: Vec<u32> = found.into_iter().filter(|u| *u > after).collect();
        uids.sort_unstable();
        Ok(uids)
    }

    /// The whole message and when the server received it, without marking it read.
    pub async fn fetch(&mut self, uid: u32) -> Result<Option<(Vec<u8>, DateTime<Utc>)>> {
        let srv = self.server.clone();
        with_timeout(&srv, "FETCH", async {
            let stream = self.session.uid_fetch(uid.to_string(), "(UID INTERNALDATE BODY.PEEK[])").await.map_err(proto(&srv))?;
            let fetched: Vec<_> = stream.try_collect().await.map_err(proto(&srv))?;
            Ok(fetched.iter().find(|f| f.uid == Some(uid)).and_then(|f| {
                let body = f.body()?.to_vec();
                let at = f.internal_date().map(|d| d.with_timezone(&Utc)).unwrap_or_else(Utc::now);
                Some((body, at))
            }))
        })
        .await
    }

    /// UIDs in the selected folder of messages whose Message-ID is `id` (no <>).
    pub async fn search_message_id(&mut self, id: &str) -> Result<Vec<u32>> {
        if id.contains(['"', '\\', '\r', '\n']) {
            return Ok(Vec::new());
        }
        let srv = self.server.clone();
        let found = with_timeout(&srv, "SEARCH", async {
            self.session.uid_search(format!("HEADER Message-ID \"<{id}>\"")).await.map_err(proto(&srv))
        })
        .await?;
        Ok(found.into_iter().collect())
    }

    /// UIDs in the selected folder received on or after `since`.
    pub async fn search_since(&mut self, since: NaiveDate) -> Result<Vec<u32>> {
        let srv = self.server.clone();
        let found = with_timeout(&srv, "SEARCH", async {
            self.session.uid_search(format!("SINCE {}", since.format("%d-%b-%Y"))).await.map_err(proto(&srv))
        })
        .await?;
        Ok(found.into_iter().collect())
    }

    /// UIDs in the selected folder from `from` (an address or `@domain`) received on or after `since`.
    pub async fn search_from_since(&mut self, from: &str, since: NaiveDate) -> Result<Vec<u32>> {
        if from.contains(['"', '\\', '\r', '\n']) {
            return Ok(Vec::new());
        }
        let srv = self.server.clone();
        let query = format!("FROM \"{from}\" SINCE {}", since.format("%d-%b-%Y"));
        let found = with_timeout(&srv, "SEARCH", async { self.session.uid_search(query).await.map_err(proto(&srv)) }).await?;
        Ok(found.into_iter().collect())
    }

    /// When the server received a message of the selected folder.
    pub async fn received_at(&mut self, uid: u32) -> Result<Option<DateTime<Utc>>> {
        let srv = self.server.clone();
        with_timeout(&srv, "FETCH", async {
            let stream = self.session.uid_fetch(uid.to_string(), "(UID INTERNALDATE)").await.map_err(proto(&srv))?;
            let fetched: Vec<_> = stream.try_collect().await.map_err(proto(&srv))?;
            Ok(fetched.iter().find(|f| f.uid == Some(uid)).and_then(|f| f.internal_date()).map(|d| d.with_timezone(&Utc)))
        })
        .await
    }

    /// Moves a message of the selected folder to `folder`, marked read (it is
    /// the rep's own sent mail).
    pub async fn file_as_sent(&mut self, uid: u32, folder: &str) -> Result<()> {
        let srv = self.server.clone();
        let set = uid.to_string();
        with_timeout(&srv, "MOVE", async {
            let flagged: Vec<_> = self
                .session
                .uid_store(&set, "+FLAGS.SILENT (\\Seen)")
                .await
                .map_err(proto(&srv))?
                .try_collect()
                .await
                .map_err(proto(&srv))?;
            drop(flagged);
            if self.can_move {
                self.session.uid_mv(&set, folder).await.map_err(proto(&srv))
            } else {
                self.session.uid_copy(&set, folder).await.map_err(proto(&srv))?;
                let gone: Vec<_> = self
                    .session
                    .uid_store(&set, "+FLAGS.SILENT (\\Deleted)")
                    .await
                    .map_err(proto(&srv))?
                    .try_collect()
                    .await
                    .map_err(proto(&srv))?;
                drop(gone);
                let expunged: Vec<_> =
                    self.session.uid_expunge(&set).await.map_err(proto(&srv))?.try_collect().await.map_err(proto(&srv))?;
                drop(expunged);
                Ok(())
            }
        })
        .await
    }

    /// Puts a copy of a sent message in `folder`, marked read.
    pub async fn append(&mut self, folder: &str, bytes: &[u8]) -> Result<()> {
        let srv = self.server.clone();
        with_timeout(&srv, "APPEND", async { self.session.append(folder, Some("(\\Seen)"), None, bytes).await.map_err(proto(&srv)) }).await
    }

    /// The folders, with the special ones found by their attributes (RFC
    /// 6154) or, failing that, their usual names. Creates "Sent" if missing.
    pub async fn folders(&mut self) -> Result<Folders> {
        let srv = self.server.clone();
        let mut f = Folders::default();
        let names: Vec<_> = with_timeout(&srv, "LIST", async {
            self.session.list(Some(""), Some("*")).await.map_err(proto(&srv))?.try_collect::<Vec<_>>().await.map_err(proto(&srv))
        })
        .await?;
        for n in &names {
            let name = n.name().to_string();
            for a in n.attributes() {
                match a {
                    NameAttribute::Sent => f.sent = Some(name.clone()),
                    NameAttribute::Junk => f.junk = Some(name.clone()),
                    _ => {}
                }
            }
            f.all.push(name);
        }
        let by_name = |wanted: &[&str]| {
            f.all
                .iter()
                .find(|n| {
                    wanted.iter().any(|w| {
                        n.eq_ignore_ascii_case(w)
                            || n.to_lowercase().ends_with(&format!("/{}", w.to_lowercase()))
                            || n.to_lowercase().ends_with(&format!(".{}", w.to_lowercase()))
                    })
                })
                .cloned()
        };
        if f.sent.is_none() {
            f.sent = by_name(&["Sent", "Sent Items", "Sent Mail", "Sent Messages"]);
        }
        if f.junk.is_none() {
            f.junk = by_name(&["Junk", "Spam", "Junk E-mail", "Junk Email"]);
        }
        if f.sent.is_none() {
            self.session.create("Sent").await.map_err(proto(&srv))?;
            f.sent = Some("Sent".into());
            f.all.push("Sent".into());
        }
        Ok(f)
    }

    /// Waits (IDLE) until the selected folder changes or `timeout` passes.
    /// Returns the session and whether something arrived.
    pub async fn idle(self, timeout: Duration) -> Result<(Imap, bool)> {
        let Imap { session, server, can_idle, can_move } = self;
        let mut handle = session.idle();
        handle.init().await.map_err(proto(&server))?;
        let (wait, _stop) = handle.wait_with_timeout(timeout);
        let res = wait.await.map_err(proto(&server))?;
        let session = handle.done().await.map_err(proto(&server))?;
        let news = matches!(res, IdleResponse::NewData(_));
        Ok((Imap { session, server, can_idle, can_move }, news))
    }

    pub async fn noop(&mut self) -> Result<()> {
        let srv = self.server.clone();
        with_timeout(&srv, "NOOP", async { self.session.noop().await.map_err(proto(&srv)) }).await
    }

    pub async fn logout(mut self) {
        let _ = tokio::time::timeout(Duration::from_secs(5), self.session.logout()).await;
    }
}

/// Reads the server's greeting; whether it advertises OAUTHBEARER.
async fn greeting(client: &mut Client<impl Io>, server: &str) -> Result<bool> {
    with_timeout(server, "the greeting", async {
        client
            .read_response()
            .await
            .map_err(|e| MailError::Unreachable { server: server.into(), detail: e.to_string() })?
            .ok_or_else(|| MailError::Unreachable { server: server.into(), detail: "the server closed the connection".into() })
            .map(|r| r.borrow_owner().windows(16).any(|w| w.eq_ignore_ascii_case(b"AUTH=OAUTHBEARER")))
    })
    .await
}

/// The one message a token login sends (RFC 7628 OAUTHBEARER, or Google's
/// and Microsoft's XOAUTH2); an error challenge is answered with an empty
/// message, as both ask, and the server then says NO.
struct Sasl {
    first: Option<Vec<u8>>,
}

impl Sasl {
    fn xoauth2(user: &str, token: &str) -> Sasl {
        Sasl { first: Some(format!("user={user}\x01auth=Bearer {token}\x01\x01").into_bytes()) }
    }

    fn oauthbearer(user: &str, token: &str) -> Sasl {
        let user = user.replace('=', "=3D").replace(',', "=2C");
        Sasl { first: Some(format!("n,a={user},\x01auth=Bearer {token}\x01\x01").into_bytes()) }
    }
}

impl async_imap::Authenticator for Sasl {
    type Response = Vec<u8>;

    fn process(&mut self, _challenge: &[u8]) -> Vec<u8> {
        self.first.take().unwrap_or_default()
    }
}

/// The server's own words from an IMAP `NO`/`BAD` answer, which
/// async-imap hands over as `code: None, info: Some("…")`.
fn server_words(msg: &str) -> String {
    msg.split_once("info: Some(\"")
        .and_then(|(_, rest)| rest.rsplit_once("\")"))
        .map_or_else(|| msg.to_string(), |(words, _)| words.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_refusal_reads_as_the_server_said_it() {
        let raw = r#"code: None, info: Some("[AUTHENTICATIONFAILED] Authentication failed.")"#;
        assert_eq!(super::server_words(raw), "[AUTHENTICATIONFAILED] Authentication failed.");
        assert_eq!(super::server_words("Login refused"), "Login refused");
    }
}
