-- One row per affiliate in scope that reported by the last month end on or before the as-of date: its latest
-- month-end snapshot, the members it counted twelve months earlier (its latest snapshot on or before that
-- month end, for at most $max_carry_months months after it, as in membership_by_month; empty when it was not
-- counted then), the change, the share also in ICMA, and joiners and leavers over the twelve months up to its
-- latest snapshot.
WITH scoped AS (
    SELECT affiliate_id, name AS affiliate_name, affiliate_type, scope_region(icma_region) AS icma_region
    FROM scoped_affiliates($regions, $types)
),
reports AS MATERIALIZED (
    SELECT affiliate_id, month_end_on, members, icma_members, next_month_end_on, stops_on
    FROM carried_membership_reports($regions, $types, $as_of, $max_carry_months)
),
latest AS (
    SELECT
        affiliate_id,
        month_end_on AS latest_on,
        last_day(month_end_on - INTERVAL 1 YEAR) AS year_before_on,
        members,
        icma_members
    FROM reports
    WHERE next_month_end_on IS NULL OR next_month_end_on > last_month_end_on_or_before($as_of)
),
year_before AS (
    SELECT l.affiliate_id, r.members AS members_year_before
    FROM latest AS l
    JOIN reports AS r
        ON r.affiliate_id = l.affiliate_id
        AND r.month_end_on <= l.year_before_on
        AND r.stops_on > l.year_before_on
),
flows AS (
    SELECT
        l.affiliate_id,
        sum(m.new_members) AS new_members_12_months,
        sum(m.lapsed_members) AS lapsed_members_12_months
    FROM latest AS l
    JOIN membership AS m
        ON m.affiliate_id = l.affiliate_id
        AND m.snapshot_on > l.year_before_on
        AND m.snapshot_on <= l.latest_on
    GROUP BY l.affiliate_id
)
SELECT
    l.affiliate_id,
    s.affiliate_name,
    s.affiliate_type,
    s.icma_region,
    l.latest_on,
    l.members::BIGINT AS members,
    y.members_year_before::BIGINT AS members_year_before,
    (l.members - y.members_year_before)::BIGINT AS change,
    CASE WHEN y.members_year_before > 0 THEN (l.members - y.members_year_before) / y.members_year_before END
        AS change_pct,
    l.icma_members::BIGINT AS icma_members,
    CASE WHEN l.members > 0 THEN l.icma_members / l.members END AS share_icma,
    f.new_members_12_months::BIGINT AS new_members_12_months,
    f.lapsed_members_12_months::BIGINT AS lapsed_members_12_months
FROM latest AS l
JOIN scoped AS s USING (affiliate_id)
LEFT JOIN year_before AS y USING (affiliate_id)
LEFT JOIN flows AS f USING (affiliate_id)
ORDER BY l.members DESC, l.affiliate_id
