//! Reference data over the API: data standards, code lists and master data, read by anyone and
//! written by the walidata and admins (`access::decide` with `Action::EditReference`).
//!
//! A document is read from JSON ([`parse_json`]) or, for code lists and master data, from a
//! CSV file ([`crate::reference_csv`]); [`check`] then looks for what serde cannot see (empty
//! ids, duplicate codes, a primary key naming no column). Every problem is a [`Problem`] with
//! its place (JSON pointer, or CSV row and column) and a message in both languages; any
//! problem refuses the whole document (`invalid-document`, 422) and nothing is stored.

use std::collections::HashSet;

use satudata_catalog::{ChangedBy, PutOutcome, ReferenceKind};
use satudata_core::access::{Action, Actor, Target, decide};
use satudata_core::{CodeList, DataStandard, Lang, MasterData};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{Error, Result};
use crate::paging::{Page, Paging};
use crate::read::refuse;
use crate::state::AppState;

/// A reference document of any kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Document {
    /// A data standard.
    Standard(DataStandard),
    /// A code list.
    CodeList(CodeList),
    /// Master data.
    MasterData(MasterData),
}

impl Document {
    /// Its kind.
    pub fn kind(&self) -> ReferenceKind {
        match self {
            Document::Standard(_) => ReferenceKind::Standard,
            Document::CodeList(_) => ReferenceKind::CodeList,
            Document::MasterData(_) => ReferenceKind::MasterData,
        }
    }

    /// Its id.
    pub fn id(&self) -> &str {
        match self {
            Document::Standard(d) => &d.id,
            Document::CodeList(d) => &d.id,
            Document::MasterData(d) => &d.id,
        }
    }

    /// The document as JSON.
    pub fn to_value(&self) -> serde_json::Value {
        match self {
            Document::Standard(d) => serde_json::to_value(d),
            Document::CodeList(d) => serde_json::to_value(d),
            Document::MasterData(d) => serde_json::to_value(d),
        }
        .unwrap_or_default()
    }
}

/// One thing wrong with a document, where it is, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, ToSchema)]
pub struct Problem {
    /// Stable code (`duplicate`, `csv-empty-cell`, ...).
    pub code: String,
    /// JSON pointer of the value in a JSON document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    /// Row of a CSV file (the header is row 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<u64>,
    /// Column of a CSV file, by its header label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// The offending value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The message in Indonesian.
    pub message_id: String,
    /// The message in English.
    pub message_en: String,
}

impl Problem {
    /// A problem with code `code`, not yet placed.
    pub fn new(code: &str) -> Self {
        Problem {
            code: code.to_owned(),
            pointer: None,
            row: None,
            column: None,
            value: None,
            message_id: String::new(),
            message_en: String::new(),
        }
    }

    /// At JSON pointer `pointer`.
    pub fn at(mut self, pointer: impl Into<String>) -> Self {
        self.pointer = Some(pointer.into());
        self
    }

    /// At CSV row `row`.
    pub fn row(mut self, row: u64) -> Self {
        self.row = Some(row);
        self
    }

    /// In CSV column `column`.
    pub fn column(mut self, column: &str) -> Self {
        self.column = Some(column.to_owned());
        self
    }

    /// About `value`.
    pub fn value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(value.into());
        self
    }

    /// Fills in both messages (`server.reference.{code}`) from the problem's place.
    pub fn phrased(mut self) -> Self {
        let row = self.row.map(|r| r.to_string()).unwrap_or_default();
        let args = [
            ("pointer", self.pointer.as_deref().unwrap_or("/")),
            ("row", row.as_str()),
            ("column", self.column.as_deref().unwrap_or("")),
            ("value", self.value.as_deref().unwrap_or("")),
        ];
        let key = format!("server.reference.{}", self.code);
        self.message_id = satudata_core::messages::render(Lang::Id, &key, &args);
        self.message_en = satudata_core::messages::render(Lang::En, &key, &args);
        self
    }
}

/// The refusal of a document of `kind` for `problems`.
pub fn invalid(kind: ReferenceKind, problems: Vec<Problem>) -> Error {
    Error::InvalidDocument {
        kind: kind.name(),
        problems: problems.into_iter().map(Problem::phrased).collect(),
    }
}

/// Refuses `problems` (if any) of a document of `kind`.
pub fn refuse_problems(kind: ReferenceKind, problems: Vec<Problem>) -> Result<()> {
    if problems.is_empty() {
        return Ok(());
    }
    Err(invalid(kind, problems))
}

/// Reads a JSON document of `kind`: bad JSON is `malformed-json` (400), JSON of the wrong
/// shape (an unknown field, a missing one, a wrong type) is `invalid-document` (422).
pub fn parse_json(kind: ReferenceKind, bytes: &[u8]) -> Result<Document> {
    fn read<T: serde::de::DeserializeOwned>(kind: ReferenceKind, bytes: &[u8]) -> Result<T> {
        serde_json::from_slice(bytes).map_err(|e| match e.classify() {
            serde_json::error::Category::Data => Error::InvalidDocument {
                kind: kind.name(),
                problems: vec![Problem::new("document-shape").value(e.to_string()).phrased()],
            },
            _ => Error::MalformedJson { detail: e.to_string() },
        })
    }
    Ok(match kind {
        ReferenceKind::Standard => Document::Standard(read(kind, bytes)?),
        ReferenceKind::CodeList => Document::CodeList(read(kind, bytes)?),
        ReferenceKind::MasterData => Document::MasterData(read(kind, bytes)?),
    })
}

/// Pushes a `duplicate` problem for each non-empty value of `values` seen before (each comes
/// with the index `pointer` places it by).
fn duplicates<'a>(
    values: impl Iterator<Item = (usize, &'a str)>,
    pointer: impl Fn(usize) -> String,
    problems: &mut Vec<Problem>,
) {
    let mut seen = HashSet::new();
    for (i, value) in values {
        if !value.trim().is_empty() && !seen.insert(value) {
            problems.push(Problem::new("duplicate").at(pointer(i)).value(value));
        }
    }
}

fn not_empty(value: &str, pointer: &str, problems: &mut Vec<Problem>) {
    if value.trim().is_empty() {
        problems.push(Problem::new("empty-field").at(pointer));
    }
}

fn check_standard(s: &DataStandard, problems: &mut Vec<Problem>) {
    if s.kolom.is_empty() {
        problems.push(Problem::new("empty-field").at("/kolom"));
    }
    for (i, c) in s.kolom.iter().enumerate() {
        not_empty(&c.nama, &format!("/kolom/{i}/nama"), problems);
    }
    duplicates(
        s.kolom.iter().map(|c| c.nama.as_str()).enumerate(),
        |i| format!("/kolom/{i}/nama"),
        problems,
    );
    let names: HashSet<&str> = s.kolom.iter().map(|c| c.nama.as_str()).collect();
    for (i, key) in s.kunci_utama.iter().enumerate() {
        if !names.contains(key.as_str()) {
            problems.push(
                Problem::new("unknown-column")
                    .at(format!("/kunci_utama/{i}"))
                    .value(key),
            );
        }
    }
    if let Some(period) = &s.kolom_periode
        && !names.contains(period.as_str())
    {
        problems.push(Problem::new("unknown-column").at("/kolom_periode").value(period));
    }
}

fn check_master_data(d: &MasterData, problems: &mut Vec<Problem>) {
    not_empty(&d.kunci, "/kunci", problems);
    for (i, row) in d.baris.iter().enumerate() {
        if row.get(&d.kunci).is_none_or(|v| v.trim().is_empty()) {
            problems.push(Problem::new("missing-key").at(format!("/baris/{i}")).value(&d.kunci));
        }
    }
    duplicates(
        d.baris
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.get(&d.kunci).map(|v| (i, v.as_str()))),
        |i| format!("/baris/{i}/{}", d.kunci),
        problems,
    );
}

/// The longest id or name a path may carry.
const MAX_KEY_CHARS: usize = 200;

/// Refuses a key from the path (an id, a dataset name) that no document could have: empty,
/// longer than 200 characters, or holding a control character (PostgreSQL cannot even
/// compare text holding NUL).
pub fn check_key(parameter: &'static str, key: &str) -> Result<()> {
    if key.is_empty() || key.chars().count() > MAX_KEY_CHARS || key.chars().any(char::is_control) {
        return Err(Error::BadParameter {
            parameter,
            value: key.escape_default().to_string(),
        });
    }
    Ok(())
}

/// The JSON pointer of the first text in `value` (a string or a member name) that holds a NUL
/// character, which neither database stores as text.
pub fn nul_text(value: &serde_json::Value) -> Option<String> {
    fn escape(key: &str) -> String {
        key.replace('~', "~0").replace('/', "~1")
    }
    match value {
        serde_json::Value::String(s) if s.contains('\0') => Some(String::new()),
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| nul_text(v).map(|p| format!("/{i}{p}"))),
        serde_json::Value::Object(members) => members.iter().find_map(|(k, v)| {
            if k.contains('\0') {
                Some(format!("/{}", escape(k)))
            } else {
                nul_text(v).map(|p| format!("/{}{p}", escape(k)))
            }
        }),
        _ => None,
    }
}

/// What is wrong with `doc` beyond its shape: empty ids and names, duplicate codes, columns
/// named but not defined, NUL characters.
pub fn check(doc: &Document) -> Vec<Problem> {
    let mut problems = Vec::new();
    if let Some(pointer) = nul_text(&doc.to_value()) {
        problems.push(Problem::new("nul-character").at(pointer));
        return problems;
    }
    not_empty(doc.id(), "/id", &mut problems);
    match doc {
        Document::Standard(s) => {
            not_empty(&s.nama, "/nama", &mut problems);
            check_standard(s, &mut problems);
        }
        Document::CodeList(l) => {
            not_empty(&l.nama, "/nama", &mut problems);
            for (i, e) in l.isian.iter().enumerate() {
                not_empty(&e.kode, &format!("/isian/{i}/kode"), &mut problems);
            }
            duplicates(
                l.isian.iter().map(|e| e.kode.as_str()).enumerate(),
                |i| format!("/isian/{i}/kode"),
                &mut problems,
            );
        }
        Document::MasterData(d) => {
            not_empty(&d.nama, "/nama", &mut problems);
            check_master_data(d, &mut problems);
        }
    }
    problems
}

/// A reference document as lists show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReferenceSummary {
    /// Its id.
    pub id: String,
    /// Its name.
    pub nama: String,
    /// Where it comes from (empty for a data standard, which says no source).
    pub sumber: String,
    /// Columns of a standard, entries of a code list, rows of master data.
    pub entries: u64,
    /// The document.
    pub link: String,
}

/// The path segment of `kind`'s routes.
pub fn collection(kind: ReferenceKind) -> &'static str {
    match kind {
        ReferenceKind::Standard => "standards",
        ReferenceKind::CodeList => "code-lists",
        ReferenceKind::MasterData => "master-data",
    }
}

/// The document's address.
pub fn document_path(kind: ReferenceKind, id: &str) -> String {
    format!("/api/v1/{}/{}", collection(kind), crate::read::segment(id))
}

fn summary(state: &AppState, doc: &Document) -> ReferenceSummary {
    let (nama, sumber, entries) = match doc {
        Document::Standard(s) => (&s.nama, "", s.kolom.len()),
        Document::CodeList(l) => (&l.nama, l.sumber.as_str(), l.isian.len()),
        Document::MasterData(d) => (&d.nama, d.sumber.as_str(), d.baris.len()),
    };
    ReferenceSummary {
        id: doc.id().to_owned(),
        nama: nama.clone(),
        sumber: sumber.to_owned(),
        entries: entries as u64,
        link: crate::read::link(state, &document_path(doc.kind(), doc.id())),
    }
}

/// A page of `kind`'s documents, by id.
pub async fn list(
    state: &AppState,
    actor: &Actor,
    kind: ReferenceKind,
    paging: &Paging,
) -> Result<Page<ReferenceSummary>> {
    refuse(decide(actor, Action::Read, &Target::Reference), kind.name(), "")?;
    let catalog = state.center().catalog();
    let (limit, offset) = (paging.limit, paging.offset);
    let (items, total) = match kind {
        ReferenceKind::Standard => {
            let l = catalog.list_reference(kind, limit, offset).await?;
            (l.items.into_iter().map(Document::Standard).collect::<Vec<_>>(), l.total)
        }
        ReferenceKind::CodeList => {
            let l = catalog.list_reference(kind, limit, offset).await?;
            (l.items.into_iter().map(Document::CodeList).collect(), l.total)
        }
        ReferenceKind::MasterData => {
            let l = catalog.list_reference(kind, limit, offset).await?;
            (l.items.into_iter().map(Document::MasterData).collect(), l.total)
        }
    };
    let items = items.iter().map(|d| summary(state, d)).collect();
    Ok(paging.page(items, total))
}

/// The stored document `id` of `kind`, if any.
pub async fn stored(state: &AppState, kind: ReferenceKind, id: &str) -> Result<Option<Document>> {
    let catalog = state.center().catalog();
    let found = match kind {
        ReferenceKind::Standard => catalog.reference(kind, id).await.map(Document::Standard),
        ReferenceKind::CodeList => catalog.reference(kind, id).await.map(Document::CodeList),
        ReferenceKind::MasterData => catalog.reference(kind, id).await.map(Document::MasterData),
    };
    match found {
        Ok(doc) => Ok(Some(doc)),
        Err(satudata_catalog::Error::NotFound { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The document `id` of `kind`, as stored.
pub async fn show(state: &AppState, actor: &Actor, kind: ReferenceKind, id: &str) -> Result<serde_json::Value> {
    check_key("id", id)?;
    refuse(decide(actor, Action::Read, &Target::Reference), kind.name(), id)?;
    let doc = stored(state, kind, id).await?.ok_or_else(|| Error::NotFound {
        kind: kind.name(),
        key: id.to_owned(),
    })?;
    Ok(doc.to_value())
}

/// Whether `actor` may write reference documents: refused as 401 or 403 otherwise.
pub fn may_edit(actor: &Actor, kind: ReferenceKind, id: &str) -> Result<()> {
    refuse(
        decide(actor, Action::EditReference, &Target::Reference),
        kind.name(),
        id,
    )
}

/// Stores `doc` as `id` for `actor`: its id must be `id` (400), it must pass [`check`] (422).
pub async fn put(state: &AppState, actor: &Actor, id: &str, doc: &Document) -> Result<PutOutcome> {
    may_edit(actor, doc.kind(), id)?;
    check_key("id", id)?;
    if doc.id() != id {
        return Err(Error::IdMismatch {
            path: id.to_owned(),
            body: doc.id().to_owned(),
        });
    }
    refuse_problems(doc.kind(), check(doc))?;
    let role = actor.role().map(|r| r.as_str());
    let by = ChangedBy {
        name: actor.name(),
        role,
        organization: actor.organization(),
    };
    let catalog = state.center().catalog();
    let outcome = match doc {
        Document::Standard(d) => catalog.put_reference(doc.kind(), id, d, &by).await?,
        Document::CodeList(d) => catalog.put_reference(doc.kind(), id, d, &by).await?,
        Document::MasterData(d) => catalog.put_reference(doc.kind(), id, d, &by).await?,
    };
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(json: serde_json::Value) -> Vec<(String, Option<String>)> {
        let doc = parse_json(ReferenceKind::CodeList, json.to_string().as_bytes()).unwrap();
        check(&doc).into_iter().map(|p| (p.code, p.pointer)).collect()
    }

    #[test]
    fn code_lists_need_unique_nonempty_codes() {
        let ok = serde_json::json!({"id": "jk", "nama": "Jenis Kelamin", "isian": [
            {"kode": "1", "nilai": "Laki-laki"}, {"kode": "2", "nilai": "Perempuan"}]});
        assert!(codes(ok).is_empty());
        let bad = serde_json::json!({"id": " ", "nama": "JK", "isian": [
            {"kode": "1", "nilai": "a"}, {"kode": "1", "nilai": "b"}, {"kode": "", "nilai": "c"}]});
        assert_eq!(
            codes(bad),
            [
                ("empty-field".to_owned(), Some("/id".to_owned())),
                ("empty-field".to_owned(), Some("/isian/2/kode".to_owned())),
                ("duplicate".to_owned(), Some("/isian/1/kode".to_owned())),
            ]
        );
    }

    #[test]
    fn standards_name_only_their_own_columns() {
        let doc = serde_json::json!({"id": "s", "nama": "S", "kolom": [
            {"nama": "tahun", "tipe_data": "year"}, {"nama": "tahun", "tipe_data": "year"}],
            "kunci_utama": ["tahun", "kode"], "kolom_periode": "periode"});
        let doc = parse_json(ReferenceKind::Standard, doc.to_string().as_bytes()).unwrap();
        let problems: Vec<(String, Option<String>, Option<String>)> =
            check(&doc).into_iter().map(|p| (p.code, p.pointer, p.value)).collect();
        assert_eq!(
            problems,
            [
                ("duplicate".into(), Some("/kolom/1/nama".into()), Some("tahun".into())),
                (
                    "unknown-column".into(),
                    Some("/kunci_utama/1".into()),
                    Some("kode".into())
                ),
                (
                    "unknown-column".into(),
                    Some("/kolom_periode".into()),
                    Some("periode".into())
                ),
            ]
        );
    }

    #[test]
    fn master_data_rows_need_their_key() {
        let doc = serde_json::json!({"id": "p", "nama": "P", "kunci": "kode", "baris": [
            {"kode": "A", "nama": "a"}, {"nama": "b"}, {"kode": "A", "nama": "c"}]});
        let doc = parse_json(ReferenceKind::MasterData, doc.to_string().as_bytes()).unwrap();
        let problems: Vec<(String, Option<String>)> = check(&doc).into_iter().map(|p| (p.code, p.pointer)).collect();
        assert_eq!(
            problems,
            [
                ("missing-key".into(), Some("/baris/1".into())),
                ("duplicate".into(), Some("/baris/2/kode".into())),
            ]
        );
    }

    #[test]
    fn nul_characters_and_odd_keys_are_refused() {
        let doc = serde_json::json!({"id": "jk", "nama": "a\u{0}b", "isian": []});
        let doc = parse_json(ReferenceKind::CodeList, doc.to_string().as_bytes()).unwrap();
        let problems: Vec<(String, Option<String>)> = check(&doc).into_iter().map(|p| (p.code, p.pointer)).collect();
        assert_eq!(problems, [("nul-character".to_owned(), Some("/nama".to_owned()))]);
        let nested = serde_json::json!({"a": [1, {"b/c": "x\u{0}"}]});
        assert_eq!(nul_text(&nested).as_deref(), Some("/a/1/b~1c"));
        assert_eq!(nul_text(&serde_json::json!({"ok": "baris\nbaru"})), None);
        for bad in ["", "a\u{0}b", "tab\there", &"x".repeat(201)] {
            assert!(
                matches!(check_key("id", bad), Err(Error::BadParameter { .. })),
                "{bad:?}"
            );
        }
        check_key("id", "wilayah-indonesia").unwrap();
    }

    #[test]
    fn bad_json_and_bad_shapes_are_told_apart() {
        assert!(matches!(
            parse_json(ReferenceKind::CodeList, b"{\"id\": "),
            Err(Error::MalformedJson { .. })
        ));
        let Err(Error::InvalidDocument { kind, problems }) = parse_json(
            ReferenceKind::CodeList,
            br#"{"id": "a", "nama": "b", "isian": [], "extra": 1}"#,
        ) else {
            panic!("an unknown field is a shape problem");
        };
        assert_eq!((kind, problems[0].code.as_str()), ("code list", "document-shape"));
        assert!(problems[0].message_en.contains("extra"), "{}", problems[0].message_en);
        assert!(!problems[0].message_id.starts_with("server."));
    }
}
