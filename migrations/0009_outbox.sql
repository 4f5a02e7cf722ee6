-- Outgoing messages (email, SMS, webhooks): each is a row written in the same transaction as
-- the change that caused it, then claimed by a worker, sent, and recorded. The row's id is
-- the message's stable id, carried to the receiver (the e-mail Message-ID, a webhook's
-- Idempotency-Key), so a resend after a crash can be recognised there.
CREATE TABLE outbox (
    id TEXT PRIMARY KEY,
    -- What caused it, written so that causing it again finds this row.
    idem_key TEXT NOT NULL UNIQUE,
    -- email | sms | webhook
    channel TEXT NOT NULL,
    -- An e-mail address, a mobile number, or a webhook endpoint's id.
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    -- zh-CN | en
    lang TEXT NOT NULL DEFAULT 'zh-CN',
    -- The webhook event (order.created, task.done, …); empty for messages to people.
    event TEXT NOT NULL DEFAULT '',
    customer_id TEXT REFERENCES customers (id) ON DELETE SET NULL,
    contact_id TEXT REFERENCES contacts (id) ON DELETE SET NULL,
    task_id TEXT REFERENCES tasks (id) ON DELETE SET NULL,
    -- pending (waiting for its time) | sending (claimed by a worker until claimed_until) |
    -- sent | held (opt-out: never sent) | dead (gave up; an admin may retry or discard) |
    -- discarded
    status TEXT NOT NULL DEFAULT 'pending',
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_by TEXT,
    claimed_until BIGINT,
    last_error TEXT NOT NULL DEFAULT '',
    sent_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
-- What workers claim: the due pending rows, and sending rows whose claim ran out.
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_customer ON outbox (customer_id, created_at);

-- Webhook endpoints an admin registered, with the events each wants.
CREATE TABLE webhooks (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    -- The HMAC-SHA256 key the receiver verifies signatures with.
    secret TEXT NOT NULL,
    -- Comma-separated event names, e.g. ",order.created,task.done,".
    events TEXT NOT NULL,
    active BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- A contact's choice not to be reached on a channel (email, sms, wechat, …).
CREATE TABLE contact_opt_outs (
    contact_id TEXT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    channel TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (contact_id, channel)
);

-- A message to a customer is also an entry on its timeline, which shows how delivery went.
ALTER TABLE interactions ADD COLUMN message_id TEXT REFERENCES outbox (id) ON DELETE SET NULL;
