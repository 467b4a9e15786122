-- One row per activity of the affiliate $affiliate_id (past, and planned ones after the as-of date
-- too), newest first, with the ICMA liaison involved and the event attended.
SELECT
    activities.activity_id,
    activities.affiliate_id,
    activities.liaison_id,
    activities.activity_type,
    activities.occurred_on,
    activities.title,
    activities.status,
    activities.event_id,
    activities.is_sample,
    liaisons.name AS liaison_name,
    liaisons.role AS liaison_role,
    events.name AS event_name
FROM activities
LEFT JOIN liaisons USING (liaison_id)
LEFT JOIN events USING (event_id)
WHERE activities.affiliate_id = $affiliate_id
ORDER BY activities.occurred_on DESC, activities.activity_id DESC
