-- After-sale tasks (跟进任务): the follow-up work each order starts on its own (the thank-you
-- note and the 2-5-12 calls), proactive inquiries and promises, each owned by one user and
-- due on a date of the customer's calendar.

-- An order's status (open, delivered, cancelled: a cancelled order cancels its open
-- follow-ups) and the doubts the customer still had at the deal, the talking points of the
-- day-2 call.
ALTER TABLE orders ADD COLUMN status TEXT NOT NULL DEFAULT 'open';
ALTER TABLE orders ADD COLUMN doubts TEXT NOT NULL DEFAULT '';

CREATE TABLE tasks (
    id TEXT PRIMARY KEY,
    -- What made the task, written so that making it again finds this row: an order's
    -- day-2 call is 'order:<order id>:day_2'. Saving, retrying or importing the same order
    -- therefore never makes a second set.
    idem_key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
    customer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    contact_id TEXT REFERENCES contacts (id) ON DELETE SET NULL,
    order_id TEXT REFERENCES orders (id) ON DELETE CASCADE,
    owner_id TEXT REFERENCES users (id),
    -- The owner's department, kept with the task so a manager's Today is one index range.
    department_id TEXT REFERENCES departments (id),
    -- YYYY-MM-DD in the customer's calendar; snoozing moves it.
    due_date TEXT NOT NULL,
    doubts TEXT NOT NULL DEFAULT '',
    outcome TEXT,
    outcome_note TEXT NOT NULL DEFAULT '',
    done_at BIGINT,
    -- The customer's calendar day it was done: the next proactive inquiry counts from it.
    done_on TEXT,
    done_by TEXT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
-- Today: a user's open tasks due by a date, and a department's.
CREATE INDEX tasks_owner_due ON tasks (owner_id, status, due_date);
CREATE INDEX tasks_department_due ON tasks (department_id, status, due_date);
CREATE INDEX tasks_order ON tasks (order_id);
-- A customer's tasks of a kind: its open inquiry, its last finished one.
CREATE INDEX tasks_customer_kind ON tasks (customer_id, kind, status, done_on);

-- A timeline entry written by finishing a task points back at it; "problem found" flags it
-- (the service desk turns flagged entries into tickets).
ALTER TABLE interactions ADD COLUMN task_id TEXT REFERENCES tasks (id) ON DELETE SET NULL;
ALTER TABLE interactions ADD COLUMN problem BIGINT NOT NULL DEFAULT 0;

-- Scheduled jobs: each run of a job for a time slot is claimed by inserting its row, so with
-- several instances on one database each slot runs once.
CREATE TABLE job_runs (
    job TEXT NOT NULL,
    slot TEXT NOT NULL,
    instance TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    finished_at BIGINT,
    -- 'ok' or what went wrong.
    outcome TEXT,
    -- What the run did, in words (e.g. "12 inquiries planned").
    summary TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (job, slot)
);
CREATE INDEX job_runs_started ON job_runs (job, started_at);
