-- Message templates admins edit per language (the thank-you note; later greetings and
-- replies). A kind without a row uses the built-in default.
CREATE TABLE message_templates (
    kind TEXT NOT NULL,
    lang TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_by TEXT REFERENCES users (id),
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (kind, lang)
);
