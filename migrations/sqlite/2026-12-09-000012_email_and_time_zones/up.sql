-- Links that prove a member reads an address: a change of address (the link goes to the
-- new one) or, with KINDRED_REQUIRE_EMAIL_VERIFICATION, the address given at
-- registration. Stored as SHA-256 digests like password resets: single use, time-limited,
-- and only the latest link of a member works.
CREATE TABLE email_confirmations (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX email_confirmations_user ON email_confirmations(user_id);

-- True while a member registered under KINDRED_REQUIRE_EMAIL_VERIFICATION has not yet
-- confirmed their address: they may read but not post or join. Accounts from before
-- stay as they were.
ALTER TABLE users ADD COLUMN email_unconfirmed BOOLEAN NOT NULL DEFAULT 0;

-- A member's time zone becomes an IANA name, so digests follow daylight saving. Offsets
-- convert to the zone with that fixed offset: 0 is `UTC`, whole hours are `Etc/GMT±N`
-- (sign reversed by POSIX convention: UTC+2 is `Etc/GMT-2`), and the rest (half hours)
-- fall back to UTC; the member names their zone on the mail settings page.
ALTER TABLE mail_preferences ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
UPDATE mail_preferences SET time_zone = CASE
    WHEN utc_offset_minutes = 0 OR utc_offset_minutes % 60 <> 0
        OR utc_offset_minutes < -720 OR utc_offset_minutes > 840 THEN 'UTC'
    WHEN utc_offset_minutes > 0 THEN 'Etc/GMT-' || (utc_offset_minutes / 60)
    ELSE 'Etc/GMT+' || (-utc_offset_minutes / 60)
END;
ALTER TABLE mail_preferences DROP COLUMN utc_offset_minutes;
