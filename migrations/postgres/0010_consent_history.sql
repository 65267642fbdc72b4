-- The consent history, append-only. Every submission's proof of consent (a shopper who
-- consents again after texting STOP adds a proof; none is ever edited), and every change of
-- a consent's state with its reason. The consents table keeps each consent's current state.
CREATE TABLE consent_proofs (
    id                TEXT PRIMARY KEY,
    consent_id        TEXT NOT NULL REFERENCES consents (id) ON DELETE CASCADE,
    phone_e164        TEXT NOT NULL,
    list_id           BIGINT NOT NULL,
    disclosure        TEXT NOT NULL,
    disclosure_sha256 TEXT NOT NULL,
    ip                TEXT,
    user_agent        TEXT,
    page_url          TEXT,
    idempotency_key   TEXT NOT NULL,
    consented_at_ms   BIGINT NOT NULL
);
CREATE INDEX consent_proofs_by_consent ON consent_proofs (consent_id, consented_at_ms);

-- submitted | held | customer_sent | opted_in | failed | requeued
CREATE TABLE consent_events (
    -- The order events happened in (several may share a millisecond).
    seq        BIGSERIAL PRIMARY KEY,
    consent_id TEXT NOT NULL REFERENCES consents (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    detail     TEXT,
    at_ms      BIGINT NOT NULL
);
CREATE INDEX consent_events_by_consent ON consent_events (consent_id, at_ms);

INSERT INTO consent_proofs (id, consent_id, phone_e164, list_id, disclosure, disclosure_sha256,
                            ip, user_agent, page_url, idempotency_key, consented_at_ms)
SELECT id, id, phone_e164, list_id, disclosure, disclosure_sha256, ip, user_agent, page_url,
       idempotency_key, consented_at_ms
FROM consents;
INSERT INTO consent_events (consent_id, kind, detail, at_ms)
SELECT id, 'submitted', NULL, consented_at_ms FROM consents ORDER BY consented_at_ms;

-- What was erased for a data subject: a hash of the phone or customer ID, never the value.
CREATE TABLE erasures (
    id             TEXT PRIMARY KEY,
    merchant_id    TEXT NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    -- phone | customer
    subject_kind   TEXT NOT NULL,
    subject_sha256 TEXT NOT NULL,
    consents       BIGINT NOT NULL,
    orders         BIGINT NOT NULL,
    erased_at_ms   BIGINT NOT NULL
);
CREATE INDEX erasures_by_merchant ON erasures (merchant_id, erased_at_ms);
