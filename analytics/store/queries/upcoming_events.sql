-- One row per event not yet over on the as-of date (ICMA's own events and those of affiliates in
-- scope), soonest first, at most $limit rows.
SELECT
    events.event_id,
    events.name,
    events.organizer,
    events.event_type,
    events.start_on,
    coalesce(events.end_on, events.start_on) AS end_on,
    events.date_precision,
    events.city,
    events.country_name,
    events.website,
    events.is_sample,
    events.source,
    events.confidence
FROM events
LEFT JOIN scoped_affiliates($regions, $types) AS scoped USING (affiliate_id)
WHERE coalesce(events.end_on, events.start_on) >= $as_of
  AND NOT events.is_cancelled
  AND (events.affiliate_id IS NULL OR scoped.affiliate_id IS NOT NULL)
ORDER BY events.start_on, events.name
LIMIT $limit
