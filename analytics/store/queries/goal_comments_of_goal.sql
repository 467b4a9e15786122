-- One row per comment on the goal $goal_id, or on one of its check-ins, that counts now, oldest first.
SELECT *
FROM goal_comments
WHERE goal_id = $goal_id
ORDER BY commented_on, comment_id
