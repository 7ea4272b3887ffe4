//! The demo's story after the region is loaded: demo accounts, the producers' submissions, the
//! verifier's review (once sending a file back), the producer's fix, the PDs' consent and the
//! publication, with one submission left waiting in the review queue.
//!
//! Passwords are generated for each demo (never fixed in the code) and kept, readable by the
//! owner only, in `demo-akun.txt` in the data directory.

use std::path::{Path, PathBuf};

use anyhow::Result;
use satudata_catalog::{NewUser, SubmissionFilter, SubmissionRecord, Verdict};
use satudata_core::access::{Actor, Role};
use satudata_core::lifecycle::SubmissionState;
use satudata_core::{Lang, messages::render};
use satudata_workflow::{DataCenter, Pipeline, Submission, WorkerOptions};

use crate::errors::{Explain as _, Failure};

/// The file the demo accounts' passwords are kept in, under the data directory.
pub const ACCOUNTS_FILE: &str = "demo-akun.txt";

/// The verifier's demo account.
pub const VERIFIER: &str = "walidata";

/// A demo account and its password.
pub struct DemoAccount {
    /// Account name.
    pub username: String,
    /// Role.
    pub role: Role,
    /// Organization, if any.
    pub organization: Option<String>,
    /// Its generated password.
    pub password: String,
}

/// The demo produsen account of `organization`.
pub fn produsen_of(organization: &str) -> String {
    format!("produsen-{organization}")
}

/// Creates the demo accounts (a produsen per PD, the verifier in the PD named `diskominfo` if
/// there is one, an admin) with generated passwords, and writes them to [`ACCOUNTS_FILE`].
pub async fn create_accounts(dc: &DataCenter, data_dir: &Path) -> Result<Vec<DemoAccount>> {
    let organizations = dc.catalog().organizations().await?;
    let walidata_org = organizations
        .iter()
        .find(|o| o.slug == "diskominfo")
        .map(|o| o.slug.clone());
    let mut wanted: Vec<(String, Role, Option<String>)> = organizations
        .iter()
        .filter(|o| Some(&o.slug) != walidata_org.as_ref())
        .map(|o| (produsen_of(&o.slug), Role::Produsen, Some(o.slug.clone())))
        .collect();
    wanted.push((VERIFIER.into(), Role::Walidata, walidata_org));
    wanted.push(("admin".into(), Role::Admin, None));
    let mut accounts = Vec::new();
    for (username, role, organization) in wanted {
        let password = satudata_auth::generate_password()?;
        let new = NewUser {
            username: &username,
            role,
            organization: organization.as_deref(),
            password: &password,
        };
        dc.catalog().create_user(&new, "demo").await?;
        accounts.push(DemoAccount {
            username,
            role,
            organization,
            password,
        });
    }
    write_accounts(&data_dir.join(ACCOUNTS_FILE), &accounts)?;
    Ok(accounts)
}

fn write_accounts(path: &Path, accounts: &[DemoAccount]) -> Result<()> {
    use std::io::Write;
    let mut text = String::from("# akun demo satudata / satudata demo accounts: nama peran PD kata-sandi\n");
    for a in accounts {
        let org = a.organization.as_deref().unwrap_or("-");
        text.push_str(&format!("{} {} {} {}\n", a.username, a.role.as_str(), org, a.password));
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .explain(|| Failure::new("error.cli.write").arg("path", path.display()))?;
    file.write_all(text.as_bytes())
        .explain(|| Failure::new("error.cli.write").arg("path", path.display()))?;
    Ok(())
}

/// The demo accounts kept in `path` by an earlier demo.
pub fn read_accounts(path: &Path) -> Result<Vec<DemoAccount>> {
    let text = std::fs::read_to_string(path).explain(crate::errors::reading(path))?;
    Ok(text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let mut words = l.split(' ');
            let username = words.next()?.to_owned();
            let role = words.next()?.parse().ok()?;
            let organization = words.next().filter(|o| *o != "-").map(str::to_owned);
            let password = words.next()?.to_owned();
            Some(DemoAccount {
                username,
                role,
                organization,
                password,
            })
        })
        .collect())
}

/// The account a pipeline submits as: its own, else the demo produsen of its dataset's PD.
async fn submitter(dc: &DataCenter, pipeline: &Pipeline) -> Result<Actor> {
    let name = match &pipeline.account {
        Some(name) => name.clone(),
        None => produsen_of(&dc.catalog().dataset(&pipeline.dataset).await?.organization),
    };
    crate::review::account(dc, Some(&name)).await
}

/// `bytes` without their last line: a file sent before its last row was added.
fn without_last_line(bytes: &[u8]) -> Option<Vec<u8>> {
    let body = bytes
        .strip_suffix(b"\r\n")
        .or_else(|| bytes.strip_suffix(b"\n"))
        .unwrap_or(bytes);
    let cut = body.iter().rposition(|b| *b == b'\n')?;
    // Header and at least one data row are left.
    (body[..cut].iter().filter(|b| **b == b'\n').count() >= 1).then(|| bytes[..=cut].to_vec())
}

/// Runs the whole story over `files` (pipeline files, in order).
pub async fn play(dc: &DataCenter, files: &[(PathBuf, PathBuf)], lang: Lang) -> Result<()> {
    let verifier = crate::review::account(dc, Some(VERIFIER)).await?;
    // 1. The producers submit. The first valid local file is first sent without its last row.
    let mut resend = None;
    for (file, shown) in files {
        say!();
        say!("== {}", shown.display());
        let pipeline = Pipeline::read(file)?;
        let actor = submitter(dc, &pipeline).await?;
        if resend.is_none()
            && let Some(outcome) = send_incomplete(dc, &pipeline, &actor).await?
        {
            say!("{}", render(lang, "cli.demo-incomplete", &[("account", actor.name())]));
            crate::print_outcome(dc, &outcome, lang);
            if outcome.report.valid {
                resend = Some((outcome.submission_id, pipeline, actor));
                continue;
            }
        }
        let outcome = dc.run_pipeline(&pipeline, &actor).await?;
        crate::print_outcome(dc, &outcome, lang);
    }
    // 2. The verifier sends the incomplete file back; its producer answers and sends it whole.
    say!();
    say!("{}", render(lang, "cli.demo-review", &[("account", VERIFIER)]));
    let mut fixed = None;
    if let Some((id, pipeline, actor)) = resend {
        let comment = render(lang, "cli.demo-comment-changes", &[]);
        dc.review(id, Verdict::RequestChanges, None, Some(&comment), &verifier)
            .await?;
        say!(
            "{}",
            render(
                lang,
                "cli.demo-changes",
                &[("id", &id.to_string()), ("comment", &comment)]
            )
        );
        let answer = render(lang, "cli.demo-comment-fixed", &[]);
        dc.comment(id, &answer, &actor).await?;
        say!(
            "{}",
            render(
                lang,
                "cli.demo-answer",
                &[("account", actor.name()), ("comment", &answer)]
            )
        );
        let outcome = dc.run_pipeline(&pipeline, &actor).await?;
        crate::print_outcome(dc, &outcome, lang);
        fixed = Some(outcome.submission_id);
    }
    // 3. The verifier approves the queue but the last entry other than the fixed file; the PDs
    // consent; it publishes.
    let mut approve = waiting(dc).await?;
    let Some(at) = approve.iter().rposition(|s| Some(s.id) != fixed) else {
        return Ok(());
    };
    let left = approve.remove(at);
    let approve = approve.as_slice();
    for submission in approve {
        publish(dc, submission, &verifier, lang).await?;
    }
    dc.drain(&WorkerOptions::named("demo")).await?;
    for submission in approve {
        let done = dc.catalog().submission(submission.id).await?;
        let version = done.release_version.map(|v| format!("v{v}")).unwrap_or_default();
        say!(
            "{}",
            render(
                lang,
                "cli.demo-published",
                &[
                    ("id", &done.id.to_string()),
                    ("dataset", &done.dataset),
                    ("version", &version)
                ]
            )
        );
    }
    say!(
        "{}",
        render(
            lang,
            "cli.demo-left",
            &[("id", &left.id.to_string()), ("dataset", &left.dataset)]
        )
    );
    Ok(())
}

/// Sends a pipeline's local delimited file without its last line, if it has one to drop.
async fn send_incomplete(
    dc: &DataCenter,
    pipeline: &Pipeline,
    actor: &Actor,
) -> Result<Option<satudata_workflow::Outcome>> {
    let Some(path) = pipeline.source.path.clone() else {
        return Ok(None);
    };
    let looks_delimited = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if !looks_delimited || pipeline.source.format.is_some() {
        return Ok(None);
    }
    let bytes = std::fs::read(&path).explain(crate::errors::reading(&path))?;
    let Some(short) = without_last_line(&bytes) else {
        return Ok(None);
    };
    let mut options = satudata_ingest::IngestOptions::default();
    if let Some(e) = &pipeline.source.encoding {
        options = options.with_encoding_name(e)?;
    }
    if let Some(d) = &pipeline.source.delimiter {
        options = options.with_delimiter_name(d)?;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let outcome = dc
        .submit(Submission {
            dataset: &pipeline.dataset,
            period: &pipeline.period,
            file_name: &name,
            bytes: &short,
            options,
            actor,
        })
        .await?;
    Ok(Some(outcome))
}

/// The review queue, oldest first.
async fn waiting(dc: &DataCenter) -> Result<Vec<SubmissionRecord>> {
    let filter = SubmissionFilter {
        state: Some(SubmissionState::NeedsReview),
        ..SubmissionFilter::default()
    };
    Ok(dc.catalog().submissions(&filter, 500, 0).await?.0)
}

/// Approves a submission with its dataset's status kerahasiaan, records its PD's consent, and
/// asks for it to be published.
async fn publish(dc: &DataCenter, submission: &SubmissionRecord, verifier: &Actor, lang: Lang) -> Result<()> {
    let status = dc.catalog().dataset(&submission.dataset).await?.status_kerahasiaan();
    dc.review(submission.id, Verdict::Approve, Some(status), None, verifier)
        .await?;
    let id = submission.id.to_string();
    say!(
        "{}",
        render(
            lang,
            "cli.demo-approved",
            &[
                ("id", &id),
                ("dataset", &submission.dataset),
                ("status", &status.to_string())
            ]
        )
    );
    let producer = crate::review::account(dc, Some(&produsen_of(&submission.organization))).await?;
    dc.consent(submission.id, &producer).await?;
    say!(
        "{}",
        render(lang, "cli.demo-consent", &[("id", &id), ("account", producer.name())])
    );
    dc.request_publish(submission.id, verifier).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_line_is_dropped_whatever_the_line_ends() {
        assert_eq!(without_last_line(b"h\r\n1\r\n2\r\n").unwrap(), b"h\r\n1\r\n");
        assert_eq!(without_last_line(b"h\n1\n2").unwrap(), b"h\n1\n");
        assert_eq!(without_last_line(b"h\n1\n"), None);
    }
}
