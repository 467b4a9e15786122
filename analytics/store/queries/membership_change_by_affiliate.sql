-- One row per affiliate in scope counted at the last month end on or before $since or at the last month end on or
-- before the as-of date: its members and members also in ICMA counted at each (empty when it was not counted then),
-- for a like-for-like change between the two dates over the affiliates counted at both (what changed, digest).
WITH month_ends AS (
    SELECT last_month_end_on_or_before($as_of) AS month_end_on, last_month_end_on_or_before($since) AS before_on
),
counted_now AS (
    SELECT * FROM members_counted_at($regions, $types, last_month_end_on_or_before($as_of), $max_carry_months)
),
counted_before AS (
    SELECT * FROM members_counted_at($regions, $types, last_month_end_on_or_before($since), $max_carry_months)
)
SELECT
    affiliate_id,
    month_ends.month_end_on,
    month_ends.before_on,
    counted_now.members,
    counted_now.icma_members,
    counted_before.members AS members_before,
    counted_before.icma_members AS icma_members_before
FROM counted_now
FULL OUTER JOIN counted_before USING (affiliate_id)
CROSS JOIN month_ends
ORDER BY affiliate_id
