-- Klaviyo beside Yotpo. A merchant chooses the provider new consents go to and keeps each
-- provider's connection; a consent keeps the provider, account and list it was given under
-- until it is delivered or fails. List IDs become text (Klaviyo's are letters and digits).

ALTER TABLE merchants ADD COLUMN sms_provider TEXT NOT NULL DEFAULT 'yotpo';
ALTER TABLE merchants ADD COLUMN klaviyo_account_id TEXT;
ALTER TABLE merchants ADD COLUMN klaviyo_key_enc TEXT;      -- private API key, encrypted
ALTER TABLE merchants ADD COLUMN klaviyo_list_id TEXT;
ALTER TABLE merchants ADD COLUMN klaviyo_double_opt_in INTEGER NOT NULL DEFAULT 0;  -- 1: double opt-in

-- SQLite cannot change a column's type or a table constraint in place, and this runs in a
-- transaction with foreign keys on (so dropping "consents" would cascade to its children).
-- So the consents table is rebuilt with its children: new tables whose foreign keys name the
-- new consents table are filled, the old ones dropped children first (nothing then refers to
-- the old consents table, and dropping it cascades to nothing), and renaming the new
-- consents table to "consents" rewrites its children's foreign keys to match.
CREATE TABLE consents_0011 (
    id                   TEXT PRIMARY KEY,
    merchant_id          TEXT NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    shipment_id          TEXT REFERENCES shipments (id) ON DELETE SET NULL,
    customer_external_id TEXT NOT NULL,
    phone_e164           TEXT NOT NULL,
    first_name           TEXT,
    last_name            TEXT,
    email                TEXT,
    -- yotpo | klaviyo, and the account and list at that provider.
    provider             TEXT NOT NULL,
    account_id           TEXT NOT NULL,
    list_id              TEXT NOT NULL,
    source               TEXT NOT NULL,
    disclosure           TEXT NOT NULL,
    disclosure_sha256    TEXT NOT NULL,
    ip                   TEXT,
    user_agent           TEXT,
    page_url             TEXT,
    idempotency_key      TEXT NOT NULL,
    state                TEXT NOT NULL,
    failure_reason       TEXT,
    consented_at_ms      INTEGER NOT NULL,
    customer_sent_at_ms  INTEGER,
    subscribed_at_ms     INTEGER,
    updated_at_ms        INTEGER NOT NULL,
    UNIQUE (merchant_id, idempotency_key),
    -- One opt-in per phone and destination, however often the form is sent.
    UNIQUE (merchant_id, phone_e164, provider, account_id, list_id)
);
INSERT INTO consents_0011 (id, merchant_id, shipment_id, customer_external_id, phone_e164,
                           first_name, last_name, email, provider, account_id, list_id, source,
                           disclosure, disclosure_sha256, ip, user_agent, page_url,
                           idempotency_key, state, failure_reason, consented_at_ms,
                           customer_sent_at_ms, subscribed_at_ms, updated_at_ms)
SELECT c.id, c.merchant_id, c.shipment_id, c.customer_external_id, c.phone_e164,
       c.first_name, c.last_name, c.email, 'yotpo', COALESCE(m.sms_account_id, ''),
       CAST(c.list_id AS TEXT), c.source, c.disclosure, c.disclosure_sha256, c.ip,
       c.user_agent, c.page_url, c.idempotency_key, c.state, c.failure_reason,
       c.consented_at_ms, c.customer_sent_at_ms, c.subscribed_at_ms, c.updated_at_ms
FROM consents c JOIN merchants m ON m.id = c.merchant_id;

CREATE TABLE jobs_0011 (
    id              TEXT PRIMARY KEY,
    consent_id      TEXT NOT NULL REFERENCES consents_0011 (id) ON DELETE CASCADE,
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
    fence           INTEGER NOT NULL DEFAULT 0,
    UNIQUE (consent_id, step)
);
INSERT INTO jobs_0011 (id, consent_id, step, state, run_at_ms, attempts, locked_by,
                       locked_until_ms, last_error, created_at_ms, updated_at_ms, done_at_ms,
                       fence)
SELECT id, consent_id, step, state, run_at_ms, attempts, locked_by, locked_until_ms,
       last_error, created_at_ms, updated_at_ms, done_at_ms, fence
FROM jobs;

CREATE TABLE consent_proofs_0011 (
    id                TEXT PRIMARY KEY,
    consent_id        TEXT NOT NULL REFERENCES consents_0011 (id) ON DELETE CASCADE,
    phone_e164        TEXT NOT NULL,
    list_id           TEXT NOT NULL,
    disclosure        TEXT NOT NULL,
    disclosure_sha256 TEXT NOT NULL,
    ip                TEXT,
    user_agent        TEXT,
    page_url          TEXT,
    idempotency_key   TEXT NOT NULL,
    consented_at_ms   INTEGER NOT NULL
);
INSERT INTO consent_proofs_0011 (id, consent_id, phone_e164, list_id, disclosure,
                                 disclosure_sha256, ip, user_agent, page_url,
                                 idempotency_key, consented_at_ms)
SELECT id, consent_id, phone_e164, CAST(list_id AS TEXT), disclosure, disclosure_sha256, ip,
       user_agent, page_url, idempotency_key, consented_at_ms
FROM consent_proofs;

CREATE TABLE consent_events_0011 (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    consent_id TEXT NOT NULL REFERENCES consents_0011 (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    detail     TEXT,
    at_ms      INTEGER NOT NULL
);
INSERT INTO consent_events_0011 (seq, consent_id, kind, detail, at_ms)
SELECT seq, consent_id, kind, detail, at_ms FROM consent_events;

DROP TABLE jobs;
DROP TABLE consent_proofs;
DROP TABLE consent_events;
DROP TABLE consents;
ALTER TABLE consents_0011 RENAME TO consents;
ALTER TABLE jobs_0011 RENAME TO jobs;
ALTER TABLE consent_proofs_0011 RENAME TO consent_proofs;
ALTER TABLE consent_events_0011 RENAME TO consent_events;

CREATE INDEX consents_by_customer ON consents (merchant_id, customer_external_id);
CREATE INDEX consents_by_time ON consents (merchant_id, consented_at_ms);
CREATE INDEX jobs_due ON jobs (state, run_at_ms);
CREATE INDEX consent_proofs_by_consent ON consent_proofs (consent_id, consented_at_ms);
CREATE INDEX consent_events_by_consent ON consent_events (consent_id, at_ms);
