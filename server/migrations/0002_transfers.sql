-- Product transfers: the frozen product list, the locks that keep a product in one pending
-- transfer, the history, both parties' acceptance of the conditions, and outgoing email.
CREATE TABLE transfers (
    id TEXT PRIMARY KEY,
    source_id TEXT NOT NULL REFERENCES organizations (id),
    destination_id TEXT REFERENCES organizations (id),
    status TEXT NOT NULL CHECK (status IN ('in_progress', 'completed', 'cancelled', 'declined', 'expired')),
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    closed_at BIGINT,
    -- Keyed hash of the link's token, for look-ups; the token itself only sealed.
    token_lookup TEXT NOT NULL UNIQUE,
    token_sealed TEXT NOT NULL
);
CREATE INDEX transfers_by_source ON transfers (source_id, status);
CREATE INDEX transfers_by_destination ON transfers (destination_id, status);
CREATE INDEX transfers_by_expiry ON transfers (status, expires_at);

CREATE TABLE transfer_products (
    transfer_id TEXT NOT NULL REFERENCES transfers (id),
    product_id TEXT NOT NULL REFERENCES products (id),
    -- As the product was when the transfer started, for the history.
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    PRIMARY KEY (transfer_id, product_id)
);

-- One row per product in a pending transfer: the primary key is the rule.
CREATE TABLE product_locks (
    product_id TEXT PRIMARY KEY REFERENCES products (id),
    transfer_id TEXT NOT NULL REFERENCES transfers (id)
);
CREATE INDEX product_locks_by_transfer ON product_locks (transfer_id);

CREATE TABLE transfer_events (
    transfer_id TEXT NOT NULL REFERENCES transfers (id),
    seq BIGINT NOT NULL,
    kind TEXT NOT NULL,
    actor_id TEXT REFERENCES users (id),
    organization_id TEXT REFERENCES organizations (id),
    detail TEXT,
    at BIGINT NOT NULL,
    PRIMARY KEY (transfer_id, seq)
);

CREATE TABLE condition_acceptances (
    transfer_id TEXT NOT NULL REFERENCES transfers (id),
    party TEXT NOT NULL CHECK (party IN ('sender', 'receiver')),
    user_id TEXT NOT NULL REFERENCES users (id),
    conditions_version TEXT NOT NULL,
    accepted_at BIGINT NOT NULL,
    PRIMARY KEY (transfer_id, party)
);

CREATE TABLE outbox (
    id TEXT PRIMARY KEY,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_until BIGINT NOT NULL DEFAULT 0,
    sent_at BIGINT,
    last_error TEXT
);
CREATE INDEX outbox_due ON outbox (sent_at, next_attempt_at);
