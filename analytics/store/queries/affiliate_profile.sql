-- One row per affiliate whose affiliate_id is $affiliate_id (so one row, or none for an unknown id).
SELECT *
FROM affiliates
WHERE affiliate_id = $affiliate_id
