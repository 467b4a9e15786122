-- One row per goal of an agreement: what goal status reads of it (direction, baseline and target, term, reporting
-- interval) and where its agreement's affiliate puts it in the shared filters (ICMA region as recorded, affiliate
-- type), with its area of emphasis, and the day of its first check-in (empty: none yet). Read by the macro
-- goal_statuses_on.
SELECT
    goals.goal_id,
    agreements.affiliate_id,
    affiliates.icma_region,
    affiliates.affiliate_type,
    goals.area_of_emphasis,
    goals.direction,
    goals.baseline_value,
    goals.target_value,
    goals.start_on,
    goals.due_on,
    goals.reporting_interval_months,
    firsts.first_reported_on
FROM goals
JOIN agreements ON agreements.agreement_id = goals.agreement_id
JOIN affiliates ON affiliates.affiliate_id = agreements.affiliate_id
LEFT JOIN (
    SELECT goal_id, min(reported_on) AS first_reported_on FROM goal_checkins GROUP BY goal_id
) AS firsts ON firsts.goal_id = goals.goal_id
