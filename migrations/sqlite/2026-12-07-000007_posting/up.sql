-- Each member's published (not deleted) and removed posts, for their trust level. Kept
-- up to date by every write that changes a post's status or deletes it, in the same
-- transaction, so screening reads one row instead of counting the member's history.
ALTER TABLE users ADD COLUMN published_posts BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN removed_posts BIGINT NOT NULL DEFAULT 0;
UPDATE users SET
    published_posts = (SELECT COUNT(*) FROM posts WHERE posts.author_id = users.id
                       AND posts.status = 'published' AND posts.deleted_at IS NULL),
    removed_posts = (SELECT COUNT(*) FROM posts WHERE posts.author_id = users.id
                     AND posts.status = 'removed');

-- Publishing a post looks up who was already notified about it.
CREATE INDEX notifications_post ON notifications(post_id);

-- The first answer to each creating request sent with an `Idempotency-Key`, written in
-- the transaction that created the thread, post or report, and replayed to a retry of
-- the same request for 24 hours. `fingerprint` is a SHA-256 of what the request asked.
-- The answer quotes the post it created (`post_id`), so it goes when the post is
-- deleted, and with the member when they are erased.
CREATE TABLE idempotency_keys (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status BIGINT NOT NULL,
    response TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    post_id BIGINT REFERENCES posts(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);
CREATE INDEX idempotency_keys_post ON idempotency_keys(post_id);
