-- One row per conference attendance activity linked to an event: which ICMA liaison goes, in which state.
SELECT
    activity_id,
    event_id,
    affiliate_id,
    liaison_id,
    activity_type,
    occurred_on,
    status
FROM activities
WHERE activity_type = 'conference_attendance'
  AND event_id IS NOT NULL
ORDER BY event_id, liaison_id, activity_id
