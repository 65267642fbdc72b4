-- Tracking page views per merchant and UTC day, and how many offered the SMS checkbox:
-- the denominator of the merchant's sign-up rate.
CREATE TABLE page_counts (
    merchant_id TEXT NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    day         TEXT NOT NULL,
    views       INTEGER NOT NULL DEFAULT 0,
    offered     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (merchant_id, day)
);
