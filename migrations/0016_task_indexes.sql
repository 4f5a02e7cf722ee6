-- Planning proactive inquiries reads every customer's inquiry tasks once, grouped by customer
-- (open ones and the last one done). Inquiries are a small share of the tasks (thank-you
-- notes and 2-5-12 calls are most of them), so they get an index of their own instead of a
-- walk over the whole (customer, kind, …) index: 1.7 s at twelve million tasks.
CREATE INDEX tasks_inquiry ON tasks (customer_id, status, done_on) WHERE kind = 'inquiry';
-- The columns that point at a task or a message, so that removing one (ON DELETE SET NULL)
-- finds what points at it instead of reading every timeline entry, message and promise for
-- each row removed: deleting a few thousand tasks took minutes at three million entries.
-- Most rows point at nothing, and those stay out of the index.
CREATE INDEX interactions_task ON interactions (task_id) WHERE task_id IS NOT NULL;
CREATE INDEX interactions_message ON interactions (message_id) WHERE message_id IS NOT NULL;
CREATE INDEX outbox_task ON outbox (task_id) WHERE task_id IS NOT NULL;
CREATE INDEX promises_task ON promises (task_id) WHERE task_id IS NOT NULL;
