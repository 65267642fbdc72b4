-- Guards against SMS pumping, set per merchant: how many sign-ups an hour go out before the
-- rest are held for the merchant to release (NULL: the default), and the countries whose
-- numbers may sign up (ISO codes, comma-separated; NULL: the countries the store ships to).
ALTER TABLE merchants ADD COLUMN sms_hourly_cap BIGINT;
ALTER TABLE merchants ADD COLUMN sms_countries TEXT;
