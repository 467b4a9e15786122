-- One row per comment on the goal $goal_id as the data folder itself holds it (none when it has no such file).
SELECT
    comment_id,
    goal_id,
    checkin_id,
    CAST(commented_on AS DATE) AS commented_on,
    author,
    comment
FROM raw_goal_comments
WHERE goal_id = $goal_id
ORDER BY commented_on
