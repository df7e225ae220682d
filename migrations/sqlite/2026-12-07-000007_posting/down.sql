DROP TABLE idempotency_keys;
DROP INDEX notifications_post;
ALTER TABLE users DROP COLUMN removed_posts;
ALTER TABLE users DROP COLUMN published_posts;
