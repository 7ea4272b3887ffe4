-- The portal's catalog (issue 13): a stable id and the creation and change times of every
-- dataset (CKAN's `id`, `metadata_created`, `metadata_modified`), an id per release file
-- (CKAN's resources), download counts, and the search index: the dataset's words, analysed in
-- Rust by satudata-search (normalised and stemmed, so that both databases match the same), in
-- an FTS5 table, and its facets (organization, topic, tags, years, formats, ...) one row each.
-- The same as migrations/postgres/0006 in meaning.

ALTER TABLE datasets ADD COLUMN id TEXT;
ALTER TABLE datasets ADD COLUMN created_at TEXT;
ALTER TABLE datasets ADD COLUMN modified_at TEXT;
ALTER TABLE datasets ADD COLUMN title_key TEXT;

UPDATE datasets SET
    -- A random UUID (version 4) per row: functions in the SET run once a row (a subquery would
    -- run once for all).
    id = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4'
        || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1)
        || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))),
    created_at = coalesce(
        (SELECT MIN(a.at) FROM audit_log a WHERE a.subject = datasets.name AND a.action = 'datasets.created'),
        updated_at),
    modified_at = max(updated_at, coalesce(
        (SELECT MAX(r.created_at) FROM releases r WHERE r.dataset = datasets.name), updated_at));
CREATE UNIQUE INDEX datasets_by_id ON datasets (id);

CREATE TABLE resources (
    id TEXT PRIMARY KEY,
    dataset TEXT NOT NULL,
    version INTEGER NOT NULL,
    file TEXT NOT NULL,
    UNIQUE (dataset, version, file),
    FOREIGN KEY (dataset, version) REFERENCES releases (dataset, version)
);

CREATE TABLE downloads (
    dataset TEXT NOT NULL,
    version INTEGER NOT NULL,
    file TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (dataset, version, file)
);

CREATE VIRTUAL TABLE dataset_text USING fts5 (name UNINDEXED, title, body, tokenize = 'unicode61');

CREATE TABLE dataset_facets (
    dataset TEXT NOT NULL REFERENCES datasets (name),
    facet TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (dataset, facet, value)
);
CREATE INDEX dataset_facets_by_value ON dataset_facets (facet, value, dataset);

-- Settings the catalog keeps about itself (the search analyser's version the index was built with).
CREATE TABLE catalog_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
