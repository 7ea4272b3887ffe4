//! Sign-in, sessions, CSRF, API tokens and account administration over a real socket with a
//! real HTTP client, on SQLite and on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{TimeDelta, Utc};
use reqwest::header::{self, HeaderMap};
use reqwest::{Method, StatusCode};
use satudata_catalog::NewUser;
use satudata_core::Organization;
use satudata_core::access::Role;
use satudata_server::{AppState, Config};
use serde_json::{Value, json};

const PASSWORD: &str = "kata sandi panjang sekali";

/// A server on a free port over a fresh data center whose catalog is at `url`, with the
/// organizations `disdukcapil` and `dinkes`, the admin `root`, and the produsen `alice`
/// (disdukcapil) and `bob` (dinkes), all with [`PASSWORD`].
struct Running {
    base: String,
    state: AppState,
    client: reqwest::Client,
    _dir: tempfile::TempDir,
}

fn organization(slug: &str) -> Organization {
    Organization {
        slug: slug.into(),
        nama: format!("Dinas {slug}"),
        singkatan: slug.to_uppercase(),
        kode_wilayah: "61.71".into(),
        email: String::new(),
    }
}

async fn start(url: &str, public_url: Option<&str>) -> Running {
    let dir = tempfile::tempdir().unwrap();
    let center = satudata_workflow::DataCenter::init_with_database(&dir.path().join("data"), Some(url))
        .await
        .unwrap();
    let catalog = center.catalog();
    for slug in ["disdukcapil", "dinkes"] {
        catalog.put_organization(&organization(slug), "setup").await.unwrap();
    }
    for (username, role, org) in [
        ("root", Role::Admin, None),
        ("alice", Role::Produsen, Some("disdukcapil")),
        ("bob", Role::Produsen, Some("dinkes")),
    ] {
        let new = NewUser {
            username,
            role,
            organization: org,
            password: PASSWORD,
        };
        catalog.create_user(&new, "setup").await.unwrap();
    }
    let config = Config {
        listen: ([127, 0, 0, 1], 0).into(),
        public_url: public_url.map(str::to_owned),
        ..Config::default()
    };
    let state = AppState::new(center, config);
    let server = satudata_server::bind(state.clone()).await.unwrap();
    let base = format!("http://{}", server.local_addr().unwrap());
    tokio::spawn(server.run());
    Running {
        base,
        state,
        client: reqwest::Client::new(),
        _dir: dir,
    }
}

/// An answer: status, headers, body.
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }

    fn code(&self) -> String {
        self.json()["error"]["code"].as_str().unwrap_or_default().to_owned()
    }

    fn header(&self, name: header::HeaderName) -> &str {
        self.headers.get(&name).map_or("", |v| v.to_str().unwrap())
    }

    /// Asserts the status and, for an error, its code.
    fn expect(&self, status: StatusCode, code: &str) -> &Self {
        let got = if self.body.is_empty() {
            String::new()
        } else {
            self.code()
        };
        assert_eq!(
            (self.status, got.as_str()),
            (status, code),
            "{}",
            String::from_utf8_lossy(&self.body)
        );
        self
    }
}

/// How a request signs in.
#[derive(Clone, Copy)]
enum As<'a> {
    Nobody,
    Bearer(&'a str),
    /// The session cookie and the CSRF header sent with it (`None`: no header).
    Cookie(&'a str, Option<&'a str>),
}

impl Running {
    async fn call(&self, method: Method, path: &str, who: As<'_>, body: Option<Value>) -> Answer {
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        match who {
            As::Nobody => {}
            As::Bearer(secret) => request = request.header(header::AUTHORIZATION, format!("Bearer {secret}")),
            As::Cookie(secret, csrf) => {
                request = request.header(header::COOKIE, format!("satudata_sesi={secret}"));
                if let Some(csrf) = csrf {
                    request = request.header("x-csrf-token", csrf);
                }
            }
        }
        if let Some(body) = body {
            request = request
                .header(header::CONTENT_TYPE, "application/json")
                .body(serde_json::to_vec(&body).unwrap());
        }
        let response = request.send().await.unwrap();
        Answer {
            status: response.status(),
            headers: response.headers().clone(),
            body: response.bytes().await.unwrap().to_vec(),
        }
    }

    async fn get(&self, path: &str, who: As<'_>) -> Answer {
        self.call(Method::GET, path, who, None).await
    }

    async fn post(&self, path: &str, who: As<'_>, body: Option<Value>) -> Answer {
        self.call(Method::POST, path, who, body).await
    }

    async fn login(&self, username: &str, password: &str) -> Answer {
        let body = json!({ "username": username, "password": password });
        self.call(Method::POST, "/api/v1/auth/login", As::Nobody, Some(body))
            .await
    }

    /// Signs `username` in: the cookie's value and the CSRF token.
    async fn session(&self, username: &str) -> (String, String) {
        let answer = self.login(username, PASSWORD).await;
        answer.expect(StatusCode::OK, "");
        let cookie = answer.header(header::SET_COOKIE);
        let secret = cookie
            .strip_prefix("satudata_sesi=")
            .and_then(|rest| rest.split(';').next())
            .unwrap()
            .to_owned();
        (secret, answer.json()["csrf_token"].as_str().unwrap().to_owned())
    }

    /// A new API token of `username` (made through its session): its id and secret.
    async fn token(&self, username: &str) -> (i64, String) {
        let (cookie, csrf) = self.session(username).await;
        let answer = self
            .call(
                Method::POST,
                "/api/v1/tokens",
                As::Cookie(&cookie, Some(&csrf)),
                Some(json!({ "name": "uji", "expires_in_days": 30 })),
            )
            .await;
        answer.expect(StatusCode::CREATED, "");
        let body = answer.json();
        (
            body["token"]["id"].as_i64().unwrap(),
            body["secret"].as_str().unwrap().to_owned(),
        )
    }

    async fn audit_actions(&self) -> Vec<(String, String, String)> {
        let entries = self.state.center().catalog().audit_entries().await.unwrap();
        entries.into_iter().map(|e| (e.actor, e.action, e.subject)).collect()
    }
}

/// An error body without its request id, to compare two refusals byte for byte.
fn without_request_id(answer: &Answer) -> String {
    let mut body = answer.json();
    let id = body["error"]["request_id"].take();
    assert!(id.as_str().is_some_and(|s| !s.is_empty()));
    serde_json::to_string(&body).unwrap()
}

async fn login_sets_a_strict_cookie_and_me_answers_by_cookie_and_by_bearer(url: &str) {
    let server = start(url, None).await;
    let answer = server.login("alice", PASSWORD).await;
    answer.expect(StatusCode::OK, "");
    let cookie = answer.header(header::SET_COOKIE);
    assert!(cookie.starts_with("satudata_sesi=sds_"), "{cookie}");
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200"] {
        assert!(cookie.split("; ").any(|a| a == attribute), "{attribute} in {cookie}");
    }
    assert!(!cookie.contains("Secure"), "{cookie}");
    let body = answer.json();
    assert_eq!(
        body["user"],
        json!({ "username": "alice", "role": "produsen", "organization": "disdukcapil" })
    );
    let csrf = body["csrf_token"].as_str().unwrap();
    assert_eq!(csrf.len(), 43);
    assert!(body["expires_at"].as_str().unwrap() > Utc::now().to_rfc3339().as_str());
    let (secret, csrf) = server.session("alice").await;
    let me = server.get("/api/v1/me", As::Cookie(&secret, None)).await;
    me.expect(StatusCode::OK, "");
    let me = me.json();
    assert_eq!(
        (me["username"].as_str(), me["via"].as_str()),
        (Some("alice"), Some("session"))
    );
    assert_eq!(me["csrf_token"].as_str(), Some(csrf.as_str()));

    let (_, token) = server.token("alice").await;
    let me = server.get("/api/v1/me", As::Bearer(&token)).await;
    me.expect(StatusCode::OK, "");
    let me = me.json();
    assert_eq!(
        (me["username"].as_str(), me["role"].as_str(), me["via"].as_str()),
        (Some("alice"), Some("produsen"), Some("token"))
    );
    assert!(me.get("csrf_token").is_none(), "{me}");
    let anonymous = server.get("/api/v1/me", As::Nobody).await;
    anonymous.expect(StatusCode::UNAUTHORIZED, "unauthenticated");
    // Sign-ins are audited once each, by the catalog.
    let logins = server.audit_actions().await;
    let logins = logins.iter().filter(|(_, action, _)| action == "auth.login").count();
    assert_eq!(logins, 3);
}

async fn cookie_writes_need_the_csrf_token_and_bearer_writes_do_not(url: &str) {
    let server = start(url, None).await;
    let (secret, csrf) = server.session("alice").await;
    let new_token = || Some(json!({ "name": "laptop" }));
    let no_header = server
        .post("/api/v1/tokens", As::Cookie(&secret, None), new_token())
        .await;
    no_header.expect(StatusCode::FORBIDDEN, "csrf-failed");
    let wrong = server
        .post("/api/v1/tokens", As::Cookie(&secret, Some(&csrf[1..])), new_token())
        .await;
    wrong.expect(StatusCode::FORBIDDEN, "csrf-failed");
    let (_, other_csrf) = server.session("alice").await;
    let other_session = server
        .post("/api/v1/tokens", As::Cookie(&secret, Some(&other_csrf)), new_token())
        .await;
    other_session.expect(StatusCode::FORBIDDEN, "csrf-failed");
    let listed = server.get("/api/v1/tokens", As::Cookie(&secret, None)).await;
    assert_eq!(listed.expect(StatusCode::OK, "").json()["total"], 0, "nothing was made");
    let right = server
        .post("/api/v1/tokens", As::Cookie(&secret, Some(&csrf)), new_token())
        .await;
    right.expect(StatusCode::CREATED, "");
    let token = right.json()["secret"].as_str().unwrap().to_owned();
    assert!(token.starts_with("sdt_"));
    let by_bearer = server.post("/api/v1/tokens", As::Bearer(&token), new_token()).await;
    by_bearer.expect(StatusCode::CREATED, "");
    // A stale cookie reads as signed out: public reads still work, /me says who to be.
    let stale = "sds_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    let public = server.get("/api/v1/organizations", As::Cookie(stale, None)).await;
    assert_eq!(public.expect(StatusCode::OK, "").json()["total"], 2);
    let me = server.get("/api/v1/me", As::Cookie(stale, None)).await;
    me.expect(StatusCode::UNAUTHORIZED, "unauthenticated");
}

async fn refusals_look_alike_and_five_failures_lock_out(url: &str) {
    let server = start(url, None).await;
    let unknown = server.login("nobody", PASSWORD).await;
    unknown.expect(StatusCode::UNAUTHORIZED, "login-failed");
    let wrong = server.login("alice", "salah salah salah").await;
    wrong.expect(StatusCode::UNAUTHORIZED, "login-failed");
    assert_eq!(without_request_id(&unknown), without_request_id(&wrong));
    assert!(unknown.header(header::SET_COOKIE).is_empty());
    for _ in 0..4 {
        server
            .login("alice", "salah salah salah")
            .await
            .expect(StatusCode::UNAUTHORIZED, "login-failed");
    }
    // Five failures: now even the right password is refused, with the same body.
    let locked_out = server.login("alice", PASSWORD).await;
    locked_out.expect(StatusCode::UNAUTHORIZED, "login-failed");
    assert_eq!(without_request_id(&locked_out), without_request_id(&unknown));
    let alice = server
        .state
        .center()
        .catalog()
        .user_by_name("alice")
        .await
        .unwrap()
        .unwrap();
    assert!(alice.locked_out(Utc::now()));
    let audit = server.audit_actions().await;
    let count = |action: &str| audit.iter().filter(|(_, a, _)| a == action).count();
    assert_eq!(
        (count("auth.login_failed"), count("auth.locked"), count("auth.login")),
        (7, 1, 0)
    );
    // Someone else still signs in.
    server.login("bob", PASSWORD).await.expect(StatusCode::OK, "");
}

async fn tokens_are_made_used_listed_and_revoked(url: &str) {
    let server = start(url, None).await;
    let (id, secret) = server.token("alice").await;
    let me = server.get("/api/v1/me", As::Bearer(&secret)).await;
    me.expect(StatusCode::OK, "");
    let own = server.get("/api/v1/tokens", As::Bearer(&secret)).await;
    let own = own.expect(StatusCode::OK, "").json();
    assert_eq!(own["total"], 1);
    assert_eq!(own["items"][0]["id"], id);
    assert_eq!(own["items"][0]["prefix"].as_str(), Some(&secret[..12]));
    assert!(
        !own.to_string().contains(&secret[12..]),
        "the secret is shown once only"
    );
    // Someone else's tokens are not there for a produsen.
    let (_, bobs) = server.token("bob").await;
    let path = format!("/api/v1/tokens/{id}");
    let theirs = server.call(Method::DELETE, &path, As::Bearer(&bobs), None).await;
    theirs.expect(StatusCode::NOT_FOUND, "not-found");
    let peek = server.get("/api/v1/tokens?user=alice", As::Bearer(&bobs)).await;
    peek.expect(StatusCode::NOT_FOUND, "not-found");
    // An administrator sees them all, or one account's.
    let (_, root) = server.token("root").await;
    let all = server.get("/api/v1/tokens", As::Bearer(&root)).await;
    assert_eq!(all.expect(StatusCode::OK, "").json()["total"], 3);
    let alices = server.get("/api/v1/tokens?user=alice", As::Bearer(&root)).await;
    assert_eq!(alices.expect(StatusCode::OK, "").json()["total"], 1);
    let revoked = server.call(Method::DELETE, &path, As::Bearer(&secret), None).await;
    revoked.expect(StatusCode::NO_CONTENT, "");
    let after = server.get("/api/v1/me", As::Bearer(&secret)).await;
    after.expect(StatusCode::UNAUTHORIZED, "unauthenticated");
    assert_eq!(after.header(header::WWW_AUTHENTICATE), "Bearer");
    let audit = server.audit_actions().await;
    assert!(audit.contains(&("alice".into(), "tokens.revoked".into(), id.to_string())));
    // An administrator revokes anyone's; an unknown or malformed id is refused.
    let (bob_id, _) = server.token("bob").await;
    let by_admin = server
        .call(
            Method::DELETE,
            &format!("/api/v1/tokens/{bob_id}"),
            As::Bearer(&root),
            None,
        )
        .await;
    by_admin.expect(StatusCode::NO_CONTENT, "");
    let unknown = server
        .call(Method::DELETE, "/api/v1/tokens/999999", As::Bearer(&root), None)
        .await;
    unknown.expect(StatusCode::NOT_FOUND, "not-found");
    let malformed = server
        .call(Method::DELETE, "/api/v1/tokens/abc", As::Bearer(&root), None)
        .await;
    malformed.expect(StatusCode::BAD_REQUEST, "bad-parameter");
    let too_long = server
        .post(
            "/api/v1/tokens",
            As::Bearer(&root),
            Some(json!({ "name": "x", "expires_in_days": 366 })),
        )
        .await;
    too_long.expect(StatusCode::UNPROCESSABLE_ENTITY, "account-refused");
}

async fn expired_revoked_session_and_locked_credentials_are_401(url: &str) {
    let server = start(url, None).await;
    let catalog = server.state.center().catalog();
    let past = Utc::now() - TimeDelta::days(10);
    let expired = catalog
        .create_token("alice", "lama", TimeDelta::days(1), "root", past)
        .await
        .unwrap();
    let answer = server.get("/api/v1/me", As::Bearer(expired.secret.expose())).await;
    answer.expect(StatusCode::UNAUTHORIZED, "unauthenticated");
    // A session secret is not a bearer token, and garbage is not either.
    let (session, _) = server.session("alice").await;
    for bad in [session.as_str(), "sdt_tidak-ada", "x"] {
        let answer = server.get("/api/v1/datasets", As::Bearer(bad)).await;
        answer.expect(StatusCode::UNAUTHORIZED, "unauthenticated");
    }
    // A locked account's token and session stop.
    let (_, token) = server.token("alice").await;
    catalog.lock("alice", "root").await.unwrap();
    let answer = server.get("/api/v1/me", As::Bearer(&token)).await;
    answer.expect(StatusCode::UNAUTHORIZED, "unauthenticated");
    let answer = server.get("/api/v1/me", As::Cookie(&session, None)).await;
    answer.expect(StatusCode::UNAUTHORIZED, "unauthenticated");
}

async fn administrators_manage_accounts_and_organizations(url: &str) {
    let server = start(url, None).await;
    let (_, alice) = server.token("alice").await;
    let (_, root) = server.token("root").await;
    let carol = json!({ "username": "carol", "role": "produsen", "organization": "dinkes" });
    let anonymous = server.post("/api/v1/users", As::Nobody, Some(carol.clone())).await;
    anonymous.expect(StatusCode::UNAUTHORIZED, "unauthenticated");
    let produsen = server
        .post("/api/v1/users", As::Bearer(&alice), Some(carol.clone()))
        .await;
    produsen.expect(StatusCode::FORBIDDEN, "forbidden");
    let listed = server.get("/api/v1/users", As::Bearer(&alice)).await;
    listed.expect(StatusCode::FORBIDDEN, "forbidden");
    let created = server
        .post("/api/v1/users", As::Bearer(&root), Some(carol.clone()))
        .await;
    created.expect(StatusCode::CREATED, "");
    let body = created.json();
    assert_eq!(
        (body["user"]["username"].as_str(), body["user"]["organization"].as_str()),
        (Some("carol"), Some("dinkes"))
    );
    let password = body["password"].as_str().unwrap();
    assert_eq!(password.chars().count(), 20);
    server.login("carol", password).await.expect(StatusCode::OK, "");
    let audit = server.audit_actions().await;
    assert!(audit.contains(&("root".into(), "users.created".into(), "carol".into())));
    // Refusals: a taken name, a short password, a produsen without a PD, an unknown role.
    let again = server.post("/api/v1/users", As::Bearer(&root), Some(carol)).await;
    again.expect(StatusCode::CONFLICT, "conflict");
    for bad in [
        json!({ "username": "dave", "role": "walidata", "password": "pendek" }),
        json!({ "username": "dave", "role": "produsen" }),
        json!({ "username": "dave", "role": "produsen", "organization": "tidak-ada" }),
        json!({ "username": "Dave", "role": "walidata" }),
    ] {
        let answer = server.post("/api/v1/users", As::Bearer(&root), Some(bad.clone())).await;
        answer.expect(StatusCode::UNPROCESSABLE_ENTITY, "account-refused");
    }
    let role = server
        .post(
            "/api/v1/users",
            As::Bearer(&root),
            Some(json!({ "username": "dave", "role": "raja" })),
        )
        .await;
    role.expect(StatusCode::UNPROCESSABLE_ENTITY, "invalid-body");
    // Reading: the list (paged), an account by an administrator or itself, no one else.
    let page = server.get("/api/v1/users?limit=2", As::Bearer(&root)).await;
    let page = page.expect(StatusCode::OK, "").json();
    assert_eq!(
        (page["total"].as_u64(), page["items"].as_array().map(Vec::len)),
        (Some(4), Some(2))
    );
    assert!(!page.to_string().contains("argon2"));
    let own = server.get("/api/v1/users/alice", As::Bearer(&alice)).await;
    own.expect(StatusCode::OK, "");
    let other = server.get("/api/v1/users/bob", As::Bearer(&alice)).await;
    other.expect(StatusCode::NOT_FOUND, "not-found");
    // Changing: a role, a lock (which stops the account's token at once).
    let change = |body: Value| server.call(Method::PATCH, "/api/v1/users/alice", As::Bearer(&root), Some(body));
    let answer = change(json!({ "role": "walidata" })).await;
    assert_eq!(answer.expect(StatusCode::OK, "").json()["role"], "walidata");
    let answer = change(json!({ "locked": true })).await;
    assert_eq!(answer.expect(StatusCode::OK, "").json()["locked"], true);
    let me = server.get("/api/v1/me", As::Bearer(&alice)).await;
    me.expect(StatusCode::UNAUTHORIZED, "unauthenticated");
    server
        .login("alice", PASSWORD)
        .await
        .expect(StatusCode::UNAUTHORIZED, "login-failed");
    change(json!({ "locked": false })).await.expect(StatusCode::OK, "");
    server.login("alice", PASSWORD).await.expect(StatusCode::OK, "");
    let by_bob = server
        .call(
            Method::PATCH,
            "/api/v1/users/alice",
            As::Bearer(&server.token("bob").await.1),
            Some(json!({ "locked": true })),
        )
        .await;
    by_bob.expect(StatusCode::NOT_FOUND, "not-found");
    let audit = server.audit_actions().await;
    for action in ["users.role_changed", "users.locked", "users.unlocked"] {
        assert!(
            audit.contains(&("root".into(), action.into(), "alice".into())),
            "{action}"
        );
    }
    // Organizations.
    let org = json!({ "slug": "bappeda", "nama": "Badan Perencanaan", "kode_wilayah": "61.71" });
    let answer = server
        .post("/api/v1/organizations", As::Bearer(&root), Some(org.clone()))
        .await;
    assert_eq!(answer.expect(StatusCode::CREATED, "").json()["slug"], "bappeda");
    let again = server
        .post("/api/v1/organizations", As::Bearer(&root), Some(org.clone()))
        .await;
    again.expect(StatusCode::CONFLICT, "conflict");
    let bad = json!({ "slug": "../x", "nama": "X", "kode_wilayah": "61.71" });
    let answer = server.post("/api/v1/organizations", As::Bearer(&root), Some(bad)).await;
    answer.expect(StatusCode::BAD_REQUEST, "bad-parameter");
    let (_, bob) = server.token("bob").await;
    let answer = server.post("/api/v1/organizations", As::Bearer(&bob), Some(org)).await;
    answer.expect(StatusCode::FORBIDDEN, "forbidden");
    let rename = Some(json!({ "nama": "Badan Perencanaan Pembangunan Daerah" }));
    let answer = server
        .call(
            Method::PATCH,
            "/api/v1/organizations/bappeda",
            As::Bearer(&root),
            rename.clone(),
        )
        .await;
    assert_eq!(
        answer.expect(StatusCode::OK, "").json()["nama"],
        "Badan Perencanaan Pembangunan Daerah"
    );
    let answer = server
        .call(
            Method::PATCH,
            "/api/v1/organizations/tidak-ada",
            As::Bearer(&root),
            rename,
        )
        .await;
    answer.expect(StatusCode::NOT_FOUND, "not-found");
    let audit = server.audit_actions().await;
    for action in ["organizations.created", "organizations.updated"] {
        assert!(
            audit.contains(&("root".into(), action.into(), "bappeda".into())),
            "{action}"
        );
    }
    let shown = server.get("/api/v1/organizations/bappeda", As::Nobody).await;
    assert_eq!(
        shown.expect(StatusCode::OK, "").json()["nama"],
        "Badan Perencanaan Pembangunan Daerah"
    );
}

async fn logout_ends_the_session_and_clears_the_cookie(url: &str) {
    let server = start(url, None).await;
    let (secret, csrf) = server.session("alice").await;
    let forged = server
        .post("/api/v1/auth/logout", As::Cookie(&secret, None), None)
        .await;
    forged.expect(StatusCode::FORBIDDEN, "csrf-failed");
    let me = server.get("/api/v1/me", As::Cookie(&secret, None)).await;
    me.expect(StatusCode::OK, "");
    let out = server
        .post("/api/v1/auth/logout", As::Cookie(&secret, Some(&csrf)), None)
        .await;
    out.expect(StatusCode::NO_CONTENT, "");
    let cleared = out.header(header::SET_COOKIE);
    assert!(
        cleared.starts_with("satudata_sesi=;") && cleared.contains("Max-Age=0"),
        "{cleared}"
    );
    let me = server.get("/api/v1/me", As::Cookie(&secret, None)).await;
    me.expect(StatusCode::UNAUTHORIZED, "unauthenticated");
    let audit = server.audit_actions().await;
    assert!(audit.contains(&("alice".into(), "auth.logout".into(), "alice".into())));
}

satudata_testkit::on_both!(
    login_sets_a_strict_cookie_and_me_answers_by_cookie_and_by_bearer,
    cookie_writes_need_the_csrf_token_and_bearer_writes_do_not,
    refusals_look_alike_and_five_failures_lock_out,
    tokens_are_made_used_listed_and_revoked,
    expired_revoked_session_and_locked_credentials_are_401,
    administrators_manage_accounts_and_organizations,
    logout_ends_the_session_and_clears_the_cookie,
);

#[tokio::test]
async fn the_cookie_is_secure_behind_an_https_public_url() {
    let db = satudata_testkit::TestDb::sqlite();
    let server = start(db.url(), Some("https://data.example.go.id/")).await;
    let answer = server.login("alice", PASSWORD).await;
    let cookie = answer.expect(StatusCode::OK, "").header(header::SET_COOKIE);
    assert!(cookie.split("; ").any(|a| a == "Secure"), "{cookie}");
}
