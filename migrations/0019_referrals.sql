-- Referrals (索取推荐名单) and bird-dog rewards (猎犬计划): who referred whom, and what is owed
-- to the referrer once the referred customer's first order is delivered.
CREATE TABLE referrals (
    id TEXT PRIMARY KEY,
    -- The customer who gave the name, and the person there who did.
    referrer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    referrer_contact_id TEXT REFERENCES contacts (id) ON DELETE SET NULL,
    -- The prospect as given.
    prospect_name TEXT NOT NULL,
    prospect_person TEXT NOT NULL DEFAULT '',
    prospect_phone TEXT NOT NULL DEFAULT '',
    prospect_email TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    -- YYYY-MM-DD.
    referred_on TEXT NOT NULL,
    -- new → contacted → customer (linked below) or lost.
    status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'contacted', 'customer', 'lost')),
    customer_id TEXT REFERENCES customers (id) ON DELETE SET NULL,
    lost_reason TEXT NOT NULL DEFAULT '',
    -- The referrer's owner: the rep who asked, whose list and report it is on.
    owner_id TEXT REFERENCES users (id),
    department_id TEXT REFERENCES departments (id),
    created_by TEXT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX referrals_referrer ON referrals (referrer_id, referred_on);
-- A customer is somebody's referral once.
CREATE UNIQUE INDEX referrals_customer ON referrals (customer_id) WHERE customer_id IS NOT NULL;
CREATE INDEX referrals_owner ON referrals (owner_id, status);
CREATE INDEX referrals_department ON referrals (department_id, status);

-- One reward per converted referral, due the day the referred customer's first order was
-- delivered, and its payment.
CREATE TABLE referral_rewards (
    id TEXT PRIMARY KEY,
    referral_id TEXT NOT NULL UNIQUE REFERENCES referrals (id) ON DELETE CASCADE,
    referrer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    order_id TEXT REFERENCES orders (id) ON DELETE SET NULL,
    amount_fen BIGINT NOT NULL,
    gift TEXT NOT NULL DEFAULT '',
    due_on TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'due' CHECK (status IN ('due', 'paid')),
    paid_on TEXT,
    paid_by TEXT REFERENCES users (id),
    paid_note TEXT NOT NULL DEFAULT '',
    owner_id TEXT REFERENCES users (id),
    department_id TEXT REFERENCES departments (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX referral_rewards_owner ON referral_rewards (owner_id, status);
