-- One row per narrative shown for a month: for each month in which a check-in with a narrative was reported on or
-- before the as-of date on a goal in scope of the area of emphasis $area, its first $per_month narratives (earliest
-- first), with the month's end and how many narratives the month has in all (count_in_month), for the hover text of
-- a progress chart.
WITH narrated AS (
    SELECT
        checkins.reported_on,
        checkins.narrative,
        CAST(last_day(checkins.reported_on) AS DATE) AS month_end,
        row_number() OVER (
            PARTITION BY last_day(checkins.reported_on) ORDER BY checkins.reported_on, checkins.checkin_id
        ) AS position,
        count(*) OVER (PARTITION BY last_day(checkins.reported_on)) AS count_in_month
    FROM scoped_goal_checkins($regions, $types, $as_of) AS checkins
    JOIN goals USING (goal_id)
    WHERE goals.area_of_emphasis = $area AND checkins.narrative IS NOT NULL
)
SELECT month_end, reported_on, narrative, count_in_month
FROM narrated
WHERE position <= $per_month
ORDER BY month_end, position
