//! Atom feeds (RFC 4287) of new releases: site-wide and per dataset.

use std::fmt::Write as _;

use chrono::{DateTime, SecondsFormat, Utc};

use crate::view::FeedEntry;
use crate::{Lang, format};

/// `text` safe inside XML text and attribute values.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() && !matches!(c, '\n' | '\t') => {}
            c => out.push(c),
        }
    }
    out
}

fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The feed `self_url` of `entries` (newest first), titled `title`; `base` is the portal's address.
pub fn feed(title: &str, base: &str, self_url: &str, entries: &[FeedEntry], lang: Lang) -> String {
    let updated = entries
        .iter()
        .map(|e| e.published)
        .max()
        .unwrap_or(DateTime::UNIX_EPOCH);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = write!(
        out,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n<title>{}</title>\n<id>{}</id>\n\
         <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}/\"/>\n\
         <updated>{}</updated>\n<generator>satudata</generator>\n",
        lang.code(),
        xml(title),
        xml(self_url),
        xml(self_url),
        xml(base),
        stamp(updated)
    );
    for e in entries {
        let link = format!("{base}/dataset/{}", e.dataset.slug);
        let diff = format!("{link}/versi/{}", e.version);
        let heading = format!("{} v{}", e.dataset.title, e.version);
        let rows = match lang {
            Lang::Id => format!(
                "Versi {} terbit dengan {} baris.",
                e.version,
                format::count(lang, e.rows)
            ),
            Lang::En => format!(
                "Version {} published with {} rows.",
                e.version,
                format::count(lang, e.rows)
            ),
        };
        let _ = write!(
            out,
            "<entry>\n<title>{}</title>\n<id>{}</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n\
             <published>{}</published>\n<updated>{}</updated>\n<author><name>{}</name></author>\n\
             <summary>{} {}</summary>\n</entry>\n",
            xml(&heading),
            xml(&diff),
            xml(&diff),
            stamp(e.published),
            stamp(e.published),
            xml(&e.author),
            xml(&rows),
            xml(&e.summary),
        );
    }
    out.push_str("</feed>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::Named;

    #[test]
    fn entries_are_escaped_and_the_feed_is_updated_by_its_newest() {
        let at = |t: &str| DateTime::parse_from_rfc3339(t).unwrap().with_timezone(&Utc);
        let entry = |v, t: &str| FeedEntry {
            dataset: Named {
                slug: "penduduk".into(),
                title: "Penduduk <&> \"kota\"".into(),
            },
            summary: "Jumlah penduduk".into(),
            author: "Disdukcapil".into(),
            version: v,
            published: at(t),
            rows: 1234,
        };
        let text = feed(
            "Rilis",
            "http://x",
            "http://x/feeds/dataset.atom",
            &[entry(2, "2026-12-06T10:00:00Z"), entry(1, "2026-01-01T00:00:00Z")],
            Lang::Id,
        );
        assert!(
            text.contains("<updated>2026-12-06T10:00:00Z</updated>\n<generator>"),
            "{text}"
        );
        assert!(text.contains("<title>Penduduk &lt;&amp;&gt; &quot;kota&quot; v2</title>"));
        assert!(text.contains("<id>http://x/dataset/penduduk/versi/1</id>"));
        assert!(text.contains("Versi 2 terbit dengan 1.234 baris."));
        assert_eq!(text.matches("<entry>").count(), 2);
    }
}
