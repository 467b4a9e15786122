-- One row per goal of an agreement of the affiliate $affiliate_id signed on or before the as-of date.
SELECT goals.*
FROM goals
JOIN agreements USING (agreement_id)
WHERE agreements.affiliate_id = $affiliate_id
  AND agreements.signed_on <= $as_of
ORDER BY goals.area_of_emphasis, goals.goal_id
