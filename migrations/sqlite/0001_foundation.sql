-- Merchants, their API keys, and the shipment data the feeding platform sends.
-- Times are Unix milliseconds (UTC); IDs are random UUID strings.

CREATE TABLE merchants (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    accent_color  TEXT,
    is_demo       INTEGER NOT NULL DEFAULT 0,
    created_at_ms INTEGER NOT NULL
);

CREATE TABLE api_keys (
    id            TEXT PRIMARY KEY,
    merchant_id   TEXT NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    key_hash      TEXT NOT NULL UNIQUE,
    prefix        TEXT NOT NULL,
    label         TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    revoked_at_ms INTEGER
);
CREATE INDEX api_keys_by_merchant ON api_keys (merchant_id);

CREATE TABLE orders (
    id                   TEXT PRIMARY KEY,
    merchant_id          TEXT NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    external_id          TEXT NOT NULL,
    customer_external_id TEXT NOT NULL,
    first_name           TEXT,
    last_name            TEXT,
    email                TEXT,
    phone_e164           TEXT,
    shipping_country     TEXT NOT NULL,
    shipping_city        TEXT,
    created_at_ms        INTEGER NOT NULL,
    updated_at_ms        INTEGER NOT NULL,
    UNIQUE (merchant_id, external_id)
);

CREATE TABLE shipments (
    id                 TEXT PRIMARY KEY,
    merchant_id        TEXT NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    order_id           TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    external_id        TEXT NOT NULL,
    token              TEXT NOT NULL UNIQUE,
    carrier            TEXT NOT NULL,
    tracking_number    TEXT NOT NULL,
    estimated_delivery TEXT,
    declared_status    TEXT NOT NULL,
    created_at_ms      INTEGER NOT NULL,
    updated_at_ms      INTEGER NOT NULL,
    UNIQUE (merchant_id, external_id)
);
CREATE INDEX shipments_by_order ON shipments (order_id);

CREATE TABLE checkpoints (
    id             TEXT PRIMARY KEY,
    shipment_id    TEXT NOT NULL REFERENCES shipments (id) ON DELETE CASCADE,
    occurred_at_ms INTEGER NOT NULL,
    utc_offset_min INTEGER NOT NULL,
    location       TEXT,
    message        TEXT NOT NULL,
    status         TEXT NOT NULL,
    dedupe_key     TEXT NOT NULL,
    created_at_ms  INTEGER NOT NULL,
    UNIQUE (shipment_id, dedupe_key)
);
CREATE INDEX checkpoints_by_time ON checkpoints (shipment_id, occurred_at_ms DESC);
