//! Checking dataset metadata against the metadata standard (a JSON Schema).

use satudata_core::{Finding, FindingCode, Report, ReportBuilder};

/// The metadata standard, compiled once and used for many datasets.
pub struct MetadataStandard {
    validator: jsonschema::Validator,
}

impl std::fmt::Debug for MetadataStandard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MetadataStandard")
    }
}

impl MetadataStandard {
    /// Compiles the metadata standard from its JSON Schema.
    pub fn new(schema: &serde_json::Value) -> crate::Result<Self> {
        let validator = jsonschema::validator_for(schema).map_err(|e| crate::Error::Schema(e.to_string()))?;
        Ok(MetadataStandard { validator })
    }

    /// Checks metadata; every problem is a `metadata-error` with the JSON pointer of the value.
    pub fn check(&self, metadata: &serde_json::Value, limit: u64) -> Report {
        let mut report = ReportBuilder::new(limit);
        for error in self.validator.iter_errors(metadata) {
            let pointer = error.instance_path().to_string();
            let pointer = if pointer.is_empty() { "/".to_owned() } else { pointer };
            let detail = error.to_string();
            let mut field = pointer
                .trim_start_matches('/')
                .split('/')
                .next()
                .unwrap_or_default()
                .to_owned();
            let mut pointer = pointer;
            // A missing property is reported at its parent: point at the property itself.
            if let jsonschema::error::ValidationErrorKind::Required { property } = error.kind()
                && let Some(name) = property.as_str()
            {
                pointer = format!("{}/{name}", pointer.trim_end_matches('/'));
                if field.is_empty() {
                    field = name.to_owned();
                }
            }
            let mut finding = Finding::new(FindingCode::MetadataError)
                .with_pointer(pointer.clone())
                .with_message("metadata-error", &[("pointer", &pointer), ("detail", &detail)]);
            if !field.is_empty() {
                finding.field = Some(field);
            }
            report.push(finding);
        }
        report.finish(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reports_each_problem_with_its_pointer() {
        let schema = json!({
            "type": "object",
            "required": ["license"],
            "properties": {"maintainer_email": {"type": "string", "pattern": "^[^@]+@[^@]+$"}}
        });
        let standard = MetadataStandard::new(&schema).unwrap();
        let report = standard.check(&json!({"maintainer_email": "bukan-email"}), 10);
        assert_eq!(report.count(FindingCode::MetadataError), 2);
        let pointers: Vec<_> = report.findings.iter().filter_map(|f| f.pointer.as_deref()).collect();
        assert!(pointers.contains(&"/maintainer_email"), "{pointers:?}");
        assert!(pointers.contains(&"/license"), "{pointers:?}");
        let fields: Vec<_> = report.findings.iter().filter_map(|f| f.field.as_deref()).collect();
        assert!(fields.contains(&"license"), "{fields:?}");
        assert!(standard.check(&json!({"license": "cc-by"}), 10).valid);
    }
}
