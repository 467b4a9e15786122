-- One row per goal in scope needing attention on the as-of date (a status of $attention_statuses, worst first, under
-- the thresholds in force: goal_statuses_on), in the order goals.at_risk_list gives: overdue and off-track goals
-- before at-risk ones, then the lowest share of the expected progress, the worse status, the goal. Only the first
-- $limit, with every column of goals_in_scope and the goal's status figures.
WITH attention AS (
    SELECT
        goal_id, expected_value, expected_pct, latest_value, latest_reported_on, actual_pct, pct_of_expected,
        status, is_stale
    FROM goal_statuses_on($regions, $types, [$as_of], $at_risk_below, $off_track_below, $tolerance)
    WHERE list_contains($attention_statuses, status)
    ORDER BY status = 'at_risk', pct_of_expected NULLS LAST, list_position($attention_statuses, status), goal_id
    LIMIT $limit
)
SELECT attention.*, goals.* EXCLUDE (goal_id)
FROM attention
JOIN scoped_goals($regions, $types) AS goals USING (goal_id)
ORDER BY status = 'at_risk', pct_of_expected NULLS LAST, list_position($attention_statuses, status), goal_id
