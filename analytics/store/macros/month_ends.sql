-- One row per month end from the month of `first_on` to `last_on` (none when first_on is empty or later).
CREATE OR REPLACE MACRO month_ends(first_on, last_on) AS TABLE
SELECT last_day(unnest(generate_series(date_trunc('month', first_on), last_on, INTERVAL 1 MONTH))) AS month_end_on
