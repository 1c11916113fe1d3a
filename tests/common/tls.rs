//! A TLS front for the in-process mock: a certificate authority made for the test (rcgen), a
//! leaf certificate it signs for `127.0.0.1` and `localhost`, and a loopback listener that
//! ends TLS with it and passes the bytes on to the mock's plain-HTTP port.

use std::net::SocketAddr;
use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use tokio_rustls::rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::ServerConfig;

/// The front: its `https://127.0.0.1:PORT`, and the CA that signed its certificate as PEM.
pub struct TlsFront {
    pub uri: String,
    pub ca_pem: String,
}

/// A CA and a leaf for `127.0.0.1`/`localhost` signed by it: (CA PEM, leaf DER, leaf key DER).
fn certificates() -> (String, Vec<u8>, Vec<u8>) {
    let mut ca = CertificateParams::new(Vec::<String>::new()).expect("CA parameters");
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "tco-harness test CA");
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca_key = KeyPair::generate().expect("CA key");
    let ca_cert = ca.self_signed(&ca_key).expect("CA certificate");
    let issuer = Issuer::new(ca, ca_key);
    let mut leaf = CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()])
        .expect("leaf parameters");
    leaf.distinguished_name
        .push(DnType::CommonName, "tco-harness test server");
    let leaf_key = KeyPair::generate().expect("leaf key");
    let leaf_cert = leaf
        .signed_by(&leaf_key, &issuer)
        .expect("leaf certificate");
    (
        ca_cert.pem(),
        leaf_cert.der().to_vec(),
        leaf_key.serialize_der(),
    )
}

/// Starts a TLS front for the plain-HTTP server at `backend` (`http://127.0.0.1:PORT`), on
/// the current runtime; it serves until the runtime ends.
pub async fn front(backend: &str) -> TlsFront {
    let backend: SocketAddr = backend
        .trim_start_matches("http://")
        .parse()
        .expect("the backend is http://IP:PORT");
    let (ca_pem, leaf, key) = certificates();
    let config = ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(
            vec![leaf.into()],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key)),
        )
        .expect("a server configuration");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let address = listener.local_addr().expect("its address");
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                continue;
            };
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                // A client that refuses the certificate ends the handshake: nothing to pass on.
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let Ok(mut plain) = tokio::net::TcpStream::connect(backend).await else {
                    return;
                };
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
            });
        }
    });
    TlsFront {
        uri: format!("https://{address}"),
        ca_pem,
    }
}
