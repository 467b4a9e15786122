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
        activities.status,
        row_number() OVER (
            PARTITION BY activities.affiliate_id ORDER BY activities.occurred_on DESC, activities.activity_id DESC
        ) AS recency
    FROM activities
    SEMI JOIN scoped_affiliates($regions, $types) USING (affiliate_id)
    WHERE activities.occurred_on <= $as_of
      AND (activities.status = 'done'
           OR (activities.status = 'confirmed' AND activities.activity_type = 'conference_attendance'))
)
SELECT
    activity_id,
    affiliate_id,
    liaison_id,
    activity_type,
    occurred_on,
    CASE WHEN recency = 1 THEN title END AS title,
    status
FROM counted
WHERE recency = 1 OR occurred_on >= $first_on
ORDER BY affiliate_id, occurred_on, activity_id
