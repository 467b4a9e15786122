-- One row per check-in reported on or before the as-of date on a goal in scope of the area of emphasis $area,
-- newest first, with the goal's title; only the first $limit (NULL: every one).
SELECT checkins.*, goals.title
FROM scoped_goal_checkins($regions, $types, $as_of) AS checkins
JOIN goals USING (goal_id)
WHERE goals.area_of_emphasis = $area
ORDER BY checkins.reported_on DESC, checkins.checkin_id DESC
LIMIT $limit
