//! Registering datasets and changing their metadata: `POST /datasets`, `PATCH /datasets/{name}`.
//!
//! Metadata is checked against the metadata standard (`schemas/dataset.schema.json`): any
//! error-severity finding refuses it (`invalid-metadata`, 422, the findings in `details`), and
//! nothing is stored. Its organization and data standard must exist (`unknown-reference`, 422).
//! A change is a JSON merge patch (RFC 7396) over the stored metadata; `name` and
//! `organization` never change (`immutable-field`, 400). Who may do it is `access::decide`'s
//! answer for `Action::EditDataset`: a produsen for its own PD, the walidata, an admin.

use std::sync::LazyLock;

use satudata_catalog::{ChangedBy, PutOutcome};
use satudata_core::DatasetMetadata;
use satudata_core::access::{Action, Actor, Target, decide};
use satudata_validate::MetadataStandard;
use serde_json::Value;

use crate::error::{Error, Result};
use crate::read;
use crate::state::AppState;
use crate::views::DatasetDetail;

/// Findings a refusal lists at most.
const FINDINGS_LIMIT: u64 = 100;

/// The metadata standard, compiled once.
static STANDARD: LazyLock<Result<MetadataStandard, String>> =
    LazyLock::new(|| satudata_workflow::metadata_standard().map_err(|e| e.to_string()));

/// Refuses `metadata` unless it meets the metadata standard; gives it typed.
pub fn checked(metadata: &Value) -> Result<DatasetMetadata> {
    if let Some(pointer) = crate::reference::nul_text(metadata) {
        return Err(Error::InvalidBody {
            detail: format!("the text at {pointer} holds a NUL character"),
        });
    }
    let standard = STANDARD.as_ref().map_err(|e| Error::Internal {
        detail: format!("metadata standard: {e}"),
    })?;
    let report = standard.check(metadata, FINDINGS_LIMIT);
    if !report.valid {
        return Err(Error::InvalidMetadata {
            findings: report.findings,
        });
    }
    serde_json::from_value(metadata.clone()).map_err(|e| Error::InvalidBody { detail: e.to_string() })
}

/// `patch` merged into `target` (RFC 7396): `null` removes a member, an object merges member
/// by member, anything else replaces.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(members) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(serde_json::Map::new());
    }
    if let Value::Object(object) = target {
        for (key, value) in members {
            if value.is_null() {
                object.remove(key);
            } else {
                merge_patch(object.entry(key.clone()).or_insert(Value::Null), value);
            }
        }
    }
}

fn changed_by(actor: &Actor) -> ChangedBy<'_> {
    ChangedBy {
        name: actor.name(),
        role: actor.role().map(|r| r.as_str()),
        organization: actor.organization(),
    }
}

/// Refuses metadata whose data standard is not in the catalog.
async fn standard_exists(state: &AppState, metadata: &DatasetMetadata) -> Result<()> {
    match state.center().catalog().standard(&metadata.standard).await {
        Ok(_) => Ok(()),
        Err(satudata_catalog::Error::NotFound { .. }) => Err(Error::UnknownReference {
            kind: "data standard",
            key: metadata.standard.clone(),
        }),
        Err(e) => Err(e.into()),
    }
}

/// The organization a metadata body names, as far as it names one (for the access check,
/// which comes before the metadata is checked).
fn named_organization(metadata: &Value) -> &str {
    metadata.get("organization").and_then(Value::as_str).unwrap_or_default()
}

/// Registers the dataset `metadata` describes, for `actor`; gives it as `GET` shows it.
pub async fn register(state: &AppState, actor: &Actor, metadata: &Value) -> Result<DatasetDetail> {
    // Registering is an act on the organization (access.rs: "to register a dataset for it"):
    // anonymous callers are 401, other PDs' produsen 403, whatever the metadata says.
    let organization = named_organization(metadata);
    read::refuse(
        decide(actor, Action::EditDataset, &Target::Organization(organization)),
        "organization",
        organization,
    )?;
    let metadata = checked(metadata)?;
    standard_exists(state, &metadata).await?;
    let created = state
        .center()
        .catalog()
        .create_dataset(&metadata, &changed_by(actor))
        .await
        .map_err(|e| match e {
            satudata_catalog::Error::NotFound { kind, key } => Error::UnknownReference { kind, key },
            other => other.into(),
        })?;
    if !created {
        return Err(Error::Conflict {
            kind: "dataset",
            key: metadata.name,
        });
    }
    read::dataset(state, actor, &metadata.name).await
}

/// Applies the merge patch `patch` to dataset `name`'s metadata, for `actor`.
pub async fn patch(state: &AppState, actor: &Actor, name: &str, patch: &Value) -> Result<DatasetDetail> {
    crate::reference::check_key("name", name)?;
    let entry = read::visible_dataset(state, actor, name).await?;
    read::refuse(
        decide(actor, Action::EditDataset, &read::dataset_target(&entry)),
        "dataset",
        name,
    )?;
    let mut merged = entry.metadata.to_value();
    merge_patch(&mut merged, patch);
    for (field, now) in [("name", &entry.name), ("organization", &entry.organization)] {
        if merged.get(field).and_then(Value::as_str) != Some(now.as_str()) {
            return Err(Error::ImmutableField { field });
        }
    }
    let metadata = checked(&merged)?;
    standard_exists(state, &metadata).await?;
    let outcome = state
        .center()
        .catalog()
        .update_dataset(&metadata, &changed_by(actor))
        .await?;
    tracing::info!(
        dataset = name,
        changed = outcome != PutOutcome::Unchanged,
        "metadata patched"
    );
    read::dataset(state, actor, name).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_patch_follows_rfc_7396() {
        // The examples of RFC 7396, appendix A.
        let cases = [
            (json!({"a": "b"}), json!({"a": "c"}), json!({"a": "c"})),
            (json!({"a": "b"}), json!({"b": "c"}), json!({"a": "b", "b": "c"})),
            (json!({"a": "b"}), json!({"a": null}), json!({})),
            (json!({"a": "b", "b": "c"}), json!({"a": null}), json!({"b": "c"})),
            (json!({"a": ["b"]}), json!({"a": "c"}), json!({"a": "c"})),
            (json!({"a": "c"}), json!({"a": ["b"]}), json!({"a": ["b"]})),
            (
                json!({"a": {"b": "c"}}),
                json!({"a": {"b": "d", "c": null}}),
                json!({"a": {"b": "d"}}),
            ),
            (json!({"a": [{"b": "c"}]}), json!({"a": [1]}), json!({"a": [1]})),
            (json!(["a", "b"]), json!(["c", "d"]), json!(["c", "d"])),
            (json!({"a": "b"}), json!(["c"]), json!(["c"])),
            (json!({"a": "foo"}), json!(null), json!(null)),
            (json!({"a": "foo"}), json!("bar"), json!("bar")),
            (json!({"e": null}), json!({"a": 1}), json!({"e": null, "a": 1})),
            (json!([1, 2]), json!({"a": "b", "c": null}), json!({"a": "b"})),
            (json!({}), json!({"a": {"bb": {"ccc": null}}}), json!({"a": {"bb": {}}})),
        ];
        for (target, patch, expected) in cases {
            let mut merged = target.clone();
            merge_patch(&mut merged, &patch);
            assert_eq!(merged, expected, "{target} + {patch}");
        }
    }

    #[test]
    fn metadata_is_checked_against_the_metadata_standard() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../sample_data/datasets");
        let sample: Value =
            serde_json::from_slice(&std::fs::read(root.join("kunjungan-puskesmas.json")).unwrap()).unwrap();
        assert_eq!(checked(&sample).unwrap().name, "kunjungan-puskesmas");
        let mut broken = sample.clone();
        merge_patch(&mut broken, &json!({"license": 5, "title": null}));
        let Err(Error::InvalidMetadata { findings }) = checked(&broken) else {
            panic!("broken metadata is refused");
        };
        let pointers: Vec<&str> = findings.iter().filter_map(|f| f.pointer.as_deref()).collect();
        assert!(pointers.contains(&"/license"), "{pointers:?}");
        assert!(findings.iter().all(|f| !f.message_en.is_empty()));
    }
}
