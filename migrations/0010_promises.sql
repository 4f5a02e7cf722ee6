-- Promises made to customers (承诺): what, to whom, by whom, by when. A reminder task comes
-- before the due day; an open promise past its day is broken (broken_on: the day it broke,
-- which the "promise carefully" count per rep and month reads) and escalated to the owner's
-- manager. Keeping it late still counts as broken.
CREATE TABLE promises (
    id TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    contact_id TEXT REFERENCES contacts (id) ON DELETE SET NULL,
    owner_id TEXT REFERENCES users (id),
    department_id TEXT REFERENCES departments (id),
    what TEXT NOT NULL,
    to_whom TEXT NOT NULL DEFAULT '',
    -- YYYY-MM-DD in the customer's calendar.
    due_date TEXT NOT NULL,
    -- The timeline entry or task it was made in.
    interaction_id TEXT REFERENCES interactions (id) ON DELETE SET NULL,
    task_id TEXT REFERENCES tasks (id) ON DELETE SET NULL,
    -- open | kept | broken
    status TEXT NOT NULL DEFAULT 'open',
    broken_on TEXT,
    closed_at BIGINT,
    closed_by TEXT REFERENCES users (id),
    note TEXT NOT NULL DEFAULT '',
    created_by TEXT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX promises_due ON promises (status, due_date);
CREATE INDEX promises_owner_broken ON promises (owner_id, broken_on);
CREATE INDEX promises_department_broken ON promises (department_id, broken_on);
CREATE INDEX promises_customer ON promises (customer_id, due_date);

-- A task about a promise (its reminder, its escalation) points at it.
ALTER TABLE tasks ADD COLUMN promise_id TEXT REFERENCES promises (id) ON DELETE CASCADE;
CREATE INDEX tasks_promise ON tasks (promise_id);
