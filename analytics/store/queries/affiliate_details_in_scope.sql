-- One row per affiliate inside the shared filters (regions, affiliate types; empty lists mean all), with every
-- column of the affiliates table (affiliates_in_scope has the columns most pages show); coverage reads it.
SELECT *
FROM scoped_affiliates($regions, $types)
ORDER BY affiliate_type, name
