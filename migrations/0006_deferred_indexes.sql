-- Indexes set aside while demo data is bulk-loaded, with the statements that make them again.
-- Written in the transaction that drops them and emptied as each is rebuilt, so a load that
-- was killed half-way gets its indexes back the next time Huike starts (Db::migrate).
CREATE TABLE deferred_indexes (
    name TEXT PRIMARY KEY,
    definition TEXT NOT NULL
);
