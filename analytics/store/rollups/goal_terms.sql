-- One row per goal of an agreement: what goal status reads of it (direction, baseline and target, term, reporting
-- interval) and where its agreement's affiliate puts it in the shared filters (ICMA region as recorded, affiliate
-- type), with its area of emphasis. Read by the macro goal_statuses_on.
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
    goals.reporting_interval_months
FROM goals
JOIN agreements ON agreements.agreement_id = goals.agreement_id
JOIN affiliates ON affiliates.affiliate_id = agreements.affiliate_id
