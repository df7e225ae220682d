DROP TABLE notifications;
DROP TABLE thread_watches;
ALTER TABLE posts DROP COLUMN reply_to_id;
