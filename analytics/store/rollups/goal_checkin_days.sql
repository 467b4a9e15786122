-- One row per goal per day on which it had a check-in: the value reported that day, and the goal's next day with a
-- check-in (empty for its latest), so that a goal's latest check-in on or before a date is the one row with
-- reported_on <= date < next_reported_on. Of two check-ins of a goal on one day the one with the later checkin_id
-- counts, as in goal status (check-ins are listed by goal, date and checkin_id, and of two on one day the one listed
-- last is the latest). Read by the macro goal_statuses_on.
SELECT
    goal_id,
    reported_on,
    value,
    lead(reported_on) OVER (PARTITION BY goal_id ORDER BY reported_on) AS next_reported_on
FROM (
    SELECT goal_id, reported_on, value
    FROM goal_checkins
    QUALIFY row_number() OVER (PARTITION BY goal_id, reported_on ORDER BY checkin_id DESC) = 1
) AS days
