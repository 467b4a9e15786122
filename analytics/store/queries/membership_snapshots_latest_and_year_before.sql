-- One row per membership snapshot the coverage measures need, for affiliates inside the shared
-- filters: each affiliate's latest snapshot on or before the as-of date, and its snapshots in the
-- same calendar month a year before that one (for growth over a year). The snapshots are joined to each
-- affiliate's wanted dates with a range in the join, so that only the rows from a year before on pass it.
WITH known AS (
    SELECT m.affiliate_id, m.snapshot_on, m.members, m.icma_members
    FROM membership AS m
    SEMI JOIN scoped_affiliates($regions, $types) USING (affiliate_id)
    WHERE m.snapshot_on <= $as_of
),
wanted AS (
    SELECT
        affiliate_id,
        max(snapshot_on) AS latest_on,
        date_trunc('month', max(snapshot_on)) - INTERVAL 12 MONTH AS earlier_from
    FROM known
    GROUP BY affiliate_id
)
SELECT known.affiliate_id, known.snapshot_on, known.members, known.icma_members
FROM known
JOIN wanted
    ON wanted.affiliate_id = known.affiliate_id
    AND known.snapshot_on >= wanted.earlier_from
WHERE known.snapshot_on = wanted.latest_on OR known.snapshot_on < wanted.earlier_from + INTERVAL 1 MONTH
ORDER BY known.affiliate_id, known.snapshot_on
