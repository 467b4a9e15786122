-- One row per affiliate in a relationship and each liaison who works with it, with the liaison's name, role and e-mail.
SELECT *
FROM named_affiliate_liaisons()
ORDER BY affiliate_name, is_agreement_liaison DESC, liaison_name
