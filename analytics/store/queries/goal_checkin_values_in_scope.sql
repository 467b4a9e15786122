-- One row per check-in reported on or before the as-of date, for goals of affiliates in scope: only what goal status
-- reads (goal, date, value), for pages that show no narrative (goal_checkins_in_scope has every column).
SELECT goal_id, reported_on, value
FROM scoped_goal_checkins($regions, $types, $as_of)
ORDER BY goal_id, reported_on
