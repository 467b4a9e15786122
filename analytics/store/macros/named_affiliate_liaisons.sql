-- One row per affiliate in a relationship and each liaison who works with it (the view affiliate_liaisons), with the
-- affiliate's name and the liaison's name, role and e-mail: the whole list (query affiliate_liaisons) and one
-- affiliate's or one liaison's share it. Called as FROM named_affiliate_liaisons().
CREATE OR REPLACE MACRO named_affiliate_liaisons() AS TABLE
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
