-- One row per goal in scope whose status on `since` differs from its status on `as_of` (goal_statuses_on, under
-- the thresholds in force): the goals "What changed" lists. It judges every goal in SQL so that only the changed
-- ones (a few hundred of hundreds of thousands) reach pandas, where changes.goal_changes judges them again with
-- goals.goal_status and writes their reasons (tests/domain/test_changes.py holds the two sets equal).
-- Called with the bound values: FROM goals_changed_between($regions, $types, $since, $as_of, ...).
CREATE OR REPLACE MACRO goals_changed_between(regions, types, since, as_of, at_risk_below, off_track_below, tolerance) AS TABLE
SELECT goal_id
FROM goal_statuses_on(regions, types, [since, as_of], at_risk_below, off_track_below, tolerance)
GROUP BY goal_id
HAVING count(DISTINCT status) > 1
