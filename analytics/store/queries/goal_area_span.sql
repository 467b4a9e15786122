-- One row per area of emphasis $area (one row in all): how many goals in scope it has, and the first day one of
-- them started.
SELECT count(*) AS count_goals, min(start_on) AS first_start_on
FROM scoped_goals($regions, $types)
WHERE area_of_emphasis = $area
