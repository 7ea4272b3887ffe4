//! The tus router over a real socket: real clients (tuspy from PyPI, tus-js-client from npm)
//! stop at 80 % and a second client process resumes; and a connection cut in the middle of a PATCH body (raw TCP)
//! leaves an offset that HEAD reports and the next PATCH continues from.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::{BASE, Recorder, app, content, sha256};
use satudata_tus::Config;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn serve(config: Config, hooks: Recorder) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = app(config, hooks);
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

/// One HTTP/1.1 exchange on a fresh connection: the status line and headers of the answer.
async fn exchange(addr: SocketAddr, head: &str, body: &[u8]) -> (u16, Vec<(String, String)>) {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let text =
        format!("{head}\r\nHost: {addr}\r\nTus-Resumable: 1.0.0\r\nX-Test-Owner: alice\r\nConnection: close\r\n\r\n");
    stream.write_all(text.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let answer = String::from_utf8_lossy(&answer);
    let mut lines = answer.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    (status, headers)
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

async fn offset(addr: SocketAddr, path: &str) -> u64 {
    let (status, headers) = exchange(addr, &format!("HEAD {path} HTTP/1.1"), b"").await;
    assert_eq!(status, 200);
    header(&headers, "upload-offset").parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_cut_mid_patch_keeps_every_byte_received_and_the_upload_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let hooks = Recorder::default();
    let addr = serve(Config::new(dir.path().join("uploads")), hooks.clone()).await;
    let bytes = content(4 << 20);
    let (status, headers) = exchange(
        addr,
        &format!(
            "POST {BASE} HTTP/1.1\r\nUpload-Length: {}\r\nContent-Length: 0",
            bytes.len()
        ),
        b"",
    )
    .await;
    assert_eq!(status, 201);
    let path = header(&headers, "location").to_owned();
    assert!(path.starts_with(BASE), "{path}");

    // Headers promising the whole file, then 1.5 MiB of it, then the connection closes.
    let half = 3 << 19;
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let head = format!(
        "PATCH {path} HTTP/1.1\r\nHost: {addr}\r\nTus-Resumable: 1.0.0\r\nX-Test-Owner: alice\r\n\
         Content-Type: application/offset+octet-stream\r\nUpload-Offset: 0\r\nContent-Length: {}\r\n\r\n",
        bytes.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    for piece in bytes[..half].chunks(64 * 1024) {
        stream.write_all(piece).await.unwrap();
    }
    stream.shutdown().await.unwrap();
    drop(stream);

    // The server notices the end of the body, flushes and fsyncs: HEAD then says exactly half.
    let started = Instant::now();
    let mut seen = offset(addr, &path).await;
    while seen != half as u64 && started.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(50)).await;
        seen = offset(addr, &path).await;
    }
    assert_eq!(seen, half as u64, "every byte that arrived is kept, and no more");
    assert!(hooks.done.lock().unwrap().is_empty());

    let rest = &bytes[half..];
    let (status, headers) = exchange(
        addr,
        &format!(
            "PATCH {path} HTTP/1.1\r\nContent-Type: application/offset+octet-stream\r\nUpload-Offset: {half}\r\nContent-Length: {}",
            rest.len()
        ),
        rest,
    )
    .await;
    assert_eq!(status, 204);
    assert_eq!(header(&headers, "upload-offset"), bytes.len().to_string());
    let done = hooks.done.lock().unwrap().clone();
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].sha256, sha256(&bytes));
}

fn tuspy_available() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import tusclient"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok && std::env::var_os("CI").is_some() {
        panic!("tuspy is not installed: .ci/run must install it (pip install tuspy)");
    }
    if !ok {
        eprintln!("tuspy not installed: the real-client test is skipped");
    }
    ok
}

/// Where tus-js-client is installed (`.ci/run` puts it there).
fn node_modules() -> std::path::PathBuf {
    match std::env::var_os("SATUDATA_NODE_MODULES") {
        Some(dir) => dir.into(),
        None => Path::new(&std::env::var_os("HOME").unwrap_or_default()).join(".cache/satudata-node/node_modules"),
    }
}

fn tus_js_client_available() -> bool {
    let ok = Command::new("node")
        .env("NODE_PATH", node_modules())
        .args(["-e", "require('tus-js-client')"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok && std::env::var_os("CI").is_some() {
        panic!("tus-js-client is not installed: .ci/run must install it (npm, into $SATUDATA_NODE_MODULES)");
    }
    if !ok {
        eprintln!("tus-js-client not installed: the browser-client test is skipped");
    }
    ok
}

/// A server, a file of `size` bytes to upload, and the hooks that will see it.
struct Scene {
    dir: tempfile::TempDir,
    hooks: Recorder,
    addr: SocketAddr,
    bytes: Vec<u8>,
    file: std::path::PathBuf,
    endpoint: String,
}

async fn scene(size: usize) -> Scene {
    let dir = tempfile::tempdir().unwrap();
    let hooks = Recorder::default();
    let addr = serve(Config::new(dir.path().join("uploads")), hooks.clone()).await;
    let bytes = content(size);
    let file = dir.path().join("penduduk.csv");
    std::fs::write(&file, &bytes).unwrap();
    let endpoint = format!("http://{addr}{BASE}");
    Scene {
        dir,
        hooks,
        addr,
        bytes,
        file,
        endpoint,
    }
}

/// One run of a client fixture script (`program script args…`); its JSON line.
async fn client(program: &str, script: &str, args: &[&std::ffi::OsStr]) -> serde_json::Value {
    let mut command = Command::new(program);
    command.env("NODE_PATH", node_modules());
    command.arg(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(script),
    );
    command.args(args);
    let out = tokio::task::spawn_blocking(move || command.output())
        .await
        .unwrap()
        .unwrap();
    assert!(
        out.status.success(),
        "{script}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

impl Scene {
    /// The first run stopped at 80 % or just past it, and HEAD agrees; nothing was handed over.
    async fn stopped(&self, first: &serde_json::Value) -> u64 {
        let stopped = first["offset"].as_u64().unwrap();
        assert_eq!(first["start"], 0);
        let size = self.bytes.len() as u64;
        assert!(stopped >= size * 8 / 10 && stopped < size, "{first}");
        let url = first["url"].as_str().unwrap();
        let path = url.strip_prefix(&format!("http://{}", self.addr)).unwrap();
        assert_eq!(offset(self.addr, path).await, stopped);
        assert!(self.hooks.done.lock().unwrap().is_empty());
        stopped
    }

    /// The second run resumed the same upload where the first stopped, and finished it whole.
    fn resumed(&self, first: &serde_json::Value, second: &serde_json::Value, stopped: u64) {
        assert_eq!(
            second["url"], first["url"],
            "the second process resumes the same upload"
        );
        assert_eq!(second["start"].as_u64(), Some(stopped), "from where the first stopped");
        assert_eq!(second["offset"].as_u64(), Some(self.bytes.len() as u64));
        let done = self.hooks.done.lock().unwrap().clone();
        assert_eq!(done.len(), 1);
        assert_eq!(done[0].sha256, sha256(&self.bytes));
        assert_eq!(done[0].metadata["filename"], "penduduk 2025.csv");
        assert_eq!(done[0].metadata["dataset"], "penduduk");
        assert_eq!(std::fs::read(&done[0].path).unwrap(), self.bytes);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tuspy_stops_at_80_percent_and_a_second_process_resumes_and_completes() {
    if !tuspy_available() {
        return;
    }
    let scene = scene(6 << 20).await;
    let store = scene.dir.path().join("tus-urls.json");
    let args = |fraction: &'static str| {
        let (endpoint, file) = (scene.endpoint.as_ref(), scene.file.as_os_str());
        [endpoint, file, store.as_os_str(), fraction.as_ref(), "alice".as_ref()]
    };
    let first = client("python3", "tus_client.py", &args("0.8")).await;
    let stopped = scene.stopped(&first).await;
    assert_eq!(
        stopped,
        (scene.bytes.len() as f64 * 0.8) as u64,
        "tuspy stops exactly there"
    );
    // The second process finds the upload's URL in the store that the first one kept.
    let second = client("python3", "tus_client.py", &args("1")).await;
    scene.resumed(&first, &second, stopped);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tus_js_client_aborts_at_80_percent_and_a_second_process_resumes_by_its_url() {
    if !tus_js_client_available() {
        return;
    }
    let scene = scene(5 << 20).await;
    let (endpoint, file) = (scene.endpoint.as_ref(), scene.file.as_os_str());
    let first = client(
        "node",
        "tus_client.js",
        &[endpoint, file, "0.8".as_ref(), "alice".as_ref()],
    )
    .await;
    let stopped = scene.stopped(&first).await;
    let url = first["url"].as_str().unwrap();
    let resume = [endpoint, file, "1".as_ref(), "alice".as_ref(), url.as_ref()];
    let second = client("node", "tus_client.js", &resume).await;
    scene.resumed(&first, &second, stopped);
}
