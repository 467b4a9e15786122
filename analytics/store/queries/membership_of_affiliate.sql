-- One row per month: the affiliate $affiliate_id's membership up to the as-of date (its latest
-- snapshot of each month; joiners and leavers summed over the month).
SELECT
    last_day(snapshot_on) AS month_end_on,
    arg_max(members, snapshot_on)::BIGINT AS members,
    arg_max(icma_members, snapshot_on)::BIGINT AS icma_members,
    sum(new_members)::BIGINT AS new_members,
    sum(lapsed_members)::BIGINT AS lapsed_members
FROM membership
WHERE affiliate_id = $affiliate_id
  AND snapshot_on <= $as_of
GROUP BY ALL
ORDER BY month_end_on
