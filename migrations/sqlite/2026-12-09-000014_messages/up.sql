-- Blocks, thread mutes and private messages (issue 18).

-- `blocker_id` does not want to hear from `blocked_id`: no messages either way, the
-- blocked member's posts collapsed for the blocker, no notifications from them.
CREATE TABLE blocks (
    blocker_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    blocked_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (blocker_id, blocked_id)
);
CREATE INDEX blocks_blocked ON blocks(blocked_id);

-- A member who muted a thread hears nothing more of it (no notifications, so no mail).
CREATE TABLE thread_mutes (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    thread_id BIGINT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, thread_id)
);
CREATE INDEX thread_mutes_thread ON thread_mutes(thread_id);

-- A private conversation of 2 to 5 members; it belongs to no community.
CREATE TABLE conversations (
    id BIGINT PRIMARY KEY NOT NULL,
    created_at BIGINT NOT NULL,
    last_message_at BIGINT NOT NULL
);

-- Its participants. An erased member's row stays with `user_id` NULL, so that the
-- others still read "a former member" among the participants.
CREATE TABLE conversation_members (
    id BIGINT PRIMARY KEY NOT NULL,
    conversation_id BIGINT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    last_read_at BIGINT NOT NULL,
    muted BOOLEAN NOT NULL,
    joined_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX conversation_members_unique ON conversation_members(conversation_id, user_id);
CREATE INDEX conversation_members_user ON conversation_members(user_id);

-- Messages, screened like posts: `held` ones are seen by their author and site admins
-- only. Erasing a member deletes their messages.
CREATE TABLE messages (
    id BIGINT PRIMARY KEY NOT NULL,
    conversation_id BIGINT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    author_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    body_source TEXT NOT NULL,
    body_html TEXT NOT NULL,
    status TEXT NOT NULL,
    moderation_note TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX messages_conversation ON messages(conversation_id, id);
CREATE INDEX messages_author ON messages(author_id);
CREATE INDEX messages_status ON messages(status, id);

-- "Report this message": for site admins, with the text as it was when reported.
CREATE TABLE message_reports (
    id BIGINT PRIMARY KEY NOT NULL,
    message_id BIGINT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    reporter_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    reason TEXT NOT NULL,
    message_text TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    resolved_at BIGINT
);
CREATE UNIQUE INDEX message_reports_once ON message_reports(message_id, reporter_id);
CREATE INDEX message_reports_open ON message_reports(resolved_at, id);
