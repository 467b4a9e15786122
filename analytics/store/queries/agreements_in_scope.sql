-- One row per agreement signed on or before the as-of date by an affiliate inside the shared filters.
SELECT agreements.*
FROM agreements
SEMI JOIN scoped_affiliates($regions, $types) USING (affiliate_id)
WHERE agreements.signed_on <= $as_of
ORDER BY agreements.affiliate_id, agreements.signed_on
