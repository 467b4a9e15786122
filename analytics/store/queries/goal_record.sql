-- One row per goal whose id is $goal_id (one at most), with its affiliate and its owner (id, name, e-mail).
SELECT goals.* EXCLUDE (owner_id), owners.affiliate_id, owners.owner_id, owners.owner_name, owners.owner_email
FROM goals
JOIN goal_owners AS owners USING (goal_id)
WHERE goals.goal_id = $goal_id
