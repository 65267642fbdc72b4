-- Loyalty points for sharing a photo: the custom action that rewards a shopper's approved
-- submission, with the points the photo form promises. Loyalty jobs now come from a
-- consent (the sign-up reward) or from a submission (the photo reward): exactly one.
ALTER TABLE merchants ADD COLUMN loyalty_photo_action TEXT;
ALTER TABLE merchants ADD COLUMN loyalty_photo_points BIGINT;

ALTER TABLE loyalty_jobs ALTER COLUMN consent_id DROP NOT NULL;
ALTER TABLE loyalty_jobs ADD COLUMN submission_id TEXT UNIQUE
    REFERENCES media_submissions (id) ON DELETE CASCADE;
ALTER TABLE loyalty_jobs ADD CONSTRAINT loyalty_jobs_one_source
    CHECK ((consent_id IS NULL) <> (submission_id IS NULL));
