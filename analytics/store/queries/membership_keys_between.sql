-- One row per membership snapshot key (affiliate and date) between two dates, as every page sees it.
SELECT
    affiliate_id,
    snapshot_on
FROM membership
WHERE snapshot_on BETWEEN $first_on AND $last_on
