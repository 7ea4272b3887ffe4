//! `satudata serve` over a real socket: the binary serves what `demo` published, a real HTTP
//! client downloads every file of every release, and `satudata verify` accepts the downloads.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};

use common::{Env, Serving, root};
use serde_json::Value;

async fn json(client: &reqwest::Client, url: &str) -> Value {
    let response = client.get(url).send().await.unwrap();
    assert_eq!(response.status(), 200, "{url}");
    serde_json::from_slice(&response.bytes().await.unwrap()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_hands_out_every_release_file_and_verify_accepts_them() {
    let (env, server) = Serving::after_demo();
    let client = reqwest::Client::new();
    let base = &server.url;
    assert_eq!(json(&client, &format!("{base}/readyz")).await["status"], "ok");

    let datasets = json(&client, &format!("{base}/api/v1/datasets")).await;
    let published: Vec<&Value> = datasets["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| !d["latest_release"].is_null())
        .collect();
    // The demo publishes Disdukcapil's and Dinkes' data; Disdikbud's waits for review.
    assert_eq!(published.len(), 2, "{datasets}");
    let downloads = env.dir.path().join("unduhan");
    for dataset in published {
        let name = dataset["name"].as_str().unwrap();
        let releases = json(
            &client,
            &format!("{base}{}", dataset["links"]["releases"].as_str().unwrap()),
        )
        .await;
        for release in releases["items"].as_array().unwrap() {
            let detail = json(&client, &format!("{base}{}", release["link"].as_str().unwrap())).await;
            let folder = downloads.join(name).join(format!("v{}", detail["version"]));
            std::fs::create_dir_all(&folder).unwrap();
            for file in detail["files"].as_array().unwrap() {
                let url = format!("{base}{}", file["link"].as_str().unwrap());
                let response = client.get(&url).send().await.unwrap();
                assert_eq!(response.status(), 200, "{url}");
                let etag = response.headers()["etag"].to_str().unwrap().to_owned();
                let length: usize = response.headers()["content-length"].to_str().unwrap().parse().unwrap();
                let bytes = response.bytes().await.unwrap();
                assert_eq!(bytes.len(), length);
                assert_eq!(etag, format!("\"{}\"", satudata_core::sha256_hex(&bytes)), "{url}");
                std::fs::write(folder.join(file["name"].as_str().unwrap()), &bytes).unwrap();

                // The same file again: by range, and as a revalidation.
                let part = client.get(&url).header("range", "bytes=1-4").send().await.unwrap();
                assert_eq!(part.status(), 206);
                assert_eq!(part.bytes().await.unwrap(), &bytes[1..5]);
                let again = client.get(&url).header("if-none-match", &etag).send().await.unwrap();
                assert_eq!(again.status(), 304);
                let past = client
                    .get(&url)
                    .header("range", format!("bytes={length}-"))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(past.status(), 416);
                let body: Value = serde_json::from_slice(&past.bytes().await.unwrap()).unwrap();
                assert_eq!(body["error"]["code"], "range-not-satisfiable");
            }
            let verify = env.run(&["verify", folder.to_str().unwrap()]);
            assert_eq!(verify.code, 0, "{}\n{}", verify.stdout, verify.stderr);
        }
    }
    let missing = client.get(format!("{base}/api/v1/tidak-ada")).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    let body: Value = serde_json::from_slice(&missing.bytes().await.unwrap()).unwrap();
    assert_eq!(body["error"]["code"], "route-not-found");

    readme_examples_print_what_they_show(base, env.dir.path());

    let status = server.stop();
    assert!(status.success(), "{status:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_logs_carry_the_request_id_on_every_line_of_a_request() {
    let env = Env::new();
    assert_eq!(env.run(&["init"]).code, 0);
    let server = Serving::start_with(&env, &["--log-format", "json"], "info", Stdio::piped());
    let client = reqwest::Client::new();
    let response = client
        .get(format!("{}/api/v1/datasets/tidak-ada", server.url))
        .header("x-request-id", "uji-log-1")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    assert_eq!(response.headers()["x-request-id"], "uji-log-1");
    let (status, stderr) = server.stop_with_output();
    assert!(status.success(), "{status:?}");
    let lines: Vec<Value> = stderr
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    let of_request: Vec<&Value> = lines
        .iter()
        .filter(|l| l["span"]["request_id"] == "uji-log-1")
        .collect();
    // The refusal and the response line, both inside the request's span.
    assert!(of_request.len() >= 2, "{stderr}");
    assert!(
        of_request.iter().any(|l| l["fields"]["code"] == "not-found"),
        "{stderr}"
    );
    assert!(
        of_request
            .iter()
            .all(|l| l["span"]["route"] == "/api/v1/datasets/{name}"),
        "{stderr}"
    );
}

#[test]
fn serve_refuses_a_directory_that_is_not_a_data_directory() {
    let env = Env::new();
    let run = env.run(&["serve", "--listen", "127.0.0.1:0"]);
    assert_eq!(run.code, 2, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("satudata init"), "{}", run.stderr);
}

/// Runs the README's `curl` examples (its "Server" part, a block `tests/docs.rs` leaves out
/// because it needs a running server) against `base`, and compares what they print.
fn readme_examples_print_what_they_show(base: &str, scratch: &std::path::Path) {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let part = readme.split("### Server").nth(1).unwrap();
    let mut steps: Vec<(String, String)> = Vec::new();
    let mut in_block = false;
    let mut in_curl = false;
    for line in part.lines().take_while(|l| !l.starts_with("## ")) {
        if line.starts_with("```") {
            in_block = !in_block;
            in_curl = false;
        } else if let Some(command) = line.strip_prefix("$ curl").filter(|_| in_block) {
            steps.push((format!("curl{command}"), String::new()));
            in_curl = true;
        } else if in_curl && let Some((_, expected)) = steps.last_mut() {
            expected.push_str(line);
            expected.push('\n');
        }
    }
    assert!(steps.len() >= 4, "the README shows its curl examples");
    for (command, expected) in steps {
        let command = command.replace("http://127.0.0.1:8080", base);
        let out = Command::new("sh")
            .arg("-c")
            .arg(&command)
            .current_dir(scratch)
            .output()
            .unwrap();
        assert!(out.status.success(), "{command}: {out:?}");
        let printed = String::from_utf8_lossy(&out.stdout).into_owned() + "\n";
        let printed = printed.replace("\n\n", "\n");
        let actual = snapbox::filter::NormalizeToExpected::new()
            .redact()
            .normalize(snapbox::Data::text(printed), &snapbox::Data::text(expected.clone()))
            .render()
            .unwrap();
        assert_eq!(actual, expected, "README: $ {command}");
    }
}

/// `demo` tells its story, then keeps serving: the URL it prints answers, and a demo account
/// signs in with the password kept in the data directory.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_keeps_serving_and_its_accounts_sign_in() {
    let env = Env::new();
    let mut child = Command::new(env!("CARGO_BIN_EXE_satudata"))
        .current_dir(root())
        .env_remove("SATUDATA_LANG")
        .env("SATUDATA_LOG", "warn")
        .arg("--data-dir")
        .arg(env.data_dir())
        .args(["demo", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = loop {
        let line = lines.next().expect("the demo stopped before serving").unwrap();
        if let Some(rest) = line.strip_prefix("Satudata melayani di ") {
            break rest.split_whitespace().next().unwrap().to_owned();
        }
    };
    let server = Serving { child, url };
    let client = reqwest::Client::new();
    assert_eq!(json(&client, &format!("{}/readyz", server.url)).await["status"], "ok");
    let kept = std::fs::read_to_string(env.data_dir().join("demo-akun.txt")).unwrap();
    let password = kept
        .lines()
        .find_map(|l| l.strip_prefix("walidata walidata "))
        .and_then(|rest| rest.split(' ').nth(1))
        .unwrap();
    let login = client
        .post(format!("{}/api/v1/auth/login", server.url))
        .header("content-type", "application/json")
        .body(serde_json::json!({ "username": "walidata", "password": password }).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    assert!(server.stop().success());
}
