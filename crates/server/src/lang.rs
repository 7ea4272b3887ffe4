//! The language of a request: `?lang=id|en` first, then the `satudata_lang` cookie the portal's
//! language switch sets, then `Accept-Language`, else Indonesian.

use axum::http::{HeaderMap, header};
use satudata_core::Lang;

use crate::error::Error;

/// The language negotiated for a request, in its extensions for handlers that phrase text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestLang(pub Lang);

/// The language a request asks for; an unknown `?lang=` is an error, an unknown
/// `Accept-Language` is not (browsers send many).
pub fn negotiate(query: Option<&str>, headers: &HeaderMap) -> Result<Lang, Error> {
    if let Some(value) = query.and_then(lang_parameter) {
        return known(&value).ok_or(Error::BadLang { value });
    }
    if let Some(lang) = cookie(headers) {
        return Ok(lang);
    }
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    Ok(from_accept_language(accept))
}

/// The cookie the portal's language switch sets.
pub const COOKIE: &str = "satudata_lang";

/// The language the `satudata_lang` cookie names, if it names one.
pub fn cookie(headers: &HeaderMap) -> Option<Lang> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| match pair.trim().split_once('=') {
            Some((COOKIE, value)) => known(value),
            _ => None,
        })
}

/// The `lang` a query string asks for, when it is a known one (`None` without one).
pub fn asked(query: Option<&str>) -> Option<Lang> {
    known(&query.and_then(lang_parameter)?)
}

/// The language a `lang` value names, exactly `id` or `en`.
fn known(value: &str) -> Option<Lang> {
    [Lang::Id, Lang::En].into_iter().find(|l| l.code() == value)
}

/// The value of the last `lang` parameter of a query string, percent-decoded.
fn lang_parameter(query: &str) -> Option<String> {
    form_urlencoded::parse(query.as_bytes())
        .filter(|(k, _)| k == "lang")
        .last()
        .map(|(_, v)| v.into_owned())
}

/// The first of `id` and `en` by quality in an `Accept-Language` header (`id` when neither).
fn from_accept_language(header: &str) -> Lang {
    let mut best: Option<(f32, Lang)> = None;
    for item in header.split(',') {
        let mut parts = item.split(';');
        let tag = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = parts
            .find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok()))
            .unwrap_or(1.0);
        let primary = tag.split('-').next().unwrap_or("");
        let lang = match primary {
            "id" | "in" => Lang::Id,
            "en" => Lang::En,
            _ => continue,
        };
        if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
            best = Some((q, lang));
        }
    }
    best.map(|(_, l)| l).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_header(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_LANGUAGE, value.parse().unwrap());
        h
    }

    #[test]
    fn the_query_wins_then_the_header_then_indonesian() {
        let en = with_header("en-US,en;q=0.9");
        assert_eq!(negotiate(Some("lang=id"), &en).unwrap(), Lang::Id);
        assert_eq!(negotiate(Some("limit=5"), &en).unwrap(), Lang::En);
        assert_eq!(negotiate(None, &HeaderMap::new()).unwrap(), Lang::Id);
        assert_eq!(
            negotiate(None, &with_header("fr-FR, en;q=0.5, id;q=0.8")).unwrap(),
            Lang::Id
        );
        assert_eq!(negotiate(None, &with_header("fr, de;q=0.5")).unwrap(), Lang::Id);
        assert_eq!(negotiate(None, &with_header("en;q=0, id;q=0")).unwrap(), Lang::Id);
        assert_eq!(
            negotiate(None, &with_header("in-ID;q=0.4, en;q=0.3")).unwrap(),
            Lang::Id
        );
    }

    #[test]
    fn the_switch_cookie_comes_after_the_query_and_before_the_header() {
        let mut h = with_header("en-US");
        h.insert(header::COOKIE, "sesi=x; satudata_lang=id".parse().unwrap());
        assert_eq!(negotiate(None, &h).unwrap(), Lang::Id);
        assert_eq!(negotiate(Some("lang=en"), &h).unwrap(), Lang::En);
        h.insert(header::COOKIE, "satudata_lang=fr".parse().unwrap());
        assert_eq!(negotiate(None, &h).unwrap(), Lang::En);
        assert_eq!(asked(Some("q=a&lang=en")), Some(Lang::En));
        assert_eq!(asked(Some("q=a")), None);
    }

    #[test]
    fn an_unknown_lang_parameter_is_refused() {
        assert!(matches!(
            negotiate(Some("lang=fr"), &HeaderMap::new()),
            Err(Error::BadLang { value }) if value == "fr"
        ));
        assert!(matches!(
            negotiate(Some("lang="), &HeaderMap::new()),
            Err(Error::BadLang { .. })
        ));
    }
}
