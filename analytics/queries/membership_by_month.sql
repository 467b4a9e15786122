-- One row per month: affiliate membership summed over the affiliates in scope, up to the as-of date.
-- An affiliate reporting twice in a month counts once, with its latest snapshot of that month.
WITH scoped AS (
    SELECT affiliate_id
    FROM affiliates
    WHERE (len($regions) = 0 OR list_contains($regions, coalesce(icma_region, 'National')))
      AND (len($types) = 0 OR list_contains($types, affiliate_type))
),
latest_in_month AS (
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
)
SELECT
    month_end_on,
    count(*)::BIGINT AS count_affiliates_reporting,
    sum(members)::BIGINT AS members,
    sum(icma_members)::BIGINT AS icma_members,
    sum(new_members)::BIGINT AS new_members,
    sum(lapsed_members)::BIGINT AS lapsed_members
FROM latest_in_month
GROUP BY month_end_on
ORDER BY month_end_on
