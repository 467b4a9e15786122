-- One row per check-in reported on or before the as-of date of a goal in scope whose status changed between $since
-- and the as-of date (goals_changed_between), with the columns of goal_checkins_in_scope: what
-- changes.what_changed reads of the check-ins.
SELECT *
FROM scoped_goal_checkins($regions, $types, $as_of)
WHERE goal_id IN (
    SELECT goal_id FROM goals_changed_between($regions, $types, $since, $as_of, $at_risk_below, $off_track_below, $tolerance)
)
ORDER BY goal_id, reported_on, checkin_id
