-- When a private message reached its recipients (issue 18): its creation time, or the
-- moment a site admin published it after screening held it. Unread counts and the
-- notification-mail job go by this time, so a held message published later is news
-- like any other instead of hiding behind messages sent while it waited. NULL while the
-- message has never been published.
ALTER TABLE messages ADD COLUMN published_at BIGINT NULL;
UPDATE messages SET published_at = created_at WHERE status = 'published';
CREATE INDEX messages_published ON messages(published_at);
