-- Moderation: per-community policy, screening and report queue, member reports, and the
-- append-only moderation log.
ALTER TABLE communities ADD COLUMN moderation_policy TEXT NOT NULL DEFAULT '{}';
ALTER TABLE memberships ADD COLUMN suspended_until BIGINT;
-- What the author is told about their held or removed post, in plain words.
ALTER TABLE posts ADD COLUMN moderation_note TEXT;

CREATE TABLE mod_queue (
    id BIGINT PRIMARY KEY NOT NULL,
    community_id BIGINT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    post_id BIGINT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    labels TEXT NOT NULL,
    scores TEXT NOT NULL,
    reasons TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX mod_queue_listing ON mod_queue(community_id, state, id);
CREATE INDEX mod_queue_post ON mod_queue(post_id);

CREATE TABLE reports (
    id BIGINT PRIMARY KEY NOT NULL,
    post_id BIGINT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    community_id BIGINT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    reporter_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    weight BIGINT NOT NULL,
    state TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (post_id, reporter_id)
);
CREATE INDEX reports_reporter ON reports(reporter_id);

-- Append-only: the code has no update or delete path for these rows.
CREATE TABLE mod_log (
    id BIGINT PRIMARY KEY NOT NULL,
    community_id BIGINT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    queue_item_id BIGINT,
    post_id BIGINT,
    target_user_id BIGINT,
    moderator_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    action TEXT NOT NULL,
    reason TEXT NOT NULL,
    note TEXT,
    sanction TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX mod_log_community ON mod_log(community_id, id);
