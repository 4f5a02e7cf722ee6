-- How many of a campaign's greetings were sent, written by hand, skipped or dropped, kept
-- on the campaign as they change: its page showed them by counting the campaign's rows,
-- which grows with the campaign (a rep's 中秋 at a million customers is some 150,000).
ALTER TABLE greeting_campaigns ADD COLUMN sent_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE greeting_campaigns ADD COLUMN by_hand_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE greeting_campaigns ADD COLUMN skipped_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE greeting_campaigns ADD COLUMN dropped_count BIGINT NOT NULL DEFAULT 0;
UPDATE greeting_campaigns SET
    sent_count = (SELECT COUNT(*) FROM greetings g
                  WHERE g.campaign_id = greeting_campaigns.id AND g.status = 'sent'),
    by_hand_count = (SELECT COUNT(*) FROM greetings g
                     WHERE g.campaign_id = greeting_campaigns.id AND g.status = 'by_hand'),
    skipped_count = (SELECT COUNT(*) FROM greetings g
                     WHERE g.campaign_id = greeting_campaigns.id AND g.status = 'skipped'),
    dropped_count = (SELECT COUNT(*) FROM greetings g
                     WHERE g.campaign_id = greeting_campaigns.id AND g.status = 'dropped');
