-- One row per goal of an agreement of an affiliate in scope, with the affiliate, its liaison and the goal's owner.
SELECT *
FROM scoped_goals($regions, $types)
ORDER BY goal_id
