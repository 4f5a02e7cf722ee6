-- Correct our own mistakes first (及时纠正): a fault found in a product (or a batch of it) is a
-- campaign that finds every customer who bought it and gives each one tracked contact task
-- for its owner, so customers are reached before they have to complain.
CREATE TABLE fault_campaigns (
    id TEXT PRIMARY KEY,
    product_id TEXT NOT NULL REFERENCES products (id),
    -- What went wrong, in a line, and the talking points for the call.
    title TEXT NOT NULL,
    notice TEXT NOT NULL,
    -- The batch: orders dated within the range and/or with these numbers (comma-separated);
    -- empty means every order of the product.
    order_from TEXT,
    order_to TEXT,
    order_numbers TEXT NOT NULL DEFAULT '',
    -- A manager's campaign covers their department's customers; an admin's all of them.
    department_id TEXT REFERENCES departments (id),
    created_by TEXT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    -- Customers found (and tasks made).
    customers BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX fault_campaigns_created ON fault_campaigns (created_at);

-- Each customer a campaign reaches, with its task (the task's outcome is the progress).
CREATE TABLE fault_customers (
    campaign_id TEXT NOT NULL REFERENCES fault_campaigns (id) ON DELETE CASCADE,
    customer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    task_id TEXT REFERENCES tasks (id) ON DELETE SET NULL,
    owner_id TEXT REFERENCES users (id),
    department_id TEXT REFERENCES departments (id),
    PRIMARY KEY (campaign_id, customer_id)
);
CREATE INDEX fault_customers_task ON fault_customers (task_id) WHERE task_id IS NOT NULL;

-- Finding a product's buyers reads its order lines with their orders, not every line.
DROP INDEX order_lines_product;
CREATE INDEX order_lines_product ON order_lines (product_id, order_id);
