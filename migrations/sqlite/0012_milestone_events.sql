-- Shipment milestones sent to the merchant's list provider as events on the shopper's
-- profile. The merchant picks which milestones are sent (comma-separated names; none until
-- they choose). Each event is a durable job with the same discipline as a consent's steps
-- (lease, fence, back-off, dead letter with its reason), queued in the same transaction as
-- the shipment change that passed the milestone. An event keeps the provider and account
-- it was queued for; `unique_id` is what the provider deduplicates on, and is unique per
-- destination here too, so a replayed ingest never queues an event twice.
ALTER TABLE merchants ADD COLUMN milestone_events TEXT NOT NULL DEFAULT '';

CREATE TABLE event_jobs (
    id              TEXT PRIMARY KEY,
    merchant_id     TEXT NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    shipment_id     TEXT NOT NULL REFERENCES shipments (id) ON DELETE CASCADE,
    milestone       TEXT NOT NULL,
    -- The shipment's status when it happened (for 'delayed': the status it had then).
    status          TEXT NOT NULL,
    -- When it happened: the checkpoint's time, else when Tracklight learnt of it.
    occurred_at_ms  INTEGER NOT NULL,
    unique_id       TEXT NOT NULL,
    provider        TEXT NOT NULL,
    account_id      TEXT NOT NULL,
    -- queued | done | failed
    state           TEXT NOT NULL,
    run_at_ms       INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    fence           INTEGER NOT NULL DEFAULT 0,
    locked_by       TEXT,
    locked_until_ms INTEGER,
    last_error      TEXT,
    created_at_ms   INTEGER NOT NULL,
    updated_at_ms   INTEGER NOT NULL,
    done_at_ms      INTEGER,
    CONSTRAINT event_jobs_one_per_destination UNIQUE (merchant_id, provider, account_id, unique_id)
);
CREATE INDEX event_jobs_due ON event_jobs (state, run_at_ms);
CREATE INDEX event_jobs_by_merchant ON event_jobs (merchant_id, state);
