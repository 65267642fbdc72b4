-- Provider call budgets shared by every instance: per connection (a provider account with
-- its secret, as a fingerprint), when its next free call slot starts (Unix ms). Each call
-- moves it one slot on; a 429 moves it past the provider's wait.
CREATE TABLE call_budgets (
    budget_key TEXT PRIMARY KEY,
    next_ms    BIGINT NOT NULL
);
