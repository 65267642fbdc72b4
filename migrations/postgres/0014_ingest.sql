-- The carrier's own tracking page for a parcel (Shopify sends it; so may the REST API).
ALTER TABLE shipments ADD COLUMN carrier_url TEXT;

-- Shipments that arrive by themselves: webhooks from Shopify and from carrier-tracking
-- services. A merchant connects a source with the secret it signs with (sealed like the
-- provider secrets); its webhook address carries the hook's random ID.
CREATE TABLE ingest_hooks (
    id            TEXT PRIMARY KEY,
    merchant_id   TEXT NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    -- shopify | easypost | aftership
    source        TEXT NOT NULL,
    secret_sealed TEXT NOT NULL,
    -- Shopify: the key the shipping notification's Liquid signs its tracking links with
    -- (`hmac_sha256`), sealed.
    link_key_sealed TEXT,
    created_at_ms BIGINT NOT NULL,
    updated_at_ms BIGINT NOT NULL,
    CONSTRAINT ingest_hooks_one_per_source UNIQUE (merchant_id, source)
);

-- Every delivery whose signature checked out, stored before it is answered and processed
-- from here (durable: lease, fence, back-off, a reason when it fails). `delivery_key` is
-- the source's own ID of the delivery: a repeated delivery is stored once. The body (it
-- holds shoppers' details) is emptied once the delivery is processed.
CREATE TABLE ingest_deliveries (
    id              TEXT PRIMARY KEY,
    merchant_id     TEXT NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    source          TEXT NOT NULL,
    topic           TEXT NOT NULL,
    delivery_key    TEXT NOT NULL,
    body            TEXT NOT NULL,
    -- queued | done | failed
    state           TEXT NOT NULL,
    -- What processing did, or why it failed.
    outcome         TEXT,
    attempts        BIGINT NOT NULL DEFAULT 0,
    fence           BIGINT NOT NULL DEFAULT 0,
    run_at_ms       BIGINT NOT NULL,
    locked_by       TEXT,
    locked_until_ms BIGINT,
    received_at_ms  BIGINT NOT NULL,
    updated_at_ms   BIGINT NOT NULL,
    CONSTRAINT ingest_deliveries_once UNIQUE (merchant_id, source, delivery_key)
);
CREATE INDEX ingest_deliveries_due ON ingest_deliveries (state, run_at_ms);
CREATE INDEX ingest_deliveries_by_merchant ON ingest_deliveries (merchant_id, received_at_ms);
