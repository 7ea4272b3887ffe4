//! `satudata serve` as a child process on a free port, for the tests that talk to it over a
//! real socket.

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};

use super::{Env, root};

/// The server process, stopped (SIGTERM) when dropped if still running.
pub struct Serving {
    /// The process.
    pub child: Child,
    /// Where it serves (`http://127.0.0.1:PORT`).
    pub url: String,
}

impl Serving {
    /// Plays `demo` (without serving) in a new scratch folder, then starts `serve` over what it
    /// published: the folder (dropped last) and the server.
    pub fn after_demo() -> (Env, Self) {
        let env = Env::new();
        let demo = env.run(&["demo", "--no-serve"]);
        assert_eq!(demo.code, 0, "{}\n{}", demo.stdout, demo.stderr);
        let server = Self::start(&env);
        (env, server)
    }

    /// Starts `serve` on a free port, logging warnings to the test's stderr.
    pub fn start(env: &Env) -> Self {
        Self::start_with(env, &[], "warn", Stdio::inherit())
    }

    /// Starts `serve` with `args` after `--listen`, logging at `log` to `stderr`.
    pub fn start_with(env: &Env, args: &[&str], log: &str, stderr: Stdio) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_satudata"))
            .current_dir(root())
            .env_remove("SATUDATA_LANG")
            .env("SATUDATA_LOG", log)
            .arg("--data-dir")
            .arg(env.data_dir())
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let first = lines.next().unwrap().unwrap();
        let second = lines.next().unwrap().unwrap();
        assert_eq!(second, "Tekan Ctrl+C untuk berhenti.");
        let url = first
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in {first:?}"))
            .to_owned();
        assert!(first.starts_with(&format!("Satudata melayani di {url} ")), "{first}");
        Serving { child, url }
    }

    /// Sends SIGTERM and waits: a graceful stop exits 0.
    pub fn stop(self) -> std::process::ExitStatus {
        self.stop_with_output().0
    }

    /// Sends SIGTERM, waits, and gives what it wrote to a piped stderr.
    pub fn stop_with_output(mut self) -> (std::process::ExitStatus, String) {
        signal(&self.child, "TERM");
        let mut stderr = String::new();
        if let Some(mut pipe) = self.child.stderr.take() {
            std::io::Read::read_to_string(&mut pipe, &mut stderr).unwrap();
        }
        (self.child.wait().unwrap(), stderr)
    }
}

/// Sends signal `name` (`TERM`, `KILL`) to `child`.
pub fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .arg(format!("-{name}"))
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(status.success());
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
