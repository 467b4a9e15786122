-- One row per goal: its affiliate and its owner (id, name, e-mail), as the view goal_owners says.
SELECT goal_id, affiliate_id, owner_id, owner_name, owner_email
FROM goal_owners
ORDER BY goal_id
