-- One row per goal in scope with the label $label, "<affiliate> — <title>", as a link names a goal
-- (analytics.core.links.goal_link): its id and affiliate, only the first by id where two goals share a label.
SELECT goal_id, affiliate_id
FROM scoped_goals($regions, $types)
WHERE affiliate_name || ' — ' || title = $label
ORDER BY goal_id
LIMIT 1
