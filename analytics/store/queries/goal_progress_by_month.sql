-- One row per month end of $month_ends: how far the goals in scope of the area of emphasis $area had come on
-- average then (goal_statuses_on under the thresholds in force), as goals.progress_by_month computes it for a
-- group of goals: the goals started by the month end, the mean of their expected and reported shares of the way
-- from baseline to target (a goal past its target counts as 1), and how many of them had a status of
-- $on_track_statuses. Shares are NULL in months when no goal had started.
SELECT
    as_of_on AS month_end,
    count_if(as_of_on >= start_on) AS count_goals_started,
    avg(expected_pct) FILTER (WHERE as_of_on >= start_on) AS mean_expected_pct,
    avg(least(actual_pct, 1.0)) FILTER (WHERE as_of_on >= start_on) AS mean_actual_pct,
    count_if(as_of_on >= start_on AND list_contains($on_track_statuses, status)) AS count_on_track
FROM goal_statuses_on($regions, $types, $month_ends, $at_risk_below, $off_track_below, $tolerance)
WHERE area_of_emphasis = $area
GROUP BY as_of_on
ORDER BY month_end
