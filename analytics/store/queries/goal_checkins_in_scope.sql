-- One row per check-in reported on or before the as-of date, for goals of affiliates in scope.
WITH scoped AS (
    SELECT affiliate_id
    FROM affiliates
    WHERE (len($regions) = 0 OR list_contains($regions, coalesce(icma_region, 'National')))
      AND (len($types) = 0 OR list_contains($types, affiliate_type))
)
SELECT goal_checkins.*
FROM goal_checkins
JOIN goals USING (goal_id)
JOIN agreements USING (agreement_id)
SEMI JOIN scoped USING (affiliate_id)
WHERE goal_checkins.reported_on <= $as_of
ORDER BY goal_checkins.goal_id, goal_checkins.reported_on
