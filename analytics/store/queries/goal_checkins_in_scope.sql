-- One row per check-in reported on or before the as-of date, for goals of affiliates in scope.
SELECT *
FROM scoped_goal_checkins($regions, $types, $as_of)
ORDER BY goal_id, reported_on, checkin_id
