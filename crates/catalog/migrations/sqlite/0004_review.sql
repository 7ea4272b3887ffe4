-- Review: the submission lifecycle's words (satudata_core::lifecycle), what the walidata daerah
-- decided, the PD's consent, comments, withdrawn releases, and the per-dataset switches for
-- recurring feeds (automatic approval, standing consent). The same as migrations/postgres/0004
-- in meaning.

UPDATE submissions SET status = CASE status
    WHEN 'diterima' THEN 'received'
    WHEN 'ditolak' THEN 'invalid'
    WHEN 'tidak-berubah' THEN 'published'
    WHEN 'diterbitkan' THEN 'published'
    ELSE status END;

ALTER TABLE submissions ADD COLUMN source_size INTEGER;
ALTER TABLE submissions ADD COLUMN duplicate_of INTEGER REFERENCES submissions (id);
ALTER TABLE submissions ADD COLUMN status_kerahasiaan TEXT;
ALTER TABLE submissions ADD COLUMN reviewed_by TEXT;
ALTER TABLE submissions ADD COLUMN reviewed_at TEXT;
ALTER TABLE submissions ADD COLUMN consent_by TEXT;
ALTER TABLE submissions ADD COLUMN consent_at TEXT;
ALTER TABLE submissions ADD COLUMN release_version INTEGER;
ALTER TABLE submissions ADD COLUMN updated_at TEXT;

UPDATE submissions SET release_version = (
    SELECT r.version FROM releases r WHERE r.submission_id = submissions.id
) WHERE status = 'published';

CREATE INDEX submissions_by_state ON submissions (status, submitted_at);
CREATE INDEX submissions_by_dataset ON submissions (dataset, submitted_at);
CREATE INDEX submissions_by_source ON submissions (dataset, source_sha256);

CREATE TABLE comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    submission_id INTEGER NOT NULL REFERENCES submissions (id),
    author TEXT NOT NULL,
    role TEXT,
    organization TEXT,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX comments_by_submission ON comments (submission_id, id);

CREATE TABLE withdrawals (
    dataset TEXT NOT NULL,
    version INTEGER NOT NULL,
    reason TEXT NOT NULL,
    withdrawn_by TEXT NOT NULL,
    withdrawn_at TEXT NOT NULL,
    PRIMARY KEY (dataset, version),
    FOREIGN KEY (dataset, version) REFERENCES releases (dataset, version)
);

CREATE TABLE dataset_switches (
    dataset TEXT PRIMARY KEY REFERENCES datasets (name),
    auto_approve_status TEXT,
    auto_approve_by TEXT,
    auto_approve_at TEXT,
    consent_by TEXT,
    consent_at TEXT
);

-- A withdrawal and a comment are history: neither is changed nor removed.
CREATE TRIGGER withdrawals_no_update BEFORE UPDATE ON withdrawals
BEGIN
    SELECT RAISE(ABORT, 'withdrawals are append-only');
END;
CREATE TRIGGER withdrawals_no_delete BEFORE DELETE ON withdrawals
BEGIN
    SELECT RAISE(ABORT, 'withdrawals are append-only');
END;
CREATE TRIGGER comments_no_update BEFORE UPDATE ON comments
BEGIN
    SELECT RAISE(ABORT, 'comments are append-only');
END;
CREATE TRIGGER comments_no_delete BEFORE DELETE ON comments
BEGIN
    SELECT RAISE(ABORT, 'comments are append-only');
END;
