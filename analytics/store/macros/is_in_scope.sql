-- One value per affiliate (or group of affiliates of one ICMA region and type): whether it is inside the shared
-- filters, its region (scope_region) one of `regions` and its affiliate_type one of `types`; an empty list means all.
-- The one definition of the scope: scoped_affiliates and the queries over rollups both call it.
CREATE OR REPLACE MACRO is_in_scope(regions, types, region, type_of_affiliate) AS
(len(regions) = 0 OR list_contains(regions, scope_region(region)))
AND (len(types) = 0 OR list_contains(types, type_of_affiliate))
