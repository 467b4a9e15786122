-- One row per check-in of the goals $goal_ids reported on or before the as-of date: what goal status reads (goal,
-- date, value), for judging a few goals again, with the reasons of their status (goals.reasons_for), and the
-- narrative, for the latest one of each goal.
SELECT goal_id, reported_on, value, narrative
FROM goal_checkins
WHERE goal_id IN (SELECT unnest($goal_ids)) AND reported_on <= $as_of
ORDER BY goal_id, reported_on, checkin_id
