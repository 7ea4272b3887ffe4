//! Who may do what: one function over (actor, action, target).
//!
//! Every route of the server and every command that acts for someone asks [`decide`], the way
//! policy engines such as Cedar keep authorization in one place. The rules follow the Satu Data
//! regulations: the walidata daerah verifies and publishes, a PD's walidata pembantu (produsen)
//! works on its own PD's data only, the data center publishes a PD's data only with that PD's
//! consent (consent itself is a produsen's act), and readers see data by its status
//! kerahasiaan:
//!
//! | status | who may read |
//! |---|---|
//! | `terbuka` | anyone |
//! | `terbatas` | signed-in users (every account belongs to a government organization) |
//! | `rahasia` | the owning PD and the verifiers |
//!
//! Drafts (a dataset without a served release) and submissions are visible to their PD and the
//! verifiers only. What one may not see is [`Decision::Hidden`] (HTTP 404, so that existence
//! does not leak); what one may see but not do is [`Decision::Forbidden`] (403), or
//! [`Decision::Unauthenticated`] (401) for an anonymous caller.
//!
//! ```
//! use satudata_core::access::{decide, Action, Actor, DatasetTarget, Decision, Role, Target};
//! use satudata_core::StatusKerahasiaan;
//! let dataset = DatasetTarget { organization: "dinkes", status: StatusKerahasiaan::Rahasia, served: true };
//! let public = Actor::anonymous();
//! assert_eq!(decide(&public, Action::Read, &Target::Dataset(dataset)), Decision::Hidden);
//! let verifier = Actor::user("wati", Role::Walidata, Some("diskominfo"));
//! assert_eq!(decide(&verifier, Action::Read, &Target::Dataset(dataset)), Decision::Allow);
//! ```

use std::fmt;
use std::str::FromStr;

use crate::StatusKerahasiaan;

/// A role an account holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Walidata pembantu: the data officer of one PD, who submits its data.
    Produsen,
    /// Walidata daerah: the regional data steward, who verifies and publishes.
    Walidata,
    /// Operator: organizations, accounts, tokens and reference data.
    Admin,
}

impl Role {
    /// Every role, in the order of the docs.
    pub const ALL: [Role; 3] = [Role::Produsen, Role::Walidata, Role::Admin];

    /// The word used in the catalog, the API and the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Produsen => "produsen",
            Role::Walidata => "walidata",
            Role::Admin => "admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = crate::Error;
    fn from_str(s: &str) -> crate::Result<Self> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| crate::Error::InvalidValue {
                what: "role",
                value: s.to_owned(),
            })
    }
}

/// Who is asking: nobody signed in, or an account with its role and organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// Not signed in.
    Anonymous,
    /// A signed-in account (by password session or API token: a token never has more rights
    /// than its account, so both give the same actor).
    User {
        /// The account's name.
        username: String,
        /// Its role.
        role: Role,
        /// Its organization's slug (a produsen always has one).
        organization: Option<String>,
    },
    /// The data center itself: a job, or a decision a verifier recorded beforehand (automatic
    /// approval). It never asks `decide`: whoever started its work was asked.
    System,
}

impl Actor {
    /// Nobody signed in.
    pub fn anonymous() -> Self {
        Actor::Anonymous
    }

    /// A signed-in account.
    pub fn user(username: &str, role: Role, organization: Option<&str>) -> Self {
        Actor::User {
            username: username.to_owned(),
            role,
            organization: organization.map(str::to_owned),
        }
    }

    /// The role, if signed in.
    pub fn role(&self) -> Option<Role> {
        match self {
            Actor::Anonymous | Actor::System => None,
            Actor::User { role, .. } => Some(*role),
        }
    }

    /// The account name as the audit log records it (`anonim` when nobody is signed in).
    pub fn name(&self) -> &str {
        match self {
            Actor::Anonymous => "anonim",
            Actor::System => "sistem",
            Actor::User { username, .. } => username,
        }
    }

    /// The organization's slug, if the account has one.
    pub fn organization(&self) -> Option<&str> {
        match self {
            Actor::Anonymous | Actor::System => None,
            Actor::User { organization, .. } => organization.as_deref(),
        }
    }

    fn is_verifier(&self) -> bool {
        self.role() == Some(Role::Walidata)
    }

    fn is_admin(&self) -> bool {
        self.role() == Some(Role::Admin)
    }

    /// A produsen of `organization`.
    fn produces_for(&self, organization: &str) -> bool {
        self.role() == Some(Role::Produsen) && self.organization() == Some(organization)
    }

    /// The owning PD (any role of that organization), a verifier or an admin.
    fn is_insider(&self, organization: &str) -> bool {
        self.is_verifier() || self.is_admin() || self.organization() == Some(organization)
    }
}

/// What the actor wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Read a dataset, release, submission, comment list or reference document.
    Read,
    /// Download a release's files.
    Download,
    /// Register a dataset or change its metadata.
    EditDataset,
    /// Upload a submission.
    Submit,
    /// Comment on a submission.
    Comment,
    /// Approve, request changes or reject a submission.
    Review,
    /// Record the owning PD's consent to publish a submission, or its standing consent for a
    /// dataset's approved submissions.
    Consent,
    /// Publish an approved submission.
    Publish,
    /// Withdraw a release.
    Withdraw,
    /// Switch automatic approval of valid submissions on or off for a dataset.
    SetAutoApprove,
    /// Create or change a data standard, code list or master data.
    EditReference,
    /// Read the audit log or check its chain.
    ReadAudit,
    /// Create or change organizations and accounts, set roles, lock accounts.
    ManageAccounts,
    /// Create, list or revoke API tokens of the target account.
    ManageTokens,
    /// List the review queue (every PD's submissions).
    ReadQueue,
}

/// A dataset as the rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DatasetTarget<'a> {
    /// The owning organization's slug.
    pub organization: &'a str,
    /// Its status kerahasiaan.
    pub status: StatusKerahasiaan,
    /// Whether it has a release that is served (published and not withdrawn); without one it
    /// is a draft.
    pub served: bool,
}

/// A submission as the rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SubmissionTarget<'a> {
    /// The owning organization's slug (the dataset's).
    pub organization: &'a str,
}

/// A release as the rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReleaseTarget<'a> {
    /// The owning organization's slug.
    pub organization: &'a str,
    /// Its status kerahasiaan.
    pub status: StatusKerahasiaan,
    /// Whether it was withdrawn.
    pub withdrawn: bool,
}

/// What the action is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<'a> {
    /// Something of the whole data center: the audit log, the review queue, the organization
    /// and account lists.
    DataCenter,
    /// A reference document (data standard, code list, master data): public standards that
    /// anyone may read.
    Reference,
    /// An organization (to register a dataset for it, or to manage it).
    Organization(&'a str),
    /// An account (to manage its tokens or its role).
    Account {
        /// The account's name.
        username: &'a str,
    },
    /// A dataset.
    Dataset(DatasetTarget<'a>),
    /// A submission.
    Submission(SubmissionTarget<'a>),
    /// A release.
    Release(ReleaseTarget<'a>),
}

/// The answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Decision {
    /// Go ahead.
    Allow,
    /// Sign in first (HTTP 401): the target is visible, the action needs an account.
    Unauthenticated,
    /// Visible, but not this actor's to do (HTTP 403).
    Forbidden,
    /// Not visible to this actor: answer as if it did not exist (HTTP 404).
    Hidden,
}

impl Decision {
    /// The HTTP status this decision answers with when it refuses, `None` for [`Decision::Allow`].
    pub fn status(self) -> Option<u16> {
        match self {
            Decision::Allow => None,
            Decision::Unauthenticated => Some(401),
            Decision::Forbidden => Some(403),
            Decision::Hidden => Some(404),
        }
    }
}

/// Whether `actor` may see data of `organization` with `status`.
pub fn may_see(actor: &Actor, organization: &str, status: StatusKerahasiaan) -> bool {
    match status {
        StatusKerahasiaan::Terbuka => true,
        StatusKerahasiaan::Terbatas => actor.role().is_some(),
        StatusKerahasiaan::Rahasia => actor.is_insider(organization),
    }
}

/// Decides whether `actor` may do `action` on `target`.
pub fn decide(actor: &Actor, action: Action, target: &Target<'_>) -> Decision {
    let visible = visible(actor, target);
    if !visible {
        return Decision::Hidden;
    }
    let allowed = allowed(actor, action, target);
    match (allowed, actor) {
        (true, _) => Decision::Allow,
        (false, Actor::Anonymous) => Decision::Unauthenticated,
        (false, Actor::User { .. } | Actor::System) => Decision::Forbidden,
    }
}

/// Whether the target's existence may be known to the actor.
fn visible(actor: &Actor, target: &Target<'_>) -> bool {
    match *target {
        Target::DataCenter | Target::Reference | Target::Organization(_) => true,
        Target::Account { username } => actor.is_admin() || actor.name() == username && actor.role().is_some(),
        Target::Dataset(d) => {
            may_see(actor, d.organization, d.status) && (d.served || actor.is_insider(d.organization))
        }
        Target::Submission(s) => actor.is_insider(s.organization),
        Target::Release(r) => {
            may_see(actor, r.organization, r.status) && (!r.withdrawn || actor.is_insider(r.organization))
        }
    }
}

/// Whether the action is the actor's to do, once the target is visible.
fn allowed(actor: &Actor, action: Action, target: &Target<'_>) -> bool {
    let verifier = actor.is_verifier();
    let admin = actor.is_admin();
    let organization = match *target {
        Target::Organization(o) => Some(o),
        Target::Dataset(d) => Some(d.organization),
        Target::Submission(s) => Some(s.organization),
        Target::Release(r) => Some(r.organization),
        Target::DataCenter | Target::Reference | Target::Account { .. } => None,
    };
    let own = organization.is_some_and(|o| actor.produces_for(o));
    match action {
        Action::Read | Action::Download => match target {
            Target::DataCenter | Target::Account { .. } => actor.role().is_some(),
            _ => true,
        },
        Action::EditDataset => own || verifier || admin,
        Action::Submit => own || admin,
        Action::Comment => matches!(target, Target::Submission(_)) && (own || verifier || admin),
        Action::Consent => matches!(target, Target::Submission(_) | Target::Dataset(_)) && own,
        Action::Review | Action::Publish => matches!(target, Target::Submission(_)) && verifier,
        Action::Withdraw => matches!(target, Target::Release(_)) && verifier,
        Action::SetAutoApprove => matches!(target, Target::Dataset(_)) && verifier,
        // Reference data: "write: walidata, admin" (issue 12).
        Action::EditReference => verifier || admin,
        Action::ReadAudit | Action::ReadQueue => verifier || admin,
        Action::ManageAccounts => admin,
        Action::ManageTokens => match target {
            Target::Account { username } => admin || actor.name() == *username && actor.role().is_some(),
            _ => admin,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use StatusKerahasiaan::*;

    fn dataset(status: StatusKerahasiaan, served: bool) -> Target<'static> {
        Target::Dataset(DatasetTarget {
            organization: "dinkes",
            status,
            served,
        })
    }

    fn callers() -> [(&'static str, Actor); 5] {
        [
            ("public", Actor::anonymous()),
            ("own", Actor::user("ani", Role::Produsen, Some("dinkes"))),
            ("other", Actor::user("budi", Role::Produsen, Some("disdik"))),
            ("walidata", Actor::user("wati", Role::Walidata, Some("diskominfo"))),
            ("admin", Actor::user("root", Role::Admin, None)),
        ]
    }

    /// Reading a dataset, per status and draft state, for each caller (H = hidden, A = allow).
    #[test]
    fn readers_see_datasets_by_status_kerahasiaan() {
        let table = [
            (Terbuka, true, "AAAAA"),
            (Terbatas, true, "HAAAA"),
            (Rahasia, true, "HAHAA"),
            (Terbuka, false, "HAHAA"),
            (Terbatas, false, "HAHAA"),
            (Rahasia, false, "HAHAA"),
        ];
        for (status, served, expected) in table {
            let got: String = callers()
                .iter()
                .map(
                    |(_, actor)| match decide(actor, Action::Read, &dataset(status, served)) {
                        Decision::Allow => 'A',
                        Decision::Hidden => 'H',
                        other => panic!("unexpected {other:?}"),
                    },
                )
                .collect();
            assert_eq!(got, expected, "{status} served={served}");
        }
    }

    #[test]
    fn writes_follow_the_roles() {
        let submission = Target::Submission(SubmissionTarget { organization: "dinkes" });
        let release = Target::Release(ReleaseTarget {
            organization: "dinkes",
            status: Terbuka,
            withdrawn: false,
        });
        // (action, target, expected for public, own, other, walidata, admin)
        let table = [
            (Action::Submit, dataset(Terbuka, true), ["401", "A", "403", "403", "A"]),
            (Action::Submit, dataset(Rahasia, true), ["404", "A", "404", "403", "A"]),
            (
                Action::EditDataset,
                dataset(Terbuka, true),
                ["401", "A", "403", "A", "A"],
            ),
            (Action::Consent, submission, ["404", "A", "404", "403", "403"]),
            (
                Action::Consent,
                dataset(Terbuka, true),
                ["401", "A", "403", "403", "403"],
            ),
            (Action::Review, submission, ["404", "403", "404", "A", "403"]),
            (Action::Publish, submission, ["404", "403", "404", "A", "403"]),
            (Action::Comment, submission, ["404", "A", "404", "A", "A"]),
            (Action::Read, submission, ["404", "A", "404", "A", "A"]),
            (Action::Withdraw, release, ["401", "403", "403", "A", "403"]),
            (
                Action::SetAutoApprove,
                dataset(Terbuka, true),
                ["401", "403", "403", "A", "403"],
            ),
            (
                Action::EditReference,
                Target::DataCenter,
                ["401", "403", "403", "A", "A"],
            ),
            (Action::ReadAudit, Target::DataCenter, ["401", "403", "403", "A", "A"]),
            (Action::ReadQueue, Target::DataCenter, ["401", "403", "403", "A", "A"]),
            (
                Action::ManageAccounts,
                Target::DataCenter,
                ["401", "403", "403", "403", "A"],
            ),
            (
                Action::ManageTokens,
                Target::Account { username: "ani" },
                ["404", "A", "404", "404", "A"],
            ),
            (Action::Read, Target::DataCenter, ["401", "A", "A", "A", "A"]),
            (Action::Read, Target::Reference, ["A", "A", "A", "A", "A"]),
            (
                Action::EditReference,
                Target::Reference,
                ["401", "403", "403", "A", "A"],
            ),
        ];
        for (action, target, expected) in table {
            for ((who, actor), want) in callers().iter().zip(expected) {
                let got = match decide(actor, action, &target) {
                    Decision::Allow => "A".to_owned(),
                    refused => refused.status().unwrap_or_default().to_string(),
                };
                assert_eq!(got, want, "{action:?} on {target:?} as {who}");
            }
        }
    }

    #[test]
    fn withdrawn_releases_are_seen_only_by_insiders() {
        let withdrawn = Target::Release(ReleaseTarget {
            organization: "dinkes",
            status: Terbuka,
            withdrawn: true,
        });
        let seen: Vec<bool> = callers()
            .iter()
            .map(|(_, a)| decide(a, Action::Download, &withdrawn) == Decision::Allow)
            .collect();
        assert_eq!(seen, [false, true, false, true, true]);
    }

    #[test]
    fn roles_read_back() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().unwrap(), role);
        }
        assert!("root".parse::<Role>().is_err());
    }
}
