-- Order numbers (SO-YYYYMMDD-NNNN) come from one counter per day, advanced in the order's own
-- transaction by a single upsert: reading the day's last number and inserting after it let
-- two orders saved at once on PostgreSQL take the same number, and one failed.
CREATE TABLE order_numbers (
    day TEXT PRIMARY KEY,
    last_seq BIGINT NOT NULL
);
-- Each day starts where its numbered orders end, so no number is handed out twice. The
-- highest is taken as a number, not as text: SO-…-10000 sorts before SO-…-9999.
INSERT INTO order_numbers (day, last_seq)
    SELECT substr(number, 4, 8), MAX(CAST(substr(number, 13) AS BIGINT))
    FROM orders
    WHERE substr(number, 1, 3) = 'SO-' AND substr(number, 12, 1) = '-'
        AND length(number) BETWEEN 13 AND 30
        AND ltrim(substr(number, 4, 8), '0123456789') = ''
        AND ltrim(substr(number, 13), '0123456789') = ''
    GROUP BY substr(number, 4, 8);
