//! Pipelines that fetch their file by URL, against a real HTTP server on loopback: the file
//! is published; an error status, a body over the limit, a slow server and a non-HTTP URL are
//! clear errors (exit 2) and publish nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;

use common::{Env, root};

/// Serves `count` requests on loopback with `status` and `body`, after `delay`.
fn serve(count: usize, status: &'static str, body: Vec<u8>, delay: Duration) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(count) {
            let Ok(mut stream) = stream else { continue };
            let mut request = Vec::new();
            let mut buf = [0u8; 1024];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            std::thread::sleep(delay);
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Type: text/csv\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
    });
    format!("http://{address}")
}

fn pipeline(env: &Env, name: &str, source: &str) -> String {
    let path = env.dir.path().join(format!("{name}.toml"));
    std::fs::write(
        &path,
        format!(
            "dataset = \"sekolah-jenjang\"\nperiod = \"2024\"\naccount = \"produsen-disdikbud\"\n[source]\n{source}\n"
        ),
    )
    .unwrap();
    path.display().to_string()
}

#[test]
fn a_pipeline_fetches_its_file_by_url() {
    let env = Env::with_sample_region();
    let csv = std::fs::read(root().join("sample_data/submissions/sekolah-2024.csv")).unwrap();
    let base = serve(1, "200 OK", csv, Duration::ZERO);
    let p = pipeline(&env, "ok", &format!("url = \"{base}/data/sekolah-2024.csv\""));
    let run = env.run(&["run", &p]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("Rilis v1 diterbitkan"), "{}", run.stdout);
}

#[test]
fn fetch_failures_are_clear_errors() {
    let env = Env::with_sample_region();
    let missing = serve(1, "404 Not Found", b"tidak ada".to_vec(), Duration::ZERO);
    let p = pipeline(&env, "404", &format!("url = \"{missing}/x.csv\""));
    let run = env.run(&["run", &p]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("server menjawab HTTP 404"), "{}", run.stderr);

    let big = serve(1, "200 OK", vec![b'a'; 10_000], Duration::ZERO);
    let p = pipeline(&env, "besar", &format!("url = \"{big}/x.csv\"\nmax_bytes = 1000"));
    let run = env.run(&["run", &p]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("isinya melebihi batas 1000 bita"), "{}", run.stderr);

    let slow = serve(1, "200 OK", b"a\n1\n".to_vec(), Duration::from_secs(4));
    let p = pipeline(&env, "lambat", &format!("url = \"{slow}/x.csv\"\ntimeout_seconds = 1"));
    let started = std::time::Instant::now();
    let run = env.run(&["run", &p]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "the timeout must cut the request short"
    );
    assert!(
        run.stderr.contains("tidak ada jawaban dalam batas waktu"),
        "{}",
        run.stderr
    );

    let p = pipeline(&env, "ftp", "url = \"ftp://127.0.0.1/x.csv\"");
    let run = env.run(&["run", &p]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("harus diawali http:// atau https://"),
        "{}",
        run.stderr
    );

    let p = pipeline(&env, "dua", "url = \"http://127.0.0.1/x.csv\"\npath = \"x.csv\"");
    let run = env.run(&["run", &p]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("tepat satu dari path dan url"), "{}", run.stderr);
    assert!(!env.release("disdikbud", "sekolah-jenjang", 1).exists());
}
