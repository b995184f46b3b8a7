-- API tokens: each acts for one Organization with its creator's rights. Only a hash of
-- the secret is kept. The request window columns hold the per-token rate limit, so every
-- server process counts against the same numbers.
CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    creator_id TEXT NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    scopes TEXT NOT NULL,
    secret_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT,
    window_start BIGINT NOT NULL DEFAULT 0,
    window_count BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX api_tokens_by_organization ON api_tokens (organization_id, created_at);

-- Answers to API calls that carried an Idempotency-Key, replayed to a retry of the same
-- request. `status` is NULL while the first call is still running.
CREATE TABLE api_idempotency (
    token_id TEXT NOT NULL REFERENCES api_tokens (id),
    idempotency_key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status BIGINT,
    body TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (token_id, idempotency_key)
);
CREATE INDEX api_idempotency_by_time ON api_idempotency (created_at);
