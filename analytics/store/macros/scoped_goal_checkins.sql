-- One row per check-in reported on or before `until_on`, for goals of agreements of affiliates inside the shared
-- filters (scoped_affiliates): what goal_checkins_in_scope lists.
-- Called with the bound values: FROM scoped_goal_checkins($regions, $types, $as_of).
CREATE OR REPLACE MACRO scoped_goal_checkins(regions, types, until_on) AS TABLE
SELECT goal_checkins.*
FROM goal_checkins
JOIN goals USING (goal_id)
JOIN agreements USING (agreement_id)
SEMI JOIN scoped_affiliates(regions, types) USING (affiliate_id)
WHERE goal_checkins.reported_on <= until_on
