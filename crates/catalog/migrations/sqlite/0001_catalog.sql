-- The catalog of the Pusat Data: reference documents, datasets, submissions, reports, releases,
-- and the append-only, hash-chained audit log.

CREATE TABLE organizations (
    slug TEXT PRIMARY KEY,
    doc TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE code_lists (
    id TEXT PRIMARY KEY,
    doc TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE master_data (
    id TEXT PRIMARY KEY,
    doc TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE standards (
    id TEXT PRIMARY KEY,
    doc TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE datasets (
    name TEXT PRIMARY KEY,
    organization TEXT NOT NULL REFERENCES organizations (slug),
    standard TEXT NOT NULL,
    doc TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE submissions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    dataset TEXT NOT NULL REFERENCES datasets (name),
    period TEXT NOT NULL,
    source_name TEXT NOT NULL,
    source_sha256 TEXT NOT NULL,
    source_path TEXT NOT NULL,
    status TEXT NOT NULL,
    submitted_by TEXT NOT NULL,
    submitted_at TEXT NOT NULL
);

CREATE TABLE reports (
    submission_id INTEGER PRIMARY KEY REFERENCES submissions (id),
    valid INTEGER NOT NULL,
    errors INTEGER NOT NULL,
    warnings INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    path TEXT NOT NULL,
    doc TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE releases (
    dataset TEXT NOT NULL REFERENCES datasets (name),
    version INTEGER NOT NULL,
    submission_id INTEGER NOT NULL REFERENCES submissions (id),
    path TEXT NOT NULL,
    manifest_sha256 TEXT NOT NULL,
    content_digest TEXT NOT NULL,
    status_kerahasiaan TEXT NOT NULL,
    rows INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (dataset, version)
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit log is append-only');
END;

CREATE TRIGGER releases_no_update BEFORE UPDATE ON releases
BEGIN
    SELECT RAISE(ABORT, 'releases are immutable');
END;
