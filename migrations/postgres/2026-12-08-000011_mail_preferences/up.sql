-- Which notification mail a member wants, per kind: `immediately`, `daily`, `weekly` or
-- `never`. No row means the defaults (`service::mail_preferences::Preferences::default`).
-- Digests go out at `digest_hour` local time, local time being UTC plus
-- `utc_offset_minutes` (an offset, not an IANA zone: see README, "Mail").
CREATE TABLE mail_preferences (
    user_id BIGINT PRIMARY KEY NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    reply_to_thread TEXT NOT NULL,
    reply_to_post TEXT NOT NULL,
    mention TEXT NOT NULL,
    watched_thread TEXT NOT NULL,
    moderation_outcome TEXT NOT NULL,
    show_content BOOLEAN NOT NULL,
    utc_offset_minutes INTEGER NOT NULL,
    digest_hour INTEGER NOT NULL,
    last_daily_at BIGINT,
    last_weekly_at BIGINT,
    updated_at BIGINT NOT NULL
);

-- When a notification was dealt with by mail (sent, put in a digest, or skipped because
-- the member read it, may no longer see it, or does not want it mailed).
ALTER TABLE notifications ADD COLUMN mailed_at BIGINT;
-- What was there before this migration is not mailed: members saw it (or not) without mail.
UPDATE notifications SET mailed_at = created_at;
CREATE INDEX notifications_unmailed ON notifications(mailed_at, created_at);
