-- The language a user chose in the Manager (en, fr, de, it); emails to them are written in
-- it. NULL until they choose: English, the default.
ALTER TABLE users ADD COLUMN language TEXT;

-- The language a transfer link was emailed in, so that a later notice to that address
-- (the transfer was cancelled) is written in the same one.
ALTER TABLE transfer_events ADD COLUMN language TEXT;
