-- One row per month: ICMA's own total membership, up to the as-of date (latest snapshot of each month).
SELECT
    last_day(snapshot_on) AS month_end_on,
    arg_max(members, snapshot_on)::BIGINT AS members,
    sum(new_members)::BIGINT AS new_members,
    sum(lapsed_members)::BIGINT AS lapsed_members
FROM icma_membership
WHERE snapshot_on <= $as_of
GROUP BY ALL
ORDER BY month_end_on
