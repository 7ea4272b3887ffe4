//! Project Open Data 1.1 `data.json`, straight from the views.
//!
//! The official schema (`project-open-data.github.io: v1.1/schema/catalog.json`) requires the
//! US-federal `bureauCode` and `programCode`; they are left out, as the national harvest sample
//! (`apteksdi/ckanext-sdi: data.json`) leaves them out.

use chrono::SecondsFormat;
use serde_json::{Map, Value, json};

use crate::Result;
use crate::dcat::{dataset_iri, temporal_literal};
use crate::graph::{checked_iri, clean_text, push_percent_encoded};
use crate::view::{CatalogInfo, DatasetView, DistributionView, Frequency, StatusKerahasiaan};

/// The `conformsTo` of a POD 1.1 catalog.
pub const POD_CONFORMS_TO: &str = "https://project-open-data.cio.gov/v1.1/schema";

/// The `/data.json` catalog of `datasets` (all open datasets: POD has no paging).
///
/// `keyword` is required and must not be empty, so a dataset without tags lists its topics,
/// or else its name. `contactPoint.hasEmail` falls back to the publisher's address.
///
/// # Errors
///
/// A refused view field: a URL that is not absolute, a temporal bound that is not a date.
pub fn data_json(info: &CatalogInfo, datasets: &[DatasetView]) -> Result<Value> {
    let base = checked_iri("base_url", &info.base_url)?
        .trim_end_matches('/')
        .to_owned();
    let datasets = datasets
        .iter()
        .map(|dataset| pod_dataset(info, &base, dataset))
        .collect::<Result<Vec<_>>>()?;
    Ok(json!({
        "@context": "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld",
        "@id": uri(&format!("{base}/data.json")),
        "@type": "dcat:Catalog",
        "conformsTo": POD_CONFORMS_TO,
        "describedBy": "https://project-open-data.cio.gov/v1.1/schema/catalog.json",
        "dataset": datasets,
    }))
}

fn pod_dataset(info: &CatalogInfo, base: &str, dataset: &DatasetView) -> Result<Value> {
    let mut keywords: Vec<String> = non_empty(&dataset.keywords);
    if keywords.is_empty() {
        keywords = non_empty(&dataset.themes);
    }
    if keywords.is_empty() {
        keywords.push(clean_text(&dataset.name));
    }
    let email = dataset
        .contact
        .email
        .as_deref()
        .or(dataset.publisher.email.as_deref())
        .unwrap_or_default();
    let email = email.trim();
    let mut out = Map::new();
    out.insert("@type".into(), "dcat:Dataset".into());
    out.insert("identifier".into(), Value::from(clean_text(&dataset.id)));
    out.insert("title".into(), Value::from(clean_text(&dataset.title)));
    out.insert("description".into(), Value::from(clean_text(&dataset.description)));
    out.insert("keyword".into(), keywords.into());
    out.insert(
        "issued".into(),
        dataset.issued.to_rfc3339_opts(SecondsFormat::Secs, true).into(),
    );
    out.insert(
        "modified".into(),
        dataset.modified.to_rfc3339_opts(SecondsFormat::Secs, true).into(),
    );
    out.insert(
        "publisher".into(),
        json!({ "@type": "org:Organization", "name": clean_text(&dataset.publisher.name) }),
    );
    out.insert(
        "contactPoint".into(),
        json!({
            "@type": "vcard:Contact",
            "fn": clean_text(&dataset.contact.name),
            "hasEmail": format!("mailto:{}", email.strip_prefix("mailto:").unwrap_or(email)),
        }),
    );
    out.insert("accessLevel".into(), access_level(dataset.status).into());
    out.insert(
        "license".into(),
        uri(&checked_iri("license", &dataset.license.uri(base))?).into(),
    );
    out.insert(
        "accrualPeriodicity".into(),
        accrual_periodicity(dataset.frequency).into(),
    );
    if let Some(spatial) = &dataset.spatial {
        out.insert(
            "spatial".into(),
            format!("{} ({})", clean_text(&spatial.name), clean_text(&spatial.code)).into(),
        );
    }
    if let Some(temporal) = &dataset.temporal {
        // Checked as the RDF feeds check them; POD wants an interval, so both bounds.
        let start = temporal
            .start
            .as_deref()
            .map(|s| temporal_literal(s).map(|_| s.trim()))
            .transpose()?;
        let end = temporal
            .end
            .as_deref()
            .map(|s| temporal_literal(s).map(|_| s.trim()))
            .transpose()?;
        if let (Some(start), Some(end)) = (start, end) {
            out.insert("temporal".into(), format!("{start}/{end}").into());
        }
    }
    // `theme` must hold unique items.
    let mut themes = non_empty(&dataset.themes);
    let mut seen = std::collections::HashSet::new();
    themes.retain(|theme| seen.insert(theme.clone()));
    if !themes.is_empty() {
        out.insert("theme".into(), themes.into());
    }
    out.insert("language".into(), json!([info.language.to_ascii_lowercase()]));
    if let Some(conforms_to) = &dataset.conforms_to {
        out.insert(
            "conformsTo".into(),
            uri(&checked_iri("conforms_to", conforms_to)?).into(),
        );
    }
    out.insert(
        "landingPage".into(),
        uri(&checked_iri("landing_page", &dataset.landing_page)?).into(),
    );
    out.insert(
        "references".into(),
        json!([uri(&checked_iri("dataset id", &dataset_iri(base, &dataset.id))?)]),
    );
    let distributions = dataset
        .distributions
        .iter()
        .map(pod_distribution)
        .collect::<Result<Vec<_>>>()?;
    if !distributions.is_empty() {
        out.insert("distribution".into(), distributions.into());
    }
    Ok(Value::Object(out))
}

fn pod_distribution(distribution: &DistributionView) -> Result<Value> {
    let media_type = distribution
        .media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    Ok(json!({
        "@type": "dcat:Distribution",
        "title": clean_text(&distribution.title),
        "downloadURL": uri(&checked_iri("download_url", &distribution.download_url)?),
        "accessURL": uri(&checked_iri("access_url", &distribution.access_url)?),
        "mediaType": media_type,
        "format": clean_text(&distribution.format),
    }))
}

fn non_empty(words: &[String]) -> Vec<String> {
    words
        .iter()
        .map(|w| clean_text(w.trim()))
        .filter(|w| !w.is_empty())
        .collect()
}

/// terbuka -> `public`, terbatas -> `restricted public`, rahasia -> `non-public`.
fn access_level(status: StatusKerahasiaan) -> &'static str {
    match status {
        StatusKerahasiaan::Terbuka => "public",
        StatusKerahasiaan::Terbatas => "restricted public",
        StatusKerahasiaan::Rahasia => "non-public",
    }
}

/// The ISO 8601 repeating interval POD uses, or `irregular`.
fn accrual_periodicity(frequency: Frequency) -> &'static str {
    match frequency {
        Frequency::Harian => "R/P1D",
        Frequency::Mingguan => "R/P1W",
        Frequency::Bulanan => "R/P1M",
        Frequency::Triwulanan => "R/P3M",
        Frequency::Semesteran => "R/P6M",
        Frequency::Tahunan => "R/P1Y",
        Frequency::LimaTahunan => "R/P5Y",
        Frequency::TidakTetap => "irregular",
    }
}

/// A checked IRI as a URI (the schema's `format: uri`): non-ASCII characters percent-encoded
/// as UTF-8.
fn uri(iri: &str) -> String {
    let mut out = String::with_capacity(iri.len());
    for c in iri.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            push_percent_encoded(&mut out, c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_map_to_pod_values() {
        assert_eq!(access_level(StatusKerahasiaan::Terbatas), "restricted public");
        assert_eq!(accrual_periodicity(Frequency::Triwulanan), "R/P3M");
        assert_eq!(accrual_periodicity(Frequency::TidakTetap), "irregular");
        assert_eq!(uri("https://x.id/grup/pendudukü"), "https://x.id/grup/penduduk%C3%BC");
    }
}
