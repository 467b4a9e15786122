-- One row per grouping per group per month end, from the first snapshot in scope to the last month end on or
-- before the as-of date: members, also ICMA, their share, joiners and leavers, summed over the affiliates in
-- scope. As in membership_by_month, stocks carry forward (each affiliate counts with its latest snapshot on or
-- before the month end, for at most $max_carry_months months after it) and flows sum what was reported in the
-- month. Three groupings: icma_region, affiliate_type, and affiliate_name for only the $limit affiliates with
-- most members counted at the last month end.
WITH scoped AS (
    SELECT affiliate_id, scope_region(icma_region) AS icma_region, affiliate_type, name AS affiliate_name
    FROM scoped_affiliates($regions, $types)
),
reports AS MATERIALIZED (
    SELECT affiliate_id, month_end_on, members, icma_members, stops_on
    FROM carried_membership_reports($regions, $types, $as_of, $max_carry_months)
),
top_affiliates AS (
    SELECT affiliate_id
    FROM reports
    WHERE stops_on > last_month_end_on_or_before($as_of)
    ORDER BY members DESC, affiliate_id
    LIMIT $limit
),
cells AS (
    -- The groups of each affiliate; affiliate_name only for the top affiliates.
    SELECT
        s.affiliate_id,
        s.icma_region,
        s.affiliate_type,
        CASE WHEN t.affiliate_id IS NOT NULL THEN s.affiliate_name END AS affiliate_name
    FROM scoped AS s
    LEFT JOIN top_affiliates AS t USING (affiliate_id)
),
changes AS (
    -- Stocks enter in the month reported and leave when they stop counting; flows count in their month.
    SELECT affiliate_id, month_end_on, members, icma_members, 0 AS new_members, 0 AS lapsed_members
    FROM reports
    UNION ALL
    SELECT affiliate_id, stops_on, -members, -icma_members, 0, 0
    FROM reports
    WHERE stops_on <= last_month_end_on_or_before($as_of)
    UNION ALL
    SELECT affiliate_id, last_day(snapshot_on), 0, 0, new_members, lapsed_members
    FROM membership
    WHERE snapshot_on <= last_month_end_on_or_before($as_of)
),
changes_by_cell AS (
    -- Few cells (month x region x type x top affiliate), so the three groupings roll up from them cheaply.
    SELECT
        c.month_end_on,
        s.icma_region,
        s.affiliate_type,
        s.affiliate_name,
        sum(c.members) AS members,
        sum(c.icma_members) AS icma_members,
        sum(c.new_members) AS new_members,
        sum(c.lapsed_members) AS lapsed_members
    FROM changes AS c
    JOIN cells AS s USING (affiliate_id)
    GROUP BY ALL
),
grouped_changes AS (
    SELECT 'icma_region' AS grouping, icma_region AS group_name, month_end_on, members, icma_members, new_members,
        lapsed_members
    FROM changes_by_cell
    UNION ALL
    SELECT 'affiliate_type', affiliate_type, month_end_on, members, icma_members, new_members, lapsed_members
    FROM changes_by_cell
    UNION ALL
    SELECT 'affiliate_name', affiliate_name, month_end_on, members, icma_members, new_members, lapsed_members
    FROM changes_by_cell
    WHERE affiliate_name IS NOT NULL
),
groups AS (
    SELECT grouping, group_name, min(month_end_on) AS first_month_end_on
    FROM grouped_changes
    GROUP BY ALL
),
months AS (
    SELECT month_end_on
    FROM month_ends((SELECT min(month_end_on) FROM reports), last_month_end_on_or_before($as_of))
),
grid AS (
    SELECT g.grouping, g.group_name, months.month_end_on
    FROM groups AS g
    JOIN months ON months.month_end_on >= g.first_month_end_on
),
sums AS (
    SELECT
        grid.grouping,
        grid.month_end_on,
        grid.group_name AS "group",
        sum(coalesce(c.members, 0)) OVER running::BIGINT AS members,
        sum(coalesce(c.icma_members, 0)) OVER running::BIGINT AS icma_members,
        coalesce(c.new_members, 0)::BIGINT AS new_members,
        coalesce(c.lapsed_members, 0)::BIGINT AS lapsed_members
    FROM grid
    LEFT JOIN (
        SELECT grouping, group_name, month_end_on, sum(members) AS members, sum(icma_members) AS icma_members,
            sum(new_members) AS new_members, sum(lapsed_members) AS lapsed_members
        FROM grouped_changes
        GROUP BY ALL
    ) AS c USING (grouping, group_name, month_end_on)
    WINDOW running AS (PARTITION BY grid.grouping, grid.group_name ORDER BY grid.month_end_on)
)
SELECT
    *,
    CASE WHEN members > 0 THEN icma_members / members END AS share_icma
FROM sums
ORDER BY grouping, "group", month_end_on
