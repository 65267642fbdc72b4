-- Merchant accounts: people who sign in to a merchant's settings, and their sessions.
-- Times are Unix milliseconds (UTC).

CREATE TABLE merchant_users (
    id            TEXT PRIMARY KEY,
    merchant_id   TEXT NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    -- Lower-cased.
    email         TEXT NOT NULL UNIQUE,
    -- Argon2id, PHC string format.
    password_hash TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL
);
CREATE INDEX merchant_users_by_merchant ON merchant_users (merchant_id);

-- The cookie holds a random token; only its SHA-256 is stored.
CREATE TABLE sessions (
    token_hash    TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES merchant_users (id) ON DELETE CASCADE,
    merchant_id   TEXT NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    -- Sent back with every state-changing request (forms carry it in a hidden field).
    csrf_token    TEXT NOT NULL,
    created_at_ms BIGINT NOT NULL,
    expires_at_ms BIGINT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- Sites allowed to embed the widget (one origin per line), and the merchant's logo.
ALTER TABLE merchants ADD COLUMN allowed_origins TEXT;
ALTER TABLE merchants ADD COLUMN logo_url TEXT;
