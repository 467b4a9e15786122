-- One row per month end, from the first snapshot in scope to the last month end on or before the as-of date:
-- the membership of the affiliates in scope. Stocks (members, icma_members) carry forward: each affiliate
-- counts with its latest snapshot on or before the month end, for at most $max_carry_months months after it,
-- so a quarterly reporter or a late one does not vanish from the total. Flows (new_members, lapsed_members)
-- are not carried: they sum what was reported in the month. count_affiliates_reporting reported in the month,
-- count_affiliates_counted were counted in it (carried or not).
WITH scoped AS (
    SELECT affiliate_id
    FROM affiliates
    WHERE (len($regions) = 0 OR list_contains($regions, coalesce(icma_region, 'National')))
      AND (len($types) = 0 OR list_contains($types, affiliate_type))
),
bounds AS (
    SELECT last_day($as_of + INTERVAL 1 DAY - INTERVAL 1 MONTH) AS last_month_end_on
),
reports AS MATERIALIZED (
    -- Each report counts from its month until the affiliate's next report or until the carry runs out.
    SELECT
        r.month_end_on,
        r.members,
        r.icma_members,
        least(r.next_month_end_on, last_day(r.month_end_on + to_months($max_carry_months + 1))) AS stops_on
    FROM membership_month_reports AS r
    SEMI JOIN scoped USING (affiliate_id)
    WHERE r.month_end_on <= (SELECT last_month_end_on FROM bounds)
),
stock_changes AS (
    SELECT month_end_on, members, icma_members, 1 AS affiliates, 1 AS reporting
    FROM reports
    UNION ALL
    SELECT stops_on, -members, -icma_members, -1, 0
    FROM reports
    WHERE stops_on <= (SELECT last_month_end_on FROM bounds)
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
    SEMI JOIN scoped USING (affiliate_id)
    WHERE m.snapshot_on <= (SELECT last_month_end_on FROM bounds)
    GROUP BY ALL
),
months AS (
    SELECT last_day(unnest(generate_series(
        date_trunc('month', (SELECT min(month_end_on) FROM reports)),
        (SELECT last_month_end_on FROM bounds),
        INTERVAL 1 MONTH
    ))) AS month_end_on
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
