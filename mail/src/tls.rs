//! TLS for SMTP and IMAP: the public web roots, plus one extra certificate
//! authority when the settings name a PEM file (a self-hosted server, or the
//! test servers on loopback).

use std::sync::Arc;

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::CertificateDer;
use tokio_rustls::rustls::{ClientConfig, RootCertStore};

use crate::error::{MailError, Result};

pub(crate) fn extra_ca(path: Option<&str>, server: &str) -> Result<Option<Vec<u8>>> {
    path.map(|p| {
        std::fs::read(p).map_err(|e| MailError::Tls { server: server.into(), detail: format!("cannot read the certificate file {p}: {e}") })
    })
    .transpose()
}

pub(crate) fn client_config(ca_pem: Option<&[u8]>, server: &str) -> Result<Arc<ClientConfig>> {
    let mut roots = RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    if let Some(pem) = ca_pem {
        for cert in CertificateDer::pem_slice_iter(pem) {
            let cert =
                cert.map_err(|e| MailError::Tls { server: server.into(), detail: format!("the certificate file is not PEM: {e}") })?;
            roots
                .add(cert)
                .map_err(|e| MailError::Tls { server: server.into(), detail: format!("the certificate file was refused: {e}") })?;
        }
    }
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| MailError::Tls { server: server.into(), detail: e.to_string() })?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}
