-- The shopper's language. A store has a default language and the languages it offers (none
-- listed: every language Tracklight speaks); its consent heading and extra text
-- (`merchants.consent_heading`, `consent_extra`) are in its default language, and
-- `consent_texts` holds them in its other languages. A consent and each proof of it record the
-- language the shopper read the disclosure in.
ALTER TABLE merchants ADD COLUMN default_language TEXT NOT NULL DEFAULT 'en';
ALTER TABLE merchants ADD COLUMN languages TEXT;

CREATE TABLE consent_texts (
    merchant_id TEXT NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    language    TEXT NOT NULL,
    heading     TEXT,
    extra       TEXT,
    PRIMARY KEY (merchant_id, language)
);

ALTER TABLE consents ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
ALTER TABLE consent_proofs ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
