-- One row per goal of an agreement of an affiliate in scope, with the affiliate and liaison behind it.
WITH scoped AS (
    SELECT affiliate_id, name, acronym, affiliate_type, icma_region, country_name
    FROM affiliates
    WHERE (len($regions) = 0 OR list_contains($regions, coalesce(icma_region, 'National')))
      AND (len($types) = 0 OR list_contains($types, affiliate_type))
)
SELECT
    goals.*,
    agreements.affiliate_id,
    scoped.name AS affiliate_name,
    scoped.acronym AS affiliate_acronym,
    scoped.affiliate_type,
    coalesce(scoped.icma_region, 'National') AS icma_region,
    scoped.country_name,
    liaisons.name AS liaison_name
FROM goals
JOIN agreements USING (agreement_id)
JOIN scoped ON scoped.affiliate_id = agreements.affiliate_id
LEFT JOIN liaisons ON liaisons.liaison_id = agreements.liaison_id
ORDER BY goals.goal_id
