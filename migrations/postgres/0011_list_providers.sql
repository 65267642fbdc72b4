-- Klaviyo beside Yotpo. A merchant chooses the provider new consents go to and keeps each
-- provider's connection; a consent keeps the provider, account and list it was given under
-- until it is delivered or fails. List IDs become text (Klaviyo's are letters and digits).

ALTER TABLE merchants ADD COLUMN sms_provider TEXT NOT NULL DEFAULT 'yotpo';
ALTER TABLE merchants ADD COLUMN klaviyo_account_id TEXT;
ALTER TABLE merchants ADD COLUMN klaviyo_key_enc TEXT;      -- private API key, encrypted
ALTER TABLE merchants ADD COLUMN klaviyo_list_id TEXT;
ALTER TABLE merchants ADD COLUMN klaviyo_double_opt_in INTEGER NOT NULL DEFAULT 0;  -- 1: double opt-in

-- yotpo | klaviyo, and the account and list at that provider.
ALTER TABLE consents ADD COLUMN provider TEXT NOT NULL DEFAULT 'yotpo';
ALTER TABLE consents ADD COLUMN account_id TEXT NOT NULL DEFAULT '';
UPDATE consents c SET account_id = COALESCE(m.sms_account_id, '')
FROM merchants m WHERE m.id = c.merchant_id;
ALTER TABLE consents ALTER COLUMN provider DROP DEFAULT;
ALTER TABLE consents ALTER COLUMN account_id DROP DEFAULT;
ALTER TABLE consents ALTER COLUMN list_id TYPE TEXT USING list_id::text;
-- One opt-in per phone and destination, however often the form is sent.
ALTER TABLE consents DROP CONSTRAINT consents_merchant_id_phone_e164_list_id_key;
ALTER TABLE consents ADD CONSTRAINT consents_one_per_destination
    UNIQUE (merchant_id, phone_e164, provider, account_id, list_id);

ALTER TABLE consent_proofs ALTER COLUMN list_id TYPE TEXT USING list_id::text;
