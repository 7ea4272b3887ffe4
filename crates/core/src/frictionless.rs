//! Frictionless descriptors: Table Schema, Data Resource and Data Package, read into satudata's
//! own [`DataStandard`] so data already described for Frictionless (or CKAN's validation
//! extension) is checked the way Frictionless checks it: columns by position, numbers with a
//! `.` decimal mark, ISO dates unless a `format` says otherwise, `missingValues` as empty.

use serde::Deserialize;
use serde_json::Value;

use crate::{Column, DataStandard, DataType, ForeignKey, LabelMatching, ValidationRules, ValueFormat};

/// A Table Schema field.
#[derive(Debug, Clone, Deserialize)]
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
    pub fn parse(bytes: &[u8], read_schema: &dyn Fn(&str) -> Option<Value>) -> crate::Result<Self> {
        let value: Value = serde_json::from_slice(bytes).map_err(json)?;
        if value.get("fields").is_some() {
            return Ok(Descriptor::Schema(serde_json::from_value(value).map_err(json)?));
        }
        if let Some(Value::Array(resources)) = value.get("resources") {
            return Ok(Descriptor::Resources(
                resources
                    .iter()
                    .map(|r| resource(r, read_schema))
                    .collect::<crate::Result<_>>()?,
            ));
        }
        if value.get("path").is_some() {
            return Ok(Descriptor::Resources(vec![resource(&value, read_schema)?]));
        }
        Err(unknown())
    }
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
        "year" => DataType::Year,
        "yearmonth" => DataType::YearMonth,
        // string, time, duration, geopoint, geojson, object, array, any: kept as text.
        _ => DataType::String,
    }
}

/// The strftime layout Frictionless uses for a date/datetime `format`.
fn date_layout(kind: DataType, format: Option<&str>) -> Option<String> {
    match (kind, format) {
        (DataType::Date, None | Some("default")) => Some("%Y-%m-%d".into()),
        (DataType::Datetime, None | Some("default")) => Some("%Y-%m-%dT%H:%M:%S".into()),
        (DataType::Date | DataType::Datetime, Some("any")) => None,
        (DataType::Date | DataType::Datetime, Some(pattern)) => Some(pattern.to_owned()),
        _ => None,
    }
}

impl TableSchema {
    /// The schema as a satudata data standard called `id`.
    pub fn to_standard(&self, id: &str) -> DataStandard {
        let kolom = self
            .fields
            .iter()
            .map(|f| {
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
                    teks: f
                        .format
                        .clone()
                        .filter(|f| kind == DataType::String && matches!(f.as_str(), "email" | "uri" | "uuid")),
                    nilai_salah: (kind == DataType::Boolean).then(|| {
                        f.false_values
                            .clone()
                            .unwrap_or_else(|| ["false", "False", "FALSE", "0"].map(String::from).to_vec())
                    }),
                };
                let c = &f.constraints;
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
                        minimum: number(&c.minimum),
                        maksimum: number(&c.maximum),
                        enum_values: c.enum_values.as_ref().map(|values| {
                            values
                                .iter()
                                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                                .collect()
                        }),
                        panjang_minimum: c.min_length,
                        panjang_maksimum: c.max_length,
                        pola: c.pattern.clone(),
                        tingkat_wilayah: None,
                    },
                    dapat_diakses_umum: true,
                    format: Some(format),
                }
            })
            .collect();
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
        }
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
}
