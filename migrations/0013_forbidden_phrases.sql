-- Words not to use (服务禁用语) as admins keep them: each phrase with its language, why it
-- pushes customers away and what to say instead, and the longer wordings that contain it
-- innocently. The method's own list is written in on first use (settings key
-- forbidden_phrases_seeded), so an admin who deletes a phrase does not see it come back.
CREATE TABLE forbidden_phrases (
    id TEXT PRIMARY KEY,
    phrase TEXT NOT NULL,
    lang TEXT NOT NULL,
    reason_zh TEXT NOT NULL,
    reason_en TEXT NOT NULL,
    better_zh TEXT NOT NULL,
    better_en TEXT NOT NULL,
    -- One wording per line.
    innocent TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
