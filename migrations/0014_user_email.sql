-- A user's e-mail address: where Huike writes to staff (a manager hears of a promise broken
-- in their team there). Empty when the user has none.
ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';
