//! A plain HTTP/1.1 client for the open-model path, used only where reqwest would connect
//! straight to the endpoint too ([`tco_client::transport::plain_http_without_proxy`]).
//!
//! At thousands of calls a second reqwest's per-request machinery (URL, header map, its tower
//! layers, the pool's checkout futures) cost more CPU than the exchange itself (BENCHMARKS.md,
//! "The load generator beside oha"). This client keeps a stack of idle keep-alive connections
//! and sends each request on one of them, opening a new connection when none is idle (an open
//! model never waits for a connection), as reqwest's pool does. A request refused by a reused
//! connection before it was sent (the server closed it meanwhile) goes again on a new one, as
//! hyper-util's pool retries it.

use std::future::Future;
use std::sync::Mutex;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// Why an exchange gave no whole answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The answer is (or announces itself as) over the cap.
    TooLarge,
    /// The transport failed; its kind as reqwest's errors are named (`connect`, `timeout`,
    /// `request`, `body`).
    Transport(&'static str),
}

/// An exchange's status (once the head arrived) and its body or why there is none.
pub type Exchanged = (Option<u16>, Result<Bytes, Failure>);

/// Connections to one `host:port`, reused.
pub struct DirectClient {
    /// What `TcpStream::connect` resolves: `host:port` (IPv6 in brackets).
    authority: String,
    idle: Mutex<Vec<SendRequest<Full<Bytes>>>>,
    /// The whole exchange's limit, head and body, as reqwest's client timeout.
    timeout: Duration,
}

impl std::fmt::Debug for DirectClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DirectClient")
            .field("authority", &self.authority)
            .finish()
    }
}

impl DirectClient {
    /// A client for `url`'s host and port (the scheme's default when none is given).
    pub fn new(url: &reqwest::Url, timeout: Duration) -> Option<Self> {
        let host = url.host_str()?;
        let port = url.port_or_known_default()?;
        Some(DirectClient {
            authority: format!("{host}:{port}"),
            idle: Mutex::new(Vec::new()),
            timeout,
        })
    }

    /// Sends `request` and reads its whole answer, at most `limit` bytes of body.
    pub async fn exchange(&self, request: http::Request<Full<Bytes>>, limit: usize) -> Exchanged {
        let sleep = tokio::time::sleep(self.timeout);
        tokio::pin!(sleep);
        let head = match until(&mut sleep, self.send(request)).await {
            None => return (None, Err(Failure::Transport("timeout"))),
            Some(Err(kind)) => return (None, Err(Failure::Transport(kind))),
            Some(Ok(head)) => head,
        };
        let (response, sender) = head;
        let status = response.status().as_u16();
        let body = match until(&mut sleep, read_capped(response, limit)).await {
            None => Err(Failure::Transport("timeout")),
            Some(body) => body,
        };
        if body.is_ok() {
            // The body was read to its end: the connection can carry the next request.
            self.idle
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(sender);
        }
        (Some(status), body)
    }

    /// The answer's head, on an idle connection or a new one, with the connection.
    async fn send(
        &self,
        mut request: http::Request<Full<Bytes>>,
    ) -> Result<
        (
            http::Response<hyper::body::Incoming>,
            SendRequest<Full<Bytes>>,
        ),
        &'static str,
    > {
        loop {
            let (mut sender, reused) = match self.take_idle().await {
                Some(sender) => (sender, true),
                None => (self.connect().await.map_err(|()| "connect")?, false),
            };
            match sender.try_send_request(request).await {
                Ok(response) => return Ok((response, sender)),
                Err(mut refused) => match refused.take_message() {
                    Some(unsent) if reused => request = unsent,
                    _ => return Err("request"),
                },
            }
        }
    }

    /// The most recently used idle connection that is still open.
    async fn take_idle(&self) -> Option<SendRequest<Full<Bytes>>> {
        loop {
            let mut sender = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop()?;
            // Ready once its connection has finished the previous exchange; an error when the
            // server closed it.
            if sender.ready().await.is_ok() {
                return Some(sender);
            }
        }
    }

    async fn connect(&self) -> Result<SendRequest<Full<Bytes>>, ()> {
        let tcp = TcpStream::connect(self.authority.as_str())
            .await
            .map_err(|_| ())?;
        // As reqwest sets it: a request goes out whole, at once.
        tcp.set_nodelay(true).map_err(|_| ())?;
        let (sender, connection) = http1::handshake(TokioIo::new(tcp)).await.map_err(|_| ())?;
        tokio::spawn(async move {
            // Ends when the server or this side closes it; its error is the exchange's.
            let _ = connection.await;
        });
        Ok(sender)
    }
}

/// `work`'s output, or `None` when `deadline` passes first.
async fn until<F: Future>(
    deadline: &mut std::pin::Pin<&mut tokio::time::Sleep>,
    work: F,
) -> Option<F::Output> {
    tokio::select! {
        biased;
        out = work => Some(out),
        _ = deadline.as_mut() => None,
    }
}

/// The whole body, or [`Failure::TooLarge`] as soon as it is known to exceed `limit` bytes
/// (the same rule as `tco_client::body::read_capped`).
async fn read_capped(
    response: http::Response<hyper::body::Incoming>,
    limit: usize,
) -> Result<Bytes, Failure> {
    let announced = response
        .headers()
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > limit as u64) {
        return Err(Failure::TooLarge);
    }
    let mut body = response.into_body();
    // Most answers come in one frame: kept as it is, copied only when a second one follows.
    let mut whole = Bytes::new();
    let mut joined: Option<BytesMut> = None;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| Failure::Transport("body"))?;
        let Ok(data) = frame.into_data() else {
            continue;
        };
        let had = joined.as_ref().map_or(whole.len(), BytesMut::len);
        if had + data.len() > limit {
            return Err(Failure::TooLarge);
        }
        match &mut joined {
            Some(j) => j.extend_from_slice(&data),
            None if whole.is_empty() => whole = data,
            None => {
                let mut j = BytesMut::from(&whole[..]);
                j.extend_from_slice(&data);
                joined = Some(j);
            }
        }
    }
    Ok(joined.map_or(whole, BytesMut::freeze))
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    use super::*;

    /// A client for a loopback server that answers every request with `answer` (`None`: reads
    /// and never answers), and the count of connections the server accepted.
    async fn server(answer: Option<&'static [u8]>) -> (DirectClient, Arc<AtomicUsize>) {
        let served = crate::loopback::serve(answer, Duration::ZERO).await;
        let url = reqwest::Url::parse(&served.url).unwrap();
        (
            DirectClient::new(&url, Duration::from_secs(2)).unwrap(),
            served.connections,
        )
    }

    fn request() -> http::Request<Full<Bytes>> {
        http::Request::post("/")
            .header("host", "127.0.0.1")
            .body(Full::new(Bytes::from_static(b"{}")))
            .unwrap()
    }

    #[tokio::test]
    async fn answers_come_back_whole_on_one_reused_connection() {
        let (client, accepted) =
            server(Some(b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello")).await;
        for _ in 0..3 {
            let (status, body) = client.exchange(request(), 1024).await;
            assert_eq!(status, Some(200));
            assert_eq!(body.unwrap(), Bytes::from_static(b"hello"));
        }
        assert_eq!(accepted.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_body_in_several_chunks_is_joined_and_capped() {
        let chunked: &[u8] = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n\
            4\r\nabcd\r\n3\r\nefg\r\n2\r\nhi\r\n0\r\n\r\n";
        let (client, _) = server(Some(chunked)).await;
        let (status, body) = client.exchange(request(), 9).await;
        assert_eq!(
            (status, body.unwrap()),
            (Some(200), Bytes::from_static(b"abcdefghi"))
        );
        let (status, body) = client.exchange(request(), 8).await;
        assert_eq!((status, body), (Some(200), Err(Failure::TooLarge)));
    }

    #[tokio::test]
    async fn an_announced_body_over_the_cap_is_refused_before_it_is_read() {
        let (client, _) = server(Some(
            b"HTTP/1.1 200 OK\r\ncontent-length: 11\r\n\r\nhello world",
        ))
        .await;
        let (status, body) = client.exchange(request(), 10).await;
        assert_eq!((status, body), (Some(200), Err(Failure::TooLarge)));
    }

    #[tokio::test]
    async fn a_silent_server_is_a_timeout_and_a_closed_port_a_connect_failure() {
        let (silent, _) = server(None).await;
        let silent = DirectClient {
            timeout: Duration::from_millis(200),
            ..silent
        };
        let (status, body) = silent.exchange(request(), 1024).await;
        assert_eq!((status, body), (None, Err(Failure::Transport("timeout"))));

        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = reqwest::Url::parse(&format!("http://{}", listener.local_addr().unwrap()));
        drop(listener);
        let closed = DirectClient::new(&url.unwrap(), Duration::from_secs(2)).unwrap();
        let (status, body) = closed.exchange(request(), 1024).await;
        assert_eq!((status, body), (None, Err(Failure::Transport("connect"))));
    }
}
