-- One row per goal in scope (is_in_scope of its affiliate's region and type) per date of `on_dates`: the goal's
-- status as of that date, judged exactly as analytics.domain.goals.goal_status judges it (the module's docstring
-- gives the rules; tests/store/test_goal_status_sql.py holds the two equal on the bundled data and on random goals).
-- Columns: every column of goal_terms, as_of_on, and goal_status's own (expected_value, expected_pct, latest_value,
-- latest_reported_on, actual_pct, pct_of_expected, status, is_stale). `at_risk_below`, `off_track_below` are the
-- thresholds in force, `tolerance` goals.THRESHOLD_TOLERANCE. Pages read counts and short lists of it, so that
-- hundreds of thousands of goals are judged where they are stored: FROM goal_statuses_on($regions, $types, ...).
CREATE OR REPLACE MACRO goal_statuses_on(regions, types, on_dates, at_risk_below, off_track_below, tolerance) AS TABLE
WITH dates AS (
    SELECT CAST(unnest(on_dates) AS DATE) AS as_of_on
),
scoped_terms AS (
    SELECT * FROM goal_terms AS terms WHERE is_in_scope(regions, types, terms.icma_region, terms.affiliate_type)
),
latest AS (
    -- Every goal in scope on every date, with its latest check-in on or before it (the day it was reported on and
    -- before its next), or none (the goal counts as at its baseline): the goals with one, then the goals without.
    -- A union, not a left join of every goal and date to the check-ins: the join's table would be every check-in
    -- of every date, the union's only the goals'.
    SELECT terms.*, dates.as_of_on, days.reported_on AS latest_reported_on, days.value AS latest_value
    FROM goal_checkin_days AS days
    JOIN dates
        ON days.reported_on <= dates.as_of_on
        AND (days.next_reported_on IS NULL OR days.next_reported_on > dates.as_of_on)
    JOIN scoped_terms AS terms ON terms.goal_id = days.goal_id
    UNION ALL
    SELECT terms.*, dates.as_of_on, NULL AS latest_reported_on, NULL AS latest_value
    FROM scoped_terms AS terms
    JOIN dates ON terms.first_reported_on IS NULL OR dates.as_of_on < terms.first_reported_on
),
shares AS (
    SELECT
        *,
        CASE WHEN direction = 'decrease' THEN -1.0 ELSE 1.0 END AS sign,
        greatest(due_on - start_on, 0) AS term_days,
        latest_reported_on IS NOT NULL AS has_checkin,
        CASE WHEN latest_reported_on IS NOT NULL THEN latest_value ELSE baseline_value END AS value_for_progress,
        CAST(start_on + to_months(reporting_interval_months) AS DATE) AS first_checkin_due_on,
        as_of_on >= start_on AS is_started
    FROM latest
),
progress AS (
    SELECT
        *,
        CASE
            WHEN term_days > 0 THEN least(greatest(CAST(as_of_on - start_on AS DOUBLE) / term_days, 0.0), 1.0)
            ELSE CAST(as_of_on >= due_on AS DOUBLE)
        END AS expected_pct,
        sign * (target_value - baseline_value) AS distance,
        has_checkin AND sign * (value_for_progress - target_value) >= 0 AS is_reached,
        has_checkin AND latest_reported_on >= start_on AS reported_since_start
    FROM shares
),
measured AS (
    SELECT
        *,
        baseline_value + expected_pct * (target_value - baseline_value) AS expected_value,
        -- "+ 0.0" makes the -0.0 of a decrease goal still at its baseline 0.0, as goal_status does.
        CASE
            WHEN distance > 0 THEN sign * (value_for_progress - baseline_value) / distance + 0.0
            ELSE CAST(is_reached AS DOUBLE)
        END AS actual_pct,
        is_started AND NOT reported_since_start AND as_of_on <= first_checkin_due_on AS is_awaiting_first_checkin,
        CASE
            WHEN reported_since_start THEN CAST(latest_reported_on + to_months(reporting_interval_months) AS DATE)
            ELSE first_checkin_due_on
        END AS stale_after_on
    FROM progress
),
rated AS (
    SELECT *, CASE WHEN expected_pct > 0 THEN actual_pct / expected_pct END AS pct_of_expected
    FROM measured
)
SELECT
    goal_id, affiliate_id, icma_region, affiliate_type, area_of_emphasis, direction, baseline_value, target_value,
    start_on, due_on, reporting_interval_months, as_of_on,
    expected_value,
    expected_pct,
    latest_value,
    latest_reported_on,
    actual_pct,
    pct_of_expected,
    CASE
        WHEN NOT is_started THEN 'not_started'
        WHEN is_reached THEN 'achieved'
        WHEN as_of_on > due_on THEN 'overdue'
        WHEN is_awaiting_first_checkin OR expected_pct = 0 OR pct_of_expected >= at_risk_below - tolerance
            THEN 'on_track'
        WHEN pct_of_expected >= off_track_below - tolerance THEN 'at_risk'
        ELSE 'off_track'
    END AS status,
    is_started AND NOT is_reached AND as_of_on > stale_after_on AS is_stale
FROM rated
