-- One row per ICMA region (as the scope knows it: scope_region), affiliate type, month end and months to the next
-- report inside the shared filters, up to the last month end on or before `as_of` (a row of the rollup
-- membership_reports_by_group_month), with stops_on: the month end from which those reports no longer count, their
-- next report's month or the end of the carry, `max_carry_months` months after them, whichever comes first (as
-- carried_membership_reports gives it per affiliate).
CREATE OR REPLACE MACRO carried_group_reports(regions, types, as_of, max_carry_months) AS TABLE
SELECT
    scope_region(r.icma_region) AS icma_region,
    r.affiliate_type,
    r.month_end_on,
    last_day(
        r.month_end_on + to_months(least(coalesce(r.months_to_next_report, max_carry_months + 1), max_carry_months + 1))
    ) AS stops_on,
    r.count_reports,
    r.members,
    r.icma_members,
    r.new_members,
    r.lapsed_members
FROM membership_reports_by_group_month AS r
WHERE is_in_scope(regions, types, r.icma_region, r.affiliate_type)
  AND r.month_end_on <= last_month_end_on_or_before(as_of)
