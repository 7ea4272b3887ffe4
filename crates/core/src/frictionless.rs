//! Frictionless descriptors: Table Schema, Data Resource and Data Package, read into satudata's
//! own [`DataStandard`] so data already described for Frictionless (or CKAN's validation
//! extension) is checked the way Frictionless checks it: columns by position, numbers with a
//! `.` decimal mark, ISO dates and times unless a `format` says otherwise, `missingValues` as empty.
//! The standard runs exactly Frictionless' baseline checks ([`Checks::Frictionless`]); a
//! [`Checklist`] adds its `row-constraint` checks as rules and its `duplicate-row` check.

use serde::Deserialize;
use serde_json::Value;

use crate::{
    Checks, Column, ConsistencyRule, DataStandard, DataType, ForeignKey, LabelMatching, RuleFinding, ValidationRules,
    ValueFormat,
};

/// A Table Schema field.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Field {
    name: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    constraints: Constraints,
    #[serde(default)]
    decimal_char: Option<String>,
    #[serde(default)]
    group_char: Option<String>,
    #[serde(default)]
    true_values: Option<Vec<String>>,
    #[serde(default)]
    false_values: Option<Vec<String>>,
    #[serde(default)]
    array_item: Option<Value>,
    #[serde(default)]
    delimiter: Option<String>,
    #[serde(default)]
    item_type: Option<String>,
    /// Table Schema's `example`: a value of the field.
    #[serde(default)]
    example: Option<Value>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Constraints {
    #[serde(default)]
    required: bool,
    #[serde(default)]
    unique: bool,
    #[serde(default)]
    minimum: Option<Value>,
    #[serde(default)]
    maximum: Option<Value>,
    #[serde(default)]
    exclusive_minimum: Option<Value>,
    #[serde(default)]
    exclusive_maximum: Option<Value>,
    #[serde(default)]
    min_length: Option<u64>,
    #[serde(default)]
    max_length: Option<u64>,
    #[serde(default)]
    pattern: Option<String>,
    #[serde(default, rename = "enum")]
    enum_values: Option<Vec<Value>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
struct Reference {
    #[serde(default)]
    resource: String,
    fields: OneOrMany,
}

#[derive(Debug, Clone, Deserialize)]
struct RawForeignKey {
    fields: OneOrMany,
    reference: Reference,
}

/// A Frictionless Table Schema.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TableSchema {
    fields: Vec<Field>,
    #[serde(default)]
    primary_key: Option<OneOrMany>,
    #[serde(default)]
    foreign_keys: Vec<RawForeignKey>,
    #[serde(default)]
    missing_values: Option<Vec<String>>,
}

/// A Frictionless Data Resource: a file and its schema.
#[derive(Debug, Clone)]
pub struct Resource {
    /// The resource's name.
    pub name: String,
    /// Path of its file, relative to the descriptor.
    pub path: String,
    /// Its schema.
    pub schema: TableSchema,
}

/// A parsed descriptor.
#[derive(Debug, Clone)]
pub enum Descriptor {
    /// A Table Schema: needs a file to check.
    Schema(TableSchema),
    /// One or more resources, each a file with its schema (a Data Resource or a Data Package).
    Resources(Vec<Resource>),
}

fn json(source: serde_json::Error) -> crate::Error {
    crate::Error::Json {
        kind: "Frictionless descriptor",
        source,
    }
}

fn unknown() -> crate::Error {
    crate::Error::invalid(
        "Frictionless descriptor",
        "not a Table Schema, Data Resource or Data Package",
    )
}

fn schema_of(value: &Value, name: &str, read_schema: &dyn Fn(&str) -> Option<Value>) -> crate::Result<TableSchema> {
    match value.get("schema") {
        Some(Value::String(path)) => {
            let doc = read_schema(path).ok_or_else(|| crate::Error::SchemaPath {
                resource: name.to_owned(),
                path: path.clone(),
            })?;
            serde_json::from_value(doc).map_err(json)
        }
        Some(schema) => serde_json::from_value(schema.clone()).map_err(json),
        None => Err(unknown()),
    }
}

fn resource(value: &Value, read_schema: &dyn Fn(&str) -> Option<Value>) -> crate::Result<Resource> {
    let name = value.get("name").and_then(Value::as_str).unwrap_or("data").to_owned();
    let path = match value.get("path") {
        Some(Value::String(p)) => p.clone(),
        _ => return Err(crate::Error::invalid("resource without a local path", name)),
    };
    let schema = schema_of(value, &name, read_schema)?;
    Ok(Resource { name, path, schema })
}

impl Descriptor {
    /// Parses a Table Schema, Data Resource or Data Package; `read_schema` reads a schema that
    /// a resource names by path.
    ///
    /// Fields that Frictionless itself refuses (a constraint their type does not support, an
    /// unknown `geojson` format or `list` item type, an empty `list` delimiter) and `arrayItem`
    /// (not supported) are errors.
    pub fn parse(bytes: &[u8], read_schema: &dyn Fn(&str) -> Option<Value>) -> crate::Result<Self> {
        let value: Value = serde_json::from_slice(bytes).map_err(json)?;
        let descriptor = if value.get("fields").is_some() {
            Descriptor::Schema(serde_json::from_value(value).map_err(json)?)
        } else if let Some(Value::Array(resources)) = value.get("resources") {
            Descriptor::Resources(
                resources
                    .iter()
                    .map(|r| resource(r, read_schema))
                    .collect::<crate::Result<_>>()?,
            )
        } else if value.get("path").is_some() {
            Descriptor::Resources(vec![resource(&value, read_schema)?])
        } else {
            return Err(unknown());
        };
        match &descriptor {
            Descriptor::Schema(schema) => schema.check_fields()?,
            Descriptor::Resources(resources) => {
                for r in resources {
                    r.schema.check_fields()?;
                }
            }
        }
        Ok(descriptor)
    }
}

/// The constraints (besides `required` and `unique`) Frictionless 5 allows on a field type.
fn supported_constraints(kind: &str) -> Option<&'static [&'static str]> {
    const ORDERED: &[&str] = &["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum"];
    Some(match kind {
        "string" => &["minLength", "maxLength", "pattern", "enum"],
        "integer" | "number" | "date" | "datetime" | "time" | "year" | "yearmonth" => ORDERED,
        "array" | "object" => &["minLength", "maxLength", "enum"],
        "list" => &["minLength", "maxLength"],
        "boolean" | "duration" | "geopoint" | "geojson" | "any" => &["enum"],
        _ => return None,
    })
}

impl Field {
    fn check(&self) -> crate::Result<()> {
        let kind = self.kind.as_deref().unwrap_or("string");
        let refuse = |detail: String| {
            Err(crate::Error::invalid(
                "Frictionless field",
                format!("{}: {detail}", self.name),
            ))
        };
        if self.array_item.is_some() {
            return refuse("arrayItem is not supported".into());
        }
        if kind == "geojson" && !matches!(self.format.as_deref(), None | Some("default" | "topojson")) {
            return refuse(format!(
                "format {} is not one of default, topojson",
                self.format.as_deref().unwrap_or_default()
            ));
        }
        if kind == "list" {
            let item = self.item_type.as_deref().unwrap_or("string");
            if !DataType::LIST_ITEMS.iter().any(|t| t.as_str() == item) {
                let allowed: Vec<&str> = DataType::LIST_ITEMS.iter().map(|t| t.as_str()).collect();
                return refuse(format!("itemType {item} is not one of {}", allowed.join(", ")));
            }
            // Frictionless cannot split on nothing either ("empty separator").
            if self.delimiter.as_deref() == Some("") {
                return refuse("delimiter is empty".into());
            }
        }
        let c = &self.constraints;
        let given = [
            ("minimum", c.minimum.is_some()),
            ("maximum", c.maximum.is_some()),
            ("exclusiveMinimum", c.exclusive_minimum.is_some()),
            ("exclusiveMaximum", c.exclusive_maximum.is_some()),
            ("minLength", c.min_length.is_some()),
            ("maxLength", c.max_length.is_some()),
            ("pattern", c.pattern.is_some()),
            ("enum", c.enum_values.is_some()),
        ];
        if let Some(supported) = supported_constraints(kind)
            && let Some((name, _)) = given.iter().find(|(name, set)| *set && !supported.contains(name))
        {
            return refuse(format!("constraint {name} is not supported by type {kind}"));
        }
        Ok(())
    }

    /// The field as a column of a data standard.
    fn column(&self) -> Column {
        let f = self;
        let kind = data_type(f.kind.as_deref());
        let numeric = matches!(kind, DataType::Integer | DataType::Number);
        let format = ValueFormat {
            desimal: numeric.then(|| f.decimal_char.clone().unwrap_or_else(|| ".".into())),
            // Frictionless applies groupChar to numbers only, not to integers.
            ribuan: f.group_char.clone().filter(|_| kind == DataType::Number),
            tanggal: date_layout(kind, f.format.as_deref()),
            nilai_benar: (kind == DataType::Boolean).then(|| {
                f.true_values
                    .clone()
                    .unwrap_or_else(|| ["true", "True", "TRUE", "1"].map(String::from).to_vec())
            }),
            teks: f.format.clone().filter(|f| match kind {
                DataType::String => matches!(f.as_str(), "email" | "uri" | "uuid"),
                DataType::Geopoint | DataType::Geojson => true,
                _ => false,
            }),
            nilai_salah: (kind == DataType::Boolean).then(|| {
                f.false_values
                    .clone()
                    .unwrap_or_else(|| ["false", "False", "FALSE", "0"].map(String::from).to_vec())
            }),
            pemisah_isi: (kind == DataType::List).then(|| f.delimiter.clone().unwrap_or_else(|| ",".into())),
            tipe_isi: (kind == DataType::List).then(|| data_type(f.item_type.as_deref())),
        };
        let c = &f.constraints;
        let layout = format.tanggal.as_deref();
        Column {
            nama: f.name.clone(),
            alias: f.title.clone().into_iter().collect(),
            konsep: f.title.clone().unwrap_or_default(),
            definisi: f.description.clone().unwrap_or_default(),
            referensi_pemilihan: None,
            referensi_waktu: None,
            tipe_data: kind,
            klasifikasi: None,
            data_induk: None,
            ukuran: String::new(),
            satuan: String::new(),
            aturan_validasi: ValidationRules {
                wajib: c.required,
                unik: c.unique,
                minimum: limit(&c.minimum, kind, layout),
                maksimum: limit(&c.maximum, kind, layout),
                minimum_eksklusif: limit(&c.exclusive_minimum, kind, layout),
                maksimum_eksklusif: limit(&c.exclusive_maximum, kind, layout),
                enum_values: c.enum_values.as_ref().map(|values| {
                    values
                        .iter()
                        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                        .collect()
                }),
                panjang_minimum: c.min_length,
                panjang_maksimum: c.max_length,
                pola: c.pattern.clone(),
                keterangan_pola: None,
                tingkat_wilayah: None,
            },
            dapat_diakses_umum: true,
            format: Some(format),
            contoh: f
                .example
                .as_ref()
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned)),
        }
    }
}

/// A column of type `kind` read as Frictionless reads a field of that type with no other
/// properties: in its default format, without constraints (how a `list` column's items are read).
pub fn default_column(name: &str, kind: DataType) -> Column {
    Field {
        name: name.to_owned(),
        kind: Some(kind.as_str().to_owned()),
        ..Field::default()
    }
    .column()
}

fn number(value: &Option<Value>) -> Option<f64> {
    match value {
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) => s.parse().ok(),
        _ => None,
    }
}

fn data_type(kind: Option<&str>) -> DataType {
    match kind.unwrap_or("string") {
        "integer" => DataType::Integer,
        "number" => DataType::Number,
        "boolean" => DataType::Boolean,
        "date" => DataType::Date,
        "datetime" => DataType::Datetime,
        "time" => DataType::Time,
        "year" => DataType::Year,
        "yearmonth" => DataType::YearMonth,
        "duration" => DataType::Duration,
        "geopoint" => DataType::Geopoint,
        "geojson" => DataType::Geojson,
        "object" => DataType::Object,
        "array" => DataType::Array,
        "list" => DataType::List,
        // string, any: kept as text.
        _ => DataType::String,
    }
}

/// The strftime layout Frictionless uses for a date/datetime/time `format`.
fn date_layout(kind: DataType, format: Option<&str>) -> Option<String> {
    let temporal = matches!(kind, DataType::Date | DataType::Datetime | DataType::Time);
    match (kind, format) {
        (DataType::Date, None | Some("default")) => Some("%Y-%m-%d".into()),
        (DataType::Datetime, None | Some("default")) => Some("%Y-%m-%dT%H:%M:%S".into()),
        (DataType::Time, None | Some("default")) => Some(TIME_DEFAULT.into()),
        (_, Some("any")) if temporal => None,
        (_, Some(pattern)) if temporal => Some(pattern.to_owned()),
        _ => None,
    }
}

/// Frictionless' default time layout (read as ISO 8601: fractions and offsets allowed).
const TIME_DEFAULT: &str = "%H:%M:%S";

/// A bound (`minimum`, `maximum` and their exclusive forms) as a number: for a date column days
/// and for a date-time milliseconds since 1970-01-01, for a time seconds since midnight, read
/// with the column's layout as Frictionless reads the constraint with the field's own format.
fn limit(value: &Option<Value>, kind: DataType, layout: Option<&str>) -> Option<f64> {
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?;
    match kind {
        DataType::Time => {}
        // Dates as days, date-times as milliseconds since 1970-01-01, as the checks compare them.
        DataType::Date => {
            let text = value.as_ref()?.as_str()?;
            let date = chrono::NaiveDate::parse_from_str(text, layout.unwrap_or("%Y-%m-%d")).ok()?;
            return Some((date - epoch).num_days() as f64);
        }
        DataType::Datetime => {
            let text = value.as_ref()?.as_str()?;
            let at = chrono::DateTime::parse_from_rfc3339(text)
                .map(|t| t.naive_utc())
                .or_else(|_| chrono::NaiveDateTime::parse_from_str(text, layout.unwrap_or("%Y-%m-%dT%H:%M:%S")))
                .ok()?;
            return Some(at.and_utc().timestamp_millis() as f64);
        }
        _ => return number(value),
    }
    use chrono::Timelike;
    let text = value.as_ref()?.as_str()?;
    let layout = match layout {
        None | Some(TIME_DEFAULT) => "%H:%M:%S%.f",
        Some(l) => l,
    };
    let t = chrono::NaiveTime::parse_from_str(text, layout).ok()?;
    Some(f64::from(t.num_seconds_from_midnight()) + f64::from(t.nanosecond()) / 1e9)
}

impl TableSchema {
    /// Refuses the fields Frictionless refuses (see [`Descriptor::parse`]).
    fn check_fields(&self) -> crate::Result<()> {
        self.fields.iter().try_for_each(Field::check)
    }

    /// The schema as a satudata data standard called `id`.
    pub fn to_standard(&self, id: &str) -> DataStandard {
        let kolom = self.fields.iter().map(Field::column).collect();
        DataStandard {
            id: id.to_owned(),
            nama: id.to_owned(),
            versi: String::new(),
            deskripsi: String::new(),
            kolom,
            kunci_utama: self.primary_key.clone().map(OneOrMany::into_vec).unwrap_or_default(),
            kolom_periode: None,
            aturan_konsistensi: Vec::new(),
            kunci_asing: self
                .foreign_keys
                .iter()
                .map(|fk| ForeignKey {
                    kolom: fk.fields.clone().into_vec(),
                    rujukan: fk.reference.resource.clone(),
                    kolom_rujukan: fk.reference.fields.clone().into_vec(),
                })
                .collect(),
            nilai_kosong: self.missing_values.clone().unwrap_or_else(|| vec![String::new()]),
            pencocokan_label: LabelMatching::Posisi,
            pemeriksaan: Checks::Frictionless { duplicate_row: false },
        }
    }
}

/// A Frictionless checklist (`{"checks": [{"type": "row-constraint", "formula": "a > b"}]}`):
/// checks to run besides the baseline ones. satudata runs its `row-constraint` and
/// `duplicate-row` checks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Checklist {
    /// The formulas of its `row-constraint` checks, in order.
    pub formulas: Vec<String>,
    /// Whether it has a `duplicate-row` check.
    pub duplicate_row: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawChecklist {
    #[serde(default)]
    checks: Vec<RawCheck>,
    #[serde(default)]
    pick_errors: Vec<String>,
    #[serde(default)]
    skip_errors: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct RawCheck {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    formula: Option<String>,
}

impl Checklist {
    /// Parses a checklist; other check types, `pickErrors` and `skipErrors` are
    /// [`crate::Error::UnsupportedCheck`].
    pub fn parse(bytes: &[u8]) -> crate::Result<Self> {
        let raw: RawChecklist = serde_json::from_slice(bytes).map_err(|source| crate::Error::Json {
            kind: "Frictionless checklist",
            source,
        })?;
        if !raw.pick_errors.is_empty() {
            return Err(crate::Error::UnsupportedCheck("pickErrors".into()));
        }
        if !raw.skip_errors.is_empty() {
            return Err(crate::Error::UnsupportedCheck("skipErrors".into()));
        }
        let mut checklist = Checklist::default();
        for check in raw.checks {
            match (check.kind.as_str(), check.formula) {
                ("row-constraint", Some(formula)) => checklist.formulas.push(formula),
                ("row-constraint", None) => {
                    return Err(crate::Error::invalid(
                        "Frictionless checklist",
                        "a row-constraint check without a formula",
                    ));
                }
                ("duplicate-row", _) => checklist.duplicate_row = true,
                (other, _) => return Err(crate::Error::UnsupportedCheck(other.to_owned())),
            }
        }
        Ok(checklist)
    }

    /// Adds the checklist's checks to `standard`: its row constraints as rules and, for a
    /// Frictionless standard, duplicate rows (a Satu Data standard reports them already).
    pub fn apply(&self, standard: &mut DataStandard) {
        standard.aturan_konsistensi.extend(self.rules());
        if let Checks::Frictionless { duplicate_row } = &mut standard.pemeriksaan {
            *duplicate_row |= self.duplicate_row;
        }
    }

    /// The `row-constraint` checks as rules of a data standard, each named by its formula.
    pub fn rules(&self) -> Vec<ConsistencyRule> {
        self.formulas
            .iter()
            .map(|formula| ConsistencyRule {
                nama: formula.clone(),
                rumus: formula.clone(),
                temuan: RuleFinding::RowConstraint,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_schema_becomes_a_positional_strict_standard() {
        let bytes = br#"{"fields":[
            {"name":"id","type":"integer","constraints":{"required":true,"unique":true}},
            {"name":"tanggal","type":"date","format":"%d/%m/%Y"},
            {"name":"ok","type":"boolean","trueValues":["ya"],"falseValues":["tidak"]},
            {"name":"induk","type":"integer"}],
            "primaryKey":"id","missingValues":["","-"],
            "foreignKeys":[{"fields":"induk","reference":{"resource":"","fields":"id"}}]}"#;
        let Descriptor::Schema(schema) = Descriptor::parse(bytes, &|_| None).unwrap() else {
            panic!()
        };
        let s = schema.to_standard("uji");
        assert_eq!(s.pencocokan_label, LabelMatching::Posisi);
        assert_eq!(s.pemeriksaan, Checks::Frictionless { duplicate_row: false });
        assert_eq!(s.kunci_utama, ["id"]);
        assert_eq!(s.nilai_kosong, ["", "-"]);
        assert_eq!(s.kunci_asing[0].kolom_rujukan, ["id"]);
        assert_eq!(s.kolom[0].format.as_ref().unwrap().desimal.as_deref(), Some("."));
        assert_eq!(s.kolom[1].format.as_ref().unwrap().tanggal.as_deref(), Some("%d/%m/%Y"));
        assert_eq!(
            s.kolom[2].format.as_ref().unwrap().nilai_benar.as_deref(),
            Some(&["ya".to_owned()][..])
        );
    }

    #[test]
    fn packages_and_resources() {
        let package = br#"{"name":"p","resources":[
            {"name":"a","path":"a.csv","schema":{"fields":[{"name":"x"}]}},
            {"name":"b","path":"b.csv","schema":"b.schema.json"}]}"#;
        let read =
            |p: &str| (p == "b.schema.json").then(|| serde_json::json!({"fields":[{"name":"y","type":"number"}]}));
        let Descriptor::Resources(r) = Descriptor::parse(package, &read).unwrap() else {
            panic!()
        };
        assert_eq!((r[0].name.as_str(), r[1].path.as_str()), ("a", "b.csv"));
        assert!(matches!(
            Descriptor::parse(package, &|_| None),
            Err(crate::Error::SchemaPath { .. })
        ));
        assert!(matches!(
            Descriptor::parse(br#"{"x":1}"#, &|_| None),
            Err(crate::Error::InvalidValue { .. })
        ));
    }

    #[test]
    fn new_types_and_their_constraints() {
        let bytes = br#"{"fields":[
            {"name":"jam","type":"time","constraints":{"minimum":"08:00:00","maximum":"17:30:00"}},
            {"name":"jam2","type":"time","format":"%H.%M","constraints":{"minimum":"07.15"}},
            {"name":"lama","type":"duration"},
            {"name":"titik","type":"geopoint","format":"array"},
            {"name":"peta","type":"geojson","format":"topojson"},
            {"name":"isi","type":"object","constraints":{"minLength":1}},
            {"name":"daftar","type":"array","constraints":{"maxLength":3}},
            {"name":"apa","type":"any","constraints":{"enum":["a"]}}]}"#;
        let Descriptor::Schema(schema) = Descriptor::parse(bytes, &|_| None).unwrap() else {
            panic!()
        };
        let s = schema.to_standard("uji");
        let kinds: Vec<DataType> = s.kolom.iter().map(|c| c.tipe_data).collect();
        assert_eq!(
            kinds,
            [
                DataType::Time,
                DataType::Time,
                DataType::Duration,
                DataType::Geopoint,
                DataType::Geojson,
                DataType::Object,
                DataType::Array,
                DataType::String
            ]
        );
        let rules = |i: usize| &s.kolom[i].aturan_validasi;
        let format = |i: usize| s.kolom[i].format.clone().unwrap_or_default();
        assert_eq!((rules(0).minimum, rules(0).maksimum), (Some(28_800.0), Some(63_000.0)));
        assert_eq!(format(0).tanggal.as_deref(), Some("%H:%M:%S"));
        assert_eq!(rules(1).minimum, Some(26_100.0));
        assert_eq!(format(3).teks.as_deref(), Some("array"));
        assert_eq!(format(4).teks.as_deref(), Some("topojson"));
        assert_eq!(rules(5).panjang_minimum, Some(1));
        assert_eq!(rules(7).enum_values.as_deref(), Some(&["a".to_owned()][..]));
    }

    #[test]
    fn list_fields_keep_their_delimiter_and_item_type() {
        let bytes = br#"{"fields":[
            {"name":"a","type":"list"},
            {"name":"b","type":"list","delimiter":";","itemType":"integer",
             "constraints":{"required":true,"minLength":1,"maxLength":3}},
            {"name":"c","type":"string","itemType":"tidak-dibaca","delimiter":""}]}"#;
        let Descriptor::Schema(schema) = Descriptor::parse(bytes, &|_| None).unwrap() else {
            panic!()
        };
        let s = schema.to_standard("uji");
        let format = |i: usize| s.kolom[i].format.clone().unwrap_or_default();
        assert_eq!(s.kolom[0].tipe_data, DataType::List);
        assert_eq!(format(0).pemisah_isi.as_deref(), Some(","));
        assert_eq!(format(0).tipe_isi, Some(DataType::String));
        assert_eq!(format(1).pemisah_isi.as_deref(), Some(";"));
        assert_eq!(format(1).tipe_isi, Some(DataType::Integer));
        let rules = &s.kolom[1].aturan_validasi;
        assert!(rules.wajib);
        assert_eq!((rules.panjang_minimum, rules.panjang_maksimum), (Some(1), Some(3)));
        // Outside a list, Frictionless ignores delimiter and itemType.
        assert_eq!(s.kolom[2].tipe_data, DataType::String);
        assert_eq!((format(2).pemisah_isi, format(2).tipe_isi), (None, None));
    }

    #[test]
    fn list_items_are_read_in_the_default_format() {
        for kind in DataType::LIST_ITEMS {
            let item = default_column("x", kind);
            assert_eq!(item.tipe_data, kind);
            assert_eq!(item.aturan_validasi, ValidationRules::default());
        }
        let format = |kind| default_column("x", kind).format.unwrap_or_default();
        assert_eq!(format(DataType::Number).desimal.as_deref(), Some("."));
        assert_eq!(format(DataType::Number).ribuan, None);
        assert_eq!(format(DataType::Integer).desimal.as_deref(), Some("."));
        assert_eq!(format(DataType::Date).tanggal.as_deref(), Some("%Y-%m-%d"));
        assert_eq!(format(DataType::Datetime).tanggal.as_deref(), Some("%Y-%m-%dT%H:%M:%S"));
        assert_eq!(format(DataType::Time).tanggal.as_deref(), Some("%H:%M:%S"));
        assert_eq!(format(DataType::Boolean).nilai_benar.unwrap().len(), 4);
        assert_eq!(format(DataType::String).teks, None);
    }

    #[test]
    fn fields_frictionless_refuses_are_refused() {
        for bad in [
            r#"{"fields":[{"name":"x","type":"any","constraints":{"minLength":1}}]}"#,
            r#"{"fields":[{"name":"x","type":"geopoint","constraints":{"minimum":1}}]}"#,
            r#"{"fields":[{"name":"x","type":"integer","constraints":{"pattern":"1"}}]}"#,
            r#"{"fields":[{"name":"x","type":"geojson","format":"any"}]}"#,
            r#"{"fields":[{"name":"x","type":"array","arrayItem":{"type":"integer"}}]}"#,
            r#"{"fields":[{"name":"x","type":"list","constraints":{"enum":["a"]}}]}"#,
            r#"{"fields":[{"name":"x","type":"list","itemType":"year"}]}"#,
            r#"{"fields":[{"name":"x","type":"list","itemType":"list"}]}"#,
            r#"{"fields":[{"name":"x","type":"list","delimiter":""}]}"#,
        ] {
            let err = Descriptor::parse(bad.as_bytes(), &|_| None).unwrap_err();
            assert!(err.to_string().contains("x:"), "{bad}: {err}");
        }
    }

    #[test]
    fn checklists_give_row_constraint_rules() {
        let list =
            Checklist::parse(br#"{"checks":[{"type":"row-constraint","formula":"jumlah == laki_laki + perempuan"}]}"#)
                .unwrap();
        let rules = list.rules();
        assert_eq!(rules[0].rumus, "jumlah == laki_laki + perempuan");
        assert_eq!(rules[0].temuan, RuleFinding::RowConstraint);
        assert!(!list.duplicate_row);
        assert!(matches!(
            Checklist::parse(br#"{"checks":[{"type":"forbidden-value","fieldName":"a","values":[1]}]}"#),
            Err(crate::Error::UnsupportedCheck(kind)) if kind == "forbidden-value"
        ));
        assert!(matches!(
            Checklist::parse(br#"{"checks":[],"skipErrors":["blank-row"]}"#),
            Err(crate::Error::UnsupportedCheck(_))
        ));
        assert!(Checklist::parse(br#"{"checks":[{"type":"row-constraint"}]}"#).is_err());
        assert!(Checklist::parse(b"[").is_err());
    }

    #[test]
    fn a_duplicate_row_check_turns_on_duplicate_rows_in_frictionless_mode_only() {
        let list =
            Checklist::parse(br#"{"checks":[{"type":"duplicate-row"},{"type":"row-constraint","formula":"a > 0"}]}"#)
                .unwrap();
        assert!(list.duplicate_row);
        let Descriptor::Schema(schema) =
            Descriptor::parse(br#"{"fields":[{"name":"a","type":"integer"}]}"#, &|_| None).unwrap()
        else {
            panic!()
        };
        let mut frictionless = schema.to_standard("uji");
        assert!(!frictionless.pemeriksaan.duplicate_rows());
        list.apply(&mut frictionless);
        assert_eq!(frictionless.pemeriksaan, Checks::Frictionless { duplicate_row: true });
        assert_eq!(frictionless.aturan_konsistensi.len(), 1);
        // A Satu Data standard keeps its own checks, duplicate rows among them.
        let mut satu_data = DataStandard {
            pemeriksaan: Checks::SatuData,
            ..schema.to_standard("uji")
        };
        Checklist::default().apply(&mut satu_data);
        assert_eq!(satu_data.pemeriksaan, Checks::SatuData);
        assert!(satu_data.pemeriksaan.duplicate_rows());
    }
}
