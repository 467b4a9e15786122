-- One row per goal that $owner_id owns among the affiliates in scope, as goals_in_scope lists it.
SELECT *
FROM scoped_goals($regions, $types)
WHERE owner_id = $owner_id
ORDER BY goal_id
