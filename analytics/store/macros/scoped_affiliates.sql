-- One row per affiliate inside the shared filters, with every column of `affiliates`: its region (scope_region)
-- is one of `regions` and its affiliate_type one of `types`; an empty list means all. Called with the bound lists:
-- FROM scoped_affiliates($regions, $types).
CREATE OR REPLACE MACRO scoped_affiliates(regions, types) AS TABLE
SELECT *
FROM affiliates
WHERE (len(regions) = 0 OR list_contains(regions, scope_region(icma_region)))
  AND (len(types) = 0 OR list_contains(types, affiliate_type))
