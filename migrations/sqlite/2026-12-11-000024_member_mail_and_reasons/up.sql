-- Issue 18: mail for new private messages. A member's preference for it (no row in
-- `mail_preferences` means the default, `immediately`), and per member of a conversation
-- the creation time of the newest message the mail job has dealt with, so each message
-- is mailed (or skipped) once even with two nodes running the job. Existing members start
-- at the newest message now: nothing already sent before this migration is mailed.
ALTER TABLE mail_preferences ADD COLUMN private_message TEXT NOT NULL DEFAULT 'immediately';
ALTER TABLE conversation_members ADD COLUMN mailed_through BIGINT NOT NULL DEFAULT 0;
UPDATE conversation_members SET mailed_through = COALESCE(
    (SELECT MAX(m.created_at) FROM messages m WHERE m.conversation_id = conversation_members.conversation_id),
    0);

-- Issue 18: canned removal reasons per community, kept by its moderators; at most one is
-- the default, used by one-click removal from the queue.
CREATE TABLE removal_reasons (
    id BIGINT PRIMARY KEY NOT NULL,
    community_id BIGINT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    is_default BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX removal_reasons_community ON removal_reasons(community_id);
