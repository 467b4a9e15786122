-- One row per goal of an agreement of an affiliate in scope, with the affiliate, its liaison and the goal's owner.
SELECT
    goals.* EXCLUDE (owner_id),
    agreements.affiliate_id,
    scoped.name AS affiliate_name,
    scoped.acronym AS affiliate_acronym,
    scoped.affiliate_type,
    scope_region(scoped.icma_region) AS icma_region,
    scoped.country_name,
    liaisons.name AS liaison_name,
    owners.owner_id,
    owners.owner_name,
    owners.owner_email
FROM goals
JOIN agreements USING (agreement_id)
JOIN scoped_affiliates($regions, $types) AS scoped ON scoped.affiliate_id = agreements.affiliate_id
JOIN goal_owners AS owners USING (goal_id)
LEFT JOIN liaisons ON liaisons.liaison_id = agreements.liaison_id
ORDER BY goals.goal_id
