-- Back to offsets: the zone's DST is lost; `Etc/GMT±N` zones come back exactly, others as 0.
ALTER TABLE mail_preferences ADD COLUMN utc_offset_minutes INTEGER NOT NULL DEFAULT 0;
UPDATE mail_preferences SET utc_offset_minutes = -60 * CAST(SUBSTR(time_zone, 8) AS INTEGER)
    WHERE time_zone LIKE 'Etc/GMT_%';
ALTER TABLE mail_preferences DROP COLUMN time_zone;
ALTER TABLE users DROP COLUMN email_unconfirmed;
DROP TABLE email_confirmations;
