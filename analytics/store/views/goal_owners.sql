-- One row per goal: its affiliate and its owner (the goal's owner_id, else the liaison of its agreement), with the
-- owner's name and e-mail (`owner_email`, by which a signed-in person is that liaison).
SELECT
    goals.goal_id,
    agreements.affiliate_id,
    coalesce(goals.owner_id, agreements.liaison_id) AS owner_id,
    liaisons.name AS owner_name,
    lower(trim(liaisons.email)) AS owner_email
FROM goals
JOIN agreements USING (agreement_id)
LEFT JOIN liaisons ON liaisons.liaison_id = coalesce(goals.owner_id, agreements.liaison_id)
