-- One row per event, ICMA's own and those of affiliates in scope (shared region and type filters; empty
-- lists mean all); events that name no affiliate are kept. Every column of the events table, soonest first.
SELECT events.*
FROM events
LEFT JOIN scoped_affiliates($regions, $types) AS scoped USING (affiliate_id)
WHERE events.affiliate_id IS NULL OR scoped.affiliate_id IS NOT NULL
ORDER BY events.start_on, events.event_id
