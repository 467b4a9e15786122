-- One row per affiliate inside the shared filters per month in which it reported membership, up to the last month
-- end on or before `as_of` (a row of membership_month_reports), with stops_on: the month end from which the report
-- no longer counts, its next report's month or the end of the carry, `max_carry_months` months after it, whichever
-- comes first. The report counts at every month end from month_end_on up to the one before stops_on.
CREATE OR REPLACE MACRO carried_membership_reports(regions, types, as_of, max_carry_months) AS TABLE
SELECT
    r.affiliate_id,
    r.month_end_on,
    r.members,
    r.icma_members,
    r.next_month_end_on,
    least(r.next_month_end_on, last_day(r.month_end_on + to_months(max_carry_months + 1))) AS stops_on
FROM membership_month_reports AS r
SEMI JOIN scoped_affiliates(regions, types) USING (affiliate_id)
WHERE r.month_end_on <= last_month_end_on_or_before(as_of)
