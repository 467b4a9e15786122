-- One row per affiliate in scope per month, up to the as-of date: its latest snapshot of the month,
-- joiners and leavers summed over the month, with the affiliate's name, type and region.
WITH scoped AS (
    SELECT
        affiliate_id,
        name AS affiliate_name,
        affiliate_type,
        coalesce(icma_region, 'National') AS icma_region
    FROM affiliates
    WHERE (len($regions) = 0 OR list_contains($regions, coalesce(icma_region, 'National')))
      AND (len($types) = 0 OR list_contains($types, affiliate_type))
)
SELECT
    m.affiliate_id,
    s.affiliate_name,
    s.affiliate_type,
    s.icma_region,
    last_day(m.snapshot_on) AS month_end_on,
    arg_max(m.members, m.snapshot_on)::BIGINT AS members,
    arg_max(m.icma_members, m.snapshot_on)::BIGINT AS icma_members,
    sum(m.new_members)::BIGINT AS new_members,
    sum(m.lapsed_members)::BIGINT AS lapsed_members
FROM membership AS m
JOIN scoped AS s USING (affiliate_id)
WHERE m.snapshot_on <= $as_of
GROUP BY ALL
ORDER BY m.affiliate_id, month_end_on
