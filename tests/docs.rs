//! The command examples of `README.md`, the user guides (`docs/guide.md`, `docs/panduan.md`) and
//! the operations guides (`docs/operations.md`, `docs/operasi.md`) are run as written.
//!
//! Every ```` ```console ```` block of those files holds commands (`$ satudata …`), each followed
//! by what it prints (stdout and stderr together) and, on a `? 1` or `? 2` line right after the
//! command, its exit code (0 when there is none). The blocks of one file run in order, in one
//! scratch folder holding copies of `sample_data/`, `pipelines/`, `schemas/` and
//! `tests/fixtures/`, so `satudata-data/` is made there and the repository is never written.
//! Output that truly varies is elided: `[..]` within a line, `...` on a line of its own for any
//! number of lines, `[CWD]` for the scratch folder. Blank lines at the end of an output only
//! separate it from the next command. Besides `satudata`, an example may run `cp` (to make a copy
//! to tamper with). A block that must not run (it needs the network, or a peer that another test
//! covers) is marked ```` ```console,ignore ````.
//!
//! A block whose info string names a file (```` ```toml file=x.toml ````) shows that file whole:
//! it is written into the scratch folder before the commands run or, when the repository ships
//! that file, must equal it.
//!
//! After a change of output, rewrite the examples with what the commands print now, then review
//! every hunk (elisions that still match are kept; a changed line is written out in full):
//!
//! ```text
//! SNAPSHOTS=overwrite cargo test --workspace --test docs
//! git diff README.md docs/
//! ```

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read as _, Seek as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use snapbox::Data;
use snapbox::filter::NormalizeToExpected;

/// The files whose examples are run, relative to the repository root.
const DOCS: [&str; 5] = [
    "README.md",
    "docs/guide.md",
    "docs/panduan.md",
    "docs/operations.md",
    "docs/operasi.md",
];

/// The folders the examples name by relative path, copied beside each file's run.
const FOLDERS: [&str; 4] = ["sample_data", "pipelines", "schemas", "tests/fixtures"];

#[test]
fn command_examples_in_the_docs_print_what_they_show() {
    let overwrite = std::env::var_os("SNAPSHOTS").is_some_and(|mode| mode == "overwrite");

    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scratch = tempfile::tempdir().unwrap();
    let scratch = scratch.path();
    let failures: Vec<String> = std::thread::scope(|scope| {
        let runs: Vec<_> = DOCS
            .iter()
            .map(|doc| scope.spawn(move || check_doc(root, doc, scratch, overwrite)))
            .collect();
        runs.into_iter().flat_map(|run| run.join().unwrap()).collect()
    });
    assert!(
        failures.is_empty(),
        "{} example(s) print otherwise than the docs show (rewrite them with \
         SNAPSHOTS=overwrite, then review the diff):\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// One command of a console block and what the doc says it prints.
struct Step {
    /// Index of the `$` line.
    line: usize,
    /// Index of the first line after the command (its `?` line or its output).
    output_start: usize,
    /// Index of the line after its output (the next `$` or the closing fence).
    output_end: usize,
    command: String,
    status: i32,
    expected: String,
}

/// Runs the examples of `doc` in its own scratch folder; returns one message per mismatch, after
/// writing the actual outputs into `doc` when `overwrite` is set.
fn check_doc(root: &Path, doc: &str, scratch: &Path, overwrite: bool) -> Vec<String> {
    let cwd = scratch.join(doc.replace('/', "-"));
    for folder in FOLDERS {
        copy_tree(&root.join(folder), &cwd.join(folder));
    }
    let text = std::fs::read_to_string(root.join(doc)).unwrap();
    write_files_shown(doc, &text, &cwd);
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let mut redactions = snapbox::Redactions::new();
    redactions.insert("[CWD]", cwd.clone()).unwrap();

    let mut failures = Vec::new();
    let mut rewrites = Vec::new();
    for step in steps(doc, &lines) {
        let (status, printed) = run(&step.command, &cwd);
        let actual = NormalizeToExpected::new()
            .redact_with(&redactions)
            .normalize(Data::text(printed), &Data::text(step.expected.clone()))
            .render()
            .unwrap();
        if actual == step.expected && status == step.status {
            continue;
        }
        failures.push(format!(
            "{doc}:{}: $ {}\n--- shown (exit {}):\n{}--- printed (exit {status}):\n{actual}",
            step.line + 1,
            step.command,
            step.status,
            step.expected
        ));
        let mut new: Vec<String> = Vec::new();
        if status != 0 {
            new.push(format!("? {status}"));
        }
        new.extend(actual.lines().map(str::to_owned));
        if !actual.is_empty() {
            new.push(String::new());
        }
        rewrites.push((step.output_start..step.output_end, new));
    }
    if overwrite && !rewrites.is_empty() {
        for (range, new) in rewrites.into_iter().rev() {
            lines.splice(range, new);
        }
        std::fs::write(root.join(doc), lines.join("\n") + "\n").unwrap();
        eprintln!("rewritten: {doc}");
        return Vec::new();
    }
    failures
}

/// The commands of the console blocks of `lines`, in order.
fn steps(doc: &str, lines: &[String]) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut in_block = false;
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        if !in_block {
            in_block = line
                .strip_prefix("```console")
                .is_some_and(|info| !info.split(',').any(|word| word.trim() == "ignore"));
            i += 1;
            continue;
        }
        if line.starts_with("```") {
            in_block = false;
            i += 1;
            continue;
        }
        let command = line
            .strip_prefix("$ ")
            .unwrap_or_else(|| panic!("{doc}:{}: a console block line must start with `$ `", i + 1));
        let start = i;
        i += 1;
        let mut status = 0;
        if let Some(code) = lines.get(i).and_then(|l| l.strip_prefix("? ")) {
            status = code.trim().parse().expect("`? N` holds an exit code");
            i += 1;
        }
        let output_from = i;
        while i < lines.len() && !lines[i].starts_with("$ ") && !lines[i].starts_with("```") {
            i += 1;
        }
        steps.push(Step {
            line: start,
            output_start: start + 1,
            output_end: i,
            command: command.to_owned(),
            status,
            expected: text_of(&lines[output_from..i].join("\n")),
        });
    }
    steps
}

/// `printed` without trailing blank lines, every line ending in a newline.
fn text_of(printed: &str) -> String {
    let trimmed = printed.trim_end_matches(['\n', '\r', ' ']);
    if trimmed.is_empty() {
        String::new()
    } else {
        trimmed.replace("\r\n", "\n") + "\n"
    }
}

/// Runs one command line in `cwd`: its exit code and what it printed to stdout and stderr, in
/// the order it printed them.
fn run(command: &str, cwd: &Path) -> (i32, String) {
    let words = split_words(command);
    let program = match words[0].as_str() {
        "satudata" => PathBuf::from(env!("CARGO_BIN_EXE_satudata")),
        "cp" => on_path("cp"),
        other => panic!("examples run satudata or cp, not {other}"),
    };
    let mut log = tempfile::tempfile().unwrap();
    let mut command = Command::new(program);
    // The examples show satudata's defaults: no SATUDATA_* setting of the machine reaches them.
    for (key, _) in std::env::vars().filter(|(key, _)| key.starts_with("SATUDATA_")) {
        command.env_remove(key);
    }
    let status = command
        .args(&words[1..])
        .current_dir(cwd)
        // Only what the example says counts: no pinned keys, data directory or language of the
        // machine that runs the test.
        .env("XDG_CONFIG_HOME", cwd.join(".config"))
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log.try_clone().unwrap())
        .status()
        .unwrap();
    let mut printed = Vec::new();
    log.rewind().unwrap();
    log.read_to_end(&mut printed).unwrap();
    (status.code().unwrap_or(-1), text_of(&String::from_utf8_lossy(&printed)))
}

/// Splits a command line into words as a shell does for plain words and quoted ones.
fn split_words(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut quote: Option<char> = None;
    for c in command.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.get_or_insert_default().push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                word.get_or_insert_default();
            }
            (None, c) if c.is_whitespace() => words.extend(word.take()),
            (None, c) => word.get_or_insert_default().push(c),
        }
    }
    words.extend(word);
    words
}

/// Writes each block of `markdown` marked `file=PATH` into `cwd`, or checks it against the
/// shipped file of that path.
fn write_files_shown(doc: &str, markdown: &str, cwd: &Path) {
    let mut lines = markdown.lines();
    while let Some(line) = lines.next() {
        let Some(info) = line.strip_prefix("```") else {
            continue;
        };
        let Some(path) = info.split_whitespace().find_map(|word| word.strip_prefix("file=")) else {
            continue;
        };
        let body: Vec<&str> = lines.by_ref().take_while(|l| !l.starts_with("```")).collect();
        let content = body.join("\n") + "\n";
        let target = cwd.join(path);
        match std::fs::read_to_string(&target) {
            Ok(shipped) => assert_eq!(
                shipped.replace("\r\n", "\n"),
                content,
                "{doc} shows {path} otherwise than the repository has it"
            ),
            Err(_) => {
                std::fs::create_dir_all(target.parent().unwrap()).unwrap();
                std::fs::write(&target, content).unwrap();
            }
        }
    }
}

/// Copies the folder `from` to `to`, recursively.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The full path of the program `name` on `PATH`.
fn on_path(name: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
        .unwrap_or_else(|| panic!("{name} is not on PATH"))
}
