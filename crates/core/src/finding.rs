use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::messages::{self, Lang};

/// Whether a finding blocks publishing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Blocks publishing.
    Error,
    /// Shown to the verifier, does not block.
    Warning,
    /// Tells how the file was read (rows left out, say); neither blocks nor warns.
    Info,
}

macro_rules! finding_codes {
    ($($variant:ident => $code:literal,)*) => {
        /// The kind of a finding; codes follow Frictionless where one exists.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[non_exhaustive]
        pub enum FindingCode {
            $(
                #[doc = concat!("`", $code, "`")]
                #[serde(rename = $code)]
                $variant,
            )*
        }

        impl FindingCode {
            /// Every code, in report order.
            pub const ALL: &'static [FindingCode] = &[$(FindingCode::$variant,)*];

            /// The stable code string (`type-error`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(FindingCode::$variant => $code,)*
                }
            }
        }
    };
}

finding_codes! {
    EncodingError => "encoding-error",
    FormatError => "format-error",
    SourceError => "source-error",
    BlankLabel => "blank-label",
    DuplicateLabel => "duplicate-label",
    MissingLabel => "missing-label",
    ExtraLabel => "extra-label",
    IncorrectLabel => "incorrect-label",
    BlankHeader => "blank-header",
    BlankRow => "blank-row",
    BlankTable => "blank-table",
    ExtraCell => "extra-cell",
    MissingCell => "missing-cell",
    DuplicateRow => "duplicate-row",
    PrimaryKey => "primary-key",
    ForeignKey => "foreign-key",
    RowConstraint => "row-constraint",
    TypeError => "type-error",
    ConstraintError => "constraint-error",
    UniqueError => "unique-error",
    ReferenceError => "reference-error",
    RegionScopeError => "region-scope-error",
    MasterDataError => "master-data-error",
    ConsistencyError => "consistency-error",
    PeriodError => "period-error",
    MetadataError => "metadata-error",
    PersonalDataWarning => "personal-data-warning",
    FormulaWarning => "formula-warning",
    CellSizeError => "cell-size-error",
    FormatWarning => "format-warning",
    PercentWarning => "percent-warning",
    SkippedRows => "skipped-rows",
}

impl FindingCode {
    /// Errors block publishing; the `*-warning` codes do not, nor does `skipped-rows`.
    pub fn severity(self) -> Severity {
        match self {
            Self::PersonalDataWarning | Self::FormulaWarning | Self::FormatWarning | Self::PercentWarning => {
                Severity::Warning
            }
            Self::SkippedRows => Severity::Info,
            _ => Severity::Error,
        }
    }
}

impl fmt::Display for FindingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem found in a submission, located as precisely as possible.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// What kind of problem.
    pub code: FindingCode,
    /// Whether it blocks publishing.
    pub severity: Severity,
    /// 1-based row as in the file (the header is row 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<u64>,
    /// 1-based column as in the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u64>,
    /// The standard's field name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The column's header label as written in the file (`Jumlah Penduduk`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The offending value, as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// JSON pointer into the metadata, for `metadata-error`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    /// Message in Indonesian.
    pub message_id: String,
    /// Message in English.
    pub message_en: String,
}

impl Finding {
    /// A finding with no location yet.
    pub fn new(code: FindingCode) -> Self {
        Finding {
            code,
            severity: code.severity(),
            row: None,
            column: None,
            field: None,
            label: None,
            value: None,
            pointer: None,
            message_id: String::new(),
            message_en: String::new(),
        }
    }

    /// A finding about one cell.
    pub fn cell(code: FindingCode, row: u64, column: u64, field: &str, value: &str) -> Self {
        Finding {
            row: Some(row),
            column: Some(column),
            field: Some(field.to_owned()),
            value: Some(messages::clip(Lang::Id, value).into_owned()),
            ..Finding::new(code)
        }
    }

    /// Sets the 1-based column and the field name.
    pub fn at_column(mut self, column: Option<u64>, field: &str) -> Self {
        self.column = column;
        self.field = Some(field.to_owned());
        self
    }

    /// Sets the offending value, cut by [`messages::clip`].
    pub fn with_value(mut self, value: impl Into<String>) -> Self {
        let value = value.into();
        self.value = Some(match messages::clip(Lang::Id, &value) {
            std::borrow::Cow::Borrowed(_) => value,
            std::borrow::Cow::Owned(cut) => cut,
        });
        self
    }

    /// Sets the JSON pointer into the metadata.
    pub fn with_pointer(mut self, pointer: impl Into<String>) -> Self {
        self.pointer = Some(pointer.into());
        self
    }

    /// Renders the messages of `key` from both catalogs with `args`.
    pub fn with_message(mut self, key: &str, args: &[(&str, &str)]) -> Self {
        self.message_id = messages::render(Lang::Id, key, args);
        self.message_en = messages::render(Lang::En, key, args);
        self
    }

    /// Renders the messages of `key` like [`Finding::with_message`], with `words` filled in
    /// each language's own (`("type", ["bilangan bulat", "whole number"])`).
    pub fn with_message_words(mut self, key: &str, args: &[(&str, &str)], words: &[(&str, [&str; 2])]) -> Self {
        for (lang, i) in [(Lang::Id, 0), (Lang::En, 1)] {
            let mut all: Vec<(&str, &str)> = args.to_vec();
            all.extend(words.iter().map(|(name, w)| (*name, w[i])));
            let message = messages::render(lang, key, &all);
            match lang {
                Lang::Id => self.message_id = message,
                Lang::En => self.message_en = message,
            }
        }
        self
    }

    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> &str {
        match lang {
            Lang::Id => &self.message_id,
            Lang::En => &self.message_en,
        }
    }
}

/// The outcome of validating one submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// No error-severity finding.
    pub valid: bool,
    /// Data rows read (header excluded).
    pub rows: u64,
    /// Findings with severity error, all counted.
    pub errors: u64,
    /// Findings with severity warning, all counted.
    pub warnings: u64,
    /// Count of findings per code, all counted.
    pub totals_by_code: BTreeMap<FindingCode, u64>,
    /// Count of findings per field, all counted.
    pub totals_by_field: BTreeMap<String, u64>,
    /// The listed findings: the first `limit` in file order.
    pub findings: Vec<Finding>,
    /// How many findings may be listed.
    pub limit: u64,
    /// Findings were counted but not listed past `limit`.
    pub truncated: bool,
    /// What was checked, against what, and when.
    #[serde(default, skip_serializing_if = "ReportContext::is_empty")]
    pub context: ReportContext,
}

/// What a report is about: the file, its sheet, the standard and when the check ran. Every part
/// is optional; a report made from a table alone has none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportContext {
    /// The name of the file checked (`penduduk-2024.xlsx`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The workbook sheet read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// The id of the data standard checked against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standard: Option<String>,
    /// Its version (`versi`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standard_version: Option<String>,
    /// When the check ran, RFC 3339 in UTC (`2024-08-17T10:30:00Z`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked_at: Option<String>,
}

impl ReportContext {
    /// Whether no part is set.
    pub fn is_empty(&self) -> bool {
        *self == ReportContext::default()
    }

    /// This context with the parts it lacks taken from `other`.
    fn or(self, other: ReportContext) -> ReportContext {
        ReportContext {
            file: self.file.or(other.file),
            sheet: self.sheet.or(other.sheet),
            standard: self.standard.or(other.standard),
            standard_version: self.standard_version.or(other.standard_version),
            checked_at: self.checked_at.or(other.checked_at),
        }
    }
}

impl Report {
    /// The report as compact JSON, as stored and digested.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Hex SHA-256 of [`Report::to_json`].
    pub fn digest(&self) -> String {
        crate::sha256_hex(self.to_json().as_bytes())
    }

    /// The report about `context`.
    pub fn about(mut self, context: ReportContext) -> Report {
        self.context = context;
        self
    }

    /// Marks the report as checked now.
    pub fn checked_now(mut self) -> Report {
        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        self.context.checked_at = Some(now);
        self
    }

    /// The count of findings with `code`.
    pub fn count(&self, code: FindingCode) -> u64 {
        self.totals_by_code.get(&code).copied().unwrap_or(0)
    }

    /// Merges another report's findings into this one (same limit rules).
    pub fn merge(self, other: Report) -> Report {
        let mut builder = ReportBuilder::from_report(self);
        builder.absorb(other);
        builder.finish_with_rows()
    }
}

/// Collects findings: counts every one, lists them up to a limit.
#[derive(Debug, Clone)]
pub struct ReportBuilder {
    report: Report,
}

impl ReportBuilder {
    /// A builder that lists at most `limit` findings.
    pub fn new(limit: u64) -> Self {
        ReportBuilder {
            report: Report {
                valid: true,
                rows: 0,
                errors: 0,
                warnings: 0,
                totals_by_code: BTreeMap::new(),
                totals_by_field: BTreeMap::new(),
                findings: Vec::new(),
                limit,
                truncated: false,
                context: ReportContext::default(),
            },
        }
    }

    fn from_report(report: Report) -> Self {
        ReportBuilder { report }
    }

    /// Counts a finding and lists it while under the limit.
    pub fn push(&mut self, finding: Finding) {
        let r = &mut self.report;
        match finding.severity {
            Severity::Error => {
                r.errors += 1;
                r.valid = false;
            }
            Severity::Warning => r.warnings += 1,
            Severity::Info => {}
        }
        *r.totals_by_code.entry(finding.code).or_default() += 1;
        if let Some(field) = &finding.field {
            *r.totals_by_field.entry(field.clone()).or_default() += 1;
        }
        self.list(finding);
    }

    /// Keeps `finding` in the listing when it is among the `limit` first in file order.
    fn list(&mut self, finding: Finding) {
        let r = &mut self.report;
        if r.limit == 0 {
            r.truncated = true;
            return;
        }
        r.findings.push(finding);
        // Trim to the first `limit` by position now and then, so that the listing does not
        // depend on the order findings arrive in (columns, batches, spilled key runs).
        if r.findings.len() as u64 >= r.limit.saturating_mul(2).max(64) {
            self.trim();
        }
    }

    fn trim(&mut self) {
        let r = &mut self.report;
        r.findings.sort_by_key(position);
        if r.findings.len() as u64 > r.limit {
            r.findings.truncate(r.limit as usize);
            r.truncated = true;
        }
    }

    /// Takes in all of another report's counts and listed findings.
    pub fn absorb(&mut self, other: Report) {
        let r = &mut self.report;
        r.errors += other.errors;
        r.warnings += other.warnings;
        r.valid &= other.valid;
        r.truncated |= other.truncated;
        for (code, n) in other.totals_by_code {
            *r.totals_by_code.entry(code).or_default() += n;
        }
        for (field, n) in other.totals_by_field {
            *r.totals_by_field.entry(field).or_default() += n;
        }
        r.rows = r.rows.max(other.rows);
        r.context = std::mem::take(&mut r.context).or(other.context);
        for f in other.findings {
            self.list(f);
        }
    }

    /// Whether any error-severity finding was pushed.
    pub fn has_errors(&self) -> bool {
        self.report.errors > 0
    }

    /// Finishes the report for a table of `rows` data rows.
    pub fn finish(mut self, rows: u64) -> Report {
        self.report.rows = rows;
        self.finish_with_rows()
    }

    /// Lists findings in file order: file and metadata findings first, then by row and column.
    fn finish_with_rows(mut self) -> Report {
        self.trim();
        self.report
    }
}

/// Where a finding sits in the file: file-level findings first, then by row, column and code.
fn position(f: &Finding) -> (u64, u64, FindingCode) {
    (f.row.unwrap_or(0), f.column.unwrap_or(0), f.code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_past_the_limit() {
        let mut b = ReportBuilder::new(2);
        for row in 2..7 {
            b.push(Finding::cell(FindingCode::TypeError, row, 1, "a", "x"));
        }
        b.push(Finding::new(FindingCode::FormulaWarning));
        let r = b.finish(5);
        assert_eq!(r.findings.len(), 2);
        // The listing holds the first findings in file order, whatever order they came in.
        assert_eq!(r.findings[0].code, FindingCode::FormulaWarning);
        assert_eq!(r.findings[1].row, Some(2));
        assert!(r.truncated);
        assert_eq!(r.errors, 5);
        assert_eq!(r.warnings, 1);
        assert_eq!(r.count(FindingCode::TypeError), 5);
        assert_eq!(r.totals_by_field["a"], 5);
        assert!(!r.valid);
    }

    #[test]
    fn codes_serialise_as_frictionless() {
        assert_eq!(
            serde_json::to_string(&FindingCode::MasterDataError).unwrap(),
            "\"master-data-error\""
        );
        assert_eq!(FindingCode::ALL.len(), 32);
    }

    #[test]
    fn merge_keeps_counts() {
        let mut a = ReportBuilder::new(10);
        a.push(Finding::new(FindingCode::MetadataError));
        let mut b = ReportBuilder::new(10);
        b.push(Finding::cell(FindingCode::TypeError, 2, 1, "x", "y"));
        let merged = b.finish(3).merge(a.finish(0));
        assert_eq!(merged.findings[0].code, FindingCode::MetadataError);
        assert_eq!(merged.errors, 2);
        assert_eq!(merged.rows, 3);
        assert_eq!(merged.findings.len(), 2);
    }
}
