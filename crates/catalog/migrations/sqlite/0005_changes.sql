-- A change counter for the read cache (crates/catalog/src/cache.rs): every write to what a
-- dataset's public reads show (datasets, their releases and withdrawals, their switches, the
-- organizations) moves `seq`, so a server holding those reads in memory knows, with one cheap
-- query, whether any process has changed them. The same as migrations/postgres/0005 in meaning.

CREATE TABLE catalog_changes (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL
);
INSERT INTO catalog_changes (id, seq) VALUES (1, 0);

CREATE TRIGGER datasets_changed_insert AFTER INSERT ON datasets
BEGIN UPDATE catalog_changes SET seq = seq + 1 WHERE id = 1; END;
CREATE TRIGGER datasets_changed_update AFTER UPDATE ON datasets
BEGIN UPDATE catalog_changes SET seq = seq + 1 WHERE id = 1; END;
CREATE TRIGGER datasets_changed_delete AFTER DELETE ON datasets
BEGIN UPDATE catalog_changes SET seq = seq + 1 WHERE id = 1; END;
CREATE TRIGGER releases_changed_insert AFTER INSERT ON releases
BEGIN UPDATE catalog_changes SET seq = seq + 1 WHERE id = 1; END;
CREATE TRIGGER releases_changed_update AFTER UPDATE ON releases
BEGIN UPDATE catalog_changes SET seq = seq + 1 WHERE id = 1; END;
CREATE TRIGGER releases_changed_delete AFTER DELETE ON releases
BEGIN UPDATE catalog_changes SET seq = seq + 1 WHERE id = 1; END;
CREATE TRIGGER withdrawals_changed_insert AFTER INSERT ON withdrawals
BEGIN UPDATE catalog_changes SET seq = seq + 1 WHERE id = 1; END;
CREATE TRIGGER switches_changed_insert AFTER INSERT ON dataset_switches
BEGIN UPDATE catalog_changes SET seq = seq + 1 WHERE id = 1; END;
CREATE TRIGGER switches_changed_update AFTER UPDATE ON dataset_switches
BEGIN UPDATE catalog_changes SET seq = seq + 1 WHERE id = 1; END;
CREATE TRIGGER switches_changed_delete AFTER DELETE ON dataset_switches
BEGIN UPDATE catalog_changes SET seq = seq + 1 WHERE id = 1; END;
CREATE TRIGGER organizations_changed_insert AFTER INSERT ON organizations
BEGIN UPDATE catalog_changes SET seq = seq + 1 WHERE id = 1; END;
CREATE TRIGGER organizations_changed_update AFTER UPDATE ON organizations
BEGIN UPDATE catalog_changes SET seq = seq + 1 WHERE id = 1; END;
CREATE TRIGGER organizations_changed_delete AFTER DELETE ON organizations
BEGIN UPDATE catalog_changes SET seq = seq + 1 WHERE id = 1; END;
