-- One row per activity that can count for the coverage activity score of an affiliate inside the shared
-- filters: every done activity (or confirmed conference attendance) dated from $first_on to the as-of date
-- (the page passes the start of the score's window, with a margin: analytics.domain.coverage applies the exact
-- window), and each affiliate's latest such activity, however old. Titles only where the page shows them:
-- on each affiliate's latest one.
WITH counted AS (
    SELECT
        activities.activity_id,
        activities.affiliate_id,
        activities.liaison_id,
        activities.activity_type,
        activities.occurred_on,
        activities.title,
        activities.status
    FROM activities
    SEMI JOIN scoped_affiliates($regions, $types) USING (affiliate_id)
    WHERE activities.occurred_on <= $as_of
      AND (activities.status = 'done'
           OR (activities.status = 'confirmed' AND activities.activity_type = 'conference_attendance'))
),
latest AS (
    -- Each affiliate's latest counted activity (the last by date, then by id): a grouped max rather than a window
    -- over every activity (1.5 s instead of 2.5 s at 2.6 million activities, bench/README.md).
    SELECT affiliate_id, max({'occurred_on': occurred_on, 'activity_id': activity_id}) AS newest
    FROM counted
    GROUP BY affiliate_id
)
SELECT
    counted.activity_id,
    counted.affiliate_id,
    counted.liaison_id,
    counted.activity_type,
    counted.occurred_on,
    CASE WHEN latest.affiliate_id IS NOT NULL THEN counted.title END AS title,
    counted.status
FROM counted
LEFT JOIN latest
    ON latest.affiliate_id = counted.affiliate_id
    AND latest.newest = {'occurred_on': counted.occurred_on, 'activity_id': counted.activity_id}
WHERE latest.affiliate_id IS NOT NULL OR counted.occurred_on >= $first_on
ORDER BY counted.affiliate_id, counted.occurred_on, counted.activity_id
