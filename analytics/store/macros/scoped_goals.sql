-- One row per goal of an agreement of an affiliate inside the shared filters (scoped_affiliates), with the
-- affiliate, its liaison and the goal's owner (goal_owners): what goals_in_scope lists, and what the queries of
-- one owner's goals filter. Called with the bound lists: FROM scoped_goals($regions, $types).
CREATE OR REPLACE MACRO scoped_goals(regions, types) AS TABLE
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
JOIN scoped_affiliates(regions, types) AS scoped ON scoped.affiliate_id = agreements.affiliate_id
JOIN goal_owners AS owners USING (goal_id)
LEFT JOIN liaisons ON liaisons.liaison_id = agreements.liaison_id
