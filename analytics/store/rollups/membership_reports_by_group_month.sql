-- One row per ICMA region, affiliate type, month end and months until the next report (empty: none since): the
-- affiliates' membership reports of that month (membership_month_reports: each affiliate's latest snapshot of a
-- month it reported) summed, with the joiners and leavers of all their snapshots of the month. Small (regions x
-- types x month ends x the few report intervals), and enough for the network's carried totals at any as-of date
-- and carry limit: a report counts from its month until its next report or the end of the carry, whichever comes
-- first (membership_by_month applies the carry, so the rollup takes no parameter).
WITH flows AS (
    SELECT
        affiliate_id,
        last_day(snapshot_on) AS month_end_on,
        sum(new_members) AS new_members,
        sum(lapsed_members) AS lapsed_members
    FROM membership
    GROUP BY ALL
)
SELECT
    a.icma_region,
    a.affiliate_type,
    r.month_end_on,
    -- month boundaries crossed (DuckDB's datediff('month'); Spark's counts whole months, 0 from 31 Jan to 29 Feb)
    CAST(
        (year(r.next_month_end_on) - year(r.month_end_on)) * 12 + month(r.next_month_end_on) - month(r.month_end_on)
        AS INTEGER
    ) AS months_to_next_report,
    count(*)::BIGINT AS count_reports,
    sum(r.members)::BIGINT AS members,
    sum(r.icma_members)::BIGINT AS icma_members,
    sum(f.new_members)::BIGINT AS new_members,
    sum(f.lapsed_members)::BIGINT AS lapsed_members
FROM membership_month_reports AS r
JOIN affiliates AS a USING (affiliate_id)
JOIN flows AS f USING (affiliate_id, month_end_on)
GROUP BY ALL
ORDER BY ALL
