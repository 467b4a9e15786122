-- One row per affiliate inside the shared filters (is_in_scope), with every column of `affiliates`: its region
-- (scope_region) is one of `regions` and its affiliate_type one of `types`; an empty list means all. Called with the
-- bound lists: FROM scoped_affiliates($regions, $types).
CREATE OR REPLACE MACRO scoped_affiliates(regions, types) AS TABLE
SELECT *
FROM affiliates
WHERE is_in_scope(regions, types, icma_region, affiliate_type)
