-- One row per check-in reported on or before the as-of date, for goals of affiliates in scope: only what goal status
-- reads (goal, date, value), for pages that show no narrative (goal_checkins_in_scope has every column).
SELECT goal_checkins.goal_id, goal_checkins.reported_on, goal_checkins.value
FROM goal_checkins
JOIN goals USING (goal_id)
JOIN agreements USING (agreement_id)
SEMI JOIN scoped_affiliates($regions, $types) USING (affiliate_id)
WHERE goal_checkins.reported_on <= $as_of
ORDER BY goal_checkins.goal_id, goal_checkins.reported_on
