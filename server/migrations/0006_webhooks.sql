-- Webhook endpoints of an Organization. The signing secret is sealed under the server key:
-- it must be read back to sign, so a hash would not do. `events` lists the subscribed
-- event types between spaces (" transfer.created transfer.completed "), so one LIKE finds
-- the subscribers of an event in both databases.
CREATE TABLE webhook_endpoints (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    creator_id TEXT NOT NULL REFERENCES users (id),
    url TEXT NOT NULL,
    events TEXT NOT NULL,
    sealed_secret TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    deleted_at BIGINT
);
CREATE INDEX webhook_endpoints_by_organization ON webhook_endpoints (organization_id, deleted_at);

-- One event for one endpoint: written in the transaction of the change it announces,
-- delivered by a worker holding a lease, at least once. `event_id` is the Standard
-- Webhooks message id: the same on every attempt and on every "send again", so receivers
-- can tell a repeat. The body is kept as first written, so every attempt sends the same.
CREATE TABLE webhook_deliveries (
    endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints (id),
    event_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    transfer_id TEXT NOT NULL REFERENCES transfers (id),
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_until BIGINT NOT NULL DEFAULT 0,
    lease_token TEXT,
    last_attempt_at BIGINT,
    last_status BIGINT,
    last_error TEXT,
    delivered_at BIGINT,
    failed_at BIGINT,
    PRIMARY KEY (endpoint_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (delivered_at, failed_at, next_attempt_at);
CREATE INDEX webhook_deliveries_by_organization ON webhook_deliveries (organization_id, created_at);
