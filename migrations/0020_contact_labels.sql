-- Contact labels (联系标签): how a customer reaches the rep again. A user's card carries a
-- phone and a WeChat id; each order whose labels were printed gets one unguessable token,
-- which the label's QR code opens as a public page (no login, no customer data).
ALTER TABLE users ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN wechat TEXT NOT NULL DEFAULT '';

CREATE TABLE label_links (
    -- 128 random bits, hex: the public page's address.
    token TEXT PRIMARY KEY,
    order_id TEXT NOT NULL UNIQUE REFERENCES orders (id) ON DELETE CASCADE,
    customer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);
CREATE INDEX label_links_customer ON label_links (customer_id);
