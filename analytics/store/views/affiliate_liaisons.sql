-- One row per affiliate in a relationship and each liaison who works with it: the liaisons its agreements name
-- (`is_agreement_liaison`) and, by ICMA's structure, the Regional Vice Presidents and the Regional Director of a
-- state association's region, the International Committee for international affiliates, staff for national ones.
SELECT affiliate_id, liaison_id, bool_or(is_agreement_liaison) AS is_agreement_liaison
FROM (
    SELECT affiliate_id, liaison_id, true AS is_agreement_liaison
    FROM agreements
    UNION ALL
    SELECT affiliates.affiliate_id, liaisons.liaison_id, false AS is_agreement_liaison
    FROM affiliates
    JOIN liaisons ON (
        affiliates.affiliate_type = 'state'
        AND liaisons.icma_region = affiliates.icma_region
        AND liaisons.role IN ('Regional Vice President', 'Regional Director')
    ) OR (
        affiliates.affiliate_type = 'international' AND liaisons.role = 'International Committee member'
    ) OR (
        affiliates.affiliate_type = 'national' AND liaisons.role = 'Staff'
    )
    WHERE affiliates.status <> 'candidate'
)
GROUP BY affiliate_id, liaison_id
