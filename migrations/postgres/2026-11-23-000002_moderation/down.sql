DROP TABLE mod_log;
DROP TABLE reports;
DROP TABLE mod_queue;
ALTER TABLE posts DROP COLUMN moderation_note;
ALTER TABLE memberships DROP COLUMN suspended_until;
ALTER TABLE communities DROP COLUMN moderation_policy;
