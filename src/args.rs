//! Checks of the command line that clap cannot make: paths that must exist, kode wilayah, header
//! rows and workbook options. Each failure is a usage error (exit 2) with one catalog message.

use std::path::Path;

use anyhow::{Result, anyhow};
use satudata_core::{Lang, messages::render, wilayah};
use satudata_ingest::FileKind;
use satudata_workflow::Region;

use crate::{Command, WilayahCommand};

/// What a path argument must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    File,
    Folder,
}

/// Checks the arguments of `command` before anything runs or is created.
pub fn check(command: &Command, lang: Lang) -> Result<()> {
    match command {
        Command::Load { folder } => region_folder(folder, "FOLDER", lang),
        Command::Demo {
            sample_dir, pipelines, ..
        } => {
            if let Some(dir) = sample_dir {
                region_folder(dir, "--sample-dir", lang)?;
            }
            match pipelines {
                Some(dir) => exists(dir, "--pipelines", Kind::Folder, lang),
                None => Ok(()),
            }
        }
        Command::Validate {
            standard,
            schema,
            checklist,
            references,
            input_format,
            sheet,
            header_row,
            region,
            file,
            ..
        } => {
            for (path, arg) in [(standard, "--standard"), (schema, "--schema")] {
                if let Some(path) = path {
                    exists(path, arg, Kind::File, lang)?;
                }
            }
            if let Some(path) = checklist.as_deref().filter(|p| !is_inline_json(p)) {
                exists(path, "--checklist", Kind::File, lang)?;
            }
            if let Some(path) = references {
                exists(path, "--references", Kind::Folder, lang)?;
            }
            if let Some(code) = region {
                region_code(code, lang)?;
            }
            if let Some(row) = header_row.filter(|row| *row == 0) {
                return Err(usage(lang, "usage.header-row", &[("value", &row.to_string())]));
            }
            let Some(file) = file else { return Ok(()) };
            exists(file, "FILE", Kind::File, lang)?;
            let option = match (sheet, header_row) {
                (Some(_), _) => "--sheet",
                (None, Some(_)) => "--header-row",
                (None, None) => return Ok(()),
            };
            workbook_option(file, input_format, option, lang)
        }
        Command::Run { pipeline, .. } => exists(pipeline, "PIPELINE", Kind::File, lang),
        Command::Verify(verify) => exists(&verify.release, "RELEASE", Kind::Folder, lang),
        Command::Wilayah {
            command: WilayahCommand::Import { folder, .. },
        } => match folder {
            Some(folder) => exists(folder, "FOLDER", Kind::Folder, lang),
            None => Ok(()),
        },
        Command::Init { .. }
        | Command::Audit { .. }
        | Command::Serve(_)
        | Command::Worker(_)
        | Command::Dataset { .. }
        | Command::User { .. }
        | Command::Token { .. }
        | Command::Config => Ok(()),
    }
}

/// A usage error whose text is the catalog message `key`.
fn usage(lang: Lang, key: &str, args: &[(&str, &str)]) -> anyhow::Error {
    anyhow!(render(lang, key, args))
}

/// `--checklist` also takes the JSON itself (`{"checks": [...]}`).
pub fn is_inline_json(path: &Path) -> bool {
    path.to_str().is_some_and(|s| s.trim_start().starts_with('{'))
}

/// `path` (given as `arg`) exists and is a file or a folder as `kind` asks.
fn exists(path: &Path, arg: &str, kind: Kind, lang: Lang) -> Result<()> {
    let shown = path.display().to_string();
    let args = [("path", shown.as_str()), ("arg", arg)];
    let key = match std::fs::metadata(path) {
        Err(_) => "usage.missing",
        Ok(m) if kind == Kind::Folder && !m.is_dir() => "usage.not-folder",
        Ok(m) if kind == Kind::File && m.is_dir() => "usage.not-file",
        Ok(_) => return Ok(()),
    };
    Err(usage(lang, key, &args))
}

/// `dir` exists and holds at least one of a region folder's documents.
fn region_folder(dir: &Path, arg: &str, lang: Lang) -> Result<()> {
    exists(dir, arg, Kind::Folder, lang)?;
    if Region::is_region_folder(dir) {
        return Ok(());
    }
    Err(usage(
        lang,
        "usage.not-region-folder",
        &[("path", &dir.display().to_string())],
    ))
}

/// A kode wilayah in one of its four forms (`61`, `61.71`, `61.71.01`, `61.71.01.1001`).
fn region_code(code: &str, lang: Lang) -> Result<()> {
    match wilayah::level(code) {
        Some(_) => Ok(()),
        None => Err(usage(lang, "usage.region", &[("value", code)])),
    }
}

/// `--sheet` and `--header-row` only mean something for a workbook: refused for any other kind,
/// as given by `--input-format` or read from the file's content.
fn workbook_option(file: &Path, input_format: &str, option: &str, lang: Lang) -> Result<()> {
    let kind = match input_format {
        "auto" => sniff(file)?,
        name => name.parse()?,
    };
    if kind.is_workbook() {
        return Ok(());
    }
    Err(usage(
        lang,
        "usage.workbook-option",
        &[
            ("option", option),
            ("path", &file.display().to_string()),
            ("kind", kind.as_str()),
        ],
    ))
}

/// The kind of a file from its content: its start, or for a zip archive the whole of it (the
/// parts are listed at its end), as the reader tells it.
fn sniff(file: &Path) -> Result<FileKind> {
    use std::io::Read as _;
    let mut head = Vec::with_capacity(4096);
    std::fs::File::open(file)?.take(4096).read_to_end(&mut head)?;
    if head.starts_with(b"PK\x03\x04") {
        head = std::fs::read(file)?;
    }
    Ok(FileKind::sniff(&head))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_codes_take_the_four_kemendagri_forms() {
        for good in ["61", "61.71", "61.71.01", "61.71.01.1001"] {
            assert!(region_code(good, Lang::En).is_ok(), "{good}");
        }
        for bad in ["6171", "61.7", "61.71.01.1001.1", "", "61.71."] {
            let e = region_code(bad, Lang::En).unwrap_err().to_string();
            assert!(e.contains(&format!("\"{bad}\"")) && e.contains("61.71.01.1001"), "{e}");
        }
    }

    #[test]
    fn missing_paths_are_named_once() {
        let e = exists(Path::new("tidak/ada"), "--standard", Kind::File, Lang::Id)
            .unwrap_err()
            .to_string();
        assert_eq!(e, "Tidak ada: tidak/ada (--standard)");
        let dir = std::env::temp_dir();
        let e = exists(&dir, "FILE", Kind::File, Lang::En).unwrap_err().to_string();
        assert!(e.starts_with("Not a file: "), "{e}");
    }

    #[test]
    fn inline_checklists_are_not_paths() {
        assert!(is_inline_json(Path::new(r#" {"checks": []}"#)));
        assert!(!is_inline_json(Path::new("checklist.json")));
    }
}
