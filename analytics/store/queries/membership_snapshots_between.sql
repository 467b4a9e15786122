-- One row per membership snapshot (affiliate and date) between two dates, as every page sees it.
SELECT
    affiliate_id,
    snapshot_on,
    members,
    icma_members,
    new_members,
    lapsed_members
FROM membership
WHERE snapshot_on BETWEEN $first_on AND $last_on
ORDER BY affiliate_id, snapshot_on
