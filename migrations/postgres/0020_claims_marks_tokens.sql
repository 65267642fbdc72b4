-- Claimed jobs by lease: each worker's heartbeat renews its own and looks for the claims of
-- dead workers (jobs::liveness) several times a second, without reading every queued job.
CREATE INDEX jobs_claimed ON jobs (state, locked_until_ms);
CREATE INDEX event_jobs_claimed ON event_jobs (state, locked_until_ms);
CREATE INDEX loyalty_jobs_claimed ON loyalty_jobs (state, locked_until_ms);
CREATE INDEX review_import_jobs_claimed ON review_import_jobs (state, locked_until_ms);

-- When an opt-in last left for the provider with its outcome unknown since (write_mark): set
-- right before the write is sent, cleared when the provider's answer says it did nothing.
-- While set, the opt-in is sent again only after reading the shopper's state back, once the
-- provider shows its writes to reads.
ALTER TABLE jobs ADD COLUMN sent_at_ms BIGINT;

-- Provider access tokens shared by every instance (yotpo::tokens), sealed with the
-- merchant-secret key for their connection; the fingerprint (SHA-256) tells whether the
-- one kept is the one a caller found refused.
CREATE TABLE provider_tokens (
    connection TEXT PRIMARY KEY,
    token_sealed TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL
);

-- Opt-ins already in doubt under the earlier rule (claimed before: it read back whenever a
-- job had been claimed more than once) keep that doubt as a mark.
UPDATE jobs SET sent_at_ms = updated_at_ms
WHERE step = 'subscribe' AND state IN ('queued', 'failed') AND fence > 1;
