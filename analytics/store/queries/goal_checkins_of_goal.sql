-- One row per check-in of the goal $goal_id that counts now (uploads and forms included), oldest first.
SELECT *
FROM goal_checkins
WHERE goal_id = $goal_id
ORDER BY reported_on, checkin_id
