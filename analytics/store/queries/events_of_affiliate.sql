-- One row per event organized by the affiliate $affiliate_id, newest first (past and future: an
-- event's date is a fact, not a report).
SELECT
    event_id,
    name,
    organizer,
    event_type,
    start_on,
    coalesce(end_on, start_on) AS end_on,
    date_precision,
    is_cancelled,
    city,
    country_name,
    venue,
    website,
    notes,
    source,
    confidence,
    is_sample
FROM events
WHERE affiliate_id = $affiliate_id
ORDER BY start_on DESC, name
