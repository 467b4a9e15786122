-- One row per data folder (one in all): the date of the latest fact reported so far, whatever the filters: a membership snapshot, ICMA's
-- own membership, a goal check-in or an activity done (planned and confirmed activities are not reports).
SELECT max(reported_on)::DATE AS latest_reported_on
FROM (
    SELECT max(snapshot_on) AS reported_on FROM membership
    UNION ALL
    SELECT max(snapshot_on) FROM icma_membership
    UNION ALL
    SELECT max(reported_on) FROM goal_checkins
    UNION ALL
    SELECT max(occurred_on) FROM activities WHERE status = 'done'
)
