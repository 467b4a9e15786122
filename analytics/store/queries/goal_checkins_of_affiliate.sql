-- One row per check-in reported on or before the as-of date on a goal of the affiliate $affiliate_id.
SELECT goal_checkins.*
FROM goal_checkins
JOIN goals USING (goal_id)
JOIN agreements USING (agreement_id)
WHERE agreements.affiliate_id = $affiliate_id
  AND goal_checkins.reported_on <= $as_of
ORDER BY goal_checkins.goal_id, goal_checkins.reported_on, goal_checkins.checkin_id
