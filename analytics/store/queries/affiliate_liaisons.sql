-- One row per affiliate in a relationship and each liaison who works with it, with the liaison's name, role and e-mail.
SELECT
    links.affiliate_id,
    affiliates.name AS affiliate_name,
    links.liaison_id,
    liaisons.name AS liaison_name,
    liaisons.role AS liaison_role,
    lower(trim(liaisons.email)) AS liaison_email,
    links.is_agreement_liaison
FROM affiliate_liaisons AS links
JOIN affiliates USING (affiliate_id)
JOIN liaisons USING (liaison_id)
ORDER BY affiliates.name, links.is_agreement_liaison DESC, liaisons.name
