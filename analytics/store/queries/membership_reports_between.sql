-- One row per membership snapshot of an affiliate in scope dated after $since and on or before the as-of date, with
-- the affiliate's previous snapshot (its date and members; empty when there is none within $max_carry_months
-- months before $since), for the alert on membership falling in a report.
WITH reports AS (
    SELECT
        m.affiliate_id,
        m.snapshot_on,
        m.members,
        lag(m.snapshot_on) OVER (PARTITION BY m.affiliate_id ORDER BY m.snapshot_on) AS previous_snapshot_on,
        lag(m.members) OVER (PARTITION BY m.affiliate_id ORDER BY m.snapshot_on) AS previous_members
    FROM membership AS m
    SEMI JOIN scoped_affiliates($regions, $types) USING (affiliate_id)
    WHERE m.snapshot_on <= $as_of
      AND m.snapshot_on > $since - to_months($max_carry_months + 1)
)
SELECT
    reports.affiliate_id,
    affiliates.name AS affiliate_name,
    reports.snapshot_on,
    reports.members::BIGINT AS members,
    reports.previous_snapshot_on,
    reports.previous_members::BIGINT AS previous_members
FROM reports
JOIN affiliates USING (affiliate_id)
WHERE reports.snapshot_on > $since
ORDER BY reports.affiliate_id, reports.snapshot_on
