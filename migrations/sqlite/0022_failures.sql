-- Failed runs of each job, apart from its claims (attempts): a claim a killed worker spent is
-- no failure, so it no longer lengthens the job's back-off. Jobs that failed before keep
-- their count.
ALTER TABLE jobs ADD COLUMN failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE event_jobs ADD COLUMN failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE loyalty_jobs ADD COLUMN failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE review_import_jobs ADD COLUMN failures INTEGER NOT NULL DEFAULT 0;
UPDATE jobs SET failures = attempts WHERE last_error IS NOT NULL;
UPDATE event_jobs SET failures = attempts WHERE last_error IS NOT NULL;
UPDATE loyalty_jobs SET failures = attempts WHERE last_error IS NOT NULL;
UPDATE review_import_jobs SET failures = attempts WHERE last_error IS NOT NULL;
