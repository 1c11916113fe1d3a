//! A loopback HTTP/1.1 server for the tests of the clients that send load: it answers every
//! request of every connection with fixed bytes and counts connections and requests.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A running server: where it listens and what it has seen.
pub(crate) struct Served {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    pub connections: Arc<AtomicUsize>,
    pub requests: Arc<AtomicUsize>,
}

/// Serves on a free loopback port: each request is answered with `answer` `hold` after it
/// arrived (`None`: read and never answered).
pub(crate) async fn serve(answer: Option<&'static [u8]>, hold: Duration) -> Served {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let served = Served {
        url: format!("http://{}", listener.local_addr().unwrap()),
        connections: Arc::new(AtomicUsize::new(0)),
        requests: Arc::new(AtomicUsize::new(0)),
    };
    let (connections, requests) = (served.connections.clone(), served.requests.clone());
    tokio::spawn(async move {
        while let Ok((mut tcp, _)) = listener.accept().await {
            connections.fetch_add(1, Ordering::SeqCst);
            let requests = requests.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 64 * 1024];
                // Each test request fits one read: one read, one answer.
                while matches!(tcp.read(&mut buf).await, Ok(n) if n > 0) {
                    requests.fetch_add(1, Ordering::SeqCst);
                    let Some(answer) = answer else { continue };
                    if !hold.is_zero() {
                        tokio::time::sleep(hold).await;
                    }
                    if tcp.write_all(answer).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    served
}
