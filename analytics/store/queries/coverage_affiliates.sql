-- One row per affiliate inside the shared filters (regions, affiliate types; empty lists mean all),
-- with every column the coverage measures and tables use.
SELECT *
FROM affiliates
WHERE (len($regions) = 0 OR list_contains($regions, coalesce(icma_region, 'National')))
  AND (len($types) = 0 OR list_contains($types, affiliate_type))
ORDER BY affiliate_type, name
