//! Namespaces, the terms the feeds use, and the EU authority tables the schema's words map to.

use crate::view::{Frequency, StatusKerahasiaan};
use crate::{Error, Result};

/// The prefixes every serialisation declares, in the order they are declared.
pub(crate) const PREFIXES: &[(&str, &str)] = &[
    ("rdf", RDF),
    ("dcat", DCAT),
    ("dct", DCT),
    ("foaf", FOAF),
    ("vcard", VCARD),
    ("skos", SKOS),
    ("spdx", SPDX),
    ("hydra", HYDRA),
    ("xsd", XSD),
];

pub(crate) const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
pub(crate) const DCAT: &str = "http://www.w3.org/ns/dcat#";
pub(crate) const DCT: &str = "http://purl.org/dc/terms/";
pub(crate) const FOAF: &str = "http://xmlns.com/foaf/0.1/";
pub(crate) const VCARD: &str = "http://www.w3.org/2006/vcard/ns#";
pub(crate) const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
pub(crate) const SPDX: &str = "http://spdx.org/rdf/terms#";
pub(crate) const HYDRA: &str = "http://www.w3.org/ns/hydra/core#";
pub(crate) const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

/// Builds `const NAME: &str = concat!(NAMESPACE, "local")` for each term.
macro_rules! terms {
    ($($name:ident = $ns:literal $local:literal;)+) => {
        $(pub(crate) const $name: &str = concat!($ns, $local);)+
    };
}

terms! {
    RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#" "type";
    DCAT_CATALOG = "http://www.w3.org/ns/dcat#" "Catalog";
    DCAT_DATASET_CLASS = "http://www.w3.org/ns/dcat#" "Dataset";
    DCAT_DISTRIBUTION_CLASS = "http://www.w3.org/ns/dcat#" "Distribution";
    DCAT_DATASET = "http://www.w3.org/ns/dcat#" "dataset";
    DCAT_DISTRIBUTION = "http://www.w3.org/ns/dcat#" "distribution";
    DCAT_KEYWORD = "http://www.w3.org/ns/dcat#" "keyword";
    DCAT_THEME = "http://www.w3.org/ns/dcat#" "theme";
    DCAT_VERSION = "http://www.w3.org/ns/dcat#" "version";
    DCAT_CONTACT_POINT = "http://www.w3.org/ns/dcat#" "contactPoint";
    DCAT_LANDING_PAGE = "http://www.w3.org/ns/dcat#" "landingPage";
    DCAT_START_DATE = "http://www.w3.org/ns/dcat#" "startDate";
    DCAT_END_DATE = "http://www.w3.org/ns/dcat#" "endDate";
    DCAT_ACCESS_URL = "http://www.w3.org/ns/dcat#" "accessURL";
    DCAT_DOWNLOAD_URL = "http://www.w3.org/ns/dcat#" "downloadURL";
    DCAT_MEDIA_TYPE = "http://www.w3.org/ns/dcat#" "mediaType";
    DCAT_BYTE_SIZE = "http://www.w3.org/ns/dcat#" "byteSize";
    DCT_TITLE = "http://purl.org/dc/terms/" "title";
    DCT_DESCRIPTION = "http://purl.org/dc/terms/" "description";
    DCT_LANGUAGE = "http://purl.org/dc/terms/" "language";
    DCT_MODIFIED = "http://purl.org/dc/terms/" "modified";
    DCT_ISSUED = "http://purl.org/dc/terms/" "issued";
    DCT_PUBLISHER = "http://purl.org/dc/terms/" "publisher";
    DCT_IDENTIFIER = "http://purl.org/dc/terms/" "identifier";
    DCT_ACCRUAL_PERIODICITY = "http://purl.org/dc/terms/" "accrualPeriodicity";
    DCT_SPATIAL = "http://purl.org/dc/terms/" "spatial";
    DCT_TEMPORAL = "http://purl.org/dc/terms/" "temporal";
    DCT_ACCESS_RIGHTS = "http://purl.org/dc/terms/" "accessRights";
    DCT_CONFORMS_TO = "http://purl.org/dc/terms/" "conformsTo";
    DCT_FORMAT = "http://purl.org/dc/terms/" "format";
    DCT_LICENSE = "http://purl.org/dc/terms/" "license";
    DCT_LOCATION = "http://purl.org/dc/terms/" "Location";
    DCT_PERIOD_OF_TIME = "http://purl.org/dc/terms/" "PeriodOfTime";
    DCT_LICENSE_DOCUMENT = "http://purl.org/dc/terms/" "LicenseDocument";
    DCT_STANDARD = "http://purl.org/dc/terms/" "Standard";
    FOAF_HOMEPAGE = "http://xmlns.com/foaf/0.1/" "homepage";
    FOAF_AGENT = "http://xmlns.com/foaf/0.1/" "Agent";
    FOAF_NAME = "http://xmlns.com/foaf/0.1/" "name";
    FOAF_MBOX = "http://xmlns.com/foaf/0.1/" "mbox";
    VCARD_ORGANIZATION = "http://www.w3.org/2006/vcard/ns#" "Organization";
    VCARD_FN = "http://www.w3.org/2006/vcard/ns#" "fn";
    VCARD_HAS_EMAIL = "http://www.w3.org/2006/vcard/ns#" "hasEmail";
    SKOS_PREF_LABEL = "http://www.w3.org/2004/02/skos/core#" "prefLabel";
    SKOS_CONCEPT = "http://www.w3.org/2004/02/skos/core#" "Concept";
    SPDX_CHECKSUM = "http://spdx.org/rdf/terms#" "checksum";
    SPDX_CHECKSUM_CLASS = "http://spdx.org/rdf/terms#" "Checksum";
    SPDX_ALGORITHM = "http://spdx.org/rdf/terms#" "algorithm";
    SPDX_CHECKSUM_VALUE = "http://spdx.org/rdf/terms#" "checksumValue";
    SPDX_SHA256 = "http://spdx.org/rdf/terms#" "checksumAlgorithm_sha256";
    HYDRA_PAGED_COLLECTION = "http://www.w3.org/ns/hydra/core#" "PagedCollection";
    HYDRA_TOTAL_ITEMS = "http://www.w3.org/ns/hydra/core#" "totalItems";
    HYDRA_ITEMS_PER_PAGE = "http://www.w3.org/ns/hydra/core#" "itemsPerPage";
    HYDRA_FIRST = "http://www.w3.org/ns/hydra/core#" "first";
    HYDRA_LAST = "http://www.w3.org/ns/hydra/core#" "last";
    HYDRA_NEXT = "http://www.w3.org/ns/hydra/core#" "next";
    HYDRA_PREVIOUS = "http://www.w3.org/ns/hydra/core#" "previous";
    HYDRA_FIRST_PAGE = "http://www.w3.org/ns/hydra/core#" "firstPage";
    HYDRA_LAST_PAGE = "http://www.w3.org/ns/hydra/core#" "lastPage";
    HYDRA_NEXT_PAGE = "http://www.w3.org/ns/hydra/core#" "nextPage";
    HYDRA_PREVIOUS_PAGE = "http://www.w3.org/ns/hydra/core#" "previousPage";
    XSD_DATE_TIME = "http://www.w3.org/2001/XMLSchema#" "dateTime";
    XSD_DATE = "http://www.w3.org/2001/XMLSchema#" "date";
    XSD_G_YEAR = "http://www.w3.org/2001/XMLSchema#" "gYear";
    XSD_G_YEAR_MONTH = "http://www.w3.org/2001/XMLSchema#" "gYearMonth";
    XSD_HEX_BINARY = "http://www.w3.org/2001/XMLSchema#" "hexBinary";
    XSD_NON_NEGATIVE_INTEGER = "http://www.w3.org/2001/XMLSchema#" "nonNegativeInteger";
    XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#" "integer";
}

const EU_AUTHORITY: &str = "http://publications.europa.eu/resource/authority/";

/// The EU language authority IRI of a catalog language (`id` -> `IND`, `en` -> `ENG`).
pub(crate) fn language_iri(tag: &str) -> Result<String> {
    let code = match tag.to_ascii_lowercase().as_str() {
        "id" | "id-id" | "ind" => "IND",
        "en" | "en-gb" | "en-us" | "eng" => "ENG",
        _ => return Err(Error::UnknownLanguage(tag.to_owned())),
    };
    Ok(format!("{EU_AUTHORITY}language/{code}"))
}

/// The EU frequency authority IRI of frekuensi penerbitan.
pub(crate) fn frequency_iri(frequency: Frequency) -> String {
    let code = match frequency {
        Frequency::Harian => "DAILY",
        Frequency::Mingguan => "WEEKLY",
        Frequency::Bulanan => "MONTHLY",
        Frequency::Triwulanan => "QUARTERLY",
        Frequency::Semesteran => "BIANNUAL",
        Frequency::Tahunan => "ANNUAL",
        Frequency::LimaTahunan => "QUINQUENNIAL",
        Frequency::TidakTetap => "IRREG",
    };
    format!("{EU_AUTHORITY}frequency/{code}")
}

/// The EU access-right authority IRI of status kerahasiaan.
pub(crate) fn access_right_iri(status: StatusKerahasiaan) -> String {
    let code = match status {
        StatusKerahasiaan::Terbuka => "PUBLIC",
        StatusKerahasiaan::Terbatas => "RESTRICTED",
        StatusKerahasiaan::Rahasia => "NON_PUBLIC",
    };
    format!("{EU_AUTHORITY}access-right/{code}")
}

/// The EU file-type authority IRI of a format word, when the table has it.
pub(crate) fn file_type_iri(format: &str) -> Option<String> {
    let code = match format.trim().to_ascii_uppercase().as_str() {
        "CSV" => "CSV",
        "JSON" => "JSON",
        "PARQUET" => "PARQUET",
        "XLSX" => "XLSX",
        "GEOJSON" => "GEOJSON",
        _ => return None,
    };
    Some(format!("{EU_AUTHORITY}file-type/{code}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_has_its_authority_iri() {
        assert_eq!(
            language_iri("id").unwrap(),
            "http://publications.europa.eu/resource/authority/language/IND"
        );
        assert!(language_iri("jv").is_err());
        let codes: Vec<String> = Frequency::ALL
            .iter()
            .map(|f| frequency_iri(*f).rsplit('/').next().unwrap().to_owned())
            .collect();
        assert_eq!(
            codes,
            [
                "DAILY",
                "WEEKLY",
                "MONTHLY",
                "QUARTERLY",
                "BIANNUAL",
                "ANNUAL",
                "QUINQUENNIAL",
                "IRREG"
            ]
        );
        assert!(access_right_iri(StatusKerahasiaan::Rahasia).ends_with("/access-right/NON_PUBLIC"));
        assert!(file_type_iri("Parquet").unwrap().ends_with("/file-type/PARQUET"));
        assert_eq!(file_type_iri("SHP"), None);
    }
}
