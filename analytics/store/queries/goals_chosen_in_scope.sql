-- One row per goal in scope with its status on the as-of date (goal_statuses_on, under the thresholds in force),
-- narrowed by the Goals page's choices, each NULL for "all": $area (area of emphasis), $affiliate_type, $icma_region
-- (as the filters name it, scope_region), $affiliate_id, $status, and $only_stale. Ordered as the page lists goals:
-- best status first in the order of $statuses (goals.STATUSES), then the lowest share of the expected progress,
-- then the goal. Only the first $limit (NULL: every one), with every column of goals_in_scope and the status figures.
WITH chosen AS (
    SELECT
        goal_id, expected_value, expected_pct, latest_value, latest_reported_on, actual_pct, pct_of_expected,
        status, is_stale
    FROM goal_statuses_on($regions, $types, [$as_of], $at_risk_below, $off_track_below, $tolerance)
    WHERE ($area IS NULL OR area_of_emphasis = $area)
        AND ($affiliate_type IS NULL OR affiliate_type = $affiliate_type)
        AND ($icma_region IS NULL OR scope_region(icma_region) = $icma_region)
        AND ($affiliate_id IS NULL OR affiliate_id = $affiliate_id)
        AND ($status IS NULL OR status = $status)
        AND (NOT $only_stale OR is_stale)
    ORDER BY list_position($statuses, status), pct_of_expected NULLS LAST, goal_id
    LIMIT $limit
)
SELECT chosen.*, goals.* EXCLUDE (goal_id)
FROM chosen
JOIN scoped_goals($regions, $types) AS goals USING (goal_id)
ORDER BY list_position($statuses, status), pct_of_expected NULLS LAST, goal_id
