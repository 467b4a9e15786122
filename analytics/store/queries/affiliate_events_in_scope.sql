-- One row per event of an affiliate in scope that had started by the as-of date and was not cancelled.
SELECT
    events.event_id,
    events.affiliate_id,
    events.name,
    events.event_type,
    events.start_on,
    coalesce(events.end_on, events.start_on) AS end_on,
    events.date_precision,
    events.is_sample
FROM events
SEMI JOIN scoped_affiliates($regions, $types) USING (affiliate_id)
WHERE events.start_on <= $as_of
  AND NOT events.is_cancelled
ORDER BY events.start_on, events.name
