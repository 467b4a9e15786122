-- One row per activity dated on or before the as-of date, of an affiliate inside the shared filters
-- (any status: the activity score decides which ones count).
WITH scoped AS (
    SELECT affiliate_id
    FROM affiliates
    WHERE (len($regions) = 0 OR list_contains($regions, coalesce(icma_region, 'National')))
      AND (len($types) = 0 OR list_contains($types, affiliate_type))
)
SELECT activities.activity_id, activities.affiliate_id, activities.liaison_id, activities.activity_type,
       activities.occurred_on, activities.title, activities.status
FROM activities
SEMI JOIN scoped USING (affiliate_id)
WHERE activities.occurred_on <= $as_of
ORDER BY activities.affiliate_id, activities.occurred_on, activities.activity_id
