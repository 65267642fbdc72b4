-- Stored files that are to go: a new upload's until its submission is recorded, a
-- rejected or erased submission's until they are deleted. Written in the transaction that
-- decides it; removed once the files are gone. Housekeeping deletes what a crash left
-- behind (rows older than an hour).
CREATE TABLE media_deletions (
    key           TEXT PRIMARY KEY,
    created_at_ms INTEGER NOT NULL
);
CREATE INDEX media_deletions_by_age ON media_deletions (created_at_ms);
