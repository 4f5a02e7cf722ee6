-- Monthly greetings (§4, Joe Girard's card every month): the greetings planned for each
-- contact, and the festival and theme campaigns that group a rep's greetings of one day so
-- they are reviewed and sent together instead of as thousands of separate chores.

-- A rep's greetings of one festival (or monthly theme) on one day.
CREATE TABLE greeting_campaigns (
    id TEXT PRIMARY KEY,
    -- 'festival:<code>:<day>:<owner id or "none">': planning again finds this row.
    idem_key TEXT NOT NULL UNIQUE,
    owner_id TEXT REFERENCES users (id),
    department_id TEXT REFERENCES departments (id),
    -- 'festival' or 'theme'; detail is the festival's code or the theme's month.
    occasion TEXT NOT NULL,
    detail TEXT NOT NULL,
    day TEXT NOT NULL,
    -- 'open' until sent; sending again only sends what is still planned.
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'sent')),
    -- Greetings planned into it (Today's card shows it without counting rows).
    size BIGINT NOT NULL DEFAULT 0,
    sent_at BIGINT,
    sent_by TEXT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
-- Today's card: a user's open campaigns by day; a manager's department's.
CREATE INDEX greeting_campaigns_owner ON greeting_campaigns (owner_id, status, day);
CREATE INDEX greeting_campaigns_department ON greeting_campaigns (department_id, status, day);

CREATE TABLE greetings (
    id TEXT PRIMARY KEY,
    contact_id TEXT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    customer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    owner_id TEXT REFERENCES users (id),
    department_id TEXT REFERENCES departments (id),
    -- YYYY-MM-DD in the customer's calendar.
    day TEXT NOT NULL,
    -- birthday | family_event | founding | first_trade | festival | theme; detail is the
    -- family event's kind, the festival's code or the theme's month.
    occasion TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    -- The planner's priority level, 0 first (birthday) to 4 (monthly theme).
    level BIGINT NOT NULL,
    -- Festival and theme greetings belong to a campaign; personal ones have a task.
    campaign_id TEXT REFERENCES greeting_campaigns (id) ON DELETE SET NULL,
    task_id TEXT REFERENCES tasks (id) ON DELETE SET NULL,
    -- planned → sent (queued in the outbox), by_hand (a handwritten card), skipped (no way to
    -- reach the contact, or opted out) or dropped (the rep took it out of the campaign).
    status TEXT NOT NULL DEFAULT 'planned'
        CHECK (status IN ('planned', 'sent', 'by_hand', 'skipped', 'dropped')),
    -- How it went out: email | sms | letter. The message is the outbox row whose key is
    -- 'greeting:<id>'.
    channel TEXT,
    -- The rep's own wording for this contact; empty means the template's.
    subject TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    -- Why it was skipped.
    note TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
-- One greeting per contact and day; planning again writes nothing twice. Also a contact's
-- greetings near a day, which planning reads to keep the window.
CREATE UNIQUE INDEX greetings_contact_day ON greetings (contact_id, day);
-- A campaign's page: one status at a time in keyset order, and its counts per status read off
-- the index alone.
CREATE INDEX greetings_campaign ON greetings (campaign_id, status, id) WHERE campaign_id IS NOT NULL;
CREATE INDEX greetings_task ON greetings (task_id) WHERE task_id IS NOT NULL;
