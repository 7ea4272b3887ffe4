use std::fmt;

use serde::{Deserialize, Serialize};

/// A data standard (standar data): the columns a kind of data must have, described as BPS MS-Var.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataStandard {
    /// Stable identifier, referenced by dataset metadata's `standard`.
    pub id: String,
    /// Human name.
    pub nama: String,
    /// Version of the standard.
    #[serde(default)]
    pub versi: String,
    /// What the data is about.
    #[serde(default)]
    pub deskripsi: String,
    /// The columns, in their published order.
    pub kolom: Vec<Column>,
    /// Primary key: the columns whose values together identify a row.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kunci_utama: Vec<String>,
    /// The column that says which period a row is about, checked against the submission's period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kolom_periode: Option<String>,
    /// Cross-field rules every row must satisfy.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aturan_konsistensi: Vec<ConsistencyRule>,
    /// Foreign keys into this or other tables.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kunci_asing: Vec<ForeignKey>,
    /// Texts that mean "no value" besides an empty cell (`-`, `NA`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nilai_kosong: Vec<String>,
    /// How header labels are matched to columns.
    #[serde(default, skip_serializing_if = "is_default")]
    pub pencocokan_label: LabelMatching,
    /// Which checks run besides each column's own: Satu Data's, or Frictionless' for a standard
    /// read from a Frictionless descriptor. Not part of a standard's JSON: a data standard
    /// always runs Satu Data's checks.
    #[serde(skip)]
    pub pemeriksaan: Checks,
}

/// Which checks a [`DataStandard`] runs besides each column's own (type, constraints, code lists).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Checks {
    /// Satu Data's: Frictionless' baseline checks, duplicate rows, and warnings about personal
    /// data and formulas in cells.
    #[default]
    SatuData,
    /// Exactly Frictionless' baseline checks (what `frictionless validate` runs), plus duplicate
    /// rows when a checklist asks for them.
    Frictionless {
        /// Whether a checklist asked for `duplicate-row`.
        duplicate_row: bool,
    },
}

impl Checks {
    /// Whether rows repeating an earlier row are reported as `duplicate-row`.
    pub fn duplicate_rows(self) -> bool {
        match self {
            Checks::SatuData => true,
            Checks::Frictionless { duplicate_row } => duplicate_row,
        }
    }

    /// Whether only Frictionless' checks run, reported as Frictionless reports them.
    pub fn is_frictionless(self) -> bool {
        matches!(self, Checks::Frictionless { .. })
    }
}

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

/// A cross-field rule such as `jumlah = laki_laki + perempuan` or `persentase between 0 and 100`.
///
/// Rules compare arithmetic over numeric, year and date columns with `=`, `!=`, `<`, `<=`, `>`,
/// `>=`, test `x between a and b`, and combine comparisons with `and`, `or`, `not`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsistencyRule {
    /// Short name shown in findings.
    pub nama: String,
    /// The rule.
    pub rumus: String,
    /// The finding a row that breaks the rule gets, and so how the rule is read.
    #[serde(default, skip_serializing_if = "is_default")]
    pub temuan: RuleFinding,
}

/// Which finding a [`ConsistencyRule`] reports, and how it reads the row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleFinding {
    /// `consistency-error` (Satu Data's check): the rule is read on the checked values; a row where
    /// a value it reads is empty or invalid is skipped, since that cell has its own finding.
    #[default]
    ConsistencyError,
    /// `row-constraint` (Frictionless' check of that name): the rule is a Python expression over
    /// the values as cast, before constraints; an empty or invalid value is Python's `None`, and a
    /// row where the expression is false or cannot be evaluated (`None + 1`) is reported.
    RowConstraint,
}

impl DataStandard {
    /// Parses a data standard from JSON.
    pub fn from_json(bytes: &[u8]) -> crate::Result<Self> {
        crate::error::parse_json("data standard", bytes)
    }

    /// The column called `nama`.
    pub fn column(&self, nama: &str) -> Option<&Column> {
        self.kolom.iter().find(|c| c.nama == nama)
    }
}

/// Type of a column's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DataType {
    /// Any text.
    String,
    /// Whole numbers; Indonesian thousands dots are accepted (`1.234`).
    Integer,
    /// Decimal numbers; decimal comma is accepted (`1.234,56`).
    Number,
    /// `ya`/`tidak`, `true`/`false`, `1`/`0`.
    Boolean,
    /// Calendar date (`2024-08-17`, `17/08/2024`, `17 Agustus 2024`).
    Date,
    /// Date and time (`2024-08-17T10:00:00`, `17/08/2024 10:00`).
    Datetime,
    /// A year (`2024`).
    Year,
    /// A year and month (`2024-08`, `08/2024`, `Agustus 2024`).
    #[serde(rename = "yearmonth")]
    YearMonth,
    /// A Kemendagri region code, kept as text (`61.71.01.1002`).
    #[serde(rename = "kode_wilayah")]
    KodeWilayah,
    /// A time of day (`10:30`, `10.30`, `10:30:00`).
    Time,
    /// An ISO 8601 duration (`P1Y2M10D`, `PT2H30M`), kept as text.
    Duration,
    /// A point as longitude and latitude (`109.34, -0.03`), kept as text.
    Geopoint,
    /// A GeoJSON object (`{"type": "Point", "coordinates": [109.34, -0.03]}`), kept as text.
    Geojson,
    /// A JSON object (`{"a": 1}`), kept as text; its length is its number of keys.
    Object,
    /// A JSON array (`[1, 2]`), kept as text; its length is its number of items.
    Array,
    /// Items between delimiters (`SD,SMP`), each of type `format.tipe_isi`; kept as text, its length is its item count.
    List,
}

impl DataType {
    /// Every type, in the order the standard schema lists them.
    pub const ALL: &'static [DataType] = &[
        Self::String,
        Self::Integer,
        Self::Number,
        Self::Boolean,
        Self::Date,
        Self::Datetime,
        Self::Year,
        Self::YearMonth,
        Self::KodeWilayah,
        Self::Time,
        Self::Duration,
        Self::Geopoint,
        Self::Geojson,
        Self::Object,
        Self::Array,
        Self::List,
    ];

    /// The types a `list` column's items may have (Frictionless' `itemType` values).
    pub const LIST_ITEMS: [DataType; 7] = [
        Self::String,
        Self::Integer,
        Self::Boolean,
        Self::Number,
        Self::Datetime,
        Self::Date,
        Self::Time,
    ];

    /// The word used in standards.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::String => "string",
            Self::Integer => "integer",
            Self::Number => "number",
            Self::Boolean => "boolean",
            Self::Date => "date",
            Self::Datetime => "datetime",
            Self::Year => "year",
            Self::YearMonth => "yearmonth",
            Self::KodeWilayah => "kode_wilayah",
            Self::Time => "time",
            Self::Duration => "duration",
            Self::Geopoint => "geopoint",
            Self::Geojson => "geojson",
            Self::Object => "object",
            Self::Array => "array",
            Self::List => "list",
        }
    }
}

impl fmt::Display for DataType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Points a column at a master data column whose values it must take.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MasterDataRef {
    /// Id of the master data.
    pub id: String,
    /// Column of the master data (its key when absent).
    #[serde(default)]
    pub kolom: Option<String>,
}

/// Aturan validasi: constraints on a column's values.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidationRules {
    /// A value is required in every row.
    #[serde(default)]
    pub wajib: bool,
    /// No two rows may share a value.
    #[serde(default)]
    pub unik: bool,
    /// Smallest allowed number (`time` columns: seconds since midnight; `date`: days and
    /// `datetime`: milliseconds since 1970-01-01).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum: Option<f64>,
    /// Largest allowed number (in the units of [`ValidationRules::minimum`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maksimum: Option<f64>,
    /// Values must be above this number (Frictionless `exclusiveMinimum`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum_eksklusif: Option<f64>,
    /// Values must be below this number (Frictionless `exclusiveMaximum`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maksimum_eksklusif: Option<f64>,
    /// The only allowed values.
    #[serde(default, rename = "enum", skip_serializing_if = "Option::is_none")]
    pub enum_values: Option<Vec<String>>,
    /// Fewest characters a value may have (items or keys for `array`, `object` and `list` columns).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub panjang_minimum: Option<u64>,
    /// Most characters a value may have (items or keys for `array`, `object` and `list` columns).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub panjang_maksimum: Option<u64>,
    /// Regular expression the whole value must match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pola: Option<String>,
    /// What [`ValidationRules::pola`] asks for, in words a PD reads ("R- lalu tiga angka,
    /// misalnya R-001"); a value that does not match is told this instead of the expression.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keterangan_pola: Option<String>,
    /// For `kode_wilayah` columns: the level every code must have.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tingkat_wilayah: Option<crate::wilayah::Level>,
}

/// A column of a data standard, with the BPS MS-Var fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Column {
    /// Field name in snake_case, as published.
    pub nama: String,
    /// Other labels producers use in their headers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alias: Vec<String>,
    /// The concept measured.
    #[serde(default)]
    pub konsep: String,
    /// Its definition.
    #[serde(default)]
    pub definisi: String,
    /// Referensi pemilihan: how values are chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referensi_pemilihan: Option<String>,
    /// Referensi waktu: the time the values refer to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referensi_waktu: Option<String>,
    /// Type of the values.
    pub tipe_data: DataType,
    /// Id of the code list (klasifikasi isian) the values come from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub klasifikasi: Option<String>,
    /// Master data the values must exist in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_induk: Option<MasterDataRef>,
    /// What is measured (jumlah, persentase...).
    #[serde(default)]
    pub ukuran: String,
    /// Unit (jiwa, persen, rupiah...).
    #[serde(default)]
    pub satuan: String,
    /// Constraints on the values.
    #[serde(default)]
    pub aturan_validasi: ValidationRules,
    /// Whether the column may be published openly.
    #[serde(default = "yes")]
    pub dapat_diakses_umum: bool,
    /// How values are written, when stricter than the Indonesian-lenient defaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<ValueFormat>,
    /// A value written as the column wants it (`61.71.03.1002`), shown in findings as the form
    /// to follow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contoh: Option<String>,
}

/// How a column's values are written. Absent parts keep the lenient defaults: numbers with a
/// decimal comma or point and thousands dots, the common date layouts, `ya`/`tidak`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueFormat {
    /// The decimal mark (`.` or `,`); when set, numbers are read strictly with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desimal: Option<String>,
    /// The thousands separator allowed in numbers (none when absent and `desimal` is set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ribuan: Option<String>,
    /// The date, date-time or time layout, as a strftime pattern (`%d/%m/%Y`, `%H:%M`); for
    /// `time` columns `%H:%M:%S` also takes ISO 8601 fractions and offsets, as Frictionless does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tanggal: Option<String>,
    /// The texts that mean true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nilai_benar: Option<Vec<String>>,
    /// The texts that mean false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nilai_salah: Option<Vec<String>>,
    /// The form a text must have: `email`, `uri` or `uuid` for `string` columns; `default`
    /// (`lon, lat`), `array` (`[lon, lat]`) or `object` (`{"lon": …, "lat": …}`) for `geopoint`;
    /// `default` or `topojson` for `geojson`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub teks: Option<String>,
    /// For `list` columns: the text between items (`,` when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pemisah_isi: Option<String>,
    /// For `list` columns: the type of every item (`string` when absent), read as Frictionless reads it by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tipe_isi: Option<DataType>,
}

/// How header labels are matched to the standard's columns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LabelMatching {
    /// By name, alias or normalised form, in any order (satudata's way).
    #[default]
    Nama,
    /// By position, the label checked against the name (Frictionless' way).
    Posisi,
}

/// A foreign key: the values of some columns must appear in columns of a reference table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForeignKey {
    /// The columns of this table.
    pub kolom: Vec<String>,
    /// The reference table (empty: this table itself).
    #[serde(default)]
    pub rujukan: String,
    /// The columns of the reference table.
    pub kolom_rujukan: Vec<String>,
}

fn yes() -> bool {
    true
}

/// Normalises a header label for matching: lowercase, letters and digits only, single `_`.
///
/// `"Jumlah Penduduk (jiwa)"` and `"jumlah_penduduk_jiwa"` normalise alike.
pub fn normalise_label(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    for ch in label.trim().chars().flat_map(char::to_lowercase) {
        if ch.is_alphanumeric() {
            out.push(ch);
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    out
}

impl Column {
    /// Whether a header label names this column (by name, alias or normalised form).
    pub fn matches_label(&self, label: &str) -> bool {
        let wanted = normalise_label(label);
        normalise_label(&self.nama) == wanted || self.alias.iter().any(|a| normalise_label(a) == wanted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_normalise() {
        assert_eq!(normalise_label(" Jumlah Penduduk (jiwa) "), "jumlah_penduduk_jiwa");
        assert_eq!(normalise_label("Kunjungan – Total"), "kunjungan_total");
        assert_eq!(normalise_label("kode_kelurahan"), "kode_kelurahan");
    }

    #[test]
    fn column_defaults() {
        let c: Column =
            serde_json::from_str(r#"{"nama":"jumlah","tipe_data":"integer","alias":["Jumlah (jiwa)"]}"#).unwrap();
        assert!(c.dapat_diakses_umum);
        assert!(c.matches_label("JUMLAH (JIWA)"));
        assert!(c.matches_label("Jumlah"));
        assert!(!c.matches_label("jumlah_siswa"));
    }
}
