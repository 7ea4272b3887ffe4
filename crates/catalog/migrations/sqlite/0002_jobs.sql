-- The job queue: work that takes time (validating, publishing), claimed by workers with a lease.
-- Same in meaning as migrations/postgres/0002_jobs.sql. Times are RFC 3339 text (UTC,
-- milliseconds, `Z`), which compares as text; JSON is text.

CREATE TABLE jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    dedupe_key TEXT UNIQUE,
    state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL CHECK (max_attempts >= 1),
    backoff_ms INTEGER NOT NULL CHECK (backoff_ms >= 0),
    run_after TEXT NOT NULL,
    lease_owner TEXT,
    lease_until TEXT,
    progress TEXT,
    result TEXT,
    error TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    finished_at TEXT
);

-- What a claim looks for: queued jobs that are due, running jobs whose lease ran out.
CREATE INDEX jobs_claimable ON jobs (state, run_after);
CREATE INDEX jobs_leases ON jobs (state, lease_until);
