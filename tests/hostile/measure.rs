//! Running `satudata validate` under `/usr/bin/time` and holding the run to what a case expects.
//!
//! `/usr/bin/time -f "%x %M %e"` measures the binary (exit status, peak RSS in KiB, seconds). A
//! watchdog beside it kills a run that goes far past its bounds (twice the memory, one and a half
//! times the time), so that a reader that does not yet defend itself fails its case quickly
//! instead of taking the shared machine's memory. Every expectation is checked and all that fail
//! are reported together, with what the run did, so a failing case says what the binary does.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The limits one run is held to: peak resident memory and wall-clock time.
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    /// Peak RSS in MiB.
    pub rss_mib: u64,
    /// Wall-clock seconds.
    pub seconds: f64,
}

impl Bounds {
    /// A refused bomb (issue 10): under 300 MB and 5 s.
    pub const BOMB: Bounds = Bounds {
        rss_mib: 300,
        seconds: 5.0,
    };
    /// A small hostile file: what a bomb gets, with room for reading a few MB.
    pub const SMALL: Bounds = Bounds {
        rss_mib: 300,
        seconds: 10.0,
    };
    /// A large input of any shape: under 1.5 GB (issue 10's target), 30 s.
    pub const LARGE: Bounds = Bounds {
        rss_mib: 1536,
        seconds: 30.0,
    };
}

/// A scratch folder for one case: the input, the binary's working folder and its temp folder.
pub struct Case {
    /// The scratch folder (removed when the case ends).
    pub dir: tempfile::TempDir,
    name: &'static str,
}

/// What one run of the binary did.
pub struct Measured {
    /// The case.
    pub name: &'static str,
    /// The exit code, `None` when a signal ended the run.
    pub code: Option<i32>,
    /// The signal that ended the run, as `/usr/bin/time` tells it.
    pub signal: Option<i32>,
    /// The JSON report on stdout, when stdout held one.
    pub report: Option<Value>,
    /// Bytes written to stdout.
    pub stdout_bytes: u64,
    /// The start of stderr.
    pub stderr: String,
    /// Peak RSS in KiB (`%M`).
    pub rss_kib: u64,
    /// Wall-clock seconds (`%e`).
    pub seconds: f64,
    /// Why the watchdog killed the run, if it did.
    pub killed: Option<String>,
    bounds: Bounds,
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A schema in `tests/hostile/`.
pub fn schema(name: &str) -> PathBuf {
    root().join("tests/hostile").join(name)
}

impl Case {
    /// A new scratch folder for the case `name`.
    pub fn new(name: &'static str) -> Self {
        let dir = tempfile::Builder::new()
            .prefix(&format!("satudata-hostile-{name}-"))
            .tempdir()
            .unwrap();
        for sub in ["input", "work/a/b", "tmp"] {
            std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        }
        Case { dir, name }
    }

    /// The path of an input file.
    pub fn input(&self, file: &str) -> PathBuf {
        self.dir.path().join("input").join(file)
    }

    /// Writes an input with the committed generator (`make_hostile.py CASE OUT ARGS...`).
    pub fn generate(&self, case: &str, file: &str, args: &[&str]) -> PathBuf {
        let out = self.input(file);
        let run = Command::new("python3")
            .arg(root().join("tests/hostile/make_hostile.py"))
            .arg(case)
            .arg(&out)
            .args(args)
            .output()
            .expect("python3 runs tests/hostile/make_hostile.py");
        assert!(
            run.status.success(),
            "make_hostile.py {case}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        out
    }

    /// Runs `satudata validate --format json --schema SCHEMA FILE` under `/usr/bin/time`, from
    /// a folder two levels inside the scratch folder, with `TMPDIR` inside it too.
    pub fn validate(&self, schema: &Path, file: &Path, bounds: Bounds) -> Measured {
        let dir = self.dir.path();
        let (stdout_path, timing) = (dir.join("stdout.json"), dir.join("time.txt"));
        let mut child = Command::new(time_binary())
            .arg("-f")
            .arg("%x %M %e")
            .arg("-o")
            .arg(&timing)
            .arg(env!("CARGO_BIN_EXE_satudata"))
            .args(["validate", "--format", "json", "--schema"])
            .arg(schema)
            .arg(file)
            .current_dir(dir.join("work/a/b"))
            .env("TMPDIR", dir.join("tmp"))
            .env_remove("SATUDATA_LANG")
            .env_remove("SATUDATA_REPORT_LIMIT")
            .stdin(Stdio::null())
            .stdout(std::fs::File::create(&stdout_path).unwrap())
            .stderr(std::fs::File::create(dir.join("stderr.txt")).unwrap())
            .spawn()
            .expect("/usr/bin/time runs (apt-get install time)");
        let killed = watch(&mut child, bounds);
        let (code, signal, rss_kib, seconds) = parse_time(&std::fs::read_to_string(&timing).unwrap_or_default());
        let stdout_bytes = std::fs::metadata(&stdout_path).map_or(0, |m| m.len());
        // A report past 64 MiB is a failure on its own; it is not read back.
        let report = (stdout_bytes < 64 << 20)
            .then(|| std::fs::read(&stdout_path).ok())
            .flatten()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok());
        let stderr = std::fs::read(dir.join("stderr.txt")).unwrap_or_default();
        let stderr = String::from_utf8_lossy(&stderr[..stderr.len().min(2000)]).into_owned();
        Measured {
            name: self.name,
            code,
            signal,
            report,
            stdout_bytes,
            stderr,
            rss_kib,
            seconds,
            killed,
            bounds,
        }
    }
}

/// `/usr/bin/time`, GNU's, which `%M` needs (a shell's `time` keyword has no `-f`).
fn time_binary() -> &'static str {
    let path = "/usr/bin/time";
    assert!(
        Path::new(path).exists(),
        "{path} is missing: apt-get install -y time (.ci/run does)"
    );
    path
}

/// Waits for the run, killing the binary when it passes twice its memory bound or one and a
/// half times its time bound; says why it killed it.
fn watch(child: &mut std::process::Child, bounds: Bounds) -> Option<String> {
    let start = Instant::now();
    let rss_cap_kib = bounds.rss_mib * 2 * 1024;
    let time_cap = Duration::from_secs_f64(bounds.seconds * 1.5 + 2.0);
    let mut binary = None;
    let mut killed = None;
    while child.try_wait().unwrap().is_none() {
        if binary.is_none() {
            binary = child_of(child.id());
        }
        if killed.is_none()
            && let Some(pid) = binary
        {
            let rss = rss_kib(pid).unwrap_or(0);
            let reason = if rss > rss_cap_kib {
                Some(format!("killed at {} MiB RSS", rss / 1024))
            } else if start.elapsed() > time_cap {
                Some(format!("killed after {:.0} s", start.elapsed().as_secs_f64()))
            } else {
                None
            };
            if let Some(reason) = reason {
                let _ = Command::new("kill").arg("-KILL").arg(pid.to_string()).status();
                killed = Some(reason);
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    killed
}

/// The process whose parent is `parent` (the binary under `/usr/bin/time`), from `/proc`.
fn child_of(parent: u32) -> Option<u32> {
    std::fs::read_dir("/proc").ok()?.flatten().find_map(|entry| {
        let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
        let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
        // pid (comm) state ppid ...: comm may hold spaces, so read after its closing parenthesis.
        let ppid: u32 = stat.rsplit_once(')')?.1.split_whitespace().nth(1)?.parse().ok()?;
        (ppid == parent).then_some(pid)
    })
}

/// The resident memory of a process in KiB, from `/proc/PID/status`.
fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Exit code, signal, peak RSS (KiB) and seconds from `/usr/bin/time -f "%x %M %e"` output,
/// which starts with "Command terminated by signal N" when a signal ended the run.
fn parse_time(text: &str) -> (Option<i32>, Option<i32>, u64, f64) {
    let signal = text
        .lines()
        .find_map(|l| l.strip_prefix("Command terminated by signal "))
        .and_then(|n| n.trim().parse().ok());
    let last: Vec<&str> = text.lines().last().unwrap_or("").split_whitespace().collect();
    let code = last.first().and_then(|c| c.parse().ok()).filter(|_| signal.is_none());
    let rss = last.get(1).and_then(|m| m.parse().ok()).unwrap_or(0);
    let seconds = last.get(2).and_then(|s| s.parse().ok()).unwrap_or(f64::NAN);
    (code, signal, rss, seconds)
}

/// What a run must have done; [`Expect::done`] fails the test listing every unmet expectation.
pub struct Expect<'a> {
    run: &'a Measured,
    problems: Vec<String>,
}

impl Measured {
    /// Starts checking the run; memory and time are always held to the case's bounds.
    pub fn expect(&self) -> Expect<'_> {
        let mut problems = Vec::new();
        if let Some(reason) = &self.killed {
            problems.push(format!("the watchdog stopped it: {reason}"));
        }
        if let Some(signal) = self.signal {
            problems.push(format!(
                "ended by signal {signal} (6: abort, a stack overflow; 9: killed)"
            ));
        }
        let rss_mib = self.rss_kib / 1024;
        if rss_mib >= self.bounds.rss_mib {
            problems.push(format!("peak RSS {rss_mib} MiB, bound {} MiB", self.bounds.rss_mib));
        }
        // NaN (no timing written) fails too.
        if self.seconds.is_nan() || self.seconds >= self.bounds.seconds {
            problems.push(format!("took {:.2} s, bound {} s", self.seconds, self.bounds.seconds));
        }
        if self.report.is_none() {
            problems.push("stdout holds no JSON report".into());
        }
        Expect { run: self, problems }
    }

    /// The report's `totals_by_code`, as (code, count) pairs.
    pub fn totals(&self) -> Vec<(String, u64)> {
        let totals = self.report.as_ref().and_then(|r| r["totals_by_code"].as_object());
        totals
            .map(|t| t.iter().map(|(k, v)| (k.clone(), v.as_u64().unwrap_or(0))).collect())
            .unwrap_or_default()
    }

    /// The listed findings of the report.
    pub fn findings(&self) -> Vec<Value> {
        let findings = self.report.as_ref().and_then(|r| r["findings"].as_array());
        findings.cloned().unwrap_or_default()
    }

    /// One line saying what the run did.
    pub fn summary(&self) -> String {
        let first = self.findings().first().map_or(String::new(), |f| {
            let message = f["message_en"].as_str().unwrap_or("");
            format!("; first: {}", message.chars().take(300).collect::<String>())
        });
        let rows = self.report.as_ref().map_or(Value::Null, |r| r["rows"].clone());
        format!(
            "{}: exit {}, {} MiB peak RSS, {:.2} s, rows {rows}, totals {:?}, report {} bytes{first}",
            self.name,
            self.code.map_or_else(|| "-".to_owned(), |c| c.to_string()),
            self.rss_kib / 1024,
            self.seconds,
            self.totals(),
            self.stdout_bytes,
        )
    }
}

impl Expect<'_> {
    /// The exit code is one of `codes`.
    pub fn exit(mut self, codes: &[i32]) -> Self {
        if !self.run.code.is_some_and(|c| codes.contains(&c)) {
            self.problems
                .push(format!("exit {:?}, expected one of {codes:?}", self.run.code));
        }
        self
    }

    /// The report counts exactly these finding codes, no others.
    pub fn codes(mut self, codes: &[&str]) -> Self {
        let mut found: Vec<String> = self.run.totals().into_iter().map(|(c, _)| c).collect();
        found.sort();
        let mut wanted: Vec<String> = codes.iter().map(|c| (*c).to_owned()).collect();
        wanted.sort();
        if found != wanted {
            self.problems
                .push(format!("finding codes {found:?}, expected {wanted:?}"));
        }
        self
    }

    /// The report counts some of `any` and nothing outside `allowed`.
    pub fn codes_among(mut self, any: &[&str], allowed: &[&str]) -> Self {
        let found: Vec<String> = self.run.totals().into_iter().map(|(c, _)| c).collect();
        if !found.iter().any(|c| any.contains(&c.as_str())) {
            self.problems
                .push(format!("finding codes {found:?}, expected one of {any:?}"));
        }
        if let Some(other) = found.iter().find(|c| !allowed.contains(&c.as_str())) {
            self.problems
                .push(format!("finding code {other}, expected only {allowed:?}"));
        }
        self
    }

    /// A finding with `code` has a message (Indonesian or English) holding `needle`, in any case.
    pub fn message(self, code: &str, needle: &str) -> Self {
        self.message_any(code, &[needle])
    }

    /// A finding with `code` has a message holding one of `needles` (a number written with or
    /// without thousands separators), in any case.
    pub fn message_any(mut self, code: &str, needles: &[&str]) -> Self {
        let needles: Vec<String> = needles.iter().map(|n| n.to_lowercase()).collect();
        let found = self.run.findings().iter().any(|f| {
            f["code"] == code
                && ["message_id", "message_en"].iter().any(|k| {
                    f[k].as_str()
                        .is_some_and(|m| needles.iter().any(|n| m.to_lowercase().contains(n)))
                })
        });
        if !found {
            self.problems.push(format!("no {code} finding says one of {needles:?}"));
        }
        self
    }

    /// The report counts `rows` data rows.
    pub fn rows(mut self, rows: u64) -> Self {
        let got = self.run.report.as_ref().and_then(|r| r["rows"].as_u64());
        if got != Some(rows) {
            self.problems.push(format!("rows {got:?}, expected {rows}"));
        }
        self
    }

    /// Any other expectation: `check` gives the report and says what is wrong, if anything.
    pub fn that(mut self, check: impl FnOnce(&Value) -> Result<(), String>) -> Self {
        if let Some(report) = &self.run.report
            && let Err(problem) = check(report)
        {
            self.problems.push(problem);
        }
        self
    }

    /// Fails the test when any expectation is unmet, naming each and what the run did.
    pub fn done(self) {
        if !self.problems.is_empty() {
            panic!(
                "{}\n  - {}\n  stderr: {}",
                self.run.summary(),
                self.problems.join("\n  - "),
                self.run.stderr.trim()
            );
        }
        eprintln!("{}", self.run.summary());
    }
}

#[test]
fn time_output_is_parsed_with_and_without_a_signal() {
    assert_eq!(parse_time("1 25468 0.01\n"), (Some(1), None, 25468, 0.01));
    let killed = parse_time("Command terminated by signal 9\n137 1491512 60.29\n");
    assert_eq!((killed.0, killed.1, killed.2), (None, Some(9), 1491512));
}
