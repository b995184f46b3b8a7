-- Organizations, people, their products and everything attached to a product.
CREATE TABLE organizations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE memberships (
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    role TEXT NOT NULL CHECK (role IN ('legal_representative', 'administrator', 'user')),
    PRIMARY KEY (organization_id, user_id)
);
CREATE INDEX memberships_by_user ON memberships (user_id);

CREATE TABLE products (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX products_by_organization ON products (organization_id, name);

CREATE TABLE product_links (
    product_id TEXT NOT NULL REFERENCES products (id),
    linked_product_id TEXT NOT NULL REFERENCES products (id),
    PRIMARY KEY (product_id, linked_product_id)
);
CREATE INDEX product_links_by_linked ON product_links (linked_product_id);

CREATE TABLE access_grants (
    product_id TEXT NOT NULL REFERENCES products (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    level TEXT NOT NULL CHECK (level IN ('read', 'write')),
    management BIGINT NOT NULL DEFAULT 0 CHECK (management IN (0, 1)),
    PRIMARY KEY (product_id, user_id)
);
CREATE INDEX access_grants_by_user ON access_grants (user_id);

CREATE TABLE teams (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    name TEXT NOT NULL
);
CREATE INDEX teams_by_organization ON teams (organization_id);

CREATE TABLE team_members (
    team_id TEXT NOT NULL REFERENCES teams (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    PRIMARY KEY (team_id, user_id)
);

CREATE TABLE team_rights (
    team_id TEXT NOT NULL REFERENCES teams (id),
    product_id TEXT NOT NULL REFERENCES products (id),
    PRIMARY KEY (team_id, product_id)
);
CREATE INDEX team_rights_by_product ON team_rights (product_id);

CREATE TABLE invoices (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    product_id TEXT REFERENCES products (id),
    number TEXT NOT NULL UNIQUE,
    amount_cents BIGINT NOT NULL,
    currency TEXT NOT NULL,
    issued_at BIGINT NOT NULL
);
CREATE INDEX invoices_by_organization ON invoices (organization_id, issued_at);
CREATE INDEX invoices_by_product ON invoices (product_id);

-- Sessions are looked up by a hash of the cookie's token: the table alone opens none.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

CREATE TABLE login_failures (
    subject TEXT NOT NULL,
    failed_at BIGINT NOT NULL
);
CREATE INDEX login_failures_by_subject ON login_failures (subject, failed_at);
