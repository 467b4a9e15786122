-- One row per affiliate in scope that reported by the as-of date: its latest month-end snapshot, its
-- snapshot of the same month a year earlier (empty when it did not report then), the change, the share
-- also in ICMA, and joiners and leavers over the twelve months up to its latest snapshot.
WITH scoped AS (
    SELECT
        affiliate_id,
        name AS affiliate_name,
        affiliate_type,
        coalesce(icma_region, 'National') AS icma_region
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
latest AS (
    SELECT affiliate_id, max(month_end_on) AS latest_on
    FROM affiliate_months
    GROUP BY affiliate_id
),
per_affiliate AS (
    SELECT
        l.affiliate_id,
        l.latest_on,
        max(a.members) FILTER (WHERE a.month_end_on = l.latest_on) AS members,
        max(a.icma_members) FILTER (WHERE a.month_end_on = l.latest_on) AS icma_members,
        max(a.members) FILTER (WHERE a.month_end_on = last_day(l.latest_on - INTERVAL 1 YEAR)) AS members_year_before,
        sum(a.new_members) FILTER (WHERE a.month_end_on > l.latest_on - INTERVAL 1 YEAR) AS new_members_12_months,
        sum(a.lapsed_members) FILTER (WHERE a.month_end_on > l.latest_on - INTERVAL 1 YEAR) AS lapsed_members_12_months
    FROM latest AS l
    JOIN affiliate_months AS a USING (affiliate_id)
    GROUP BY l.affiliate_id, l.latest_on
)
SELECT
    p.affiliate_id,
    s.affiliate_name,
    s.affiliate_type,
    s.icma_region,
    p.latest_on,
    p.members::BIGINT AS members,
    p.members_year_before::BIGINT AS members_year_before,
    (p.members - p.members_year_before)::BIGINT AS change,
    CASE WHEN p.members_year_before > 0 THEN (p.members - p.members_year_before) / p.members_year_before END
        AS change_pct,
    p.icma_members::BIGINT AS icma_members,
    CASE WHEN p.members > 0 THEN p.icma_members / p.members END AS share_icma,
    p.new_members_12_months::BIGINT AS new_members_12_months,
    p.lapsed_members_12_months::BIGINT AS lapsed_members_12_months
FROM per_affiliate AS p
JOIN scoped AS s USING (affiliate_id)
ORDER BY p.members DESC, p.affiliate_id
