-- One row per affiliate in scope counted at the last month end on or before the as-of date or twelve months
-- before it: its members and members also in ICMA counted at each (empty when it was not counted then). As
-- in membership_by_month, an affiliate counts at a month end with its latest snapshot on or before it, for at
-- most $max_carry_months months after that snapshot. For a like-for-like change over the affiliates counted
-- at both month ends.
WITH month_ends AS (
    -- A snapshot counts at a month end when it lies in that month or in the $max_carry_months months before.
    SELECT
        month_end_on,
        year_before_on,
        last_day(month_end_on - to_months($max_carry_months + 1)) AS counts_after_on,
        last_day(year_before_on - to_months($max_carry_months + 1)) AS counts_year_before_after_on
    FROM (
        SELECT
            last_month_end_on_or_before($as_of) AS month_end_on,
            last_day($as_of + INTERVAL 1 DAY - INTERVAL 13 MONTH) AS year_before_on
    )
),
counted AS (
    SELECT
        m.affiliate_id,
        arg_max(m.members, m.snapshot_on) FILTER (WHERE m.snapshot_on > w.counts_after_on) AS members,
        arg_max(m.icma_members, m.snapshot_on) FILTER (WHERE m.snapshot_on > w.counts_after_on) AS icma_members,
        arg_max(m.members, m.snapshot_on) FILTER (
            WHERE m.snapshot_on > w.counts_year_before_after_on AND m.snapshot_on <= w.year_before_on
        ) AS members_year_before,
        arg_max(m.icma_members, m.snapshot_on) FILTER (
            WHERE m.snapshot_on > w.counts_year_before_after_on AND m.snapshot_on <= w.year_before_on
        ) AS icma_members_year_before
    FROM membership AS m
    SEMI JOIN scoped_affiliates($regions, $types) USING (affiliate_id)
    CROSS JOIN month_ends AS w
    WHERE m.snapshot_on > w.counts_year_before_after_on
      AND m.snapshot_on <= w.month_end_on
    GROUP BY m.affiliate_id
)
SELECT
    c.affiliate_id,
    w.month_end_on,
    w.year_before_on,
    c.members::BIGINT AS members,
    c.icma_members::BIGINT AS icma_members,
    c.members_year_before::BIGINT AS members_year_before,
    c.icma_members_year_before::BIGINT AS icma_members_year_before
FROM counted AS c
CROSS JOIN month_ends AS w
WHERE c.members IS NOT NULL OR c.members_year_before IS NOT NULL
ORDER BY c.affiliate_id
