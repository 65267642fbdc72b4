-- Photos and short videos shoppers share of a delivered order. A store takes them when it
-- turns them on; the merchant approves or rejects each submission, and only approved files
-- are served publicly (by their unguessable keys) and imported into Yotpo Reviews.
ALTER TABLE merchants ADD COLUMN photos_enabled INTEGER NOT NULL DEFAULT 0;
-- The order's products as the store names them (a JSON array of strings): the Yotpo
-- product IDs (domain keys) an approved photo is imported for.
ALTER TABLE orders ADD COLUMN product_ids TEXT;

CREATE TABLE media_submissions (
    id             TEXT PRIMARY KEY,
    merchant_id    TEXT NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    shipment_id    TEXT NOT NULL REFERENCES shipments (id) ON DELETE CASCADE,
    caption        TEXT,
    -- pending | approved | rejected
    state          TEXT NOT NULL,
    -- The language of the page it was sent from.
    language       TEXT NOT NULL,
    created_at_ms  BIGINT NOT NULL,
    decided_at_ms  BIGINT
);
CREATE INDEX media_submissions_by_merchant ON media_submissions (merchant_id, state, created_at_ms);
CREATE INDEX media_submissions_by_shipment ON media_submissions (shipment_id);

CREATE TABLE media_files (
    id            TEXT PRIMARY KEY,
    submission_id TEXT NOT NULL REFERENCES media_submissions (id) ON DELETE CASCADE,
    -- 32 random bytes, base64url: the stored objects' name and the public URL's.
    key           TEXT NOT NULL UNIQUE,
    -- image | video
    kind          TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    bytes         BIGINT NOT NULL,
    width         BIGINT NOT NULL,
    height        BIGINT NOT NULL,
    duration_ms   BIGINT,
    position      BIGINT NOT NULL,
    created_at_ms BIGINT NOT NULL
);
CREATE INDEX media_files_by_submission ON media_files (submission_id, position);

-- An approved submission's import into Yotpo Reviews: one per submission, with the lease,
-- fence and dead-letter discipline of event_jobs.
CREATE TABLE review_import_jobs (
    id              TEXT PRIMARY KEY,
    merchant_id     TEXT NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    submission_id   TEXT NOT NULL UNIQUE REFERENCES media_submissions (id) ON DELETE CASCADE,
    -- queued | done | failed
    state           TEXT NOT NULL,
    -- When done: how many files were imported.
    outcome         TEXT,
    run_at_ms       BIGINT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    fence           BIGINT NOT NULL DEFAULT 0,
    locked_by       TEXT,
    locked_until_ms BIGINT,
    last_error      TEXT,
    created_at_ms   BIGINT NOT NULL,
    updated_at_ms   BIGINT NOT NULL,
    done_at_ms      BIGINT
);
CREATE INDEX review_import_jobs_due ON review_import_jobs (state, run_at_ms);
