-- One row per check-in reported on or before the as-of date, for the goals that $owner_id owns among the affiliates
-- in scope (goal_checkins_in_scope for one owner).
SELECT goal_checkins.*
FROM goal_checkins
SEMI JOIN (SELECT goal_id FROM scoped_goals($regions, $types) WHERE owner_id = $owner_id) AS owned USING (goal_id)
WHERE goal_checkins.reported_on <= $as_of
ORDER BY goal_checkins.goal_id, goal_checkins.reported_on, goal_checkins.checkin_id
