-- One row per affiliate inside the shared filters (regions, affiliate types; empty lists mean all),
-- with every column the coverage measures and tables use.
SELECT *
FROM scoped_affiliates($regions, $types)
ORDER BY affiliate_type, name
