-- One row per grouping per group per month, up to the as-of date: members, also ICMA, their share, joiners
-- and leavers, summed over the affiliates in scope (each with its latest snapshot of the month). Three
-- groupings: icma_region, affiliate_type, and affiliate_name for only the $limit affiliates with most members
-- in the latest month of the scope.
WITH scoped AS (
    SELECT
        affiliate_id,
        coalesce(icma_region, 'National') AS icma_region,
        affiliate_type,
        name AS affiliate_name
    FROM affiliates
    WHERE (len($regions) = 0 OR list_contains($regions, coalesce(icma_region, 'National')))
      AND (len($types) = 0 OR list_contains($types, affiliate_type))
),
affiliate_months AS (
    SELECT
        m.affiliate_id,
        last_day(m.snapshot_on) AS month_end_on,
        arg_max(m.members, m.snapshot_on) AS members,
        arg_max(m.icma_members, m.snapshot_on) AS icma_members,
        sum(m.new_members) AS new_members,
        sum(m.lapsed_members) AS lapsed_members
    FROM membership AS m
    SEMI JOIN scoped USING (affiliate_id)
    WHERE m.snapshot_on <= $as_of
    GROUP BY ALL
),
top_affiliates AS (
    SELECT affiliate_id
    FROM affiliate_months
    WHERE month_end_on = (SELECT max(month_end_on) FROM affiliate_months)
    ORDER BY members DESC, affiliate_id
    LIMIT $limit
),
grouped AS (
    SELECT 'icma_region' AS grouping, s.icma_region AS group_name, a.*
    FROM affiliate_months AS a
    JOIN scoped AS s USING (affiliate_id)
    UNION ALL
    SELECT 'affiliate_type' AS grouping, s.affiliate_type AS group_name, a.*
    FROM affiliate_months AS a
    JOIN scoped AS s USING (affiliate_id)
    UNION ALL
    SELECT 'affiliate_name' AS grouping, s.affiliate_name AS group_name, a.*
    FROM affiliate_months AS a
    JOIN scoped AS s USING (affiliate_id)
    WHERE a.affiliate_id IN (SELECT affiliate_id FROM top_affiliates)
),
sums AS (
    SELECT
        grouping,
        month_end_on,
        group_name AS "group",
        sum(members)::BIGINT AS members,
        sum(icma_members)::BIGINT AS icma_members,
        sum(new_members)::BIGINT AS new_members,
        sum(lapsed_members)::BIGINT AS lapsed_members
    FROM grouped
    GROUP BY ALL
)
SELECT
    *,
    CASE WHEN members > 0 THEN icma_members / members END AS share_icma
FROM sums
ORDER BY grouping, "group", month_end_on
