DROP INDEX messages_published;
ALTER TABLE messages DROP COLUMN published_at;
