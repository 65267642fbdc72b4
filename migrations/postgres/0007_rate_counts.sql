-- Rate limits, counted per fixed window so they hold across instances. `bucket` is the
-- limit's name and a hash of its key (an address, a phone, an email: never stored in clear).
CREATE TABLE rate_counts (
    bucket          TEXT NOT NULL,
    window_start_ms BIGINT NOT NULL,
    window_end_ms   BIGINT NOT NULL,
    hits            BIGINT NOT NULL,
    PRIMARY KEY (bucket, window_start_ms)
);
CREATE INDEX rate_counts_by_end ON rate_counts (window_end_ms);
