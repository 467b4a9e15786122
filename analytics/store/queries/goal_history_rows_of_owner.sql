-- One row per check-in or comment of a goal that $owner_id owns among the affiliates in scope, as a goal's
-- history reads it, by `source`: 'counted' (a check-in that counts now, goal_checkins), 'folder_checkin' and
-- 'folder_comment' (the rows the data folder itself holds, before any upload); per goal oldest first.
WITH owned AS (
    SELECT goal_id FROM scoped_goals($regions, $types) WHERE owner_id = $owner_id
)
SELECT
    'counted' AS source,
    goal_id,
    checkin_id,
    reported_on,
    value,
    narrative,
    reported_by,
    NULL::DATE AS commented_on,
    NULL::VARCHAR AS author,
    NULL::VARCHAR AS comment
FROM goal_checkins
SEMI JOIN owned USING (goal_id)
UNION ALL
SELECT
    'folder_checkin',
    goal_id,
    checkin_id,
    CAST(reported_on AS DATE),
    CAST(value AS DOUBLE),
    narrative,
    reported_by,
    NULL,
    NULL,
    NULL
FROM raw_goal_checkins
SEMI JOIN owned USING (goal_id)
UNION ALL
SELECT 'folder_comment', goal_id, checkin_id, NULL, NULL, NULL, NULL, CAST(commented_on AS DATE), author, comment
FROM raw_goal_comments
SEMI JOIN owned USING (goal_id)
ORDER BY source, goal_id, reported_on, commented_on, checkin_id
