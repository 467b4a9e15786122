-- One row per affiliate inside the shared filters and type of activity that counts for it (an activity counts as
-- analytics.domain.coverage says: done, or a confirmed conference attendance, on or before the as-of date, of a
-- type in $activity_types, the types the score weighs): how many of them fall from $window_start to the as-of date,
-- and the affiliate's latest counted activity of any type, however old (its date and title, on the affiliate's
-- first row only). coverage.activity_score_of_counts makes the activity score of these rows, as
-- coverage.activity_score does of the activities themselves: a few rows per affiliate reach pandas, not every
-- activity.
WITH counted AS (
    SELECT
        activities.activity_id, activities.affiliate_id, activities.activity_type, activities.occurred_on, activities.title
    FROM activities
    SEMI JOIN scoped_affiliates($regions, $types) USING (affiliate_id)
    WHERE activities.occurred_on <= $as_of
      AND list_contains($activity_types, activities.activity_type)
      AND (activities.status = 'done'
           OR (activities.status = 'confirmed' AND activities.activity_type = 'conference_attendance'))
),
by_type AS (
    SELECT affiliate_id, activity_type, CAST(count_if(occurred_on >= $window_start) AS BIGINT) AS count_in_window
    FROM counted
    GROUP BY affiliate_id, activity_type
),
latest AS (
    -- The latest by date, then by id, as a grouped arg_max: cheaper than a window over every activity, and than
    -- joining the titles back (bench/README.md).
    SELECT
        affiliate_id,
        max(occurred_on) AS last_activity_on,
        arg_max(title, {'occurred_on': occurred_on, 'activity_id': activity_id}) AS last_activity_title
    FROM counted
    GROUP BY affiliate_id
)
SELECT
    by_type.affiliate_id,
    by_type.activity_type,
    by_type.count_in_window,
    latest.last_activity_on,
    CASE WHEN row_number() OVER (PARTITION BY by_type.affiliate_id ORDER BY by_type.activity_type) = 1
        THEN latest.last_activity_title END AS last_activity_title
FROM by_type
JOIN latest ON latest.affiliate_id = by_type.affiliate_id
