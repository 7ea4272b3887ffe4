//! Checking files described by Frictionless descriptors (Table Schema, Data Resource, Data
//! Package), the way Frictionless does, plus foreign keys across the package's tables and the
//! `row-constraint` and `duplicate-row` checks of a checklist. A workbook is read as
//! Frictionless reads it ([`Layout::Plain`]): no report layout is looked for.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use satudata_core::frictionless::{Checklist, Descriptor, Resource, TableSchema};
use satudata_core::{DataStandard, Report};
use satudata_ingest::{IngestOptions, Layout};
use satudata_validate::Context;

use crate::{Error, InputProblem, Result, as_text_table, check_stream, io};

/// The report of one table of a descriptor.
#[derive(Debug, Clone)]
pub struct TableReport {
    /// Resource name (the file name for a bare Table Schema).
    pub name: String,
    /// The file checked.
    pub path: PathBuf,
    /// What was found.
    pub report: Report,
}

fn read_descriptor(path: &Path) -> Result<Descriptor> {
    let bytes = std::fs::read(path).map_err(io(path))?;
    let base = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let read_schema = |p: &str| {
        std::fs::read(base.join(p))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
    };
    Descriptor::parse(&bytes, &read_schema).map_err(|source| Error::Document {
        path: path.to_path_buf(),
        source,
    })
}

fn key_tuples_of(path: &Path, schema: &TableSchema, fields: &[String]) -> Result<HashSet<Vec<String>>> {
    let bytes = std::fs::read(path).map_err(io(path))?;
    let options = IngestOptions {
        layout: Layout::Plain,
        ..IngestOptions::default()
    };
    let table = satudata_ingest::read(&bytes, &options)?;
    let standard = schema.to_standard("rujukan");
    Ok(as_text_table(&table, |text| {
        satudata_validate::key_tuples(text, fields, &standard)
    })?)
}

fn check_one(
    standard: &DataStandard,
    path: &Path,
    options: &IngestOptions,
    references: Vec<(String, HashSet<Vec<String>>)>,
    limit: u64,
) -> Result<Report> {
    let file = std::fs::File::open(path).map_err(io(path))?;
    let mut context = Context::new(standard, &[], &[])?.with_limit(limit);
    for (name, tuples) in references {
        context = context.with_reference(&name, tuples);
    }
    let mut options = options.clone();
    // Frictionless reads row 1 as the header and every row below as data.
    options.layout = Layout::Plain;
    options.file_name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    Ok(check_stream(file, &options, &context, false)?.0)
}

/// Checks `file` against a Table Schema, or every table of a Data Resource or Data Package
/// (only `file`'s table when one is given); `checklist`'s checks (see [`Checklist::apply`])
/// apply to every table.
pub fn check_descriptor(
    descriptor: &Path,
    file: Option<&Path>,
    options: &IngestOptions,
    checklist: &Checklist,
    limit: u64,
) -> Result<Vec<TableReport>> {
    let base = descriptor.parent().unwrap_or(Path::new(".")).to_path_buf();
    match read_descriptor(descriptor)? {
        Descriptor::Schema(schema) => {
            let Some(file) = file else {
                return Err(Error::Input {
                    path: descriptor.to_path_buf(),
                    detail: InputProblem::FileNeeded,
                });
            };
            let name = file
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let mut standard = schema.to_standard(&name);
            checklist.apply(&mut standard);
            let report = check_one(&standard, file, options, Vec::new(), limit)?;
            Ok(vec![TableReport {
                name,
                path: file.to_path_buf(),
                report,
            }])
        }
        Descriptor::Resources(resources) => {
            let mut out = Vec::new();
            for resource in &resources {
                let path = base.join(&resource.path);
                if let Some(f) = file
                    && f != path
                    && f != Path::new(&resource.path)
                {
                    continue;
                }
                let mut standard = resource.schema.to_standard(&resource.name);
                checklist.apply(&mut standard);
                let mut references = Vec::new();
                for fk in standard.kunci_asing.iter().filter(|fk| !fk.rujukan.is_empty()) {
                    let target: &Resource = resources
                        .iter()
                        .find(|r| r.name == fk.rujukan)
                        .ok_or_else(|| satudata_validate::Error::MissingReference(fk.rujukan.clone()))?;
                    let tuples = key_tuples_of(&base.join(&target.path), &target.schema, &fk.kolom_rujukan)?;
                    references.push((fk.rujukan.clone(), tuples));
                }
                let report = check_one(&standard, &path, options, references, limit)?;
                out.push(TableReport {
                    name: resource.name.clone(),
                    path,
                    report,
                });
            }
            Ok(out)
        }
    }
}
