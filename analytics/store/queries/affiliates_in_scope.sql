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
FROM affiliates
WHERE (len($regions) = 0 OR list_contains($regions, coalesce(icma_region, 'National')))
  AND (len($types) = 0 OR list_contains($types, affiliate_type))
ORDER BY affiliate_type, name
