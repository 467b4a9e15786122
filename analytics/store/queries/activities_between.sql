-- One row per activity of an affiliate in scope dated after $since and on or before the as-of date (any status),
-- with the affiliate, the ICMA liaison involved and the event attended, oldest first.
SELECT
    activities.activity_id,
    activities.affiliate_id,
    scoped.name AS affiliate_name,
    activities.activity_type,
    activities.occurred_on,
    activities.title,
    activities.status,
    liaisons.name AS liaison_name,
    events.name AS event_name
FROM activities
JOIN scoped_affiliates($regions, $types) AS scoped ON scoped.affiliate_id = activities.affiliate_id
LEFT JOIN liaisons ON liaisons.liaison_id = activities.liaison_id
LEFT JOIN events ON events.event_id = activities.event_id
WHERE activities.occurred_on > $since
  AND activities.occurred_on <= $as_of
ORDER BY activities.occurred_on, activities.activity_id
