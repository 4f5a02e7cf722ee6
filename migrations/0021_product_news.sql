-- New-product news: a new product announced to past buyers of related categories, by a
-- templated message through the outbox or by call tasks for the customers' owners. One row
-- per announcement, with what it did; the messages and tasks carry `news:<product>:…` keys,
-- so a customer hears of a product once however often it is announced.
CREATE TABLE product_news (
    id TEXT PRIMARY KEY,
    product_id TEXT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    -- JSON array of the category ids chosen (their subcategories count too).
    categories TEXT NOT NULL,
    -- YYYY-MM-DD: only buyers since this day; NULL for all.
    bought_from TEXT,
    action TEXT NOT NULL CHECK (action IN ('message', 'call')),
    created_by TEXT REFERENCES users (id),
    customers BIGINT NOT NULL DEFAULT 0,
    sent BIGINT NOT NULL DEFAULT 0,
    tasks BIGINT NOT NULL DEFAULT 0,
    skipped BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX product_news_product ON product_news (product_id, created_at);
