-- Each user's secret calendar feed of their open tasks (iCalendar), which phone and desktop
-- calendars subscribe to. Only the SHA-256 of the URL's token is kept; turning the feed on
-- again replaces it, so an old URL stops working.
CREATE TABLE calendar_feeds (
    user_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);
