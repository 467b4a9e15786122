-- One row per area of emphasis, affiliate type, ICMA region and status that some goal in scope has on the as-of
-- date, under the thresholds in force (goal_statuses_on): how many goals have it, and how many of those are stale.
SELECT
    area_of_emphasis,
    affiliate_type,
    scope_region(icma_region) AS icma_region,
    status,
    count(*) AS count_goals,
    count_if(is_stale) AS count_stale
FROM goal_statuses_on($regions, $types, [$as_of], $at_risk_below, $off_track_below, $tolerance)
GROUP BY ALL
ORDER BY ALL
