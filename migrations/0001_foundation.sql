-- Foundation schema: accounts, customer archive, contacts, timeline, catalogue, orders, audit, search.
-- Portable subset shared by SQLite and PostgreSQL: ids TEXT (UUIDv7), times BIGINT (Unix ms, UTC),
-- calendar dates TEXT (YYYY-MM-DD), money BIGINT (fen), flags BIGINT 0/1, JSON as TEXT.
-- Every integer column is BIGINT so both backends decode it as i64 through sqlx's Any driver.

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE departments (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'sales', 'service')),
    department_id TEXT REFERENCES departments (id),
    password_hash TEXT NOT NULL,
    locale TEXT NOT NULL DEFAULT 'zh-CN',
    active BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX users_department ON users (department_id);

-- A session is found by the SHA-256 of its cookie value, so a leaked table cannot log anyone in.
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- The customer archive 客户档案. Section contents (basic data, characteristics, business
-- status, trading status, research) live in `archive` as JSON; each section's last
-- confirmation is a column so staleness can be listed and filtered.
CREATE TABLE customers (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('organization', 'person')),
    name TEXT NOT NULL,
    customer_class TEXT CHECK (customer_class IN ('A', 'B', 'C')),
    tags TEXT NOT NULL DEFAULT '',
    province TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    district TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    wechat TEXT NOT NULL DEFAULT '',
    qq TEXT NOT NULL DEFAULT '',
    owner_id TEXT REFERENCES users (id),
    department_id TEXT REFERENCES departments (id),
    founded_on TEXT,
    first_trade_on TEXT,
    archive TEXT NOT NULL DEFAULT '{}',
    basic_confirmed_at BIGINT,
    characteristics_confirmed_at BIGINT,
    business_confirmed_at BIGINT,
    trading_confirmed_at BIGINT,
    research_confirmed_at BIGINT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX customers_name ON customers (name, id);
CREATE INDEX customers_owner_name ON customers (owner_id, name, id);
CREATE INDEX customers_department_name ON customers (department_id, name, id);
CREATE INDEX customers_updated ON customers (updated_at, id);
CREATE INDEX customers_region ON customers (province, city);

-- Customers a rep may see and edit without owning them.
CREATE TABLE customer_shares (
    customer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (customer_id, user_id)
);
CREATE INDEX customer_shares_user ON customer_shares (user_id, customer_id);

CREATE TABLE contacts (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    wechat TEXT NOT NULL DEFAULT '',
    qq TEXT NOT NULL DEFAULT '',
    personality TEXT,
    low_key BIGINT NOT NULL DEFAULT 0,
    buying_role TEXT,
    personal_interest BIGINT NOT NULL DEFAULT 0,
    org_interest BIGINT NOT NULL DEFAULT 0,
    -- birthday: calendar 'solar' or 'lunar'; year optional; leap only for lunar
    birthday_calendar TEXT CHECK (birthday_calendar IN ('solar', 'lunar')),
    birthday_year BIGINT,
    birthday_month BIGINT,
    birthday_day BIGINT,
    birthday_leap BIGINT NOT NULL DEFAULT 0,
    family_events TEXT NOT NULL DEFAULT '[]',
    hobbies TEXT NOT NULL DEFAULT '',
    preferred_channel TEXT,
    notes TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX contacts_customer ON contacts (customer_id, name);
CREATE INDEX contacts_name ON contacts (name, id);

-- The timeline: every interaction on any channel.
CREATE TABLE interactions (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    contact_id TEXT REFERENCES contacts (id) ON DELETE SET NULL,
    channel TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    user_id TEXT REFERENCES users (id),
    occurred_at BIGINT NOT NULL,
    summary TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX interactions_customer ON interactions (customer_id, occurred_at);

CREATE TABLE product_categories (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    parent_id TEXT REFERENCES product_categories (id),
    created_at BIGINT NOT NULL
);

CREATE TABLE products (
    id TEXT PRIMARY KEY,
    sku TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    category_id TEXT REFERENCES product_categories (id),
    unit TEXT NOT NULL DEFAULT '',
    price_fen BIGINT NOT NULL DEFAULT 0,
    currency TEXT NOT NULL DEFAULT 'CNY',
    active BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX products_category ON products (category_id);
CREATE INDEX products_name ON products (name);

CREATE TABLE orders (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    contact_id TEXT REFERENCES contacts (id) ON DELETE SET NULL,
    salesperson_id TEXT REFERENCES users (id),
    department_id TEXT REFERENCES departments (id),
    order_date TEXT NOT NULL,
    delivery_date TEXT,
    currency TEXT NOT NULL DEFAULT 'CNY',
    total_fen BIGINT NOT NULL DEFAULT 0,
    notes TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX orders_customer ON orders (customer_id, order_date);
CREATE INDEX orders_date ON orders (order_date);
CREATE INDEX orders_salesperson ON orders (salesperson_id, order_date);

CREATE TABLE order_lines (
    id TEXT PRIMARY KEY,
    order_id TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    line_no BIGINT NOT NULL,
    product_id TEXT NOT NULL REFERENCES products (id),
    quantity BIGINT NOT NULL,
    unit_price_fen BIGINT NOT NULL,
    amount_fen BIGINT NOT NULL
);
CREATE INDEX order_lines_order ON order_lines (order_id, line_no);
CREATE INDEX order_lines_product ON order_lines (product_id);

-- Who changed what, when, with the record before and after (JSON).
CREATE TABLE audit_log (
    id TEXT PRIMARY KEY,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    action TEXT NOT NULL,
    actor_id TEXT,
    actor_name TEXT NOT NULL DEFAULT '',
    at BIGINT NOT NULL,
    before_json TEXT,
    after_json TEXT
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, at);

-- Prefix-searchable keys for customers and contacts: names and their suffixes, pinyin
-- (full, initials, every reading), phone digits and reversed digits (suffix search),
-- e-mail. One B-tree range scan serves every query length on both backends.
CREATE TABLE search_terms (
    term TEXT NOT NULL,
    entity TEXT NOT NULL CHECK (entity IN ('customer', 'contact')),
    entity_id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    PRIMARY KEY (term, entity, entity_id)
);
CREATE INDEX search_terms_entity ON search_terms (entity_id);
