//! The public portal in a real browser: headless Chromium (Debian's `chromium`) driven by
//! playwright-core, with axe-core on every page type, over what `demo` published
//! (`tests/browser/portal.cjs`). `.ci/run` installs both; elsewhere the test says it skipped.
//! With `SATUDATA_SCREENSHOTS=docs/screenshots` it also writes the screenshots the docs link.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::{Serving, root};

/// Where playwright-core and axe-core are installed (`.ci/run` puts them there).
fn node_modules() -> Option<PathBuf> {
    let dir = std::env::var_os("SATUDATA_NODE_MODULES").map(PathBuf::from)?;
    let found = Command::new("node")
        .env("NODE_PATH", &dir)
        .args(["-e", "require('playwright-core'); require('axe-core')"])
        .status()
        .is_ok_and(|s| s.success());
    found.then_some(dir)
}

#[test]
fn the_portal_works_in_a_browser_and_passes_axe() {
    let chromium = std::path::Path::new("/usr/bin/chromium").exists();
    let modules = node_modules();
    let Some(modules) = modules.filter(|_| chromium) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI=true but chromium (apt) or playwright-core and axe-core (npm, in $SATUDATA_NODE_MODULES) are missing"
        );
        eprintln!("note: browser test skipped: no chromium or no playwright-core/axe-core");
        return;
    };
    let (env, server) = Serving::after_demo();
    let shots = match std::env::var_os("SATUDATA_SCREENSHOTS") {
        Some(dir) => root().join(dir),
        None => env.dir.path().join("layar"),
    };
    std::fs::create_dir_all(&shots).unwrap();
    let out = Command::new("node")
        .env("NODE_PATH", &modules)
        .arg(root().join("tests/browser/portal.cjs"))
        .arg(&server.url)
        .arg(&shots)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("ok: the downloaded data.csv has the SHA-256 the page shows"),
        "{stdout}"
    );
    assert!(
        std::fs::read_dir(&shots).unwrap().count() >= 7,
        "screenshots in {}",
        shots.display()
    );
}
