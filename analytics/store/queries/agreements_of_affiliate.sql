-- One row per agreement of the affiliate $affiliate_id signed on or before the as-of date, newest
-- first, with its liaison.
SELECT
    agreements.agreement_id,
    agreements.affiliate_id,
    agreements.liaison_id,
    agreements.signed_on,
    agreements.renewal_due_on,
    agreements.status AS recorded_status,
    agreements.is_sample,
    liaisons.name AS liaison_name,
    liaisons.role AS liaison_role
FROM agreements
LEFT JOIN liaisons USING (liaison_id)
WHERE agreements.affiliate_id = $affiliate_id
  AND agreements.signed_on <= $as_of
ORDER BY agreements.signed_on DESC, agreements.agreement_id DESC
