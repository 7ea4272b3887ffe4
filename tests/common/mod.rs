//! Helpers shared by the end-to-end tests: running the binary in a scratch data directory.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (where `sample_data/` and `pipelines/` are).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A scratch data directory and the binary run against it.
pub struct Env {
    pub dir: tempfile::TempDir,
    /// Datasets outside the sample region made feeds by [`Env::feed`], with their PD.
    fed: std::cell::RefCell<Vec<(String, String)>>,
}

/// What a run printed and returned.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Self {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl Env {
    pub fn new() -> Self {
        Env {
            dir: tempfile::tempdir().unwrap(),
            fed: Default::default(),
        }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Runs `satudata` with the scratch data directory, from the repository root.
    pub fn run(&self, args: &[&str]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_satudata"))
            .current_dir(root())
            .env_remove("SATUDATA_LANG")
            .env_remove("SATUDATA_REPORT_LIMIT")
            .env_remove("SATUDATA_TRUSTED_KEYS")
            .env_remove("SATUDATA_DATABASE_URL")
            .env_remove("SATUDATA_ACCOUNT")
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .arg("--data-dir")
            .arg(self.data_dir())
            .args(args)
            .output()
            .unwrap();
        out.into()
    }

    /// Runs `validate --standard STANDARD --format json EXTRA... FILE` and parses the report;
    /// the run must have checked the file (exit 0 or 1).
    pub fn validate_json(&self, standard: &str, file: &str, extra: &[&str]) -> (i32, serde_json::Value) {
        let mut args = vec!["validate", "--standard", standard, "--format", "json"];
        args.extend(extra);
        args.push(file);
        let run = self.run(&args);
        assert!(
            run.code == 0 || run.code == 1,
            "{file}: exit {}: {}",
            run.code,
            run.stderr
        );
        let report = serde_json::from_str(&run.stdout).unwrap_or_else(|_| panic!("{}\n{}", run.stdout, run.stderr));
        (run.code, report)
    }

    /// Path of a release folder.
    pub fn release(&self, org: &str, dataset: &str, version: u32) -> PathBuf {
        self.data_dir()
            .join("store/datasets")
            .join(org)
            .join(dataset)
            .join(format!("v{version}"))
    }

    /// Initialises the data directory and loads the sample region, its datasets made feeds
    /// ([`Env::feeds`]).
    pub fn with_sample_region() -> Self {
        let env = Env::with_region_only();
        env.feeds();
        env
    }

    /// Initialises the data directory and loads the sample region: no accounts, no switches.
    pub fn with_region_only() -> Self {
        let env = Env::new();
        let init = env.run(&["init"]);
        assert_eq!(init.code, 0, "{}", init.stderr);
        let load = env.run(&["load", "sample_data"]);
        assert_eq!(load.code, 0, "{}", load.stderr);
        env
    }

    /// Makes `dataset` of `organization` a feed, as [`Env::feeds`] does for the sample ones
    /// (the accounts `walidata` and `produsen-{organization}` are made when missing); pipelines
    /// written by [`Env::pipeline`] then submit as its produsen.
    pub fn feed(&self, dataset: &str, organization: &str) {
        let ok = |run: Run| assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
        let account = format!("produsen-{organization}");
        for (name, role, org) in [
            ("walidata", "walidata", None),
            (account.as_str(), "produsen", Some(organization)),
        ] {
            let mut args = vec!["user", "add", "--role", role, "--password", PASSWORD, name];
            if let Some(org) = org {
                args.extend(["--org", org]);
            }
            // An account made before is fine.
            let _ = self.run(&args);
        }
        ok(self.run(&[
            "dataset",
            "auto-approve",
            dataset,
            "--status",
            "terbuka",
            "--as",
            "walidata",
        ]));
        ok(self.run(&["dataset", "consent", dataset, "--as", &account]));
        self.fed
            .borrow_mut()
            .push((dataset.to_owned(), organization.to_owned()));
    }

    /// The sample region's accounts (`produsen-{pd}` for each PD with a dataset, `walidata`),
    /// and every sample dataset made a recurring feed: the verifier's automatic approval with
    /// the dataset's status, and its PD's standing consent. Valid submissions then publish at
    /// once, as they did before review existed.
    pub fn feeds(&self) {
        let ok = |run: Run| assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
        ok(self.run(&["user", "add", "--role", "walidata", "--password", PASSWORD, "walidata"]));
        let mut organizations = Vec::new();
        for (name, organization, status) in sample_datasets() {
            if !organizations.contains(&organization) {
                let account = format!("produsen-{organization}");
                ok(self.run(&[
                    "user",
                    "add",
                    "--role",
                    "produsen",
                    "--org",
                    &organization,
                    "--password",
                    PASSWORD,
                    &account,
                ]));
                organizations.push(organization.clone());
            }
            ok(self.run(&[
                "dataset",
                "auto-approve",
                &name,
                "--status",
                &status,
                "--as",
                "walidata",
            ]));
            let account = format!("produsen-{organization}");
            ok(self.run(&["dataset", "consent", &name, "--as", &account]));
        }
    }

    /// Writes a pipeline file in the scratch folder pointing at `source` (absolute).
    pub fn pipeline(&self, name: &str, dataset: &str, period: &str, source: &Path) -> PathBuf {
        let path = self.dir.path().join(format!("{name}.toml"));
        let fed = self.fed.borrow().clone();
        let account = sample_datasets()
            .into_iter()
            .map(|(name, organization, _)| (name, organization))
            .chain(fed)
            .find(|(name, _)| name == dataset)
            .map(|(_, organization)| format!("account = \"produsen-{organization}\"\n"))
            .unwrap_or_default();
        let text = format!(
            "dataset = \"{dataset}\"\nperiod = \"{period}\"\n{account}[source]\npath = \"{}\"\n",
            source.display()
        );
        std::fs::write(&path, text).unwrap();
        path
    }
}

/// The password of the test accounts.
pub const PASSWORD: &str = "kata-sandi-uji-12345";

/// The sample datasets: (name, organization, status kerahasiaan).
pub fn sample_datasets() -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(root().join("sample_data/datasets"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for path in files {
        let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let text = |key: &str| doc.get(key).and_then(|v| v.as_str()).map(str::to_owned);
        out.push((
            text("name").unwrap(),
            text("organization").unwrap(),
            text("status_kerahasiaan").unwrap_or_else(|| "terbuka".into()),
        ));
    }
    out
}

/// Hex SHA-256 of a file.
pub fn sha256_file(path: &Path) -> String {
    satudata_core::sha256_hex(&std::fs::read(path).unwrap())
}

// Not every test crate starts a server.
#[allow(unused_imports)]
pub use serving::{Serving, signal};
mod serving;
