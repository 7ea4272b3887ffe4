-- A change counter for the read cache (crates/catalog/src/cache.rs): every write to what a
-- dataset's public reads show (datasets, their releases and withdrawals, their switches, the
-- organizations) moves `seq`, so a server holding those reads in memory knows, with one cheap
-- query, whether any process has changed them. The same as migrations/sqlite/0005 in meaning.
-- One statement-level trigger a table: a statement that changes many rows moves it once.

CREATE TABLE catalog_changes (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL
);
INSERT INTO catalog_changes (id, seq) VALUES (1, 0);

CREATE FUNCTION catalog_changed() RETURNS trigger AS $$
BEGIN
    UPDATE catalog_changes SET seq = seq + 1 WHERE id = 1;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER datasets_changed AFTER INSERT OR UPDATE OR DELETE ON datasets
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
CREATE TRIGGER releases_changed AFTER INSERT OR UPDATE OR DELETE ON releases
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
CREATE TRIGGER withdrawals_changed AFTER INSERT ON withdrawals
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
CREATE TRIGGER switches_changed AFTER INSERT OR UPDATE OR DELETE ON dataset_switches
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
CREATE TRIGGER organizations_changed AFTER INSERT OR UPDATE OR DELETE ON organizations
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
