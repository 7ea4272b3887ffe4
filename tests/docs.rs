//! The command examples of `README.md`, `docs/guide.md` and `docs/panduan.md` are run as written.
//!
//! Every ```` ```console ```` block of those files holds commands (`$ satudata …`), each followed
//! by what it prints (stdout and stderr together) and, on a `? 1` or `? 2` line right after the
//! command, its exit code (0 when there is none). The blocks of one file run in order, in one
//! scratch folder holding copies of `sample_data/`, `pipelines/`, `schemas/` and
//! `tests/fixtures/`, so `satudata-data/` is made there and the repository is never written.
//! Output that truly varies is elided: `[..]` within a line, `...` on a line of its own for any
//! number of lines, `[CWD]` for the scratch folder. A block that must not run (it needs the
//! network or a peer that another test covers) is marked ```` ```console,ignore ````.
//!
//! After a change of output, rewrite the examples with what the commands print now, then review
//! every hunk of the diff (a rewritten block loses its elisions: put them back by hand):
//!
//! ```text
//! TRYCMD=overwrite cargo test --workspace --test docs
//! git diff README.md docs/
//! ```

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

/// The files whose examples are run, relative to the repository root.
const DOCS: [&str; 3] = ["README.md", "docs/guide.md", "docs/panduan.md"];

/// The folders the examples name by relative path, copied beside each file's run.
const FOLDERS: [&str; 4] = ["sample_data", "pipelines", "schemas", "tests/fixtures"];

#[test]
fn command_examples_in_the_docs_print_what_they_show() {
    let leaked: Vec<String> = std::env::vars()
        .map(|(key, _)| key)
        .filter(|key| key.starts_with("SATUDATA_"))
        .collect();
    assert!(
        leaked.is_empty(),
        "unset {leaked:?}: the examples show satudata's defaults"
    );

    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scratch = tempfile::tempdir().unwrap();
    let copies: Vec<(PathBuf, PathBuf)> = DOCS
        .iter()
        .map(|doc| (root.join(doc), stage(root, doc, scratch.path())))
        .collect();

    let cases = trycmd::TestCases::new();
    cases.register_bin("satudata", Path::new(env!("CARGO_BIN_EXE_satudata")));
    for (_, copy) in &copies {
        cases.case(copy);
    }
    cases.run();

    // In overwrite mode trycmd rewrote the copies; carry the new outputs back.
    if std::env::var_os("TRYCMD").is_some_and(|mode| mode == "overwrite") {
        for (doc, copy) in &copies {
            let new = std::fs::read(copy).unwrap();
            if std::fs::read(doc).unwrap() != new {
                std::fs::write(doc, new).unwrap();
                eprintln!("rewritten: {}", doc.display());
            }
        }
    }
}

/// Copies `doc` to its own folder under `scratch`, with the folders its examples read in
/// `<name>.in/`, which trycmd makes the working directory; returns the copy's path.
fn stage(root: &Path, doc: &str, scratch: &Path) -> PathBuf {
    let name = Path::new(doc).file_name().unwrap();
    let dir = scratch.join(Path::new(name).file_stem().unwrap());
    let copy = dir.join(name);
    let cwd = copy.with_extension("in");
    for folder in FOLDERS {
        copy_tree(&root.join(folder), &cwd.join(folder));
    }
    std::fs::copy(root.join(doc), &copy).unwrap();
    copy
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
