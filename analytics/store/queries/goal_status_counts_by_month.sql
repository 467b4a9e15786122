-- One row per month end of $month_ends, area of emphasis and status that some goal in scope had then, under the
-- thresholds in force (goal_statuses_on; check-ins count from the day they were reported): how many goals had it,
-- and how many of those were stale. goals.portfolio_of_counts turns it into the portfolio over time.
SELECT
    as_of_on AS month_end,
    area_of_emphasis,
    status,
    count(*) AS count_goals,
    count_if(is_stale) AS count_stale
FROM goal_statuses_on($regions, $types, $month_ends, $at_risk_below, $off_track_below, $tolerance)
GROUP BY ALL
ORDER BY ALL
