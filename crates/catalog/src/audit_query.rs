//! Reading the audit log filtered and paged, newest first, in the database.
//!
//! The filters are applied in SQL on both backends (`$N` placeholders, text comparison of the
//! fixed-width UTC timestamps the log writes), so a page of a million-entry log is one query
//! for the rows and one for the total.

use sqlx::Row;

use crate::listing::Listing;
use crate::{AuditEntry, Catalog, Result};

/// Filters of an audit listing; `None` filters nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct AuditFilter<'a> {
    /// Only entries of this actor.
    pub actor: Option<&'a str>,
    /// Only this action (`releases.published`), or, when it ends in `.`, every action that
    /// starts with it (`submissions.`).
    pub action: Option<&'a str>,
    /// Only entries about this subject (a dataset name, a submission id).
    pub subject: Option<&'a str>,
    /// Only entries at or after this time (RFC 3339).
    pub since: Option<chrono::DateTime<chrono::Utc>>,
    /// Only entries at or before this time (RFC 3339).
    pub until: Option<chrono::DateTime<chrono::Utc>>,
}

/// A time as the audit log writes it (so that text order is time order).
fn stamp(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// `text` as a `LIKE` pattern matching what starts with it, with `\` escaping `%`, `_`, `\`.
fn prefix_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 1);
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// The `WHERE` clause of `filter` and its arguments, `$1`, `$2`, ... in order.
fn clause(filter: &AuditFilter<'_>) -> (String, Vec<String>) {
    let mut conditions = Vec::new();
    let mut args: Vec<String> = Vec::new();
    let mut push = |condition: &str, value: String| {
        args.push(value);
        conditions.push(condition.replace('?', &format!("${}", args.len())));
    };
    if let Some(actor) = filter.actor {
        push("actor = ?", actor.to_owned());
    }
    match filter.action {
        Some(prefix) if prefix.ends_with('.') => push("action LIKE ? ESCAPE '\\'", prefix_pattern(prefix)),
        Some(action) => push("action = ?", action.to_owned()),
        None => {}
    }
    if let Some(subject) = filter.subject {
        push("subject = ?", subject.to_owned());
    }
    if let Some(since) = filter.since {
        push("at >= ?", stamp(since));
    }
    if let Some(until) = filter.until {
        push("at <= ?", stamp(until));
    }
    let sql = if conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conditions.join(" AND "))
    };
    (sql, args)
}

fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl Catalog {
    /// One page of the audit entries `filter` keeps, newest first.
    pub async fn list_audit(&self, filter: &AuditFilter<'_>, limit: u64, offset: u64) -> Result<Listing<AuditEntry>> {
        let (sql, args) = clause(filter);
        let n = args.len() + 1;
        let select = format!(
            "SELECT id, at, actor, action, subject, detail, prev_hash, hash FROM audit_log{sql} \
             ORDER BY id DESC LIMIT ${n} OFFSET ${}",
            n + 1
        );
        let mut query = sqlx::query(&select);
        for a in &args {
            query = query.bind(a.as_str());
        }
        let rows = query
            .bind(to_i64(limit))
            .bind(to_i64(offset))
            .fetch_all(&self.pool)
            .await?;
        let items = rows
            .iter()
            .map(|r| AuditEntry {
                id: r.get("id"),
                at: r.get("at"),
                actor: r.get("actor"),
                action: r.get("action"),
                subject: r.get("subject"),
                detail: r.get("detail"),
                prev_hash: r.get("prev_hash"),
                hash: r.get("hash"),
            })
            .collect();
        let counting = format!("SELECT COUNT(*) AS n FROM audit_log{sql}");
        let mut query = sqlx::query(&counting);
        for a in &args {
            query = query.bind(a.as_str());
        }
        let total: i64 = query.fetch_one(&self.pool).await?.get("n");
        Ok(Listing {
            items,
            total: u64::try_from(total).unwrap_or(0),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ChangedBy, ReferenceKind};
    use chrono::TimeZone as _;
    use satudata_core::{CodeEntry, CodeList, Organization};

    fn org(slug: &str) -> Organization {
        Organization {
            slug: slug.into(),
            nama: format!("Dinas {slug}"),
            singkatan: slug.into(),
            kode_wilayah: "61.71".into(),
            email: String::new(),
        }
    }

    fn list(id: &str, nama: &str) -> CodeList {
        CodeList {
            id: id.into(),
            nama: nama.into(),
            sumber: String::new(),
            isian: vec![CodeEntry {
                kode: "1".into(),
                nilai: "Satu".into(),
            }],
        }
    }

    const WATI: ChangedBy<'static> = ChangedBy {
        name: "wati",
        role: Some("walidata"),
        organization: Some("diskominfo"),
    };

    /// Five entries: two organizations by admin, a code list created and replaced by wati,
    /// and a token-like action named with `%` and `_` to check that they are not wildcards.
    async fn logged(url: &str) -> Catalog {
        let c = Catalog::connect(url).await.unwrap();
        c.put_organization(&org("dinkes"), "admin").await.unwrap();
        c.put_organization(&org("disdik"), "admin").await.unwrap();
        let created = c
            .put_reference(ReferenceKind::CodeList, "agama", &list("agama", "Agama"), &WATI)
            .await
            .unwrap();
        assert_eq!(created, crate::PutOutcome::Created);
        let replaced = c
            .put_reference(ReferenceKind::CodeList, "agama", &list("agama", "Agama (baru)"), &WATI)
            .await
            .unwrap();
        assert_eq!(replaced, crate::PutOutcome::Replaced);
        let same = c
            .put_reference(ReferenceKind::CodeList, "agama", &list("agama", "Agama (baru)"), &WATI)
            .await
            .unwrap();
        assert_eq!(same, crate::PutOutcome::Unchanged);
        c.put_organization(&org("org_x"), "a%b").await.unwrap();
        c
    }

    fn ids(listing: &Listing<AuditEntry>) -> Vec<i64> {
        listing.items.iter().map(|e| e.id).collect()
    }

    async fn the_audit_log_filters_and_pages_in_the_database(url: &str) {
        let c = logged(url).await;
        let all = c.list_audit(&AuditFilter::default(), 50, 0).await.unwrap();
        assert_eq!((ids(&all), all.total), (vec![5, 4, 3, 2, 1], 5));
        let page = c.list_audit(&AuditFilter::default(), 2, 1).await.unwrap();
        assert_eq!((ids(&page), page.total), (vec![4, 3], 5));
        let by = |actor| AuditFilter {
            actor: Some(actor),
            ..AuditFilter::default()
        };
        assert_eq!(ids(&c.list_audit(&by("wati"), 50, 0).await.unwrap()), [4, 3]);
        assert_eq!(c.list_audit(&by("a%"), 50, 0).await.unwrap().total, 0);
        let action = |action| AuditFilter {
            action: Some(action),
            ..AuditFilter::default()
        };
        assert_eq!(
            ids(&c.list_audit(&action("code_lists.updated"), 50, 0).await.unwrap()),
            [4]
        );
        assert_eq!(ids(&c.list_audit(&action("code_lists."), 50, 0).await.unwrap()), [4, 3]);
        assert_eq!(
            ids(&c.list_audit(&action("organizations."), 50, 0).await.unwrap()),
            [5, 2, 1]
        );
        // Without the dot it is an exact action, and `_` matches only itself.
        assert_eq!(c.list_audit(&action("code_lists"), 50, 0).await.unwrap().total, 0);
        assert_eq!(c.list_audit(&action("code_list."), 50, 0).await.unwrap().total, 0);
        assert_eq!(c.list_audit(&action("code.lists."), 50, 0).await.unwrap().total, 0);
        let subject = AuditFilter {
            subject: Some("agama"),
            actor: Some("wati"),
            ..AuditFilter::default()
        };
        let entries = c.list_audit(&subject, 50, 0).await.unwrap();
        assert_eq!(ids(&entries), [4, 3]);
        let detail: serde_json::Value = serde_json::from_str(&entries.items[0].detail).unwrap();
        assert_eq!(detail["role"], "walidata");
        assert_eq!(detail["by_organization"], "diskominfo");
        assert!(detail["before_sha256"].is_string() && detail["sha256"].is_string());
        assert_ne!(detail["before_sha256"], detail["sha256"]);
        let first: serde_json::Value = serde_json::from_str(&entries.items[1].detail).unwrap();
        assert_eq!(first["before_sha256"], serde_json::Value::Null);
        assert_eq!(first["sha256"], detail["before_sha256"]);
    }

    async fn the_audit_log_filters_by_time(url: &str) {
        let c = logged(url).await;
        let all = c.list_audit(&AuditFilter::default(), 50, 0).await.unwrap();
        let third: chrono::DateTime<chrono::Utc> = all.items[2].at.parse().unwrap();
        let since = AuditFilter {
            since: Some(third),
            ..AuditFilter::default()
        };
        let after = c.list_audit(&since, 50, 0).await.unwrap();
        assert!(after.items.iter().all(|e| e.at >= all.items[2].at));
        assert!(ids(&after).contains(&3) && !after.items.is_empty());
        let until = AuditFilter {
            until: Some(third),
            ..AuditFilter::default()
        };
        let before = c.list_audit(&until, 50, 0).await.unwrap();
        assert!(ids(&before).contains(&3) && ids(&before).contains(&1));
        assert!(before.items.iter().all(|e| e.at <= all.items[2].at));
        let past = chrono::Utc.with_ymd_and_hms(2000, 1, 1, 0, 0, 0).unwrap();
        let old = AuditFilter {
            until: Some(past),
            ..AuditFilter::default()
        };
        assert_eq!(c.list_audit(&old, 50, 0).await.unwrap().total, 0);
        let window = AuditFilter {
            since: Some(past),
            until: Some(chrono::Utc::now() + chrono::TimeDelta::hours(1)),
            action: Some("organizations."),
            ..AuditFilter::default()
        };
        assert_eq!(c.list_audit(&window, 50, 0).await.unwrap().total, 3);
    }

    async fn reference_documents_page_and_datasets_are_created_once(url: &str) {
        let c = logged(url).await;
        c.put_reference(ReferenceKind::CodeList, "agama2", &list("agama2", "B"), &WATI)
            .await
            .unwrap();
        let page: Listing<CodeList> = c.list_reference(ReferenceKind::CodeList, 1, 1).await.unwrap();
        assert_eq!(page.total, 2);
        assert_eq!(page.items.iter().map(|l| l.id.as_str()).collect::<Vec<_>>(), ["agama2"]);
        let one: CodeList = c.reference(ReferenceKind::CodeList, "agama").await.unwrap();
        assert_eq!(one.nama, "Agama (baru)");
        assert!(matches!(
            c.reference::<CodeList>(ReferenceKind::MasterData, "agama").await,
            Err(crate::Error::NotFound { .. })
        ));
        let doc = |title: &str| {
            satudata_core::DatasetMetadata::from_json(
                serde_json::json!({"name": "kunjungan", "organization": "dinkes", "standard": "s", "title": title})
                    .to_string()
                    .as_bytes(),
            )
            .unwrap()
        };
        assert!(matches!(
            c.update_dataset(&doc("A"), &WATI).await,
            Err(crate::Error::NotFound { kind: "dataset", .. })
        ));
        assert!(c.create_dataset(&doc("A"), &WATI).await.unwrap());
        assert!(!c.create_dataset(&doc("B"), &WATI).await.unwrap(), "the name is taken");
        assert_eq!(c.dataset("kunjungan").await.unwrap().title(), "A");
        assert_eq!(
            c.update_dataset(&doc("B"), &WATI).await.unwrap(),
            crate::PutOutcome::Replaced
        );
        assert_eq!(
            c.update_dataset(&doc("B"), &WATI).await.unwrap(),
            crate::PutOutcome::Unchanged
        );
        assert_eq!(c.dataset("kunjungan").await.unwrap().title(), "B");
        let mut elsewhere = doc("A");
        elsewhere.organization = "tidak-ada".into();
        elsewhere.name = "lain".into();
        assert!(matches!(
            c.create_dataset(&elsewhere, &WATI).await,
            Err(crate::Error::NotFound {
                kind: "organization",
                ..
            })
        ));
        let updates = AuditFilter {
            action: Some("datasets."),
            ..AuditFilter::default()
        };
        let logged = c.list_audit(&updates, 50, 0).await.unwrap();
        let actions: Vec<&str> = logged.items.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["datasets.updated", "datasets.created"]);
        assert_eq!(
            c.verify_audit().await.unwrap(),
            crate::AuditCheck::Intact { entries: 8 }
        );
    }

    satudata_testkit::on_both!(
        the_audit_log_filters_and_pages_in_the_database,
        the_audit_log_filters_by_time,
        reference_documents_page_and_datasets_are_created_once,
    );
}
