//! SMTP submission through the rep's own server: STARTTLS or implicit TLS,
//! with AUTH; a plaintext login only to loopback (the settings refuse
//! anything else). The connection is opened and logged in *before* an
//! attempt is recorded, so a server that is down costs nothing.

use std::time::Duration;

use engine::mailbox::{MailboxSettings, Security};
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, Certificate, TlsParameters};
use lettre::transport::smtp::extension::ClientId;

use crate::compose::Composed;
use crate::error::{MailError, Result};
use crate::tls;

const TIMEOUT: Duration = Duration::from_secs(30);

/// What the server said about one message.
#[derive(Debug)]
pub enum Delivery {
    /// The server took it (250 after the data).
    Accepted,
    /// The server answered no: nothing was sent.
    Refused { detail: String, permanent: bool },
    /// The connection failed mid-transaction: the server may or may not have
    /// taken it. Only the mailbox can tell.
    Unknown { detail: String },
}

pub struct Smtp {
    conn: AsyncSmtpConnection,
    server: String,
}

fn server(m: &MailboxSettings) -> String {
    format!("{}:{}", m.smtp_host, m.smtp_port)
}

fn hello(m: &MailboxSettings) -> ClientId {
    ClientId::Domain(m.domain().to_string())
}

impl Smtp {
    /// Connects, secures and logs in.
    pub async fn connect(m: &MailboxSettings, secret: &crate::Secret) -> Result<Smtp> {
        m.check_secure().map_err(MailError::Engine)?;
        let srv = server(m);
        let tls_params = || -> Result<TlsParameters> {
            let mut b = TlsParameters::builder(m.smtp_host.clone());
            if let Some(pem) = tls::extra_ca(m.ca_file.as_deref(), &srv)? {
                let cert = Certificate::from_pem(&pem).map_err(|e| MailError::Tls { server: srv.clone(), detail: e.to_string() })?;
                b = b.add_root_certificate(cert);
            }
            b.build_rustls().map_err(|e| MailError::Tls { server: srv.clone(), detail: e.to_string() })
        };
        let wrapper = (m.smtp_security == Security::Tls).then(&tls_params).transpose()?;
        let mut conn = AsyncSmtpConnection::connect_tokio1((m.smtp_host.as_str(), m.smtp_port), Some(TIMEOUT), &hello(m), wrapper, None)
            .await
            .map_err(|e| connect_error(&srv, &e))?;
        if m.smtp_security == Security::StartTls {
            if !conn.can_starttls() {
                return Err(MailError::Tls {
                    server: srv,
                    detail: "the server does not offer STARTTLS; Cadence will not send the password unencrypted".into(),
                });
            }
            conn.starttls(tls_params()?, &hello(m)).await.map_err(|e| connect_error(&srv, &e))?;
        }
        let (creds, mechanisms): (Credentials, &[Mechanism]) = match secret {
            crate::Secret::Password(p) => (Credentials::new(m.login().to_string(), p.clone()), &[Mechanism::Plain, Mechanism::Login]),
            crate::Secret::Bearer(token) => (Credentials::new(m.login().to_string(), token.clone()), &[Mechanism::Xoauth2]),
        };
        conn.auth(mechanisms, &creds).await.map_err(|e| {
            if e.is_response() || e.is_permanent() || e.is_transient() {
                MailError::Auth { server: srv.clone(), detail: e.to_string() }
            } else {
                connect_error(&srv, &e)
            }
        })?;
        Ok(Smtp { conn, server: srv })
    }

    pub async fn send(&mut self, c: &Composed) -> Delivery {
        match self.conn.send(&c.envelope, &c.bytes).await {
            Ok(_) => Delivery::Accepted,
            Err(e) if e.is_permanent() => Delivery::Refused { detail: e.to_string(), permanent: true },
            Err(e) if e.is_transient() => Delivery::Refused { detail: e.to_string(), permanent: false },
            Err(e) if e.is_client() => Delivery::Refused { detail: e.to_string(), permanent: true },
            Err(e) => Delivery::Unknown { detail: format!("{}: {e}", self.server) },
        }
    }

    pub async fn quit(mut self) {
        let _ = self.conn.quit().await;
    }

    /// The connection still answers (for reuse between sends).
    pub async fn alive(&mut self) -> bool {
        !self.conn.has_broken() && self.conn.test_connected().await
    }
}

fn connect_error(server: &str, e: &lettre::transport::smtp::Error) -> MailError {
    let detail = e.to_string();
    if e.is_tls() || detail.to_lowercase().contains("certificate") {
        MailError::Tls { server: server.into(), detail }
    } else if crate::error::is_sending_limit(&detail) {
        MailError::OverCap { server: server.into(), detail }
    } else if e.is_permanent() || e.is_transient() {
        MailError::Protocol { server: server.into(), detail }
    } else {
        MailError::Unreachable { server: server.into(), detail }
    }
}
