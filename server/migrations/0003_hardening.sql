-- Each transfer numbers its own history: taking the next number is one UPDATE of the
-- transfer's row, so concurrent events on one transfer queue instead of colliding.
ALTER TABLE transfers ADD COLUMN last_event_seq BIGINT NOT NULL DEFAULT 0;
UPDATE transfers SET last_event_seq =
    (SELECT COALESCE(MAX(e.seq), 0) FROM transfer_events e WHERE e.transfer_id = transfers.id);

-- Outgoing email: bodies are now sealed under the server key (a body can carry a transfer
-- link); which worker holds a message; when delivery was given up; which transfer's
-- history records that.
ALTER TABLE outbox ADD COLUMN transfer_id TEXT REFERENCES transfers (id);
ALTER TABLE outbox ADD COLUMN lease_token TEXT;
ALTER TABLE outbox ADD COLUMN failed_at BIGINT;
-- Bodies already delivered are no longer needed; some held links in clear.
UPDATE outbox SET body = '' WHERE sent_at IS NOT NULL;
CREATE INDEX outbox_finished ON outbox (sent_at, failed_at);

-- Emails sent by one user, or about one Organization's transfers, in a recent window.
CREATE INDEX transfer_events_by_actor ON transfer_events (actor_id, kind, at);
CREATE INDEX transfer_events_by_kind ON transfer_events (kind, at);

-- Sweeping old login attempts by age.
CREATE INDEX login_failures_by_time ON login_failures (failed_at);
