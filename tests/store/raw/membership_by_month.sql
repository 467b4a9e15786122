-- One row per month end, from the first snapshot in scope to the last month end on or before the as-of date:
-- the membership of the affiliates in scope. Stocks (members, icma_members) carry forward: each affiliate
-- counts with its latest snapshot on or before the month end, for at most $max_carry_months months after it,
-- so a quarterly reporter or a late one does not vanish from the total. Flows (new_members, lapsed_members)
-- are not carried: they sum what was reported in the month. count_affiliates_reporting reported in the month,
-- count_affiliates_counted were counted in it (carried or not).
WITH reports AS MATERIALIZED (
    SELECT month_end_on, members, icma_members, stops_on
    FROM carried_membership_reports($regions, $types, $as_of, $max_carry_months)
),
stock_changes AS (
    SELECT month_end_on, members, icma_members, 1 AS affiliates, 1 AS reporting
    FROM reports
    UNION ALL
    SELECT stops_on, -members, -icma_members, -1, 0
    FROM reports
    WHERE stops_on <= last_month_end_on_or_before($as_of)
),
stock_changes_by_month AS (
    SELECT
        month_end_on,
        sum(members) AS members,
        sum(icma_members) AS icma_members,
        sum(affiliates) AS affiliates,
        sum(reporting) AS reporting
    FROM stock_changes
    GROUP BY month_end_on
),
flows_by_month AS (
    SELECT
        last_day(m.snapshot_on) AS month_end_on,
        sum(m.new_members) AS new_members,
        sum(m.lapsed_members) AS lapsed_members
    FROM membership AS m
    SEMI JOIN scoped_affiliates($regions, $types) USING (affiliate_id)
    WHERE m.snapshot_on <= last_month_end_on_or_before($as_of)
    GROUP BY ALL
),
months AS (
    SELECT month_end_on
    FROM month_ends((SELECT min(month_end_on) FROM reports), last_month_end_on_or_before($as_of))
)
SELECT
    month_end_on,
    coalesce(c.reporting, 0)::BIGINT AS count_affiliates_reporting,
    sum(coalesce(c.affiliates, 0)) OVER running::BIGINT AS count_affiliates_counted,
    sum(coalesce(c.members, 0)) OVER running::BIGINT AS members,
    sum(coalesce(c.icma_members, 0)) OVER running::BIGINT AS icma_members,
    coalesce(f.new_members, 0)::BIGINT AS new_members,
    coalesce(f.lapsed_members, 0)::BIGINT AS lapsed_members
FROM months
LEFT JOIN stock_changes_by_month AS c USING (month_end_on)
LEFT JOIN flows_by_month AS f USING (month_end_on)
WINDOW running AS (ORDER BY month_end_on)
ORDER BY month_end_on
