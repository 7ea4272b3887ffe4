//! `satudata verify`: a release folder against its manifest, its signature and the keys the
//! reader trusts.
//!
//! Trusted keys, the first source that gives any: `--public-key` and `--trusted-keys`
//! (or `SATUDATA_TRUSTED_KEYS`); otherwise the data directory's own key together with the
//! keys pinned in `$XDG_CONFIG_HOME/satudata/trusted-keys` (`~/.config/satudata/trusted-keys`).
//! With none, the signer is unknown and the release does not pass; `--any-signer` checks
//! integrity only.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Result, bail};
use satudata_core::{Lang, messages::render};
use satudata_publish::{Problem, Trust, TrustedKey, Verification};

/// Arguments of `satudata verify`.
#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// Folder rilis / release folder (…/v1).
    pub(crate) release: PathBuf,
    /// Kunci publik tepercaya / trusted public key: 64 hex digits, or a file holding them
    /// (default: the data directory's key and the pinned keys).
    #[arg(long)]
    public_key: Option<String>,
    /// Berkas kunci tepercaya / trusted-keys file: one key a line, its hex then an optional
    /// name; `#` starts a comment [default: ~/.config/satudata/trusted-keys, with the data
    /// directory's key].
    #[arg(long, env = "SATUDATA_TRUSTED_KEYS")]
    trusted_keys: Option<PathBuf>,
    /// Periksa keutuhan saja, siapa pun penanda tangannya / check integrity only, whoever
    /// signed.
    #[arg(long, conflicts_with = "public_key")]
    any_signer: bool,
}

/// Runs `verify`: exit 0 when the release is intact and signed by a trusted key (or, with
/// `--any-signer`, by any key), 1 otherwise.
pub fn run(data_dir: &Path, args: VerifyArgs, lang: Lang) -> Result<ExitCode> {
    let trust = trust(data_dir, &args, lang)?;
    let verification = satudata_publish::verify_dir(&args.release, &trust).map_err(|e| {
        let detail = e.to_string();
        let path = args.release.display().to_string();
        anyhow::anyhow!(
            "{}",
            render(lang, "cli.release-unreadable", &[("path", &path), ("detail", &detail)])
        )
    })?;
    let path = args.release.display().to_string();
    let Verification {
        problems,
        signer,
        trusted,
    } = verification;
    if !problems.is_empty() {
        let header = if problems.iter().all(Problem::is_about_signer) {
            "cli.verify-untrusted"
        } else {
            "cli.verify-failed"
        };
        say!("{}", render(lang, header, &[("path", &path)]));
        for p in problems {
            say!("- {}", p.message(lang));
        }
        return Ok(ExitCode::from(1));
    }
    let files = std::fs::read_dir(&args.release)?.count().to_string();
    let key = signer.unwrap_or_default();
    let line = match trusted {
        Some(t) if !t.name.is_empty() => render(
            lang,
            "cli.verify-ok",
            &[
                ("path", &path),
                ("files", &files),
                ("signer", &format!("{} ({key})", t.name)),
            ],
        ),
        Some(_) => render(
            lang,
            "cli.verify-ok",
            &[("path", &path), ("files", &files), ("signer", &key)],
        ),
        None => render(
            lang,
            "cli.verify-any-signer",
            &[("path", &path), ("files", &files), ("key", &key)],
        ),
    };
    say!("{line}");
    Ok(ExitCode::SUCCESS)
}

/// The keys this run trusts (see the module documentation).
fn trust(data_dir: &Path, args: &VerifyArgs, lang: Lang) -> Result<Trust> {
    if args.any_signer {
        return Ok(Trust::AnySigner);
    }
    let mut keys = Vec::new();
    if let Some(k) = &args.public_key {
        keys.push(public_key(k, lang)?);
    }
    if let Some(file) = &args.trusted_keys {
        keys.extend(trusted_keys_file(file, lang)?);
    }
    if args.public_key.is_some() || args.trusted_keys.is_some() {
        return Ok(Trust::Keys(keys));
    }
    let own = data_dir.join("keys/kenirsangkalan.pub");
    if own.is_file() {
        let text = std::fs::read_to_string(&own)?;
        let name = render(lang, "cli.verify-own-key", &[("path", &data_dir.display().to_string())]);
        let key = TrustedKey::from_hex(&text, &name).map_err(|_| invalid_key(&own.display().to_string(), lang))?;
        keys.push(key);
    }
    if let Some(pinned) = default_trusted_keys().filter(|p| p.is_file()) {
        keys.extend(trusted_keys_file(&pinned, lang)?);
    }
    Ok(Trust::Keys(keys))
}

/// `--public-key`: the hex itself, or a file holding it.
fn public_key(text: &str, lang: Lang) -> Result<TrustedKey> {
    let path = Path::new(text);
    let hex = if path.is_file() {
        std::fs::read_to_string(path)?
    } else {
        text.to_owned()
    };
    TrustedKey::from_hex(&hex, "--public-key").map_err(|_| invalid_key(text, lang))
}

fn invalid_key(key: &str, lang: Lang) -> anyhow::Error {
    anyhow::anyhow!("{}", render(lang, "cli.public-key-invalid", &[("key", key)]))
}

fn trusted_keys_file(path: &Path, lang: Lang) -> Result<Vec<TrustedKey>> {
    let shown = path.display().to_string();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => bail!(
            "{}",
            render(
                lang,
                "cli.trusted-keys-unreadable",
                &[("path", &shown), ("detail", &e.to_string())]
            )
        ),
    };
    match satudata_publish::parse_trusted_keys(&text) {
        Ok(keys) => Ok(keys),
        Err(satudata_publish::Error::TrustedKeys { line, .. }) => bail!(
            "{}",
            render(
                lang,
                "cli.trusted-keys-invalid",
                &[("path", &shown), ("line", &line.to_string())]
            )
        ),
        Err(e) => Err(e.into()),
    }
}

/// `$XDG_CONFIG_HOME/satudata/trusted-keys`, else `$HOME/.config/satudata/trusted-keys`.
fn default_trusted_keys() -> Option<PathBuf> {
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(config.join("satudata/trusted-keys"))
}
