//! The `publish` job: an approved, consented submission becomes release `v{N+1}`.
//!
//! The submission's stored file is read and checked again (the same bytes and options give the
//! same table), merged with the latest served release's other periods (`series`), and written
//! as release files: the data center's full copy, the release's files, manifest and signature
//! last, and then the catalog row, in one transaction with the submission's move to
//! `published`. A job that runs twice finds the submission published and does nothing; a crash
//! before the commit leaves files no row points at, which the next attempt overwrites. A
//! submission whose content equals the latest release's is marked published with that
//! release's number, and nothing new is written.

use satudata_catalog::{ReleaseRecord, SubmissionRecord};
use satudata_core::access::Actor;
use satudata_core::lifecycle::SubmissionState;
use satudata_core::{DataStandard, StatusKerahasiaan};
use satudata_publish::ReleaseInput;

use crate::{DataCenter, Decision, Error, Result, release_coverage, release_metadata, series, tables};

impl DataCenter {
    /// Publishes approved, consented submission `id` as the next release, in `actor`'s name.
    pub async fn publish_submission(&self, id: i64, actor: &Actor) -> Result<Decision> {
        let record = self.catalog.submission(id).await?;
        if record.state == SubmissionState::Published {
            return self.decision_of(&record).await;
        }
        self.ready_to_publish(&record)?;
        let checked = match self.handed_over(id, &record.dataset).await? {
            Some(checked) => checked,
            None => self.recheck(id, true).await?,
        };
        let (Some(standard), Some(table), true) = (checked.standard, checked.table, checked.report.valid) else {
            return Err(Error::Unreadable(id));
        };
        let status = record
            .status_kerahasiaan
            .unwrap_or_else(|| checked.metadata.status_kerahasiaan());
        let latest = self.catalog.latest_release(&record.dataset).await?;
        let version = latest.as_ref().map_or(1, |r| r.version + 1);
        // A series keeps the other periods' rows of the latest served release (a withdrawn one
        // is not built on), read with every column.
        let base = self.served_release(&record.dataset).await?;
        let previous = match (&base, &standard.kolom_periode) {
            (Some(base), Some(_)) => Some(self.release_table(base).await?),
            _ => None,
        };
        let own_coverage = release_coverage(&table, &standard, &checked.period)?;
        let next = series::next_table(previous.as_ref(), table, &standard, &checked.period, own_coverage).map_err(
            |source| Error::ReleaseTable {
                dataset: record.dataset.clone(),
                version: version - 1,
                source,
            },
        )?;
        let built = self.build(
            &record,
            &checked.metadata,
            &standard,
            status,
            next,
            version,
            &checked.report,
            latest.as_ref(),
        )?;
        if let Some(latest) = latest.filter(|r| r.content_digest == built.release.manifest.content_digest) {
            self.catalog.record_unchanged(id, latest.version, actor).await?;
            return Ok(Decision::Unchanged {
                version: latest.version,
            });
        }
        self.commit(&record, status, version, built, actor).await
    }

    /// The table submission `id`'s validation kept in this process, when its dataset's metadata
    /// and standard are still the ones it was checked against.
    async fn handed_over(&self, id: i64, dataset: &str) -> Result<Option<tables::Checked>> {
        let Some(checked) = self.handoff.take(id) else {
            return Ok(None);
        };
        let metadata = self.catalog.dataset(dataset).await?;
        let standard = self.catalog.standard(&metadata.standard).await.ok();
        Ok((metadata == checked.metadata && standard == checked.standard).then_some(checked))
    }

    /// What a published submission made.
    async fn decision_of(&self, record: &SubmissionRecord) -> Result<Decision> {
        let version = record.release_version.unwrap_or_default();
        let made = self
            .catalog
            .releases(&record.dataset)
            .await?
            .into_iter()
            .find(|r| r.version == version && r.submission_id == record.id);
        Ok(match made {
            Some(release) => Decision::Published {
                version,
                path: release.path,
            },
            None => Decision::Unchanged { version },
        })
    }

    /// Builds the release files of `version` from the merged table.
    #[allow(clippy::too_many_arguments)]
    fn build(
        &self,
        record: &SubmissionRecord,
        metadata: &satudata_core::DatasetMetadata,
        standard: &DataStandard,
        status: StatusKerahasiaan,
        next: series::NextTable,
        version: u32,
        report: &satudata_core::Report,
        latest: Option<&ReleaseRecord>,
    ) -> Result<Built> {
        let periods = next.period_texts();
        let mut table = next.table;
        let created_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let provenance = serde_json::json!({
            "submission": record.id,
            "period": record.period,
            "source": { "file": record.source_name, "sha256": record.source_sha256 },
            "report_sha256": report.digest(),
            "submitted_by": record.submitted_by,
            "approved_by": record.reviewed_by,
            "consent_by": record.consent_by,
            "standard": { "id": standard.id, "versi": standard.versi },
        });
        let mut release_meta = release_metadata(metadata, standard);
        if let Some(map) = release_meta.as_object_mut() {
            map.insert("temporal_coverage".into(), next.coverage.to_json());
            map.insert("periods".into(), serde_json::json!(periods));
            map.insert("status_kerahasiaan".into(), serde_json::json!(status.to_string()));
        }
        // An open release leaves out the columns the standard marks as not public; the full
        // table (the next release's rows come from it) stays with the data center.
        let withheld: Vec<String> = standard
            .kolom
            .iter()
            .filter(|c| !c.dapat_diakses_umum && status == StatusKerahasiaan::Terbuka)
            .map(|c| c.nama.clone())
            .collect();
        let mut full_copy = None;
        if !withheld.is_empty() {
            full_copy = Some(satudata_publish::write_parquet(&mut table)?);
            let kept: Vec<String> = standard
                .kolom
                .iter()
                .filter(|c| !withheld.contains(&c.nama))
                .map(|c| c.nama.clone())
                .collect();
            table = table.select(kept).map_err(satudata_publish::Error::Write)?;
            if let Some(map) = release_meta.as_object_mut() {
                if let Some(serde_json::Value::Array(columns)) = map.get_mut("columns") {
                    columns.retain(|c| {
                        c.get("nama")
                            .and_then(|n| n.as_str())
                            .is_none_or(|n| !withheld.iter().any(|w| w == n))
                    });
                }
                map.insert("columns_withheld".into(), serde_json::json!(withheld));
            }
        }
        let rows = table.height() as u64;
        let release = satudata_publish::build_release(
            ReleaseInput {
                organization: &record.organization,
                dataset: &record.dataset,
                version,
                table: &mut table,
                metadata: release_meta,
                standard: Some(standard),
                provenance,
                previous_manifest_sha256: latest.map(|r| r.manifest_sha256.clone()),
                created_at: created_at.clone(),
            },
            &self.signer,
        )?;
        Ok(Built {
            release,
            full_copy,
            rows,
            created_at,
        })
    }

    /// Writes the files (the full copy, the release's, manifest and signature last), then
    /// commits the catalog row.
    async fn commit(
        &self,
        record: &SubmissionRecord,
        status: StatusKerahasiaan,
        version: u32,
        built: Built,
        actor: &Actor,
    ) -> Result<Decision> {
        let release_path = format!("datasets/{}/{}/v{version}", record.organization, record.dataset);
        if let Some(bytes) = built.full_copy {
            self.store.put(&tables::full_table_key(&release_path), bytes).await?;
        }
        let manifest_sha256 = built.release.manifest_sha256();
        let content_digest = built.release.manifest.content_digest.clone();
        for (name, bytes) in built.release.files {
            self.store.put(&format!("{release_path}/{name}"), bytes).await?;
        }
        if let Some(pause) = self.pause {
            tracing::warn!(
                submission = record.id,
                ?pause,
                "test pause point: publish before commit"
            );
            tokio::time::sleep(pause).await;
        }
        let row = ReleaseRecord {
            dataset: record.dataset.clone(),
            version,
            submission_id: record.id,
            path: release_path.clone(),
            manifest_sha256,
            content_digest,
            status_kerahasiaan: status.to_string(),
            rows: built.rows,
            created_at: built.created_at,
        };
        match self.catalog.commit_release(&row, actor).await {
            Ok(()) => Ok(Decision::Published {
                version,
                path: release_path,
            }),
            // The same job ran twice at once and the other run committed: one release.
            Err(satudata_catalog::Error::ReleaseExists { .. })
                if self.catalog.submission(record.id).await?.state == SubmissionState::Published =>
            {
                self.decision_of(&self.catalog.submission(record.id).await?).await
            }
            Err(e) => Err(e.into()),
        }
    }
}

/// A release built, not yet stored.
struct Built {
    release: satudata_publish::Release,
    full_copy: Option<Vec<u8>>,
    rows: u64,
    created_at: String,
}
