-- One row per affiliate inside the shared filters counted at the month end `month_end_on`: its members and members
-- also in ICMA from its latest snapshot on or before that month end, when that snapshot lies in the month or in the
-- `max_carry_months` months before it (as membership_by_month counts an affiliate that has not reported since).
CREATE OR REPLACE MACRO members_counted_at(regions, types, month_end_on, max_carry_months) AS TABLE
SELECT
    m.affiliate_id,
    arg_max(m.members, m.snapshot_on)::BIGINT AS members,
    arg_max(m.icma_members, m.snapshot_on)::BIGINT AS icma_members
FROM membership AS m
SEMI JOIN scoped_affiliates(regions, types) USING (affiliate_id)
WHERE m.snapshot_on <= month_end_on
  AND m.snapshot_on > last_day(month_end_on - to_months(max_carry_months + 1))
GROUP BY m.affiliate_id
