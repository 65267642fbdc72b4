-- How many of a submission's files its import has sent (images first, then videos): a retry
-- sends only what is left.
ALTER TABLE review_import_jobs ADD COLUMN items_sent BIGINT NOT NULL DEFAULT 0;
