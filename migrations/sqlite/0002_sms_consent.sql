-- SMS consent: each merchant's SMS list settings, the consents shoppers give on tracking
-- pages, and the durable jobs that deliver each consent to the provider in two steps.
-- Times are Unix milliseconds (UTC).

ALTER TABLE merchants ADD COLUMN sms_account_id TEXT;   -- Yotpo store ID
ALTER TABLE merchants ADD COLUMN sms_secret_enc TEXT;   -- API secret, encrypted (ssr::secrets)
ALTER TABLE merchants ADD COLUMN sms_list_id INTEGER;
ALTER TABLE merchants ADD COLUMN terms_url TEXT;
ALTER TABLE merchants ADD COLUMN privacy_url TEXT;
ALTER TABLE merchants ADD COLUMN consent_heading TEXT;
ALTER TABLE merchants ADD COLUMN consent_extra TEXT;

CREATE TABLE consents (
    id                   TEXT PRIMARY KEY,
    merchant_id          TEXT NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    shipment_id          TEXT REFERENCES shipments (id) ON DELETE SET NULL,
    customer_external_id TEXT NOT NULL,
    phone_e164           TEXT NOT NULL,
    first_name           TEXT,
    last_name            TEXT,
    email                TEXT,
    list_id              INTEGER NOT NULL,
    source               TEXT NOT NULL,
    -- The disclosure exactly as the shopper saw it, and its SHA-256 (hex).
    disclosure           TEXT NOT NULL,
    disclosure_sha256    TEXT NOT NULL,
    ip                   TEXT,
    user_agent           TEXT,
    page_url             TEXT,
    idempotency_key      TEXT NOT NULL,
    -- waiting | customer_sent | subscribed | failed
    state                TEXT NOT NULL,
    failure_reason       TEXT,
    consented_at_ms      INTEGER NOT NULL,
    customer_sent_at_ms  INTEGER,
    subscribed_at_ms     INTEGER,
    updated_at_ms        INTEGER NOT NULL,
    UNIQUE (merchant_id, idempotency_key),
    -- One opt-in per phone and list, however often the form is sent.
    UNIQUE (merchant_id, phone_e164, list_id)
);
CREATE INDEX consents_by_customer ON consents (merchant_id, customer_external_id);
CREATE INDEX consents_by_time ON consents (merchant_id, consented_at_ms);

-- Two per consent: step 1 upsert_customer (queued at once), step 2 subscribe (blocked until
-- step 1 succeeds, then queued to run the opt-in delay later).
CREATE TABLE jobs (
    id              TEXT PRIMARY KEY,
    consent_id      TEXT NOT NULL REFERENCES consents (id) ON DELETE CASCADE,
    step            TEXT NOT NULL,
    -- blocked | queued | done | failed
    state           TEXT NOT NULL,
    run_at_ms       INTEGER,
    attempts        INTEGER NOT NULL DEFAULT 0,
    locked_by       TEXT,
    locked_until_ms INTEGER,
    last_error      TEXT,
    created_at_ms   INTEGER NOT NULL,
    updated_at_ms   INTEGER NOT NULL,
    done_at_ms      INTEGER,
    UNIQUE (consent_id, step)
);
CREATE INDEX jobs_due ON jobs (state, run_at_ms);
