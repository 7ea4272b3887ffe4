//! `datapackage.json`: the release's data files as a Frictionless Data Package.
//!
//! Two resources, `data` (`data.csv`) and `data-parquet` (`data.parquet`), share one Table
//! Schema: a field for each published column, typed from the standard (region codes and other
//! codes as `string`, so that `61.10` stays `61.10`), titled and described from MS-Var,
//! with the standard's constraints and primary key, and `""` as the only missing value (what
//! [`crate::write_csv`] writes for one). The package carries the dataset's title, description,
//! keywords, license, source and contributors, and the periods the release covers (`periods`,
//! `temporal_coverage`, as in the release metadata). Nothing in it depends on the release time, so
//! equal content gives equal bytes and the content digest stays stable.

use polars::prelude::{DataFrame, DataType as Dtype};
use satudata_core::{Column, DataStandard, DataType};
use serde_json::{Map, Value, json};

/// What the package is built from.
#[derive(Debug)]
pub struct Describe<'a> {
    /// Dataset name (the package's `name`).
    pub dataset: &'a str,
    /// Organization slug, the publisher when the metadata names none.
    pub organization: &'a str,
    /// The release's dataset metadata.
    pub metadata: &'a Value,
    /// The standard the table follows.
    pub standard: Option<&'a DataStandard>,
    /// The published table (its columns are the fields).
    pub table: &'a DataFrame,
    /// Bytes of `data.csv`.
    pub csv: &'a [u8],
    /// Their SHA-256 (hex).
    pub csv_sha256: &'a str,
    /// Bytes of `data.parquet`.
    pub parquet: &'a [u8],
}

/// The Data Package descriptor of a release.
pub fn describe(d: &Describe<'_>) -> Value {
    let text = |key: &str| d.metadata.get(key).and_then(Value::as_str).filter(|s| !s.is_empty());
    let schema = table_schema(d.table, d.standard);
    let mut package = Map::new();
    package.insert("name".into(), json!(d.dataset));
    if let Some(title) = text("title") {
        package.insert("title".into(), json!(title));
    }
    if let Some(description) = text("description") {
        package.insert("description".into(), json!(description));
    }
    if let Some(tags) = d.metadata.get("tags").filter(|t| t.is_array()) {
        package.insert("keywords".into(), tags.clone());
    }
    if let Some(license) = text("license") {
        package.insert("licenses".into(), json!([license_of(license)]));
    }
    // The periods the release covers, as its metadata states them (custom properties, which
    // Data Package readers keep).
    for key in ["periods", "temporal_coverage"] {
        if let Some(value) = d.metadata.get(key).filter(|v| !v.is_null()) {
            package.insert(key.into(), value.clone());
        }
    }
    package.insert("sources".into(), json!([source(d.organization, text("reference"))]));
    package.insert(
        "contributors".into(),
        contributors(d.organization, text("maintainer"), text("maintainer_email")),
    );
    package.insert(
        "resources".into(),
        json!([
            resource("data", "data.csv", "csv", "text/csv", (d.csv, d.csv_sha256), &schema),
            resource(
                "data-parquet",
                "data.parquet",
                "parquet",
                "application/vnd.apache.parquet",
                // Not hashed here: only the CSV resource states its bytes and hash.
                (d.parquet, ""),
                &schema
            ),
        ]),
    );
    Value::Object(package)
}

fn resource(name: &str, path: &str, format: &str, mediatype: &str, file: (&[u8], &str), schema: &Value) -> Value {
    let (bytes, sha256) = file;
    let mut r = json!({
        "name": name,
        "type": "table",
        "path": path,
        "format": format,
        "mediatype": mediatype,
    });
    let Some(map) = r.as_object_mut() else {
        return r;
    };
    // Frictionless counts and hashes the bytes it streams, and it reads Parquet through pyarrow,
    // not as a stream: only the CSV resource states them (the manifest covers both files).
    if format == "csv" {
        map.insert("encoding".into(), json!("utf-8"));
        map.insert("bytes".into(), json!(bytes.len()));
        map.insert("hash".into(), json!(format!("sha256:{sha256}")));
    }
    map.insert("schema".into(), schema.clone());
    r
}

/// The Open Definition license of a Satu Data `license` value.
fn license_of(license: &str) -> Value {
    let (name, path, title) = match license {
        "cc-by" => (
            "CC-BY-4.0",
            "https://creativecommons.org/licenses/by/4.0/",
            "Creative Commons Attribution 4.0",
        ),
        "cc-by-sa" => (
            "CC-BY-SA-4.0",
            "https://creativecommons.org/licenses/by-sa/4.0/",
            "Creative Commons Attribution Share-Alike 4.0",
        ),
        "cc0" => (
            "CC0-1.0",
            "https://creativecommons.org/publicdomain/zero/1.0/",
            "CC0 1.0",
        ),
        "odbl" => (
            "ODbL-1.0",
            "https://opendatacommons.org/licenses/odbl/1-0/",
            "Open Data Commons Open Database License 1.0",
        ),
        "tertutup" => return json!({"name": "other-closed", "title": "Tertutup / closed"}),
        other => return json!({"name": other}),
    };
    json!({"name": name, "path": path, "title": title})
}

fn source(organization: &str, reference: Option<&str>) -> Value {
    let mut s = json!({"title": organization});
    if let (Some(map), Some(path)) = (s.as_object_mut(), reference) {
        map.insert("path".into(), json!(path));
    }
    s
}

fn contributors(organization: &str, maintainer: Option<&str>, email: Option<&str>) -> Value {
    let mut list = vec![json!({"title": organization, "role": "publisher"})];
    if let Some(name) = maintainer {
        let mut m = json!({"title": name, "role": "maintainer"});
        if let (Some(map), Some(email)) = (m.as_object_mut(), email) {
            map.insert("email".into(), json!(email));
        }
        list.push(m);
    }
    Value::Array(list)
}

/// The Table Schema of the published table.
pub fn table_schema(table: &DataFrame, standard: Option<&DataStandard>) -> Value {
    let names: Vec<&str> = table.get_column_names().into_iter().map(|n| n.as_str()).collect();
    let fields: Vec<Value> = table
        .columns()
        .iter()
        .map(|c| field(c.name().as_str(), c.dtype(), standard.and_then(|s| s.column(c.name()))))
        .collect();
    let mut schema = json!({"fields": fields, "missingValues": [""]});
    if let (Some(map), Some(standard)) = (schema.as_object_mut(), standard)
        && !standard.kunci_utama.is_empty()
        && standard.kunci_utama.iter().all(|k| names.contains(&k.as_str()))
    {
        map.insert("primaryKey".into(), json!(standard.kunci_utama));
    }
    schema
}

fn field(name: &str, dtype: &Dtype, column: Option<&Column>) -> Value {
    let mut f = Map::new();
    f.insert("name".into(), json!(name));
    let Some(column) = column else {
        f.insert("type".into(), json!(type_of_dtype(dtype)));
        return Value::Object(f);
    };
    if !column.konsep.is_empty() {
        f.insert("title".into(), json!(column.konsep));
    }
    let mut description = column.definisi.clone();
    if !column.satuan.is_empty() {
        let unit = format!("Satuan / unit: {}.", column.satuan);
        description = [description, unit].join(" ").trim().to_owned();
    }
    if !description.is_empty() {
        f.insert("description".into(), json!(description));
    }
    for (key, value) in type_of_column(column) {
        f.insert(key.into(), value);
    }
    let constraints = constraints(column);
    if !constraints.is_empty() {
        f.insert("constraints".into(), Value::Object(constraints));
    }
    Value::Object(f)
}

/// Frictionless `type` (and `format` and the like) of a standard column, as published.
fn type_of_column(column: &Column) -> Vec<(&'static str, Value)> {
    let format = column.format.as_ref();
    let teks = format.and_then(|f| f.teks.as_deref());
    let mut out = vec![("type", json!(frictionless_type(column.tipe_data)))];
    match column.tipe_data {
        DataType::String | DataType::Geopoint | DataType::Geojson => {
            if let Some(teks) = teks {
                out.push(("format", json!(teks)));
            }
        }
        DataType::Boolean => {
            out.push(("trueValues", json!(["true"])));
            out.push(("falseValues", json!(["false"])));
        }
        DataType::List => {
            let delimiter = format.and_then(|f| f.pemisah_isi.as_deref()).unwrap_or(",");
            let item = format.and_then(|f| f.tipe_isi).unwrap_or(DataType::String);
            out.push(("delimiter", json!(delimiter)));
            out.push(("itemType", json!(frictionless_type(item))));
        }
        _ => {}
    }
    out
}

/// The Frictionless field type a standard type is published as; a region code is text.
fn frictionless_type(t: DataType) -> &'static str {
    match t {
        DataType::KodeWilayah => "string",
        other => other.as_str(),
    }
}

fn type_of_dtype(dtype: &Dtype) -> &'static str {
    match dtype {
        Dtype::String => "string",
        Dtype::Boolean => "boolean",
        Dtype::Date => "date",
        Dtype::Datetime(..) => "datetime",
        Dtype::Time => "time",
        d if d.is_integer() => "integer",
        d if d.is_float() => "number",
        _ => "any",
    }
}

/// The standard's constraints that Frictionless states the same way.
fn constraints(column: &Column) -> Map<String, Value> {
    let rules = &column.aturan_validasi;
    let mut c = Map::new();
    if rules.wajib {
        c.insert("required".into(), json!(true));
    }
    if rules.unik {
        c.insert("unique".into(), json!(true));
    }
    let textual = matches!(column.tipe_data, DataType::String | DataType::KodeWilayah);
    let numeric = matches!(column.tipe_data, DataType::Integer | DataType::Number | DataType::Year);
    if numeric {
        let whole = column.tipe_data != DataType::Number;
        let number = |v: f64| {
            if whole && v.fract() == 0.0 {
                json!(v as i64)
            } else {
                json!(v)
            }
        };
        for (key, value) in [
            ("minimum", rules.minimum),
            ("maximum", rules.maksimum),
            ("exclusiveMinimum", rules.minimum_eksklusif),
            ("exclusiveMaximum", rules.maksimum_eksklusif),
        ] {
            if let Some(v) = value {
                c.insert(key.into(), number(v));
            }
        }
    }
    if textual {
        if let Some(values) = &rules.enum_values {
            c.insert("enum".into(), json!(values));
        }
        if let Some(pattern) = &rules.pola {
            c.insert("pattern".into(), json!(pattern));
        }
        if let Some(n) = rules.panjang_minimum {
            c.insert("minLength".into(), json!(n));
        }
        if let Some(n) = rules.panjang_maksimum {
            c.insert("maxLength".into(), json!(n));
        }
    }
    c
}
