-- One row per check-in reported on or before the as-of date, for goals of affiliates in scope.
SELECT goal_checkins.*
FROM goal_checkins
JOIN goals USING (goal_id)
JOIN agreements USING (agreement_id)
SEMI JOIN scoped_affiliates($regions, $types) USING (affiliate_id)
WHERE goal_checkins.reported_on <= $as_of
ORDER BY goal_checkins.goal_id, goal_checkins.reported_on
