-- Which post a reply answers, for "replies to your post" notifications.
ALTER TABLE posts ADD COLUMN reply_to_id BIGINT REFERENCES posts(id) ON DELETE SET NULL;

-- Threads a member asked to hear about.
CREATE TABLE thread_watches (
    thread_id BIGINT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (thread_id, user_id)
);
CREATE INDEX thread_watches_user ON thread_watches(user_id);

-- Stored notifications: one per (recipient, post, kind). Rows name ids only; the text
-- shown is read from the post at display time, so an edit or removal is reflected.
CREATE TABLE notifications (
    id BIGINT PRIMARY KEY NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    community_id BIGINT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    thread_id BIGINT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    post_id BIGINT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    actor_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    detail TEXT,
    created_at BIGINT NOT NULL,
    read_at BIGINT
);
CREATE UNIQUE INDEX notifications_once ON notifications(user_id, post_id, kind);
CREATE INDEX notifications_inbox ON notifications(user_id, id);
CREATE INDEX notifications_unread ON notifications(user_id) WHERE read_at IS NULL;
