-- One row per affiliate per month in which it reported membership: its latest snapshot of that month, and
-- the month end of its next report (empty when it has not reported since). Stocks (members, icma_members)
-- only; joiners and leavers are flows, summed from `membership` over the month by the queries that show them.
-- A page query counts an affiliate at a month end with its latest report on or before it, for at most
-- `max_carry_months` months after that report: from month_end_on until the earlier of next_month_end_on and
-- that limit.
SELECT
    affiliate_id,
    last_day(snapshot_on) AS month_end_on,
    members,
    icma_members,
    last_day(lead(snapshot_on) OVER (PARTITION BY affiliate_id ORDER BY snapshot_on)) AS next_month_end_on
FROM membership
QUALIFY next_month_end_on IS DISTINCT FROM month_end_on
