-- One row per agreement signed on or before the as-of date by an affiliate inside the shared filters.
WITH scoped AS (
    SELECT affiliate_id
    FROM affiliates
    WHERE (len($regions) = 0 OR list_contains($regions, coalesce(icma_region, 'National')))
      AND (len($types) = 0 OR list_contains($types, affiliate_type))
)
SELECT agreements.*
FROM agreements
SEMI JOIN scoped USING (affiliate_id)
WHERE agreements.signed_on <= $as_of
ORDER BY agreements.affiliate_id, agreements.signed_on
