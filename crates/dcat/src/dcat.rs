//! The DCAT-AP 3 content: views -> [`Graph`], as ckanext-dcat's `euro_dcat_ap_3` profile emits it.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};

use crate::graph::{Graph, Subject, Term, checked_iri};
use crate::view::{CatalogInfo, DatasetView, DistributionView, Page, Temporal};
use crate::vocab::*;
use crate::{Error, Result};

/// The IRI of a dataset: `{base_url}/dataset/{id}` (ckanext-dcat's default).
pub fn dataset_iri(base_url: &str, dataset_id: &str) -> String {
    format!("{}/dataset/{}", base_url.trim_end_matches('/'), dataset_id)
}

/// The IRI of a distribution: `{base_url}/dataset/{dataset_id}/resource/{id}` (ckanext-dcat's).
pub fn distribution_iri(base_url: &str, dataset_id: &str, distribution_id: &str) -> String {
    format!("{}/resource/{}", dataset_iri(base_url, dataset_id), distribution_id)
}

/// The catalog feed: the `dcat:Catalog` with its `dcat:dataset` links, each dataset in full,
/// and the `hydra:PagedCollection` of `page` (first, last, next and previous as URLs carrying
/// the page's query, and the deprecated `*Page` forms ckanext-dcat's harvester reads).
///
/// `datasets` are the datasets of this page only.
///
/// # Errors
///
/// A refused view field ([`Error`] says which), or a page or page size of 0.
pub fn catalog_graph(info: &CatalogInfo, datasets: &[DatasetView], page: &Page) -> Result<Graph> {
    page.check()?;
    let mut builder = Builder::new(info)?;
    let catalog = builder.catalog()?;
    for dataset in datasets {
        let subject = builder.dataset(dataset)?;
        builder.graph.add(&catalog, DCAT_DATASET, subject.into());
    }
    builder.paging(page);
    Ok(builder.graph)
}

/// The feed of one dataset (`/dataset/{name}.{ext}`): the dataset and its distributions.
///
/// # Errors
///
/// A refused view field ([`Error`] says which).
pub fn dataset_graph(info: &CatalogInfo, dataset: &DatasetView) -> Result<Graph> {
    let mut builder = Builder::new(info)?;
    builder.dataset(dataset)?;
    Ok(builder.graph)
}

struct Builder<'a> {
    info: &'a CatalogInfo,
    base: String,
    lang: String,
    graph: Graph,
}

impl<'a> Builder<'a> {
    fn new(info: &'a CatalogInfo) -> Result<Builder<'a>> {
        let base = checked_iri("base_url", &info.base_url)?
            .trim_end_matches('/')
            .to_owned();
        language_iri(&info.language)?;
        Ok(Builder {
            info,
            base,
            lang: info.language.to_ascii_lowercase(),
            graph: Graph::new(),
        })
    }

    fn text(&self, text: &str) -> Term {
        Term::lang(text, &self.lang)
    }

    fn catalog(&mut self) -> Result<Subject> {
        let info = self.info;
        let catalog = Subject::Iri(self.base.clone());
        let homepage = checked_iri("publisher_homepage", &info.publisher_homepage)?;
        let title = self.text(&info.title);
        let description = self.text(&info.description);
        let g = &mut self.graph;
        g.add(&catalog, RDF_TYPE, Term::iri(DCAT_CATALOG));
        g.add(&catalog, DCT_TITLE, title);
        g.add(&catalog, DCT_DESCRIPTION, description);
        g.add(&catalog, FOAF_HOMEPAGE, Term::iri(self.base.clone()));
        g.add(&catalog, DCT_LANGUAGE, Term::iri(language_iri(&info.language)?));
        g.add(&catalog, DCT_MODIFIED, date_time(&info.modified));
        let publisher = g.blank();
        g.add(&catalog, DCT_PUBLISHER, publisher.clone().into());
        g.add(&publisher, RDF_TYPE, Term::iri(FOAF_AGENT));
        g.add(&publisher, FOAF_NAME, Term::plain(&info.publisher_name));
        g.add(&publisher, FOAF_HOMEPAGE, Term::iri(homepage));
        Ok(catalog)
    }

    fn dataset(&mut self, dataset: &DatasetView) -> Result<Subject> {
        let subject = Subject::Iri(checked_iri("dataset id", &dataset_iri(&self.base, &dataset.id))?);
        let landing_page = checked_iri("landing_page", &dataset.landing_page)?;
        let conforms_to = dataset
            .conforms_to
            .as_deref()
            .map(|url| checked_iri("conforms_to", url))
            .transpose()?;
        let title = self.text(&dataset.title);
        let description = self.text(&dataset.description);
        let keywords: Vec<Term> = dataset.keywords.iter().map(|k| self.text(k)).collect();
        let base = self.base.clone();
        let g = &mut self.graph;
        g.add(&subject, RDF_TYPE, Term::iri(DCAT_DATASET_CLASS));
        g.add(&subject, DCT_TITLE, title);
        g.add(&subject, DCT_DESCRIPTION, description);
        for keyword in keywords {
            g.add(&subject, DCAT_KEYWORD, keyword);
        }
        for theme in &dataset.themes {
            let iri = checked_iri("themes", &format!("{base}/group/{}", theme.trim()))?;
            g.add(&subject, DCAT_THEME, Term::iri(iri.clone()));
            let concept = Subject::Iri(iri);
            g.add(&concept, RDF_TYPE, Term::iri(SKOS_CONCEPT));
            g.add(&concept, SKOS_PREF_LABEL, Term::lang(theme.trim(), &self.lang));
        }
        g.add(&subject, DCT_IDENTIFIER, Term::plain(&dataset.id));
        g.add(&subject, DCT_ISSUED, date_time(&dataset.issued));
        g.add(&subject, DCT_MODIFIED, date_time(&dataset.modified));
        g.add(&subject, DCAT_VERSION, Term::plain(&dataset.version));
        g.add(
            &subject,
            DCT_ACCRUAL_PERIODICITY,
            Term::iri(frequency_iri(dataset.frequency)),
        );
        if let Some(spatial) = &dataset.spatial {
            let location = g.blank();
            g.add(&subject, DCT_SPATIAL, location.clone().into());
            g.add(&location, RDF_TYPE, Term::iri(DCT_LOCATION));
            g.add(&location, SKOS_PREF_LABEL, Term::lang(&spatial.name, &self.lang));
            g.add(&location, DCT_IDENTIFIER, Term::plain(&spatial.code));
        }
        if let Some(temporal) = &dataset.temporal {
            add_temporal(g, &subject, temporal)?;
        }
        self.agent(&subject, dataset)?;
        let g = &mut self.graph;
        g.add(&subject, DCT_ACCESS_RIGHTS, Term::iri(access_right_iri(dataset.status)));
        if let Some(conforms_to) = conforms_to {
            g.add(&subject, DCT_CONFORMS_TO, Term::iri(conforms_to.clone()));
            g.add(&Subject::Iri(conforms_to), RDF_TYPE, Term::iri(DCT_STANDARD));
        }
        g.add(&subject, DCAT_LANDING_PAGE, Term::iri(landing_page));
        for distribution in &dataset.distributions {
            let node = self.distribution(dataset, distribution)?;
            self.graph.add(&subject, DCAT_DISTRIBUTION, node.into());
        }
        Ok(subject)
    }

    /// `dct:publisher` (the PD as a `foaf:Agent` at its organization page) and
    /// `dcat:contactPoint` (a `vcard:Organization`).
    fn agent(&mut self, subject: &Subject, dataset: &DatasetView) -> Result<()> {
        let publisher = &dataset.publisher;
        let agent = Subject::Iri(checked_iri(
            "publisher slug",
            &format!("{}/organization/{}", self.base, publisher.slug),
        )?);
        let publisher_mail = publisher
            .email
            .as_deref()
            .map(|e| mailto("publisher email", e))
            .transpose()?;
        let contact_mail = dataset
            .contact
            .email
            .as_deref()
            .map(|e| mailto("contact email", e))
            .transpose()?;
        let g = &mut self.graph;
        g.add(subject, DCT_PUBLISHER, agent.clone().into());
        g.add(&agent, RDF_TYPE, Term::iri(FOAF_AGENT));
        g.add(&agent, FOAF_NAME, Term::plain(&publisher.name));
        if let Some(mail) = publisher_mail {
            g.add(&agent, FOAF_MBOX, Term::iri(mail));
        }
        let contact = g.blank();
        g.add(subject, DCAT_CONTACT_POINT, contact.clone().into());
        g.add(&contact, RDF_TYPE, Term::iri(VCARD_ORGANIZATION));
        g.add(&contact, VCARD_FN, Term::plain(&dataset.contact.name));
        if let Some(mail) = contact_mail {
            g.add(&contact, VCARD_HAS_EMAIL, Term::iri(mail));
        }
        Ok(())
    }

    fn distribution(&mut self, dataset: &DatasetView, distribution: &DistributionView) -> Result<Subject> {
        let subject = Subject::Iri(checked_iri(
            "distribution id",
            &distribution_iri(&self.base, &dataset.id, &distribution.id),
        )?);
        let access_url = checked_iri("access_url", &distribution.access_url)?;
        let download_url = checked_iri("download_url", &distribution.download_url)?;
        let media_type = media_type_iri(&distribution.media_type)?;
        let sha256 = checked_sha256(&distribution.sha256)?;
        let license = checked_iri("license", &dataset.license.uri(&self.base))?;
        let title = self.text(&distribution.title);
        let g = &mut self.graph;
        g.add(&subject, RDF_TYPE, Term::iri(DCAT_DISTRIBUTION_CLASS));
        g.add(&subject, DCT_TITLE, title);
        g.add(&subject, DCAT_ACCESS_URL, Term::iri(access_url));
        g.add(&subject, DCAT_DOWNLOAD_URL, Term::iri(download_url));
        g.add(&subject, DCAT_MEDIA_TYPE, Term::iri(media_type));
        match file_type_iri(&distribution.format) {
            Some(iri) => g.add(&subject, DCT_FORMAT, Term::iri(iri)),
            None => g.add(&subject, DCT_FORMAT, Term::plain(&distribution.format)),
        }
        g.add(&subject, DCT_LICENSE, Term::iri(license.clone()));
        g.add(&Subject::Iri(license), RDF_TYPE, Term::iri(DCT_LICENSE_DOCUMENT));
        // DCAT 3 and DCAT-AP 3 give dcat:byteSize the range xsd:nonNegativeInteger (DCAT 2 had
        // xsd:decimal); ckanext-dcat's euro_dcat_ap_3 profile converts it the same way.
        g.add(
            &subject,
            DCAT_BYTE_SIZE,
            Term::typed(distribution.byte_size.to_string(), XSD_NON_NEGATIVE_INTEGER),
        );
        g.add(&subject, DCT_ISSUED, date_time(&distribution.issued));
        g.add(&subject, DCT_MODIFIED, date_time(&distribution.modified));
        let checksum = g.blank();
        g.add(&subject, SPDX_CHECKSUM, checksum.clone().into());
        g.add(&checksum, RDF_TYPE, Term::iri(SPDX_CHECKSUM_CLASS));
        g.add(&checksum, SPDX_ALGORITHM, Term::iri(SPDX_SHA256));
        g.add(&checksum, SPDX_CHECKSUM_VALUE, Term::typed(sha256, XSD_HEX_BINARY));
        Ok(subject)
    }

    fn paging(&mut self, page: &Page) {
        let base = self.base.clone();
        let last = page.last();
        let subject = Subject::Iri(page.url(&base, page.page));
        let mut links = vec![(HYDRA_FIRST, HYDRA_FIRST_PAGE, 1), (HYDRA_LAST, HYDRA_LAST_PAGE, last)];
        if page.page < last {
            links.push((HYDRA_NEXT, HYDRA_NEXT_PAGE, page.page + 1));
        }
        if page.page > 1 {
            links.push((HYDRA_PREVIOUS, HYDRA_PREVIOUS_PAGE, (page.page - 1).min(last)));
        }
        let g = &mut self.graph;
        g.add(&subject, RDF_TYPE, Term::iri(HYDRA_PAGED_COLLECTION));
        g.add(
            &subject,
            HYDRA_TOTAL_ITEMS,
            Term::typed(page.total.to_string(), XSD_INTEGER),
        );
        g.add(
            &subject,
            HYDRA_ITEMS_PER_PAGE,
            Term::typed(page.per_page.to_string(), XSD_INTEGER),
        );
        for (predicate, deprecated, n) in links {
            let url = page.url(&base, n);
            g.add(&subject, predicate, Term::iri(url.clone()));
            g.add(&subject, deprecated, Term::iri(url));
        }
    }
}

fn date_time(at: &DateTime<Utc>) -> Term {
    Term::typed(at.to_rfc3339_opts(SecondsFormat::Secs, true), XSD_DATE_TIME)
}

fn add_temporal(g: &mut Graph, subject: &Subject, temporal: &Temporal) -> Result<()> {
    let start = temporal.start.as_deref().map(temporal_literal).transpose()?;
    let end = temporal.end.as_deref().map(temporal_literal).transpose()?;
    if start.is_none() && end.is_none() {
        return Ok(());
    }
    let period = g.blank();
    g.add(subject, DCT_TEMPORAL, period.clone().into());
    g.add(&period, RDF_TYPE, Term::iri(DCT_PERIOD_OF_TIME));
    if let Some(start) = start {
        g.add(&period, DCAT_START_DATE, start);
    }
    if let Some(end) = end {
        g.add(&period, DCAT_END_DATE, end);
    }
    Ok(())
}

/// `YYYY` as xsd:gYear, `YYYY-MM` as xsd:gYearMonth, `YYYY-MM-DD` as xsd:date.
pub(crate) fn temporal_literal(text: &str) -> Result<Term> {
    let text = text.trim();
    let bad = || Error::Temporal(text.to_owned());
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = text.split('-').collect();
    match parts.as_slice() {
        [year] if year.len() == 4 && digits(year) => Ok(Term::typed(text, XSD_G_YEAR)),
        [year, month] if year.len() == 4 && digits(year) && month.len() == 2 && digits(month) => {
            match month.parse::<u8>() {
                Ok(1..=12) => Ok(Term::typed(text, XSD_G_YEAR_MONTH)),
                _ => Err(bad()),
            }
        }
        [_, _, _] if text.len() == 10 => match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(_) => Ok(Term::typed(text, XSD_DATE)),
            Err(_) => Err(bad()),
        },
        _ => Err(bad()),
    }
}

fn mailto(field: &'static str, email: &str) -> Result<String> {
    let email = email.trim();
    let email = email.strip_prefix("mailto:").unwrap_or(email);
    checked_iri(field, &format!("mailto:{email}"))
}

/// `http://www.iana.org/assignments/media-types/{type}/{subtype}`.
fn media_type_iri(media_type: &str) -> Result<String> {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let token = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b))
    };
    match essence.split_once('/') {
        Some((kind, sub)) if token(kind) && token(sub) => {
            Ok(format!("http://www.iana.org/assignments/media-types/{kind}/{sub}"))
        }
        _ => Err(Error::MediaType(media_type.to_owned())),
    }
}

/// The SHA-256 in lower case, refused unless it is 64 hexadecimal digits (an xsd:hexBinary).
pub(crate) fn checked_sha256(hex: &str) -> Result<String> {
    let hex = hex.trim();
    if hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(hex.to_ascii_lowercase())
    } else {
        Err(Error::Checksum(hex.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{Literal, LiteralKind};

    fn datatype(term: &Term) -> &str {
        match term {
            Term::Literal(Literal {
                kind: LiteralKind::Typed(datatype),
                ..
            }) => datatype,
            _ => "",
        }
    }

    #[test]
    fn temporal_text_gets_the_type_it_says() {
        assert_eq!(datatype(&temporal_literal("2020").unwrap()), XSD_G_YEAR);
        assert_eq!(datatype(&temporal_literal("2020-07").unwrap()), XSD_G_YEAR_MONTH);
        assert_eq!(datatype(&temporal_literal(" 2020-02-29 ").unwrap()), XSD_DATE);
        for bad in [
            "20",
            "2020-13",
            "2021-02-29",
            "2020-7",
            "2020/2021",
            "abcd",
            "",
            "2020-07-01T00:00",
        ] {
            assert!(matches!(temporal_literal(bad), Err(Error::Temporal(_))), "{bad:?}");
        }
    }

    #[test]
    fn media_types_and_checksums_are_checked() {
        assert_eq!(
            media_type_iri("application/vnd.apache.parquet").unwrap(),
            "http://www.iana.org/assignments/media-types/application/vnd.apache.parquet"
        );
        assert_eq!(
            media_type_iri("Text/CSV; charset=utf-8").unwrap(),
            "http://www.iana.org/assignments/media-types/text/csv"
        );
        assert!(media_type_iri("csv").is_err());
        assert!(media_type_iri("text/<csv>").is_err());
        let upper = "AB".repeat(32);
        assert_eq!(checked_sha256(&upper).unwrap(), "ab".repeat(32));
        assert!(checked_sha256("abc").is_err());
        assert!(checked_sha256(&"g".repeat(64)).is_err());
        assert_eq!(mailto("e", "mailto:a@b.id").unwrap(), "mailto:a@b.id");
    }
}
