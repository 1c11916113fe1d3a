//! Helpers shared by the root's test binaries (cli, load): committed test data, a TLS front,
//! misbehaving servers.
#![allow(dead_code)]

pub mod tls;

use std::path::PathBuf;

/// A file under `tests/`, read whole.
pub fn read_test_file(relative: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// How a stand-in server misbehaves.
#[derive(Debug, Clone, Copy)]
pub enum Misbehaviour {
    /// Reads the request and never answers (the connection stays open).
    Silent,
    /// Answers every request with a body of 50 MB (announced, then streamed).
    Huge,
}

/// A server on loopback that misbehaves on every connection; returns `http://127.0.0.1:PORT`.
/// Its threads end with the test process.
pub fn misbehaving_server(how: Misbehaviour) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let address = listener.local_addr().expect("its address");
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            std::thread::spawn(move || {
                let mut request = [0u8; 16 * 1024];
                let _ = stream.read(&mut request);
                match how {
                    Misbehaviour::Silent => {
                        // Hold the connection until the client gives up.
                        while matches!(stream.read(&mut request), Ok(n) if n > 0) {}
                    }
                    Misbehaviour::Huge => {
                        let size = 50 * 1024 * 1024;
                        let head = format!(
                            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {size}\r\n\r\n"
                        );
                        let _ = stream.write_all(head.as_bytes());
                        let chunk = vec![b' '; 64 * 1024];
                        for _ in 0..size / chunk.len() {
                            if stream.write_all(&chunk).is_err() {
                                break;
                            }
                        }
                    }
                }
            });
        }
    });
    format!("http://{address}")
}
