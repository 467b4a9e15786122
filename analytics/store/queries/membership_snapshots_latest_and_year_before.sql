-- One row per membership snapshot the coverage measures need, for affiliates inside the shared
-- filters: each affiliate's latest snapshot on or before the as-of date, and its snapshots in the
-- same calendar month a year before that one (for growth over a year).
WITH known AS (
    SELECT m.affiliate_id, m.snapshot_on, m.members, m.icma_members
    FROM membership AS m
    SEMI JOIN scoped_affiliates($regions, $types) USING (affiliate_id)
    WHERE m.snapshot_on <= $as_of
),
latest AS (
    SELECT affiliate_id, max(snapshot_on) AS latest_on
    FROM known
    GROUP BY affiliate_id
)
SELECT known.affiliate_id, known.snapshot_on, known.members, known.icma_members
FROM known
JOIN latest USING (affiliate_id)
WHERE known.snapshot_on = latest.latest_on
   OR date_trunc('month', known.snapshot_on) = date_trunc('month', latest.latest_on) - INTERVAL 12 MONTH
ORDER BY known.affiliate_id, known.snapshot_on
