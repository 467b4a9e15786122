-- One row per goal in scope whose status changed between $since and the as-of date (goals_changed_between), with
-- the columns of goals_in_scope: what changes.what_changed reads of the goals.
SELECT *
FROM scoped_goals($regions, $types)
WHERE goal_id IN (
    SELECT goal_id FROM goals_changed_between($regions, $types, $since, $as_of, $at_risk_below, $off_track_below, $tolerance)
)
ORDER BY goal_id
