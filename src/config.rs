//! The configuration file: the settings of every command in one TOML file.
//!
//! Its keys are the long flag names of the settings that have a `SATUDATA_*` variable: at the
//! top the global ones (`database-url`, `lang`, `max-rows`, …), and in a table named after a
//! subcommand that subcommand's own (`[serve]`: `listen`, `public-url`, `log-format`). The file
//! is `--config FILE` (`SATUDATA_CONFIG`), otherwise `satudata.toml` in the data directory when
//! it exists. A flag beats its variable, which beats the file, which beats the built-in default:
//! the file's values become the defaults clap parses with. An unknown key, or a value the flag
//! would refuse, stops the program with a message naming the key and the file.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::PathBuf;

use clap::error::{ContextKind, ContextValue};
use clap::parser::ValueSource;
use clap::{Arg, ArgMatches, Command};
use satudata_core::Lang;
use satudata_core::messages::render;

use crate::errors::{Explain as _, Failure};

/// The configuration file read from the data directory when no other is named.
pub const FILE_NAME: &str = "satudata.toml";

/// Where a setting lives in the file: its table (a subcommand, or none at the top) and its key.
type Key = (Option<String>, String);

/// The configuration file of this run and the values it set.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The file read, when there was one.
    path: Option<PathBuf>,
    /// The file's values, by table and key: the clap id of the setting and its text.
    values: BTreeMap<Key, (String, String)>,
}

/// What stops the command line from being parsed.
#[derive(Debug)]
pub enum Refusal {
    /// Clap's own: a usage error, or `--help` and `--version`.
    Clap(clap::Error),
    /// A bad configuration file, to be said in the language the flags or variables asked for.
    File(Failure, Lang),
}

/// Parses the program's arguments with the configuration file's values as defaults, exiting as
/// clap does on a usage error and with status 2 on a bad file.
pub fn parse(cmd: Command) -> (ArgMatches, Loaded) {
    match try_parse(cmd, std::env::args_os().collect()) {
        Ok(parsed) => parsed,
        Err(Refusal::Clap(e)) => e.exit(),
        Err(Refusal::File(failure, lang)) => {
            eprintln!("{}", crate::errors::report(&failure.into(), lang));
            std::process::exit(2)
        }
    }
}

/// [`parse`] of `args` (the program's name first), returning what stops it.
pub fn try_parse(cmd: Command, args: Vec<OsString>) -> Result<(ArgMatches, Loaded), Refusal> {
    let cmd = cmd.arg(config_arg());
    // The first pass finds the file (and the language to complain in); the second parses with
    // the file's values as defaults, so flags and variables still win over them.
    let first = cmd.clone().try_get_matches_from(&args).map_err(Refusal::Clap)?;
    let lang = first.get_one::<Lang>("lang").copied().unwrap_or_default();
    let loaded = load(&cmd, &first, lang).map_err(|f| Refusal::File(f, lang))?;
    let matches = with_defaults(cmd, &loaded)
        .try_get_matches_from(&args)
        .map_err(Refusal::Clap)?;
    Ok((matches, loaded))
}

/// The `--config` flag, which every command takes.
fn config_arg() -> Arg {
    Arg::new("config")
        .long("config")
        .global(true)
        .env("SATUDATA_CONFIG")
        .value_name("FILE")
        .value_parser(clap::value_parser!(PathBuf))
        .help(
            "Berkas konfigurasi / configuration file (TOML) [default: satudata.toml in the data \
             directory, when it exists]",
        )
}

/// The configuration file to read: the one named, else the data directory's when it exists.
fn file_path(first: &ArgMatches) -> Option<PathBuf> {
    if let Some(named) = first.get_one::<PathBuf>("config") {
        return Some(named.clone());
    }
    let dir = first.get_one::<PathBuf>("data_dir")?;
    Some(dir.join(FILE_NAME)).filter(|p| p.is_file())
}

/// Reads and checks the configuration file, if there is one.
fn load(cmd: &Command, first: &ArgMatches, lang: Lang) -> Result<Loaded, Failure> {
    let Some(path) = file_path(first) else {
        return Ok(Loaded::default());
    };
    let text = std::fs::read_to_string(&path).explain(crate::errors::reading(&path))?;
    let shown = path.display().to_string();
    let table: toml::Table = toml::from_str(&text).map_err(|e| {
        let before = e.span().and_then(|s| text.get(..s.start)).unwrap_or_default();
        Failure::new("error.config.syntax")
            .arg("path", &shown)
            .arg("line", before.matches('\n').count() + 1)
            .arg("detail", e.message())
    })?;
    let mut values = BTreeMap::new();
    for (key, value) in entries(cmd, table) {
        let checked = check(cmd, &key, &value, lang).map_err(|f| f.arg("path", &shown))?;
        values.insert(key, checked);
    }
    Ok(Loaded {
        path: Some(path),
        values,
    })
}

/// The clap id and the text of the file's setting `key`, or why the file may not hold it (a
/// failure still without the file's `path`).
fn check(cmd: &Command, key: &Key, value: &toml::Value, lang: Lang) -> Result<(String, String), Failure> {
    let name = dotted(key);
    let Some(arg) = setting(cmd, key) else {
        let message = if key.0.is_none() && key.1 == "data-dir" {
            "error.config.data-dir"
        } else {
            "error.config.unknown-key"
        };
        return Err(Failure::new(message).arg("key", name));
    };
    let Some(text) = scalar(value) else {
        return Err(Failure::new("error.config.not-a-value").arg("key", name));
    };
    match accepts(arg, &text, lang) {
        Ok(()) => Ok((arg.get_id().to_string(), text)),
        Err(detail) => Err(Failure::new("error.config.value")
            .arg("key", name)
            .arg("value", &text)
            .arg("detail", detail)),
    }
}

/// The file's settings with their keys: a table named after a subcommand holds its settings.
fn entries(cmd: &Command, table: toml::Table) -> Vec<(Key, toml::Value)> {
    let mut all = Vec::new();
    for (name, value) in table {
        match value {
            toml::Value::Table(inner) if cmd.find_subcommand(&name).is_some() => {
                all.extend(inner.into_iter().map(|(k, v)| ((Some(name.clone()), k), v)));
            }
            value => all.push(((None, name), value)),
        }
    }
    all
}

/// `serve.listen` for the key `listen` of the table `[serve]`.
fn dotted((table, key): &Key) -> String {
    table.as_ref().map_or_else(|| key.clone(), |t| format!("{t}.{key}"))
}

/// The flag a key sets: one with a `SATUDATA_*` variable, named by its long name.
fn setting<'c>(cmd: &'c Command, (table, key): &Key) -> Option<&'c Arg> {
    let owner = match table {
        Some(sub) => cmd.find_subcommand(sub)?,
        None => cmd,
    };
    settings(owner).find(|arg| arg.get_long() == Some(key.as_str()))
}

/// The flags of `cmd` (not its subcommands') that the file may set: those with a variable,
/// except `--config` itself and `--data-dir`, where the default file lives.
fn settings(cmd: &Command) -> impl Iterator<Item = &Arg> {
    cmd.get_arguments()
        .filter(|arg| arg.get_env().is_some() && !["config", "data_dir"].contains(&arg.get_id().as_str()))
}

/// The text clap would be given for a TOML value: strings, numbers and booleans.
fn scalar(value: &toml::Value) -> Option<String> {
    match value {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Integer(i) => Some(i.to_string()),
        toml::Value::Float(f) => Some(f.to_string()),
        toml::Value::Boolean(b) => Some(b.to_string()),
        toml::Value::Datetime(_) | toml::Value::Array(_) | toml::Value::Table(_) => None,
    }
}

/// Whether the flag `arg` accepts `value`; otherwise why not.
fn accepts(arg: &Arg, value: &str, lang: Lang) -> Result<(), String> {
    let probe = Command::new("satudata").no_binary_name(true).arg(
        Arg::new("value")
            .long("value")
            .value_parser(arg.get_value_parser().clone()),
    );
    let Err(e) = probe.try_get_matches_from([format!("--value={value}")]) else {
        return Ok(());
    };
    if let Some(cause) = std::error::Error::source(&e) {
        return Err(cause.to_string());
    }
    match e.get(ContextKind::ValidValue) {
        Some(ContextValue::Strings(valid)) => {
            Err(render(lang, "cli.config.possible", &[("values", &valid.join(", "))]))
        }
        _ => Err(e.kind().to_string()),
    }
}

/// `cmd` with the file's values as the defaults of the flags they set.
fn with_defaults(mut cmd: Command, loaded: &Loaded) -> Command {
    for ((table, _), (id, value)) in &loaded.values {
        // Clap keeps `&'static str` defaults; a run parses its arguments once.
        let value: &'static str = value.clone().leak();
        let set = |arg: Arg| arg.default_value(value);
        cmd = match table {
            None => cmd.mut_arg(id, set),
            Some(sub) => cmd.mut_subcommand(sub, |s| s.mut_arg(id, set)),
        };
    }
    cmd
}

/// Where a value in effect came from.
enum Origin {
    Flag(String),
    Variable(String),
    File,
    Default,
}

impl Origin {
    fn say(&self, lang: Lang) -> String {
        match self {
            Origin::Flag(flag) => render(lang, "cli.config.from-flag", &[("flag", flag)]),
            Origin::Variable(var) => render(lang, "cli.config.from-variable", &[("variable", var)]),
            Origin::File => render(lang, "cli.config.from-file", &[]),
            Origin::Default => render(lang, "cli.config.from-default", &[]),
        }
    }
}

/// `satudata config`: the configuration in effect as a TOML file, each value's origin in a
/// comment, passwords in database URLs masked. `cmd` is the command line without the file's
/// defaults; `matches` what was parsed with them.
pub fn describe(cmd: &Command, matches: &ArgMatches, loaded: &Loaded, lang: Lang) -> String {
    let mut out = vec![render(lang, "cli.config.header", &[])];
    if let Some(dir) = matches.get_one::<PathBuf>("data_dir") {
        let origin = parsed_origin(cmd, matches, "data_dir", loaded, &(None, String::new()));
        let dir = dir.display().to_string();
        out.push(render(
            lang,
            "cli.config.data-dir",
            &[("path", &dir), ("origin", &origin.say(lang))],
        ));
    }
    out.push(match &loaded.path {
        Some(path) => render(lang, "cli.config.file", &[("path", &path.display().to_string())]),
        None => render(lang, "cli.config.no-file", &[("name", FILE_NAME)]),
    });
    for arg in settings(cmd) {
        let key = (None, arg.get_long().unwrap_or_default().to_owned());
        let origin = parsed_origin(cmd, matches, arg.get_id().as_str(), loaded, &key);
        let value = matches
            .get_raw(arg.get_id().as_str())
            .and_then(|mut v| v.next())
            .map(|v| v.to_string_lossy().into_owned());
        out.push(line(&key.1, value, origin, lang));
    }
    for sub in cmd.get_subcommands() {
        let mut lines: Vec<String> = settings(sub)
            .map(|arg| {
                let key = (
                    Some(sub.get_name().to_owned()),
                    arg.get_long().unwrap_or_default().to_owned(),
                );
                let (value, origin) = unparsed(arg, loaded, &key);
                line(&key.1, value, origin, lang)
            })
            .collect();
        if !lines.is_empty() {
            out.push(String::new());
            out.push(format!("[{}]", sub.get_name()));
            out.append(&mut lines);
        }
    }
    out.join("\n")
}

/// The origin of a flag that was parsed (the global ones).
fn parsed_origin(cmd: &Command, matches: &ArgMatches, id: &str, loaded: &Loaded, key: &Key) -> Origin {
    match matches.value_source(id) {
        Some(ValueSource::CommandLine) => Origin::Flag(format!(
            "--{}",
            cmd.get_arguments()
                .find(|a| a.get_id() == id)
                .and_then(Arg::get_long)
                .unwrap_or(id)
        )),
        Some(ValueSource::EnvVariable) => Origin::Variable(variable(cmd, id)),
        _ if loaded.values.contains_key(key) => Origin::File,
        _ => Origin::Default,
    }
}

/// The variable of the flag `id` of `cmd`.
fn variable(cmd: &Command, id: &str) -> String {
    cmd.get_arguments()
        .find(|a| a.get_id() == id)
        .and_then(Arg::get_env)
        .map(|v| v.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The value and origin of a subcommand's setting, which this run did not parse: its variable,
/// else the file, else the default.
fn unparsed(arg: &Arg, loaded: &Loaded, key: &Key) -> (Option<String>, Origin) {
    if let Some(var) = arg.get_env()
        && let Some(value) = std::env::var_os(var)
    {
        let name = var.to_string_lossy().into_owned();
        return (Some(value.to_string_lossy().into_owned()), Origin::Variable(name));
    }
    if let Some((_, value)) = loaded.values.get(key) {
        return (Some(value.clone()), Origin::File);
    }
    let default = arg.get_default_values().first();
    (default.map(|v| v.to_string_lossy().into_owned()), Origin::Default)
}

/// One line of the description: `key = value  # origin`, or a comment when it is not set.
fn line(key: &str, value: Option<String>, origin: Origin, lang: Lang) -> String {
    match value {
        Some(value) => {
            let value = mask_password(&value);
            let shown = match value.parse::<i64>() {
                Ok(n) => n.to_string(),
                Err(_) => toml::Value::String(value).to_string(),
            };
            format!("{key} = {shown}  # {}", origin.say(lang))
        }
        None => format!("# {key} =  # {}", render(lang, "cli.config.unset", &[])),
    }
}

/// `value` with the password of a URL (`postgres://user:secret@host/db`) replaced by `***`.
pub fn mask_password(value: &str) -> String {
    let Some((scheme, rest)) = value.split_once("://") else {
        return value.to_owned();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let Some(at) = rest[..authority_end].rfind('@') else {
        return value.to_owned();
    };
    match rest[..at].split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***{}", &rest[at..]),
        None => value.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory as _;

    use super::*;
    use crate::Cli;

    /// A scratch folder holding `satudata.toml` with `text`.
    fn folder_with(text: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE_NAME), text).unwrap();
        dir
    }

    fn parse_in(dir: &tempfile::TempDir, args: &[&str]) -> Result<(ArgMatches, Loaded), Refusal> {
        let mut all: Vec<OsString> = vec!["satudata".into(), "--data-dir".into(), dir.path().into()];
        all.extend(args.iter().map(OsString::from));
        try_parse(Cli::command(), all)
    }

    fn refused(dir: &tempfile::TempDir, args: &[&str]) -> String {
        match parse_in(dir, args) {
            Err(Refusal::File(failure, lang)) => crate::errors::report(&failure.into(), lang),
            Err(Refusal::Clap(e)) => panic!("clap refused: {e}"),
            Ok(_) => panic!("the file was accepted"),
        }
    }

    // The variables are not set here: a test may not change the process's environment (that is
    // `unsafe`), so tests/config.rs runs the binary to show that a variable beats the file.

    /// The language, the row limit and `serve`'s address that `serve` with `args` gets.
    fn served(dir: &tempfile::TempDir, args: &[&str]) -> (Lang, Option<u64>, String) {
        let (m, _) = parse_in(dir, args).ok().unwrap();
        let serve = m.subcommand_matches("serve").unwrap();
        let listen = serve.get_one::<std::net::SocketAddr>("listen").unwrap().to_string();
        (
            *m.get_one::<Lang>("lang").unwrap(),
            m.get_one::<u64>("max_rows").copied(),
            listen,
        )
    }

    #[test]
    fn the_file_beats_the_default_and_a_flag_beats_the_file() {
        let dir = folder_with("lang = \"en\"\nmax-rows = 5\n[serve]\nlisten = \"127.0.0.1:9999\"\n");
        assert_eq!(served(&dir, &["serve"]), (Lang::En, Some(5), "127.0.0.1:9999".into()));
        let flags = ["--lang", "id", "serve", "--listen", "127.0.0.1:1"];
        assert_eq!(served(&dir, &flags), (Lang::Id, Some(5), "127.0.0.1:1".into()));
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(served(&dir, &["serve"]), (Lang::Id, None, "127.0.0.1:8080".into()));
    }

    #[test]
    fn without_a_file_the_defaults_hold() {
        let dir = tempfile::tempdir().unwrap();
        let (m, loaded) = parse_in(&dir, &["audit", "verify"]).ok().unwrap();
        assert!(loaded.path.is_none());
        assert_eq!(m.get_one::<Lang>("lang"), Some(&Lang::Id));
        assert_eq!(m.get_one::<u64>("max_rows"), None);
    }

    #[test]
    fn an_unknown_key_is_named_with_the_file() {
        let dir = folder_with("lang = \"en\"\n[serve]\nlisen = \"127.0.0.1:1\"\n");
        let file = dir.path().join(FILE_NAME).display().to_string();
        assert_eq!(
            refused(&dir, &["serve"]),
            format!("galat: Kunci serve.lisen tidak dikenal di berkas konfigurasi {file}")
        );
        let said = refused(&dir, &["--lang", "en", "serve"]);
        assert_eq!(
            said,
            format!("error: Unknown key serve.lisen in the configuration file {file}")
        );

        let dir = folder_with("verbose = true\n");
        assert!(refused(&dir, &["init"]).contains("verbose"));
        // A table of a subcommand without settings, or of no subcommand, is a key like any other.
        let dir = folder_with("[tidak-ada]\nx = 1\n");
        assert!(refused(&dir, &["init"]).contains("Kunci tidak-ada tidak dikenal"));
    }

    #[test]
    fn the_data_directory_cannot_be_set_from_inside_it() {
        let dir = folder_with("data-dir = \"/srv/lain\"\n");
        assert!(refused(&dir, &["--lang", "en", "init"]).contains("data-dir cannot be set"));
    }

    #[test]
    fn a_value_the_flag_refuses_is_named_with_the_file() {
        let dir = folder_with("max-rows = -3\n");
        let said = refused(&dir, &["--lang", "en", "init"]);
        assert!(
            said.contains("max-rows") && said.contains(FILE_NAME) && said.contains("\"-3\""),
            "{said}"
        );
        let dir = folder_with("lang = \"fr\"\n");
        assert!(refused(&dir, &["init"]).contains("unknown language: fr"));
        let dir = folder_with("lang = [\"en\"]\n");
        assert!(refused(&dir, &["init"]).contains("lang"));
        let dir = folder_with("lang = \"en\"\nlang = \"id\"\n");
        assert!(refused(&dir, &["--lang", "en", "init"]).contains("line 2"));
    }

    #[test]
    fn a_named_file_must_exist() {
        let dir = tempfile::tempdir().unwrap();
        let said = refused(&dir, &["--lang", "en", "--config", "/tidak/ada.toml", "init"]);
        assert_eq!(said, "error: Cannot read /tidak/ada.toml: does not exist");
    }

    #[test]
    fn the_description_says_where_each_value_comes_from() {
        let dir = folder_with("max-rows = 5\ndatabase-url = \"postgres://u:rahasia@db/satudata\"\n");
        let (m, loaded) = parse_in(&dir, &["--lang", "en", "config"]).ok().unwrap();
        let said = describe(&Cli::command(), &m, &loaded, Lang::En);
        assert!(said.contains("lang = \"en\"  # flag --lang"), "{said}");
        assert!(said.contains("max-rows = 5  # file"), "{said}");
        assert!(
            said.contains("database-url = \"postgres://u:***@db/satudata\"  # file"),
            "{said}"
        );
        assert!(!said.contains("rahasia"), "{said}");
        assert!(
            said.contains("# max-columns =  # not set, the program's default applies"),
            "{said}"
        );
        assert!(
            said.contains("[serve]\nlisten = \"127.0.0.1:8080\"  # default"),
            "{said}"
        );
        // What it prints is a configuration file satudata reads back.
        let body: String = said
            .lines()
            .filter(|l| !l.starts_with('#'))
            .collect::<Vec<_>>()
            .join("\n");
        let again = folder_with(&body);
        assert!(parse_in(&again, &["config"]).is_ok(), "{body}");
    }

    #[test]
    fn passwords_in_urls_are_masked() {
        assert_eq!(mask_password("postgres://u:p@h:5432/db"), "postgres://u:***@h:5432/db");
        assert_eq!(mask_password("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(
            mask_password("postgres://u:p%40x@h/db?sslmode=x"),
            "postgres://u:***@h/db?sslmode=x"
        );
        assert_eq!(mask_password("sqlite:/srv/a@b.db"), "sqlite:/srv/a@b.db");
        assert_eq!(mask_password("127.0.0.1:8080"), "127.0.0.1:8080");
    }
}
