-- One row per grouping per group per month end, from the first snapshot in scope to the last month end on or
-- before the as-of date: members, also ICMA, their share, joiners and leavers, summed over the affiliates in
-- scope. As in membership_by_month, stocks carry forward (each affiliate counts with its latest snapshot on or
-- before the month end, for at most $max_carry_months months after it) and flows sum what was reported in the
-- month. Three groupings: icma_region, affiliate_type, and affiliate_name for only the $limit affiliates with
-- most members counted at the last month end.
-- The regions and types are read from the rollup membership_reports_by_group_month, the top affiliates from
-- membership_month_reports (through carried_membership_reports) and their own snapshots' joiners and leavers.
WITH group_reports AS MATERIALIZED (
    SELECT icma_region, affiliate_type, month_end_on, stops_on, members, icma_members, new_members, lapsed_members
    FROM carried_group_reports($regions, $types, $as_of, $max_carry_months)
),
reports AS MATERIALIZED (
    SELECT affiliate_id, month_end_on, members, icma_members, stops_on
    FROM carried_membership_reports($regions, $types, $as_of, $max_carry_months)
),
top_affiliates AS MATERIALIZED (
    SELECT affiliate_id, name AS affiliate_name
    FROM reports
    JOIN affiliates USING (affiliate_id)
    WHERE stops_on > last_month_end_on_or_before($as_of)
    ORDER BY members DESC, affiliate_id
    LIMIT $limit
),
changes_by_cell AS (
    -- Regions and types: stocks enter in the month reported and leave when they stop counting, flows count in
    -- their month; a row per region, type and month of the rollup. Then the same per top affiliate.
    SELECT month_end_on, icma_region, affiliate_type, NULL AS affiliate_name, members, icma_members, new_members,
        lapsed_members
    FROM group_reports
    UNION ALL
    SELECT stops_on, icma_region, affiliate_type, NULL, -members, -icma_members, 0, 0
    FROM group_reports
    WHERE stops_on <= last_month_end_on_or_before($as_of)
    UNION ALL
    SELECT r.month_end_on, NULL, NULL, t.affiliate_name, r.members, r.icma_members, 0, 0
    FROM reports AS r
    JOIN top_affiliates AS t USING (affiliate_id)
    UNION ALL
    SELECT r.stops_on, NULL, NULL, t.affiliate_name, -r.members, -r.icma_members, 0, 0
    FROM reports AS r
    JOIN top_affiliates AS t USING (affiliate_id)
    WHERE r.stops_on <= last_month_end_on_or_before($as_of)
    UNION ALL
    SELECT last_day(m.snapshot_on), NULL, NULL, t.affiliate_name, 0, 0, m.new_members, m.lapsed_members
    FROM membership AS m
    JOIN top_affiliates AS t USING (affiliate_id)
    WHERE m.snapshot_on <= last_month_end_on_or_before($as_of)
),
grouped_changes AS (
    SELECT 'icma_region' AS grouping, icma_region AS group_name, month_end_on, members, icma_members, new_members,
        lapsed_members
    FROM changes_by_cell
    WHERE affiliate_name IS NULL
    UNION ALL
    SELECT 'affiliate_type', affiliate_type, month_end_on, members, icma_members, new_members, lapsed_members
    FROM changes_by_cell
    WHERE affiliate_name IS NULL
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
    FROM month_ends((SELECT min(month_end_on) FROM group_reports), last_month_end_on_or_before($as_of))
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
