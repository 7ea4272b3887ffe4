//! Checks a submitted table against its data standard, code lists and master data.
//!
//! The stage is a pure function: [`validate_table`] takes a [`TextTable`] (every cell as text,
//! as the ingest stage reads it) and a [`Context`] (the standard plus the code lists and master
//! data it refers to) and returns a [`Validated`]: the [`Report`] of every finding and the
//! table cast to the standard's types, ready to publish when the report is valid.
//! [`MetadataStandard`] checks dataset metadata against the metadata standard's JSON Schema.
//!
//! Bad data is never an `Err`: it is a finding. `Err` means the check could not run, for
//! example because the standard names a code list that was not supplied.

mod cast;
mod frictionless_rows;
mod hint;
mod keys;
mod localize;
mod metadata;
mod period;
mod personal;
mod row_constraint;
mod rules;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use keys::{Fingerprint, KeyIndex};
use satudata_core::fingerprint;

use polars::prelude::*;
use rayon::prelude::*;
use satudata_core::wilayah::{self, Level};
use satudata_core::{
    CodeList, Column as StdColumn, DataStandard, DataType, Finding, FindingCode, LabelMatching, MasterData, Period,
    Report, ReportBuilder, RuleFinding, StatusKerahasiaan,
};

pub use cast::{parse_boolean, parse_date, parse_datetime, parse_integer, parse_number, parse_year, parse_year_month};
pub use metadata::MetadataStandard;
pub use period::coverage;
pub use rules::{At, RuleError};

/// Errors that stop a check from running.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The standard names a code list that is not in the context.
    #[error("code list {0} named by the standard is not available")]
    MissingCodeList(String),
    /// The standard names master data that is not in the context.
    #[error("master data {0} named by the standard is not available")]
    MissingMasterData(String),
    /// The standard names a column it does not have.
    #[error("{what} names column {field}, which the standard does not have")]
    UnknownField {
        /// Where the name appears.
        what: String,
        /// The name.
        field: String,
    },
    /// A column's pattern is not a valid regular expression.
    #[error("pattern of column {field} is invalid: {detail}")]
    Pattern {
        /// The column.
        field: String,
        /// The regex error.
        detail: String,
    },
    /// A consistency rule or row constraint cannot be parsed or cannot read its columns.
    #[error("{kind} {name} is invalid: '{rule}' {problem}")]
    Rule {
        /// `consistency rule` or `row constraint`.
        kind: &'static str,
        /// The rule's name.
        name: String,
        /// The rule as written.
        rule: String,
        /// What is wrong, and where.
        problem: RuleError,
    },
    /// A `list` column's items cannot be read: an empty delimiter or an item type lists cannot have.
    #[error("list column {field} cannot be read: {detail}")]
    ListFormat {
        /// The column.
        field: String,
        /// What is wrong.
        detail: String,
    },
    /// A foreign key refers to a table that was not supplied.
    #[error("foreign key refers to table {0}, which was not supplied")]
    MissingReference(String),
    /// The metadata standard is not a valid JSON Schema.
    #[error("invalid metadata standard: {0}")]
    Schema(String),
    /// The typed table could not be built.
    #[error("cannot build the typed table")]
    Table(#[from] PolarsError),
    /// Temporary files for the cross-row checks could not be written or read.
    #[error("cannot use temporary files for the row checks")]
    Spill(#[from] std::io::Error),
}

/// Bytes the cross-row checks hold in memory by default before spilling to disk.
pub const DEFAULT_MEMORY_BUDGET: usize = 256 << 20;

/// Result with the validate [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A table as read from a file: header labels and one text column per position.
#[derive(Debug, Clone, Copy)]
pub struct TextTable<'a> {
    /// Header labels as written.
    pub labels: &'a [String],
    /// Per label, the group cells over it in a two-level header (`Balita` over `Sasaran`),
    /// joined by spaces; empty, or all `None`, for a flat header.
    pub groups: &'a [Option<String>],
    /// One text column per label, in file order; empty cells are null.
    pub data: &'a DataFrame,
    /// File row number of each data row.
    pub row_numbers: &'a [u64],
    /// Rows whose cell count differs from the header: (row number, cell count).
    pub ragged: &'a [(u64, usize)],
    /// Each row's [`satudata_core::fingerprint::row`] over `data`'s columns, when the reader
    /// computed them as it read; otherwise the validator does.
    pub row_prints: Option<&'a [Fingerprint]>,
}

/// The lookups a standard needs, prepared once: code lists and master data as hash sets,
/// compiled patterns and consistency rules, and what the submission is about (its PD's region,
/// its period, whether it is open data).
#[derive(Debug)]
pub struct Context<'a> {
    standard: &'a DataStandard,
    code_lists: HashMap<String, FastSet>,
    /// Per standard column name: the master data id and the values its key column holds.
    master_data: HashMap<String, (String, FastSet)>,
    /// Per standard column name: its `enum` values as a set.
    enums: HashMap<String, Allowed>,
    patterns: HashMap<String, regex::Regex>,
    /// Per `list` column name: how its items are read.
    list_items: HashMap<String, ListItems>,
    /// Per standard column name: its type in words and an example, for type errors.
    hints: HashMap<String, hint::Hint>,
    /// Consistency rules and row constraints: name, the finding it reports, the parsed rule.
    rules: Vec<(String, RuleFinding, rules::Rule)>,
    detector: personal::Detector,
    region_scope: Option<String>,
    period: Option<Period>,
    open_data: bool,
    /// Texts that count as an empty cell.
    missing: HashSet<String>,
    /// Key tuples of other tables, for foreign keys: table name -> tuples.
    references: HashMap<String, HashSet<Vec<String>>>,
    limit: u64,
    /// Bytes the cross-row checks may hold in memory before spilling to disk.
    memory_budget: usize,
    spill_dir: Option<PathBuf>,
}

impl<'a> Context<'a> {
    /// Prepares the lookups of `standard` from the given code lists and master data.
    pub fn new(standard: &'a DataStandard, code_lists: &[CodeList], master_data: &[MasterData]) -> Result<Self> {
        let mut lists = HashMap::new();
        let mut masters = HashMap::new();
        let mut enums = HashMap::new();
        let mut patterns = HashMap::new();
        let mut list_items = HashMap::new();
        let mut hints = HashMap::new();
        for column in &standard.kolom {
            hints.insert(column.nama.clone(), hint::Hint::new(column, code_lists));
            if column.tipe_data == DataType::List {
                list_items.insert(column.nama.clone(), ListItems::new(column)?);
            }
            if let Some(id) = &column.klasifikasi {
                let list = code_lists
                    .iter()
                    .find(|l| &l.id == id)
                    .ok_or_else(|| Error::MissingCodeList(id.clone()))?;
                lists.insert(id.clone(), list.isian.iter().map(|e| e.kode.clone()).collect());
            }
            if let Some(reference) = &column.data_induk {
                let master = master_data
                    .iter()
                    .find(|m| m.id == reference.id)
                    .ok_or_else(|| Error::MissingMasterData(reference.id.clone()))?;
                let key = reference.kolom.clone().unwrap_or_else(|| master.kunci.clone());
                let values = master.values(&key).map(str::to_owned).collect();
                masters.insert(column.nama.clone(), (reference.id.clone(), values));
            }
            if let Some(values) = &column.aturan_validasi.enum_values {
                enums.insert(column.nama.clone(), Allowed::new(column, values));
            }
            if let Some(pattern) = &column.aturan_validasi.pola {
                let regex = regex::Regex::new(&format!("^(?:{pattern})$")).map_err(|e| Error::Pattern {
                    field: column.nama.clone(),
                    detail: e.to_string(),
                })?;
                patterns.insert(column.nama.clone(), regex);
            }
        }
        let known = |what: String, field: &str| {
            if standard.column(field).is_some() {
                Ok(())
            } else {
                Err(Error::UnknownField {
                    what,
                    field: field.to_owned(),
                })
            }
        };
        let mut parsed_rules = Vec::new();
        for rule in &standard.aturan_konsistensi {
            let (kind, syntax) = match rule.temuan {
                RuleFinding::ConsistencyError => ("consistency rule", rules::Syntax::SatuData),
                RuleFinding::RowConstraint => ("row constraint", rules::Syntax::Python),
            };
            let invalid = |problem: RuleError| Error::Rule {
                kind,
                name: rule.nama.clone(),
                rule: rule.rumus.clone(),
                problem,
            };
            let parsed = rules::parse(&rule.rumus, syntax).map_err(invalid)?;
            for field in parsed.fields() {
                known(format!("{kind} {}", rule.nama), field)?;
                // A row constraint reads values as Frictionless casts them; some types have no such
                // value here.
                if rule.temuan == RuleFinding::RowConstraint
                    && let Some(column) = standard.column(field)
                    && !row_constraint::readable(column.tipe_data)
                {
                    return Err(invalid(RuleError::UnreadableColumn {
                        field: field.to_owned(),
                        tipe: column.tipe_data,
                    }));
                }
            }
            parsed_rules.push((rule.nama.clone(), rule.temuan, parsed));
        }
        for field in &standard.kunci_utama {
            known("the primary key".into(), field)?;
        }
        if let Some(field) = &standard.kolom_periode {
            known("kolom_periode".into(), field)?;
        }
        for fk in &standard.kunci_asing {
            for field in &fk.kolom {
                known("a foreign key".into(), field)?;
            }
            if fk.rujukan.is_empty() {
                for field in &fk.kolom_rujukan {
                    known("a foreign key's reference".into(), field)?;
                }
            }
        }
        let kecamatan = code_lists
            .iter()
            .flat_map(|l| l.isian.iter())
            .filter(|e| wilayah::level(&e.kode) == Some(Level::Kecamatan))
            .map(|e| e.kode.clone());
        Ok(Context {
            standard,
            code_lists: lists,
            master_data: masters,
            enums,
            patterns,
            list_items,
            hints,
            rules: parsed_rules,
            detector: personal::Detector::new(kecamatan),
            region_scope: None,
            period: None,
            open_data: true,
            missing: standard
                .nilai_kosong
                .iter()
                .filter(|v| !v.is_empty())
                .cloned()
                .collect(),
            references: HashMap::new(),
            limit: 1000,
            memory_budget: DEFAULT_MEMORY_BUDGET,
            spill_dir: None,
        })
    }

    /// Lets the cross-row checks (duplicate rows, unique values, primary key) hold about
    /// `bytes` in memory; past that they spill sorted runs to temporary files.
    pub fn with_memory_budget(mut self, bytes: usize) -> Self {
        self.memory_budget = bytes;
        self
    }

    /// Puts spilled runs in `dir` instead of the system's temporary directory.
    pub fn with_spill_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.spill_dir = Some(dir.into());
        self
    }

    /// Lists at most `limit` findings in the report (all are still counted).
    pub fn with_limit(mut self, limit: u64) -> Self {
        self.limit = limit;
        self
    }

    /// Region codes must lie inside `scope`, the producing PD's region (`61.71`).
    pub fn with_region_scope(mut self, scope: &str) -> Self {
        self.region_scope = Some(scope.to_owned());
        self
    }

    /// Rows must be about `period` (`2024`, `2024-08`), read from the standard's `kolom_periode`:
    /// inside it, or containing it.
    pub fn with_period(mut self, period: Period) -> Self {
        self.period = Some(period);
        self
    }

    /// Personal data is only warned about in datasets meant to be open (`terbuka`, the default).
    pub fn with_status(mut self, status: StatusKerahasiaan) -> Self {
        self.open_data = status == StatusKerahasiaan::Terbuka;
        self
    }

    /// Supplies the key tuples of table `name` that this table's foreign keys refer to
    /// (see [`key_tuples`]).
    pub fn with_reference(mut self, name: &str, tuples: HashSet<Vec<String>>) -> Self {
        self.references.insert(name.to_owned(), tuples);
        self
    }

    /// The standard being checked against.
    pub fn standard(&self) -> &DataStandard {
        self.standard
    }

    /// How many findings a report lists.
    pub fn limit(&self) -> u64 {
        self.limit
    }
}

/// The outcome of [`validate_table`] and [`Validator::finish`].
#[derive(Debug, Clone)]
pub struct Validated {
    /// Every finding.
    pub report: Report,
    /// The table with the standard's columns, in its order and types; cells that failed their
    /// checks are null. Publish it only when the report is valid. `None` when the validator
    /// was told not to keep it.
    pub table: Option<DataFrame>,
}

/// Checks the header, every cell, every row and the standard's cross-field rules of a table
/// held whole in memory.
pub fn validate_table(table: TextTable<'_>, ctx: &Context<'_>) -> Result<Validated> {
    let mut validator = Validator::with_label_groups(ctx, table.labels, table.groups, true);
    validator.push(table)?;
    validator.finish()
}

/// Checks a table that arrives in batches of consecutive rows, in bounded memory.
///
/// Cell, row-local and cross-field checks run on each batch as it comes; duplicate rows,
/// unique values and primary keys are settled over the whole table in [`Validator::finish`].
/// The report is the same whatever the batch sizes.
pub struct Validator<'c> {
    ctx: &'c Context<'c>,
    report: ReportBuilder,
    /// Per standard column: its position in the file.
    positions: Vec<Option<usize>>,
    /// The header labels as written, to name each finding's column in the PD's own words.
    labels: Vec<String>,
    width: usize,
    blank_header: bool,
    rows: u64,
    /// Rows that are not blank: none makes the table a `blank-table`.
    data_rows: u64,
    /// Every row's occurrence, when duplicate rows are reported.
    duplicate_rows: Option<KeyIndex>,
    /// File positions of the primary key's columns, and their occurrences.
    primary_key: Option<(Vec<usize>, KeyIndex)>,
    /// Per standard column: what the column has seen so far.
    columns: Vec<ColumnState>,
    /// Per foreign key into this same table: key tuples seen, and rows still unmatched.
    self_references: Vec<SelfReference>,
    /// Per standard column: whether its typed values are needed (kept for publishing, or read
    /// by a consistency rule or the period check); the others are checked but not built.
    typed_needed: Vec<bool>,
    typed: Option<Vec<DataFrame>>,
}

/// What a column's checks carry from batch to batch.
struct ColumnState {
    personal: personal::Seen,
    unique: Option<KeyIndex>,
}

#[derive(Default)]
struct SelfReference {
    targets: HashSet<Vec<String>>,
    /// Row, key tuple (as compared) and its text as written.
    unmatched: Vec<(u64, Vec<String>, String)>,
}

impl<'c> Validator<'c> {
    /// Starts checking a table with these header labels; `keep_table` keeps the typed table
    /// for publishing (otherwise each batch's is dropped once checked).
    pub fn new(ctx: &'c Context<'c>, labels: &[String], keep_table: bool) -> Self {
        Self::with_label_groups(ctx, labels, &[], keep_table)
    }

    /// Starts checking a table whose labels may sit under group cells (`groups`, one per label,
    /// as [`TextTable::groups`]): a label matches a column joined with its group first
    /// (`Balita Sasaran`), then alone.
    pub fn with_label_groups(
        ctx: &'c Context<'c>,
        labels: &[String],
        groups: &[Option<String>],
        keep_table: bool,
    ) -> Self {
        let mut report = ReportBuilder::new(ctx.limit);
        let standard = ctx.standard;
        // A header row with no label at all says nothing about the columns: that one finding.
        // Frictionless matches its columns by position still, each blank label a finding.
        let blank_header =
            !standard.pemeriksaan.is_frictionless() && !labels.is_empty() && labels.iter().all(|l| l.trim().is_empty());
        let positions = if blank_header {
            report.push(row_finding(FindingCode::BlankHeader, 1).with_message("blank-header", &[]));
            vec![None; standard.kolom.len()]
        } else {
            match standard.pencocokan_label {
                LabelMatching::Nama => map_header(labels, groups, standard, &mut report),
                LabelMatching::Posisi => map_header_by_position(labels, standard, &mut report),
            }
        };
        let key_positions: Option<Vec<usize>> = standard
            .kunci_utama
            .iter()
            .map(|f| {
                standard
                    .kolom
                    .iter()
                    .position(|c| &c.nama == f)
                    .and_then(|k| positions[k])
            })
            .collect::<Option<Vec<usize>>>()
            .filter(|ks| !ks.is_empty());
        let unique_columns = standard.kolom.iter().filter(|c| c.aturan_validasi.unik).count();
        let duplicate_rows = standard.pemeriksaan.duplicate_rows();
        let indexes = usize::from(duplicate_rows) + usize::from(key_positions.is_some()) + unique_columns;
        let budget = ctx.memory_budget / indexes.max(1);
        let index = || KeyIndex::new(budget, ctx.spill_dir.clone(), false);
        // Satu Data reports a repeated row once, as a duplicate row: its key's occurrences carry
        // the row's fingerprint to tell. Frictionless reports the repeated key as well.
        let tagged = !standard.pemeriksaan.is_frictionless();
        Validator {
            ctx,
            report,
            labels: labels.to_vec(),
            width: labels.len(),
            blank_header,
            rows: 0,
            data_rows: 0,
            duplicate_rows: duplicate_rows.then(index),
            primary_key: key_positions.map(|k| (k, KeyIndex::new(budget, ctx.spill_dir.clone(), tagged))),
            columns: standard
                .kolom
                .iter()
                .map(|c| ColumnState {
                    personal: personal::Seen::default(),
                    unique: c.aturan_validasi.unik.then(index),
                })
                .collect(),
            self_references: standard.kunci_asing.iter().map(|_| SelfReference::default()).collect(),
            typed_needed: standard
                .kolom
                .iter()
                .map(|c| {
                    let name = c.nama.as_str();
                    keep_table
                        || ctx.rules.iter().any(|(_, finding, rule)| {
                            *finding == RuleFinding::ConsistencyError && rule.fields().contains(&name)
                        })
                        || (ctx.period.is_some() && standard.kolom_periode.as_deref() == Some(name))
                })
                .collect(),
            positions,
            typed: keep_table.then(Vec::new),
        }
    }

    /// Checks the next batch of rows.
    pub fn push(&mut self, table: TextTable<'_>) -> Result<()> {
        let ctx = self.ctx;
        let height = table.data.height();
        let first_row = self.rows;
        self.rows += height as u64;
        if self.blank_header {
            // Under a blank header nothing is checked, so no row is known to be blank.
            self.data_rows += height as u64;
            if let Some(typed) = &mut self.typed {
                typed.push(null_frame(ctx, height)?);
            }
            return Ok(());
        }
        let report = &mut self.report;
        let texts: Vec<&StringChunked> = table
            .data
            .columns()
            .iter()
            .map(|c| c.as_materialized_series().str())
            .collect::<PolarsResult<_>>()?;
        let row_of = |i: usize| table.row_numbers.get(i).copied().unwrap_or(first_row + i as u64 + 2);
        // Frictionless compares rows and keys as cast, blank rows too; Satu Data their texts.
        let frictionless = ctx.standard.pemeriksaan.is_frictionless();
        let (duplicate_rows, primary_key) = match frictionless {
            true => (None, None),
            false => (self.duplicate_rows.as_mut(), self.primary_key.as_mut()),
        };
        let blank = check_rows(
            &texts,
            table.row_prints,
            ctx,
            &row_of,
            report,
            duplicate_rows,
            primary_key,
        )?;
        self.data_rows += blank.iter().filter(|b| !**b).count() as u64;
        if frictionless {
            if let Some(index) = &mut self.duplicate_rows {
                frictionless_rows::push_rows(&texts, &self.positions, ctx, &row_of, index)?;
            }
            if let Some((positions, index)) = &mut self.primary_key {
                frictionless_rows::push_keys(&texts, positions, ctx, &row_of, report, index)?;
            }
        }
        let short_rows = check_ragged(table, first_row, &blank, ctx, self.width, &self.positions, report);
        check_foreign_keys(
            &texts,
            &self.positions,
            &blank,
            ctx,
            &row_of,
            report,
            &mut self.self_references,
        )?;
        // Columns are checked in parallel, each into its own report, merged in column order.
        let rows = RowInfo {
            blank: &blank,
            short: &short_rows,
            row_of: &row_of,
        };
        let checked: Vec<(Option<Series>, Report, std::io::Result<()>)> = ctx
            .standard
            .kolom
            .par_iter()
            .zip(self.positions.par_iter())
            .zip(self.columns.par_iter_mut())
            .zip(self.typed_needed.par_iter())
            .map(|(((column, position), state), &needed)| match position {
                Some(p) => {
                    let mut local = ReportBuilder::new(ctx.limit);
                    let (series, spilled) =
                        check_column(column, *p as u64 + 1, texts[*p], &rows, ctx, &mut local, state, needed);
                    (series, local.finish(0), spilled)
                }
                None => (
                    needed.then(|| null_column(column, height)),
                    ReportBuilder::new(0).finish(0),
                    Ok(()),
                ),
            })
            .collect();
        let mut typed = Vec::with_capacity(checked.len());
        for (series, local, spilled) in checked {
            spilled?;
            report.absorb(local);
            typed.extend(series.map(Series::into_column));
        }
        let typed = DataFrame::new(height, typed)?;
        check_consistency(&typed, ctx, &row_of, report)?;
        row_constraint::check(&texts, &self.positions, ctx, &row_of, report);
        period::check(&typed, ctx, &row_of, report)?;
        if let Some(kept) = &mut self.typed {
            kept.push(typed);
        }
        Ok(())
    }

    /// Settles the checks that need the whole table and returns the report (and typed table).
    pub fn finish(mut self) -> Result<Validated> {
        let ctx = self.ctx;
        let report = &mut self.report;
        // A header with no data under it is never data to publish (Frictionless finds it valid).
        if self.data_rows == 0 && !ctx.standard.pemeriksaan.is_frictionless() {
            report.push(Finding::new(FindingCode::BlankTable).with_message("blank-table", &[]));
        }
        if let Some(index) = self.duplicate_rows {
            index.finish(|group| {
                let first = group[0].row.to_string();
                for e in &group[1..] {
                    report.push(
                        row_finding(FindingCode::DuplicateRow, e.row)
                            .with_message("duplicate-row", &[("row", &e.row.to_string()), ("other", &first)]),
                    );
                }
            })?;
        }
        if let Some((_, index)) = self.primary_key {
            let fields = ctx.standard.kunci_utama.join(", ");
            let frictionless = ctx.standard.pemeriksaan.is_frictionless();
            index.finish(|group| {
                let first = group[0].row.to_string();
                for (n, e) in group.iter().enumerate().skip(1) {
                    // Satu Data reports a duplicate row as such, not again as a repeated key;
                    // Frictionless reports every repeated key (and the duplicate row too when
                    // its checklist asks).
                    if !frictionless && group[..n].iter().any(|earlier| earlier.tag == e.tag) {
                        continue;
                    }
                    report.push(
                        row_finding(FindingCode::PrimaryKey, e.row)
                            .at_column(None, &fields)
                            .with_value(e.text.to_string())
                            .with_message("primary-key", &[("row", &e.row.to_string()), ("other", &first)]),
                    );
                }
            })?;
        }
        for ((column, position), state) in ctx.standard.kolom.iter().zip(&self.positions).zip(self.columns) {
            let (Some(p), field) = (position, column.nama.as_str()) else {
                continue;
            };
            let position = *p as u64 + 1;
            if let Some(index) = state.unique {
                index.finish(|group| {
                    let first = group[0].row.to_string();
                    for e in &group[1..] {
                        report.push(
                            Finding::cell(FindingCode::UniqueError, e.row, position, field, e.text)
                                .with_message("unique-error", &[("value", e.text), ("other", &first)]),
                        );
                    }
                })?;
            }
            for warning in state.personal.findings(position, field) {
                report.push(warning);
            }
        }
        for (fk, reference) in ctx.standard.kunci_asing.iter().zip(self.self_references) {
            for (row, tuple, text) in reference.unmatched {
                if !reference.targets.contains(&tuple) {
                    report.push(foreign_key_finding(fk, ctx, row, text));
                }
            }
        }
        let table = match self.typed {
            Some(parts) => Some(concat_frames(ctx, parts)?),
            None => None,
        };
        let mut report = self.report.finish(self.rows);
        label_findings(&mut report, &self.labels, &self.positions, ctx.standard);
        Ok(Validated { report, table })
    }
}

/// Gives each listed finding its column's header label as written in the file: by its column,
/// or by its field's place in the header.
fn label_findings(report: &mut Report, labels: &[String], positions: &[Option<usize>], standard: &DataStandard) {
    for f in report.findings.iter_mut().filter(|f| f.label.is_none()) {
        let position = match (f.column, &f.field) {
            (Some(column), _) => (column as usize).checked_sub(1),
            (None, Some(field)) => standard
                .kolom
                .iter()
                .position(|c| &c.nama == field)
                .and_then(|k| positions.get(k).copied().flatten()),
            (None, None) => None,
        };
        f.label = position
            .and_then(|p| labels.get(p))
            .filter(|l| !l.trim().is_empty())
            .cloned();
    }
}

/// A typed column of `height` empty cells.
fn null_column(column: &StdColumn, height: usize) -> Series {
    Series::full_null(column.nama.as_str().into(), height, &polars_type(column.tipe_data))
}

/// A typed table of `height` rows with every cell empty.
fn null_frame(ctx: &Context<'_>, height: usize) -> Result<DataFrame> {
    let columns = ctx
        .standard
        .kolom
        .iter()
        .map(|c| null_column(c, height).into_column())
        .collect();
    Ok(DataFrame::new(height, columns)?)
}

/// Joins typed batches into one table (an empty one with the standard's columns when none).
fn concat_frames(ctx: &Context<'_>, parts: Vec<DataFrame>) -> Result<DataFrame> {
    let mut parts = parts.into_iter();
    let Some(mut table) = parts.next() else {
        return null_frame(ctx, 0);
    };
    for part in parts {
        table.vstack_mut_owned(part)?;
    }
    table.rechunk_mut();
    Ok(table)
}

/// The Polars type a standard type is published as.
pub fn polars_type(t: DataType) -> polars::prelude::DataType {
    match t {
        DataType::String
        | DataType::YearMonth
        | DataType::KodeWilayah
        | DataType::Duration
        | DataType::Geopoint
        | DataType::Geojson
        | DataType::Object
        | DataType::Array
        | DataType::List => polars::prelude::DataType::String,
        DataType::Time => polars::prelude::DataType::Time,
        DataType::Integer => polars::prelude::DataType::Int64,
        DataType::Number => polars::prelude::DataType::Float64,
        DataType::Boolean => polars::prelude::DataType::Boolean,
        DataType::Date => polars::prelude::DataType::Date,
        DataType::Datetime => polars::prelude::DataType::Datetime(TimeUnit::Milliseconds, None),
        DataType::Year => polars::prelude::DataType::Int32,
    }
}

fn row_finding(code: FindingCode, row: u64) -> Finding {
    let mut f = Finding::new(code);
    f.row = Some(row);
    f
}

/// Rows with more or fewer cells than the header (`extra-cell`, `missing-cell`). Returns the
/// short rows (row number -> cell count): their missing cells get no other finding. In
/// Frictionless mode a blank row gets neither: Frictionless reports it as blank only.
fn check_ragged(
    table: TextTable<'_>,
    first_row: u64,
    blank: &[bool],
    ctx: &Context<'_>,
    width: usize,
    positions: &[Option<usize>],
    report: &mut ReportBuilder,
) -> HashMap<u64, usize> {
    let frictionless = ctx.standard.pemeriksaan.is_frictionless();
    let is_blank = |row: u64| {
        let index = if table.row_numbers.is_empty() {
            row.checked_sub(first_row + 2).and_then(|i| usize::try_from(i).ok())
        } else {
            table.row_numbers.binary_search(&row).ok()
        };
        index.and_then(|i| blank.get(i).copied()).unwrap_or(false)
    };
    let mut short_rows = HashMap::new();
    for &(row, cells) in table.ragged {
        let row_text = row.to_string();
        if frictionless && is_blank(row) {
            continue;
        }
        if cells > width {
            for col in width..cells {
                let mut f = row_finding(FindingCode::ExtraCell, row).with_message("extra-cell", &[("row", &row_text)]);
                f.column = Some(col as u64 + 1);
                report.push(f);
            }
            continue;
        }
        short_rows.insert(row, cells);
        for (column, position) in ctx.standard.kolom.iter().zip(positions) {
            if let Some(p) = position
                && *p >= cells
            {
                report.push(
                    row_finding(FindingCode::MissingCell, row)
                        .at_column(Some(*p as u64 + 1), &column.nama)
                        .with_message("missing-cell", &[("row", &row_text)]),
                );
            }
        }
    }
    short_rows
}

/// Matches header labels to the standard's columns, a label under a group cell joined with its
/// group first (`Balita Sasaran`), then alone; returns, per standard column, its position.
fn map_header(
    labels: &[String],
    groups: &[Option<String>],
    standard: &DataStandard,
    report: &mut ReportBuilder,
) -> Vec<Option<usize>> {
    let mut positions: Vec<Option<usize>> = vec![None; standard.kolom.len()];
    for (i, label) in labels.iter().enumerate() {
        let column = (i + 1) as u64;
        let col_text = satudata_core::render::column_letter(column);
        if label.trim().is_empty() {
            let mut f = row_finding(FindingCode::BlankLabel, 1).with_message("blank-label", &[("column", &col_text)]);
            f.column = Some(column);
            report.push(f);
            continue;
        }
        let joined = groups
            .get(i)
            .and_then(Option::as_deref)
            .map(|group| format!("{group} {label}"));
        let found = joined
            .as_deref()
            .and_then(|joined| standard.kolom.iter().position(|c| c.matches_label(joined)))
            .or_else(|| standard.kolom.iter().position(|c| c.matches_label(label)));
        // Findings quote the label as the header shows it, with its group.
        let label = joined.as_ref().unwrap_or(label);
        match found {
            Some(k) if positions[k].is_some() => report.push(
                row_finding(FindingCode::DuplicateLabel, 1)
                    .at_column(Some(column), &standard.kolom[k].nama)
                    .with_value(label.as_str())
                    .with_message("duplicate-label", &[("label", label), ("column", &col_text)]),
            ),
            Some(k) => positions[k] = Some(i),
            None => {
                let mut f = row_finding(FindingCode::ExtraLabel, 1)
                    .with_value(label.as_str())
                    .with_message("extra-label", &[("label", label), ("standard", &standard.id)]);
                f.column = Some(column);
                report.push(f);
            }
        }
    }
    for (column, position) in standard.kolom.iter().zip(&positions) {
        if position.is_none() {
            report.push(
                row_finding(FindingCode::MissingLabel, 1)
                    .at_column(None, &column.nama)
                    .with_message("missing-label", &[("field", &column.nama)]),
            );
        }
    }
    positions
}

/// Matches header labels to columns by position, as Frictionless does: each label is checked
/// against the field name at its position.
fn map_header_by_position(
    labels: &[String],
    standard: &DataStandard,
    report: &mut ReportBuilder,
) -> Vec<Option<usize>> {
    for (i, label) in labels.iter().enumerate() {
        let column = (i + 1) as u64;
        let col_text = satudata_core::render::column_letter(column);
        let Some(field) = standard.kolom.get(i) else {
            let mut f = row_finding(FindingCode::ExtraLabel, 1)
                .with_value(label.as_str())
                .with_message("extra-label", &[("label", label), ("standard", &standard.id)]);
            f.column = Some(column);
            report.push(f);
            continue;
        };
        let finding = if label.trim().is_empty() {
            row_finding(FindingCode::BlankLabel, 1).with_message("blank-label", &[("column", &col_text)])
        } else if labels[..i].contains(label) {
            row_finding(FindingCode::DuplicateLabel, 1)
                .with_value(label.as_str())
                .with_message("duplicate-label", &[("label", label), ("column", &col_text)])
        } else if *label != field.nama {
            row_finding(FindingCode::IncorrectLabel, 1)
                .with_value(label.as_str())
                .with_message("incorrect-label", &[("label", label), ("field", &field.nama)])
        } else {
            continue;
        };
        report.push(finding.at_column(Some(column), &field.nama));
    }
    for (k, field) in standard.kolom.iter().enumerate().skip(labels.len()) {
        report.push(
            row_finding(FindingCode::MissingLabel, 1)
                .at_column(Some(k as u64 + 1), &field.nama)
                .with_message("missing-label", &[("field", &field.nama)]),
        );
    }
    (0..standard.kolom.len())
        .map(|k| (k < labels.len()).then_some(k))
        .collect()
}

/// The key tuples of `fields` (found by header label) in a text table described by `standard`,
/// for another table's foreign keys; empty cells and the standard's missing values count as
/// empty. In Frictionless mode the values are compared as cast, as Frictionless does.
pub fn key_tuples(table: TextTable<'_>, fields: &[String], standard: &DataStandard) -> Result<HashSet<Vec<String>>> {
    let missing = &standard.nilai_kosong;
    let frictionless = standard.pemeriksaan.is_frictionless();
    let kinds: Vec<Option<&StdColumn>> = fields.iter().map(|f| standard.column(f)).collect();
    let mut columns = Vec::with_capacity(fields.len());
    for field in fields {
        let position = table
            .labels
            .iter()
            .position(|l| l == field)
            .ok_or_else(|| Error::UnknownField {
                what: "the referenced table".into(),
                field: field.clone(),
            })?;
        columns.push(table.data.columns()[position].as_materialized_series().str()?);
    }
    let height = table.data.height();
    Ok((0..height)
        .map(|i| {
            columns
                .iter()
                .zip(&kinds)
                .map(|(c, kind)| {
                    let text = c.get(i).filter(|v| !missing.iter().any(|m| m == v));
                    frictionless_rows::key_text(*kind, text, frictionless)
                })
                .collect::<Vec<String>>()
        })
        .filter(|t| t.iter().any(|v| !v.is_empty()))
        .collect())
}

fn foreign_key_finding(fk: &satudata_core::ForeignKey, ctx: &Context<'_>, row: u64, value: String) -> Finding {
    let name = if fk.rujukan.is_empty() {
        ctx.standard.id.as_str()
    } else {
        fk.rujukan.as_str()
    };
    row_finding(FindingCode::ForeignKey, row)
        .at_column(None, &fk.kolom.join(", "))
        .with_value(value.clone())
        .with_message("foreign-key", &[("value", &value), ("reference", name)])
}

/// Foreign keys of one batch. Keys into other tables are settled at once; keys into this
/// table are settled against the rows seen so far, the rest when the table ends.
fn check_foreign_keys(
    texts: &[&StringChunked],
    positions: &[Option<usize>],
    blank: &[bool],
    ctx: &Context<'_>,
    row_of: &dyn Fn(usize) -> u64,
    report: &mut ReportBuilder,
    self_references: &mut [SelfReference],
) -> Result<()> {
    let cell = |col: usize, i: usize| texts[col].get(i).filter(|v| !ctx.missing.contains(*v));
    let frictionless = ctx.standard.pemeriksaan.is_frictionless();
    // A key's cell as it is compared: its text, or in Frictionless mode its value as cast (an
    // invalid cell is then empty).
    let key = |(column, p): &(Option<&StdColumn>, usize), i: usize| {
        frictionless_rows::key_text(*column, cell(*p, i), frictionless)
    };
    let position_of = |field: &str| {
        ctx.standard
            .kolom
            .iter()
            .position(|c| c.nama == field)
            .and_then(|k| positions[k])
            .map(|p| (ctx.standard.column(field), p))
    };
    for (fk, own) in ctx.standard.kunci_asing.iter().zip(self_references) {
        let Some(local): Option<Vec<_>> = fk.kolom.iter().map(|f| position_of(f)).collect() else {
            continue;
        };
        let reference = if fk.rujukan.is_empty() {
            let Some(targets): Option<Vec<_>> = fk.kolom_rujukan.iter().map(|f| position_of(f)).collect() else {
                continue;
            };
            own.targets
                .extend((0..blank.len()).map(|i| targets.iter().map(|t| key(t, i)).collect::<Vec<_>>()));
            &own.targets
        } else {
            ctx.references
                .get(&fk.rujukan)
                .ok_or_else(|| Error::MissingReference(fk.rujukan.clone()))?
        };
        for (i, &is_blank) in blank.iter().enumerate() {
            let tuple: Vec<String> = local.iter().map(|l| key(l, i)).collect();
            if is_blank || tuple.iter().all(String::is_empty) {
                continue;
            }
            if reference.contains(&tuple) {
                continue;
            }
            let text = local
                .iter()
                .map(|&(_, p)| cell(p, i).unwrap_or_default())
                .collect::<Vec<_>>()
                .join(", ");
            if fk.rujukan.is_empty() {
                // A later row of this table may still hold the key.
                own.unmatched.push((row_of(i), tuple, text));
            } else {
                report.push(foreign_key_finding(fk, ctx, row_of(i), text));
            }
        }
    }
    Ok(())
}

/// A set of texts hashed with a fast, fixed-seed hasher: one lookup per cell.
type FastSet = HashSet<String, foldhash::fast::FixedState>;

/// A cell's text unless it is one of the values read as missing.
fn present<'v>(missing: &HashSet<String>, v: Option<&'v str>) -> Option<&'v str> {
    if missing.is_empty() {
        v
    } else {
        v.filter(|v| !missing.contains(*v))
    }
}

/// Which rows are blank, and each row's fingerprint, with `missing` values as empty cells:
/// over ranges of rows in parallel, columns in order.
fn row_fingerprints(texts: &[&StringChunked], missing: &HashSet<String>) -> (Vec<bool>, Vec<Fingerprint>) {
    const RANGE: usize = 1 << 14;
    let height = texts.first().map_or(0, |t| t.len());
    let mut blank = vec![true; height];
    let mut row_print = vec![0 as Fingerprint; height];
    blank
        .par_chunks_mut(RANGE)
        .zip(row_print.par_chunks_mut(RANGE))
        .enumerate()
        .for_each(|(n, (blank, prints))| {
            let offset = (n * RANGE) as i64;
            let parts: Vec<StringChunked> = texts.iter().map(|c| c.slice(offset, blank.len())).collect();
            // The columns are walked side by side, a row at a time.
            let mut cells: Vec<_> = parts.iter().map(|p| p.iter()).collect();
            let mut printer = fingerprint::RowPrinter::default();
            for (is_blank, print) in blank.iter_mut().zip(prints.iter_mut()) {
                for column in &mut cells {
                    let value = present(missing, column.next().flatten());
                    *is_blank &= value.is_none();
                    printer.cell(value);
                }
                *print = printer.finish();
            }
        });
    (blank, row_print)
}

/// Row checks on the text of one batch: blank rows and, for the whole-table checks given (in
/// Satu Data mode; see [`frictionless_rows`] for Frictionless'), each row's text fingerprint
/// (duplicate rows) and primary key. Returns which rows are blank (their cells get no further
/// checks).
fn check_rows(
    texts: &[&StringChunked],
    prints: Option<&[Fingerprint]>,
    ctx: &Context<'_>,
    row_of: &dyn Fn(usize) -> u64,
    report: &mut ReportBuilder,
    duplicate_rows: Option<&mut KeyIndex>,
    primary_key: Option<&mut (Vec<usize>, KeyIndex)>,
) -> Result<Vec<bool>> {
    let height = texts.first().map_or(0, |t| t.len());
    let missing = &ctx.missing;
    let computed;
    let (blank, row_print) = match prints {
        // Values read as missing change the fingerprints: the reader's cannot serve then.
        Some(prints) if missing.is_empty() && prints.len() == height => {
            let blank_print = fingerprint::blank_row(texts.len());
            (prints.iter().map(|p| *p == blank_print).collect(), prints)
        }
        _ => {
            computed = row_fingerprints(texts, missing);
            (computed.0, computed.1.as_slice())
        }
    };
    let (mut duplicate_rows, mut primary_key) = (duplicate_rows, primary_key);
    // The key's cells of the current row, reused from row to row.
    let mut values: Vec<Option<&str>> = Vec::new();
    for (i, &is_blank) in blank.iter().enumerate() {
        let row = row_of(i);
        let blank_key = || {
            row_finding(FindingCode::PrimaryKey, row)
                .at_column(None, &ctx.standard.kunci_utama.join(", "))
                .with_message("primary-key.blank", &[("row", &row.to_string())])
        };
        if is_blank {
            report
                .push(row_finding(FindingCode::BlankRow, row).with_message("blank-row", &[("row", &row.to_string())]));
            continue;
        }
        if let Some(index) = duplicate_rows.as_deref_mut() {
            index.push(row_print[i], row, 0, [])?;
        }
        let Some((positions, index)) = primary_key.as_deref_mut() else {
            continue;
        };
        values.clear();
        values.extend(positions.iter().map(|&k| present(missing, texts[k].get(i))));
        if values.iter().all(Option::is_none) {
            report.push(blank_key());
            continue;
        }
        if values.iter().any(Option::is_none) {
            continue;
        }
        let key = values
            .iter()
            .fold(0, |acc, v| keys::combine(acc, keys::fingerprint(*v)));
        index.push(key, row, row_print[i], values.iter().flatten().copied())?;
    }
    Ok(blank)
}

/// A column's `enum`: texts for text columns; for the others the values they stand for, as
/// Frictionless compares them (`01` is the integer `1`, `1.50` the number `1.5`).
#[derive(Debug)]
enum Allowed {
    Text(FastSet),
    Typed(HashSet<EnumKey, foldhash::fast::FixedState>),
}

/// A typed value as an `enum` compares it: whole numbers of any type as integers.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum EnumKey {
    Text(String),
    Int(i64),
    Float(u64),
    Bool(bool),
}

impl Allowed {
    fn new(column: &StdColumn, values: &[String]) -> Self {
        if matches!(column.tipe_data, DataType::String | DataType::KodeWilayah) {
            return Allowed::Text(values.iter().cloned().collect());
        }
        // A listed value of the wrong type can match no cell, as in Frictionless.
        Allowed::Typed(
            values
                .iter()
                .filter_map(|v| cast(column, v).map(|value| EnumKey::of(&value, v)))
                .collect(),
        )
    }

    fn contains(&self, value: &Value, text: &str) -> bool {
        match self {
            Allowed::Text(set) => set.contains(text),
            Allowed::Typed(set) => set.contains(&EnumKey::of(value, text)),
        }
    }
}

impl EnumKey {
    fn of(value: &Value, text: &str) -> Self {
        match value {
            Value::Int(n) | Value::Datetime(n) | Value::Time(n) => EnumKey::Int(*n),
            Value::Year(n) | Value::Date(n) => EnumKey::Int(i64::from(*n)),
            Value::Num(f) if f.fract() == 0.0 && f.abs() < 9e15 => EnumKey::Int(*f as i64),
            Value::Num(f) => EnumKey::Float(f.to_bits()),
            Value::Bool(b) => EnumKey::Bool(*b),
            Value::YearMonth(y, m) => EnumKey::Text(cast::year_month_text(*y, *m)),
            Value::Text | Value::Json(_) => EnumKey::Text(text.to_owned()),
        }
    }
}

/// A typed value of one cell.
#[derive(Debug, Clone, Copy)]
enum Value {
    Text,
    /// A year and month, written `YYYY-MM` in the typed column.
    YearMonth(i32, u32),
    Int(i64),
    Num(f64),
    Bool(bool),
    Date(i32),
    Datetime(i64),
    Year(i32),
    /// Nanoseconds since midnight.
    Time(i64),
    /// JSON text or a list kept as written, with its length (keys or items).
    Json(usize),
}

/// How a `list` column's items are read: split on the delimiter (no trimming), each item cast
/// as a column of the item type in Frictionless' default format.
#[derive(Debug)]
struct ListItems {
    delimiter: String,
    item: StdColumn,
    /// Whether items are plain text (any text is one): then they are only counted.
    any_text: bool,
}

impl ListItems {
    fn new(column: &StdColumn) -> Result<Self> {
        let format = column.format.as_ref();
        let invalid = |detail: String| Error::ListFormat {
            field: column.nama.clone(),
            detail,
        };
        let kind = format.and_then(|f| f.tipe_isi).unwrap_or(DataType::String);
        if !DataType::LIST_ITEMS.contains(&kind) {
            let allowed: Vec<&str> = DataType::LIST_ITEMS.iter().map(|t| t.as_str()).collect();
            return Err(invalid(format!("tipe_isi {kind} is not one of {}", allowed.join(", "))));
        }
        let delimiter = format.and_then(|f| f.pemisah_isi.clone()).unwrap_or_else(|| ",".into());
        if delimiter.is_empty() {
            return Err(invalid("pemisah_isi is empty".into()));
        }
        let item = satudata_core::frictionless::default_column(&column.nama, kind);
        Ok(ListItems {
            delimiter,
            item,
            any_text: kind == DataType::String,
        })
    }

    /// The number of items of `text`, or `None` when one is not of the item type.
    fn count(&self, text: &str) -> Option<usize> {
        let items = text.split(self.delimiter.as_str());
        if self.any_text {
            return Some(items.count());
        }
        let mut n = 0;
        for item in items {
            cast(&self.item, item)?;
            n += 1;
        }
        Some(n)
    }
}

/// A cell's typed value, or `None` when it is not of the column's type.
fn cast(column: &StdColumn, text: &str) -> Option<Value> {
    cast_with(column, text, None)
}

/// [`cast`], with a list column's prepared [`ListItems`] (prepared here when absent).
fn cast_with(column: &StdColumn, text: &str, list_items: Option<&ListItems>) -> Option<Value> {
    let format = column.format.as_ref();
    let decimal = format.and_then(|f| f.desimal.as_deref());
    let group = format.and_then(|f| f.ribuan.as_deref());
    let layout = format.and_then(|f| f.tanggal.as_deref());
    match column.tipe_data {
        DataType::String => match format.and_then(|f| f.teks.as_deref()) {
            Some(form) => cast::text_has_form(text, form).then_some(Value::Text),
            None => Some(Value::Text),
        },
        DataType::KodeWilayah => wilayah::level(text).map(|_| Value::Text),
        DataType::Integer => match decimal {
            Some(_) => cast::parse_integer_strict(text, group),
            None => parse_integer(text),
        }
        .map(Value::Int),
        DataType::Number => match decimal {
            Some(d) => cast::parse_number_strict(text, d, group),
            None => parse_number(text),
        }
        .map(Value::Num),
        DataType::Boolean => cast::boolean_with(
            text,
            format.and_then(|f| f.nilai_benar.as_deref()),
            format.and_then(|f| f.nilai_salah.as_deref()),
        )
        .map(Value::Bool),
        DataType::Date => match layout {
            Some(l) => cast::parse_date_with(text, l).map(cast::epoch_days),
            None => cast::date_days(text),
        }
        .map(Value::Date),
        DataType::Datetime => match layout {
            Some(l) => cast::parse_datetime_with(text, l),
            None => parse_datetime(text),
        }
        .map(|d| Value::Datetime(d.and_utc().timestamp_millis())),
        DataType::Year => parse_year(text).map(Value::Year),
        DataType::YearMonth => cast::year_month(text).map(|(y, m)| Value::YearMonth(y, m)),
        DataType::Time => match layout {
            Some(l) => cast::parse_time_with(text, l),
            None => cast::parse_time(text),
        }
        .map(|t| Value::Time(cast::time_nanos(t))),
        DataType::Duration => cast::is_duration(text).then_some(Value::Text),
        DataType::Geopoint => {
            let form = format.and_then(|f| f.teks.as_deref()).unwrap_or("default");
            cast::parse_geopoint(text, form).map(|_| Value::Text)
        }
        DataType::Geojson => {
            let form = format.and_then(|f| f.teks.as_deref()).unwrap_or("default");
            cast::is_geojson(text, form).then_some(Value::Text)
        }
        DataType::Object => cast::json_length(text, cast::JsonKind::Object).map(Value::Json),
        DataType::Array => cast::json_length(text, cast::JsonKind::Array).map(Value::Json),
        DataType::List => match list_items {
            Some(items) => items.count(text),
            None => ListItems::new(column).ok()?.count(text),
        }
        .map(Value::Json),
    }
}

/// Builds a typed column while checking each cell.
enum Builder {
    Text(StringChunkedBuilder),
    Int(PrimitiveChunkedBuilder<Int64Type>),
    Num(PrimitiveChunkedBuilder<Float64Type>),
    Bool(BooleanChunkedBuilder),
    Date(PrimitiveChunkedBuilder<Int32Type>),
    Datetime(PrimitiveChunkedBuilder<Int64Type>),
    Year(PrimitiveChunkedBuilder<Int32Type>),
    Time(PrimitiveChunkedBuilder<Int64Type>),
}

impl Builder {
    fn new(column: &StdColumn, capacity: usize) -> Self {
        let name = PlSmallStr::from(column.nama.as_str());
        // One builder per published type (polars_type), so the two cannot disagree.
        use polars::prelude::DataType as P;
        match polars_type(column.tipe_data) {
            P::Int64 => Builder::Int(PrimitiveChunkedBuilder::new(name, capacity)),
            P::Float64 => Builder::Num(PrimitiveChunkedBuilder::new(name, capacity)),
            P::Boolean => Builder::Bool(BooleanChunkedBuilder::new(name, capacity)),
            P::Date => Builder::Date(PrimitiveChunkedBuilder::new(name, capacity)),
            P::Datetime(_, _) => Builder::Datetime(PrimitiveChunkedBuilder::new(name, capacity)),
            P::Int32 => Builder::Year(PrimitiveChunkedBuilder::new(name, capacity)),
            P::Time => Builder::Time(PrimitiveChunkedBuilder::new(name, capacity)),
            _ => Builder::Text(StringChunkedBuilder::new(name, capacity)),
        }
    }

    fn push(&mut self, text: &str, value: Option<&Value>) {
        match (self, value) {
            (Builder::Text(b), Some(Value::Text | Value::Json(_))) => b.append_value(text),
            (Builder::Text(b), Some(Value::YearMonth(y, m))) => b.append_value(cast::year_month_text(*y, *m)),
            (Builder::Int(b), Some(Value::Int(n))) => b.append_value(*n),
            (Builder::Num(b), Some(Value::Num(n))) => b.append_value(*n),
            (Builder::Bool(b), Some(Value::Bool(v))) => b.append_value(*v),
            (Builder::Date(b), Some(Value::Date(d))) => b.append_value(*d),
            (Builder::Datetime(b), Some(Value::Datetime(d))) => b.append_value(*d),
            (Builder::Year(b), Some(Value::Year(y))) => b.append_value(*y),
            (Builder::Time(b), Some(Value::Time(t))) => b.append_value(*t),
            (b, _) => b.push_null(),
        }
    }

    fn push_null(&mut self) {
        match self {
            Builder::Text(b) => b.append_null(),
            Builder::Int(b) | Builder::Datetime(b) | Builder::Time(b) => b.append_null(),
            Builder::Num(b) => b.append_null(),
            Builder::Bool(b) => b.append_null(),
            Builder::Date(b) | Builder::Year(b) => b.append_null(),
        }
    }

    fn finish(self) -> Series {
        let cast_to = |s: Series, t: polars::prelude::DataType| s.cast(&t).unwrap_or(s);
        match self {
            Builder::Text(b) => b.finish().into_series(),
            Builder::Int(b) => b.finish().into_series(),
            Builder::Num(b) => b.finish().into_series(),
            Builder::Bool(b) => b.finish().into_series(),
            Builder::Date(b) => cast_to(b.finish().into_series(), polars::prelude::DataType::Date),
            Builder::Datetime(b) => cast_to(
                b.finish().into_series(),
                polars::prelude::DataType::Datetime(TimeUnit::Milliseconds, None),
            ),
            Builder::Year(b) => b.finish().into_series(),
            Builder::Time(b) => cast_to(b.finish().into_series(), polars::prelude::DataType::Time),
        }
    }
}

/// A date (days) or date-time (milliseconds since 1970-01-01) as written in ISO form.
fn when_text(kind: DataType, v: f64) -> String {
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    match kind {
        DataType::Date if v.fract() == 0.0 => epoch
            .checked_add_signed(chrono::Duration::days(v as i64))
            .map_or_else(|| format_limit(v), |d| d.to_string()),
        DataType::Datetime if v.fract() == 0.0 => chrono::DateTime::from_timestamp_millis(v as i64).map_or_else(
            || format_limit(v),
            |t| t.naive_utc().format("%Y-%m-%dT%H:%M:%S").to_string(),
        ),
        _ => format_limit(v),
    }
}

/// A time limit (seconds since midnight) as `HH:MM:SS`.
fn seconds_as_time(seconds: f64) -> String {
    let t = chrono::NaiveTime::MIN + chrono::Duration::nanoseconds((seconds * 1e9).round() as i64);
    t.format("%H:%M:%S%.f").to_string()
}

fn format_limit(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// What the row pass learnt about each row.
struct RowInfo<'r> {
    /// Rows with no value at all.
    blank: &'r [bool],
    /// Rows with fewer cells than the header: row number -> cell count.
    short: &'r HashMap<u64, usize>,
    /// File row number of a data row.
    row_of: &'r (dyn Fn(usize) -> u64 + Sync),
}

/// Checks one column of a batch; returns its typed column (when `typed` asks for it) and
/// whether its unique-value occurrences could be recorded.
#[allow(clippy::too_many_arguments)]
fn check_column(
    column: &StdColumn,
    position: u64,
    text: &StringChunked,
    rows: &RowInfo<'_>,
    ctx: &Context<'_>,
    report: &mut ReportBuilder,
    state: &mut ColumnState,
    typed: bool,
) -> (Option<Series>, std::io::Result<()>) {
    let rules = &column.aturan_validasi;
    let field = column.nama.as_str();
    let code_list = column
        .klasifikasi
        .as_ref()
        .and_then(|id| ctx.code_lists.get(id).map(|set| (id, set)));
    let master = ctx.master_data.get(field);
    let pattern = ctx.patterns.get(field);
    let required = rules.wajib;
    // Personal data hides in text and whole-number columns; dates, decimals and codes cannot hold it.
    // These warnings, and those about formulas, are Satu Data's: Frictionless gives neither.
    let frictionless = ctx.standard.pemeriksaan.is_frictionless();
    let warn = !frictionless;
    let watch_personal = warn
        && ctx.open_data
        && column.dapat_diakses_umum
        && matches!(column.tipe_data, DataType::String | DataType::Integer);
    let personal = &mut state.personal;
    let mut spilled = Ok(());
    let allowed_set = ctx.enums.get(field);
    let list_items = ctx.list_items.get(field);
    // What a type error says the value should be, in words, with an example.
    let hint = ctx.hints.get(field);
    let type_words = hint.map_or([""; 2], |h| [h.type_id.as_str(), h.type_en.as_str()]);
    let example = hint.map_or("", |h| h.example.as_str());
    let mut builder = typed.then(|| Builder::new(column, text.len()));
    for (i, cell) in text.iter().enumerate() {
        let row = (rows.row_of)(i);
        let missing_cell = !rows.short.is_empty() && rows.short.get(&row).is_some_and(|&n| position as usize > n);
        if rows.blank.get(i).copied().unwrap_or(false) || missing_cell {
            if let Some(b) = &mut builder {
                b.push_null();
            }
            continue;
        }
        let cell = if ctx.missing.is_empty() {
            cell
        } else {
            cell.filter(|v| !ctx.missing.contains(*v))
        };
        let Some(value_text) = cell else {
            if required {
                report.push(
                    Finding::cell(FindingCode::ConstraintError, row, position, field, "")
                        .with_message("constraint-error.required", &[("field", field)]),
                );
            }
            if let Some(b) = &mut builder {
                b.push_null();
            }
            continue;
        };
        let finding = |code: FindingCode| Finding::cell(code, row, position, field, value_text);
        if warn && personal::is_formula(value_text) {
            report.push(finding(FindingCode::FormulaWarning).with_message("formula-warning", &[("value", value_text)]));
        }
        if watch_personal && let Some(kind) = ctx.detector.classify(value_text) {
            personal.note(kind, row, value_text);
        }
        let Some(value) = cast_with(column, value_text, list_items) else {
            report.push(match ambiguous_boolean(column, value_text) {
                true => finding(FindingCode::TypeError).with_message(
                    "type-error.boolean-ambiguous",
                    &[("value", value_text), ("words", cast::BOOLEAN_WORDS)],
                ),
                false => finding(FindingCode::TypeError).with_message_words(
                    "type-error",
                    &[("value", value_text), ("example", example)],
                    &[("type", type_words)],
                ),
            });
            if let Some(b) = &mut builder {
                b.push_null();
            }
            continue;
        };
        // Findings go straight to the report; a cell with any is left empty in the typed column.
        let mut failed = false;
        let mut fail = |f: Finding| {
            failed = true;
            report.push(f);
        };
        let numeric = match value {
            Value::Int(n) => Some(n as f64),
            Value::Num(n) => Some(n),
            Value::Year(y) => Some(f64::from(y)),
            Value::Time(ns) => Some(ns as f64 / 1e9),
            Value::Date(d) => Some(f64::from(d)),
            Value::Datetime(ms) => Some(ms as f64),
            _ => None,
        };
        let limit_text = |limit: f64| match column.tipe_data {
            DataType::Time => seconds_as_time(limit),
            DataType::Date | DataType::Datetime => when_text(column.tipe_data, limit),
            _ => format_limit(limit),
        };
        if let Some(n) = numeric {
            // Each bound, the message for a value that breaks it, whether it bounds from below,
            // and whether the bound itself is out too.
            let bounds = [
                (rules.minimum, "constraint-error.minimum", true, false),
                (rules.maksimum, "constraint-error.maximum", false, false),
                (
                    rules.minimum_eksklusif,
                    "constraint-error.exclusive-minimum",
                    true,
                    true,
                ),
                (
                    rules.maksimum_eksklusif,
                    "constraint-error.exclusive-maximum",
                    false,
                    true,
                ),
            ];
            for (bound, key, below, exclusive) in bounds {
                if let Some(b) = bound
                    && ((if below { n < b } else { n > b }) || (exclusive && n == b))
                {
                    fail(
                        finding(FindingCode::ConstraintError)
                            .with_message(key, &[("value", value_text), ("limit", &limit_text(b))]),
                    );
                }
            }
        }
        // JSON objects, arrays and lists are as long as their keys or items, other values as their text.
        let (min_key, max_key) = match value {
            Value::Json(_) => ("constraint-error.min-items", "constraint-error.max-items"),
            _ => ("constraint-error.min-length", "constraint-error.max-length"),
        };
        let length = || match value {
            Value::Json(n) => n as u64,
            _ => value_text.chars().count() as u64,
        };
        if let Some(min) = rules.panjang_minimum
            && length() < min
        {
            fail(
                finding(FindingCode::ConstraintError)
                    .with_message(min_key, &[("value", value_text), ("limit", &min.to_string())]),
            );
        }
        // A text no longer in bytes than the limit is no longer in characters either.
        if let Some(max) = rules.panjang_maksimum
            && (matches!(value, Value::Json(_)) || value_text.len() as u64 > max)
            && length() > max
        {
            fail(
                finding(FindingCode::ConstraintError)
                    .with_message(max_key, &[("value", value_text), ("limit", &max.to_string())]),
            );
        }
        if let Some(regex) = pattern
            && !regex.is_match(value_text)
        {
            // The standard's own words for the pattern, when it has them, rather than the expression.
            let pola = rules.pola.as_deref().unwrap_or_default();
            let message = match &rules.keterangan_pola {
                Some(words) => finding(FindingCode::ConstraintError).with_message(
                    "constraint-error.pattern-described",
                    &[("value", value_text), ("description", words)],
                ),
                None => finding(FindingCode::ConstraintError)
                    .with_message("constraint-error.pattern", &[("value", value_text), ("pattern", pola)]),
            };
            fail(message);
        }
        if let (Some(allowed), Some(set)) = (&rules.enum_values, allowed_set)
            && !set.contains(&value, value_text)
        {
            fail(finding(FindingCode::ConstraintError).with_message(
                "constraint-error.enum",
                &[("value", value_text), ("allowed", &allowed.join(", "))],
            ));
        }
        let mut out_of_scope = false;
        if column.tipe_data == DataType::KodeWilayah {
            if let Some(wanted) = rules.tingkat_wilayah
                && let Some(level) = wilayah::level(value_text)
                && level != wanted
            {
                fail(finding(FindingCode::ConstraintError).with_message(
                    "constraint-error.tingkat",
                    &[
                        ("value", value_text),
                        ("level", level.as_str()),
                        ("wanted", wanted.as_str()),
                    ],
                ));
            }
            if let Some(scope) = &ctx.region_scope
                && !wilayah::is_within(value_text, scope)
                && !wilayah::is_within(scope, value_text)
            {
                out_of_scope = true;
                fail(
                    finding(FindingCode::RegionScopeError)
                        .with_message("region-scope-error", &[("value", value_text), ("scope", scope)]),
                );
            }
        }
        if let Some((id, set)) = code_list
            && !out_of_scope
            && !set.contains(value_text)
        {
            fail(
                finding(FindingCode::ReferenceError)
                    .with_message("reference-error", &[("value", value_text), ("list", id)]),
            );
        }
        if let Some((id, set)) = master
            && !set.contains(value_text)
        {
            fail(
                finding(FindingCode::MasterDataError)
                    .with_message("master-data-error", &[("value", value_text), ("master", id)]),
            );
        }
        if let Some(index) = &mut state.unique
            && spilled.is_ok()
        {
            // Repeats are found over the whole table when it ends (Validator::finish); Frictionless
            // compares the values as cast, Satu Data the texts.
            let print = match frictionless {
                true => frictionless_rows::value_print(&value, value_text, frictionless_rows::Equality::Value),
                false => keys::fingerprint(Some(value_text)),
            };
            spilled = index.push(print, row, 0, [value_text]);
        }
        if let Some(b) = &mut builder {
            b.push(value_text, (!failed).then_some(&value));
        }
    }
    (builder.map(Builder::finish), spilled)
}

/// Whether `text` is refused as a lone `t`/`f` in a boolean column reading the default words.
fn ambiguous_boolean(column: &StdColumn, text: &str) -> bool {
    let own_words = column
        .format
        .as_ref()
        .is_some_and(|f| f.nilai_benar.is_some() || f.nilai_salah.is_some());
    column.tipe_data == DataType::Boolean && !own_words && cast::is_ambiguous_boolean(text)
}

/// A typed column as numbers for rules: numbers as they are, dates as days, date-times as
/// milliseconds, times of day as nanoseconds.
fn as_numbers(table: &DataFrame, field: &str) -> Result<Vec<Option<f64>>> {
    let series = table.column(field)?.as_materialized_series().clone();
    let series = match series.dtype() {
        polars::prelude::DataType::Date => series.cast(&polars::prelude::DataType::Int32)?,
        polars::prelude::DataType::Datetime(_, _) | polars::prelude::DataType::Time => {
            series.cast(&polars::prelude::DataType::Int64)?
        }
        _ => series,
    };
    let numbers = series.cast(&polars::prelude::DataType::Float64)?;
    Ok(numbers.f64()?.iter().collect())
}

fn check_consistency(
    table: &DataFrame,
    ctx: &Context<'_>,
    row_of: &dyn Fn(usize) -> u64,
    report: &mut ReportBuilder,
) -> Result<()> {
    for (name, finding, rule) in &ctx.rules {
        if *finding != RuleFinding::ConsistencyError {
            continue;
        }
        let fields = rule.fields();
        let columns: Vec<(&str, Vec<Option<f64>>)> = fields
            .iter()
            .map(|f| Ok((*f, as_numbers(table, f)?)))
            .collect::<Result<_>>()?;
        // Values are shown as the rule's columns hold them: dates as dates, not day numbers.
        let kinds: Vec<DataType> = fields
            .iter()
            .filter_map(|f| ctx.standard.column(f).map(|c| c.tipe_data))
            .collect();
        let fmt = |v: f64| -> String {
            for when in [DataType::Date, DataType::Datetime] {
                if kinds.iter().all(|k| *k == when) {
                    return when_text(when, v);
                }
            }
            if kinds.iter().all(|k| *k == DataType::Time) {
                return seconds_as_time(v / 1e9);
            }
            format_limit(v)
        };
        for i in 0..table.height() {
            // A row where a value is missing or failed its own check is skipped: that cell has
            // its finding already.
            let Some(values): Option<Vec<f64>> = columns.iter().map(|(_, v)| v.get(i).copied().flatten()).collect()
            else {
                continue;
            };
            let value = |f: &str| {
                columns
                    .iter()
                    .zip(&values)
                    .find(|((n, _), _)| *n == f)
                    .map_or(rules::Val::None, |(_, v)| rules::Val::Num(*v, rules::NumKind::Float))
            };
            // Raising here can only be a division by zero: nothing to say about the row.
            if let rules::Outcome::Fails(detail) = rule.check(&value, &fmt) {
                // The rule with the row's values beside each field, and what the row holds instead.
                let expression = rule.explain(&value, &fmt);
                report.push(
                    row_finding(FindingCode::ConsistencyError, row_of(i))
                        .at_column(None, fields.first().copied().unwrap_or_default())
                        .with_value(expression.clone())
                        .with_message(
                            "consistency-error",
                            &[("rule", name), ("expression", &expression), ("detail", &detail)],
                        ),
                );
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn list(format: &str) -> StdColumn {
        let text = format!(r#"{{"nama":"daftar","tipe_data":"list","format":{{{format}}}}}"#);
        serde_json::from_str(&text).unwrap()
    }

    /// The item count of `text` as a `list` column with this format reads it.
    fn items(format: &str, text: &str) -> Option<usize> {
        let column = list(format);
        let prepared = ListItems::new(&column).unwrap();
        let value = cast_with(&column, text, Some(&prepared));
        // Prepared once or on the spot, the answer is the same.
        assert_eq!(
            cast(&column, text).map(|v| matches!(v, Value::Json(_))),
            value.as_ref().map(|v| matches!(v, Value::Json(_)))
        );
        match value {
            Some(Value::Json(n)) => Some(n),
            Some(_) => panic!("a list is counted"),
            None => None,
        }
    }

    #[test]
    fn lists_are_split_and_each_item_cast() {
        // Text items, the default: any text, split without trimming.
        assert_eq!(items("", "SD,SMP, SMA"), Some(3));
        assert_eq!(items("", "1,,2"), Some(3));
        assert_eq!(items("", ","), Some(2));
        assert_eq!(items(r#""pemisah_isi":"; ""#, "a; b;c"), Some(2));
        // Integers as Frictionless reads them by default: trimmed, no thousands dots.
        let integer = r#""tipe_isi":"integer","pemisah_isi":";""#;
        assert_eq!(items(integer, "1;2; 3"), Some(3));
        assert_eq!(items(integer, "-4"), Some(1));
        assert_eq!(items(integer, "1;;2"), None);
        assert_eq!(items(integer, "1.000;2"), None);
        assert_eq!(items(integer, "1,2"), None);
        // Numbers with a `.` decimal mark only.
        let number = r#""tipe_isi":"number""#;
        assert_eq!(items(number, "1.5,2,-0.25,1e3"), Some(4));
        assert_eq!(items(number, "1.5,2;5"), None);
        // Booleans with Frictionless' default words, dates, date-times and times in ISO form.
        let boolean = r#""tipe_isi":"boolean""#;
        assert_eq!(items(boolean, "true,False,1,0,TRUE"), Some(5));
        assert_eq!(items(boolean, "ya,tidak"), None);
        assert_eq!(items(boolean, "true, false"), None);
        assert_eq!(items(r#""tipe_isi":"date""#, "2024-08-17,2024-12-31"), Some(2));
        assert_eq!(items(r#""tipe_isi":"date""#, "17/08/2024"), None);
        assert_eq!(items(r#""tipe_isi":"datetime""#, "2024-08-17T10:00:00"), Some(1));
        assert_eq!(items(r#""tipe_isi":"datetime""#, "2024-08-17"), None);
        assert_eq!(items(r#""tipe_isi":"time""#, "08:00:00|17:30:00"), None);
        assert_eq!(
            items(r#""tipe_isi":"time","pemisah_isi":"|""#, "08:00:00|17:30:00"),
            Some(2)
        );
        assert_eq!(items(r#""tipe_isi":"time","pemisah_isi":"|""#, "08.00"), None);
    }

    #[test]
    fn list_columns_need_a_delimiter_and_an_item_type_lists_can_have() {
        for format in [r#""pemisah_isi":"""#, r#""tipe_isi":"year""#, r#""tipe_isi":"list""#] {
            assert!(
                matches!(ListItems::new(&list(format)), Err(Error::ListFormat { .. })),
                "{format}"
            );
            // Without prepared items a cell of such a column is simply not valid.
            assert!(cast(&list(format), "a").is_none(), "{format}");
        }
        assert_eq!(polars_type(DataType::List), polars::prelude::DataType::String);
    }
}
