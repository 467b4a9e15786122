-- One row per affiliate in scope with a goal, by name: its id and the label the Goals page lists it by, its name,
-- or its name and id where two affiliates share a name (so that every label names one affiliate).
WITH named AS (
    SELECT DISTINCT affiliate_id, affiliate_name
    FROM scoped_goals($regions, $types)
)
SELECT
    affiliate_id,
    affiliate_name,
    CASE
        WHEN count(*) OVER (PARTITION BY affiliate_name) > 1 THEN affiliate_name || ' (' || affiliate_id || ')'
        ELSE affiliate_name
    END AS label
FROM named
ORDER BY affiliate_name, affiliate_id
