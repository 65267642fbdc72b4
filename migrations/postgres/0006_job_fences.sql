-- Every claim of a job takes the next fence number; only the claim holding the current one
-- may record the job's outcome, so a worker whose lease ran out (and whose job another worker
-- took) changes nothing, even in the same process.
ALTER TABLE jobs ADD COLUMN fence BIGINT NOT NULL DEFAULT 0;
