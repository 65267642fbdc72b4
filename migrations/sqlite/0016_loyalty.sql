-- Yotpo Loyalty & Referrals. A store may connect its loyalty account (GUID, and API key
-- sealed like the other secrets) and name the custom-action campaign that rewards an SMS
-- sign-up on the tracking page, with the points the consent block promises (the merchant's
-- number, which must match the campaign in Yotpo).
ALTER TABLE merchants ADD COLUMN loyalty_guid TEXT;
ALTER TABLE merchants ADD COLUMN loyalty_key_enc TEXT;
ALTER TABLE merchants ADD COLUMN loyalty_signup_action TEXT;
ALTER TABLE merchants ADD COLUMN loyalty_signup_points INTEGER;

-- A sign-up's loyalty action, queued when its opt-in is delivered: one per consent, and one
-- per store, action and customer (a shopper's later sign-ups queue none). The
-- same lease, fence and dead-letter discipline as event_jobs; before every send the worker
-- reads the customer's loyalty history, so points are never awarded twice.
CREATE TABLE loyalty_jobs (
    id              TEXT PRIMARY KEY,
    merchant_id     TEXT NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    consent_id      TEXT NOT NULL UNIQUE REFERENCES consents (id) ON DELETE CASCADE,
    action_name     TEXT NOT NULL,
    -- SHA-256 (hex) of the email, trimmed and lower-cased: whom the action is for.
    customer_key    TEXT NOT NULL,
    -- queued | done | failed
    state           TEXT NOT NULL,
    -- When done: 'recorded' (sent now) or 'already' (the history had it).
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
    -- Points once per action per customer, however many times they sign up.
    CONSTRAINT loyalty_jobs_once_per_customer UNIQUE (merchant_id, action_name, customer_key)
);
CREATE INDEX loyalty_jobs_due ON loyalty_jobs (state, run_at_ms);
CREATE INDEX loyalty_jobs_by_merchant ON loyalty_jobs (merchant_id, state);
