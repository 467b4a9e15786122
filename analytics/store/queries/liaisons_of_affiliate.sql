-- One row per liaison who works with the affiliate $affiliate_id, agreement liaisons first, with name, role and e-mail.
SELECT *
FROM named_affiliate_liaisons()
WHERE affiliate_id = $affiliate_id
ORDER BY is_agreement_liaison DESC, liaison_name
