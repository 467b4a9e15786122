-- One value per date: the latest month end on or before it (the date itself when it is a month end), the last
-- month the membership totals show at that as-of date.
CREATE OR REPLACE MACRO last_month_end_on_or_before(on_date) AS last_day(on_date + INTERVAL 1 DAY - INTERVAL 1 MONTH)
