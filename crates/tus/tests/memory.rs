//! An upload is never held whole in memory: 192 MiB sent over a socket in one PATCH raise the
//! process's peak memory by a small fraction of that. Its own test binary, so that no other test
//! shares the peak.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{BASE, Recorder, app};
use satudata_tus::Config;
use sha2::Digest;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The process's peak resident memory so far (`VmHWM`), in KiB.
fn peak_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

async fn send(addr: std::net::SocketAddr, head: &str, body: impl Iterator<Item = Vec<u8>>) -> String {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let text =
        format!("{head}\r\nHost: {addr}\r\nTus-Resumable: 1.0.0\r\nX-Test-Owner: alice\r\nConnection: close\r\n\r\n");
    stream.write_all(text.as_bytes()).await.unwrap();
    for piece in body {
        stream.write_all(&piece).await.unwrap();
    }
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    answer
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_large_patch_streams_to_disk_in_bounded_memory() {
    const PIECE: usize = 64 * 1024;
    const PIECES: usize = 3 * 1024; // 192 MiB
    let length = PIECE * PIECES;
    let dir = tempfile::tempdir().unwrap();
    let hooks = Recorder::default();
    let mut config = Config::new(dir.path().join("uploads"));
    config.max_size = length as u64;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = app(config, hooks.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });

    let created = send(
        addr,
        &format!("POST {BASE} HTTP/1.1\r\nUpload-Length: {length}\r\nContent-Length: 0"),
        std::iter::empty(),
    )
    .await;
    let location = created
        .lines()
        .find_map(|l| l.to_ascii_lowercase().strip_prefix("location: ").map(str::to_owned))
        .unwrap();

    let piece = |i: usize| -> Vec<u8> { (0..PIECE).map(|j| ((i * 7 + j) % 253) as u8).collect() };
    let mut expected = sha2::Sha256::new();
    for i in 0..PIECES {
        expected.update(piece(i));
    }
    let before = peak_kib();
    let answer = send(
        addr,
        &format!("PATCH {location} HTTP/1.1\r\nContent-Type: application/offset+octet-stream\r\nUpload-Offset: 0\r\nContent-Length: {length}"),
        (0..PIECES).map(piece),
    )
    .await;
    let grown_mib = (peak_kib() - before) / 1024;
    eprintln!("peak memory grew by {grown_mib} MiB");
    assert!(answer.starts_with("HTTP/1.1 204"), "{answer}");
    assert!(
        grown_mib < 48,
        "peak memory grew by {grown_mib} MiB for a 192 MiB upload"
    );
    let done = hooks.done.lock().unwrap().clone();
    assert_eq!(done[0].sha256, hex::encode(expected.finalize()));
    assert_eq!(std::fs::metadata(&done[0].path).unwrap().len(), length as u64);
}
