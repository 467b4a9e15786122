-- One row per check-in of the goal $goal_id as the data folder itself holds it (before any upload).
SELECT
    checkin_id,
    goal_id,
    CAST(reported_on AS DATE) AS reported_on,
    CAST(value AS DOUBLE) AS value,
    narrative,
    reported_by
FROM raw_goal_checkins
WHERE goal_id = $goal_id
ORDER BY reported_on, checkin_id
