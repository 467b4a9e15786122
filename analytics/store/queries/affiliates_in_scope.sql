-- One row per affiliate inside the shared filters (regions, affiliate types); empty lists mean all.
SELECT
    affiliate_id,
    name,
    acronym,
    affiliate_type,
    country_iso3,
    country_name,
    state_code,
    icma_region,
    world_region,
    website,
    relationship_since,
    status,
    confidence
FROM scoped_affiliates($regions, $types)
ORDER BY affiliate_type, name
