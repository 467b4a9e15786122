-- One row per affiliate in scope with an agreement signed by the as-of date: its latest agreement,
-- with the status derived from the dates (lapsed, due for renewal within the window, or active).
WITH latest AS (
    SELECT *
    FROM agreements
    WHERE signed_on <= $as_of
    QUALIFY row_number() OVER (PARTITION BY affiliate_id ORDER BY signed_on DESC, agreement_id DESC) = 1
)
SELECT
    latest.agreement_id,
    scoped.affiliate_id,
    scoped.name AS affiliate_name,
    scoped.acronym,
    scoped.affiliate_type,
    scoped.icma_region,
    scoped.country_name,
    scoped.state_code,
    latest.signed_on,
    latest.renewal_due_on,
    liaisons.name AS liaison_name,
    liaisons.role AS liaison_role,
    CASE
        WHEN latest.renewal_due_on < $as_of THEN 'lapsed'
        WHEN latest.renewal_due_on <= $as_of + to_months($renewal_window_months) THEN 'due_for_renewal'
        ELSE 'active'
    END AS status,
    datediff('day', $as_of, latest.renewal_due_on) AS days_to_renewal
FROM latest
JOIN scoped_affiliates($regions, $types) AS scoped USING (affiliate_id)
LEFT JOIN liaisons USING (liaison_id)
ORDER BY latest.renewal_due_on
