//! Connections that send nothing: closed within the header timeout, bounded in number, and
//! never in the way of a client that does send.

mod common;

use std::time::Duration;

use common::*;
use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;

/// Generous bound for "closed promptly": far above any timeout under test, far below the
/// defaults, so a pass can only come from the mechanism being tested.
const PROMPTLY: Duration = Duration::from_secs(20);

/// Waits until the server closes the connection (EOF or reset); false if it is still open
/// after `within`.
async fn closed_by_server(stream: &mut TcpStream, within: Duration) -> bool {
    let mut buf = [0u8; 64];
    match tokio::time::timeout(within, stream.read(&mut buf)).await {
        Ok(Ok(0)) | Ok(Err(_)) => true,
        Ok(Ok(n)) => panic!("the server sent {n} bytes to a silent connection"),
        Err(_) => false,
    }
}

/// The process's open-file limit (`ulimit -n`), so the test never asks for more descriptors
/// than the machine gives; both ends of each connection live in this process.
fn open_file_limit() -> usize {
    std::process::Command::new("sh")
        .args(["-c", "ulimit -n"])
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(1024)
}

#[tokio::test]
async fn a_connection_that_sends_nothing_is_closed_after_the_header_timeout() {
    let h = Harness::with(|b| b.header_timeout(Duration::from_millis(300))).await;
    let mut silent = TcpStream::connect(h.mock.address()).await.unwrap();
    assert!(closed_by_server(&mut silent, PROMPTLY).await);
    // A connection that sent part of its headers is closed too.
    let mut partial = TcpStream::connect(h.mock.address()).await.unwrap();
    tokio::io::AsyncWriteExt::write_all(&mut partial, b"POST / HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    assert!(closed_by_server(&mut partial, PROMPTLY).await);
    // The mock still serves.
    assert_passed(&h.code(&call("DescribeOrganization", V2021)).await);
}

#[tokio::test]
async fn beyond_the_bound_the_oldest_idle_connections_are_closed() {
    // A header timeout far longer than the test: only the bound can close these.
    let h = Harness::with(|b| {
        b.max_connections(8)
            .header_timeout(Duration::from_secs(600))
    })
    .await;
    let mut silent = Vec::new();
    for _ in 0..20 {
        silent.push(TcpStream::connect(h.mock.address()).await.unwrap());
    }
    // A normal call arrives while 20 silent connections are open: it is served.
    assert_passed(&h.code(&call("DescribeOrganization", V2021)).await);
    // The oldest were closed to make room; at most 8 connections are open at any time, so
    // of the 20 silent ones at least 12 (13 with the call's) are closed, oldest first.
    for (i, stream) in silent.iter_mut().take(12).enumerate() {
        assert!(
            closed_by_server(stream, PROMPTLY).await,
            "silent connection {i} is still open"
        );
    }
}

#[tokio::test]
async fn thousands_of_silent_connections_do_not_stop_a_normal_client() {
    // Both ends of every connection are in this process: stay well inside `ulimit -n`.
    let limit = open_file_limit();
    let attackers = 2000.min(limit.saturating_sub(256) / 2);
    assert!(
        attackers >= 100,
        "ulimit -n is {limit}: too low for this test"
    );
    // A bound below the attack, so the eviction is what serves the client.
    let max = (attackers / 4).max(8);
    let h = Harness::with(|b| b.max_connections(max)).await;
    let mut silent = Vec::with_capacity(attackers);
    for _ in 0..attackers {
        silent.push(TcpStream::connect(h.mock.address()).await.unwrap());
    }
    for round in 0..3 {
        let code = tokio::time::timeout(PROMPTLY, h.code(&call("DescribeOrganization", V2021)))
            .await
            .unwrap_or_else(|_| {
                panic!("round {round}: no answer with {attackers} silent connections open")
            });
        assert_passed(&code);
    }
    drop(silent);
}
