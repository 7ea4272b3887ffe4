-- Accounts, API tokens and sessions (crates/catalog/src/accounts.rs). The same tables as
-- migrations/postgres/0003 in meaning: TEXT timestamps in RFC 3339 (UTC, milliseconds), flags as
-- integers 0/1. Secrets are never stored: a token's row holds the SHA-256 of its secret, an
-- account's the argon2id PHC string of its password.

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    organization TEXT REFERENCES organizations (slug),
    role TEXT NOT NULL CHECK (role IN ('produsen', 'walidata', 'admin')),
    password_hash TEXT NOT NULL,
    locked INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (role <> 'produsen' OR organization IS NOT NULL)
);

CREATE TABLE tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL CHECK (kind IN ('api', 'session')),
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    sha256 TEXT NOT NULL UNIQUE,
    csrf TEXT,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT,
    CHECK (kind = 'api' OR csrf IS NOT NULL)
);

CREATE INDEX tokens_by_user ON tokens (user_id, kind);
