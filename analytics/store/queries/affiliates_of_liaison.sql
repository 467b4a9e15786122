-- One row per affiliate the liaison $liaison_id works with, by the affiliate's name, with the liaison's name and role.
SELECT *
FROM named_affiliate_liaisons()
WHERE liaison_id = $liaison_id
ORDER BY affiliate_name, is_agreement_liaison DESC
