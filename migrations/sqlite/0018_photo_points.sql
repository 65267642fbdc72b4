-- Loyalty points for sharing a photo: the custom action that rewards a shopper's approved
-- submission, with the points the photo form promises. Loyalty jobs now come from a
-- consent (the sign-up reward) or from a submission (the photo reward): exactly one.
ALTER TABLE merchants ADD COLUMN loyalty_photo_action TEXT;
ALTER TABLE merchants ADD COLUMN loyalty_photo_points INTEGER;

-- SQLite cannot make a column nullable in place: the table is rebuilt (nothing refers to it).
CREATE TABLE loyalty_jobs_new (
    id              TEXT PRIMARY KEY,
    merchant_id     TEXT NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    consent_id      TEXT UNIQUE REFERENCES consents (id) ON DELETE CASCADE,
    submission_id   TEXT UNIQUE REFERENCES media_submissions (id) ON DELETE CASCADE,
    action_name     TEXT NOT NULL,
    customer_key    TEXT NOT NULL,
    state           TEXT NOT NULL,
    outcome         TEXT,
    run_at_ms       INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    fence           INTEGER NOT NULL DEFAULT 0,
    locked_by       TEXT,
    locked_until_ms INTEGER,
    last_error      TEXT,
    created_at_ms   INTEGER NOT NULL,
    updated_at_ms   INTEGER NOT NULL,
    done_at_ms      INTEGER,
    CONSTRAINT loyalty_jobs_once_per_customer UNIQUE (merchant_id, action_name, customer_key),
    CONSTRAINT loyalty_jobs_one_source CHECK ((consent_id IS NULL) <> (submission_id IS NULL))
);
INSERT INTO loyalty_jobs_new (id, merchant_id, consent_id, submission_id, action_name,
                              customer_key, state, outcome, run_at_ms, attempts, fence,
                              locked_by, locked_until_ms, last_error, created_at_ms,
                              updated_at_ms, done_at_ms)
SELECT id, merchant_id, consent_id, NULL, action_name, customer_key, state, outcome,
       run_at_ms, attempts, fence, locked_by, locked_until_ms, last_error, created_at_ms,
       updated_at_ms, done_at_ms
FROM loyalty_jobs;
DROP TABLE loyalty_jobs;
ALTER TABLE loyalty_jobs_new RENAME TO loyalty_jobs;
CREATE INDEX loyalty_jobs_due ON loyalty_jobs (state, run_at_ms);
CREATE INDEX loyalty_jobs_by_merchant ON loyalty_jobs (merchant_id, state);
