-- Reactions: one-tap support from a small fixed set (`with_you`, `thank_you`, `me_too`,
-- `helpful`; see `domain::reaction`). A member reacts at most once per kind to a post.
-- Both foreign keys cascade: an erased member's reactions go with them, and a post's
-- with the post.
CREATE TABLE post_reactions (
    post_id BIGINT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (post_id, user_id, kind)
);
-- The primary key serves counts per post; this serves a member's export and erasure.
CREATE INDEX post_reactions_user ON post_reactions(user_id);

-- Bookmarks: posts a member saved to read again (`/me/saved`). Private to the member;
-- a post that is later held, removed, deleted or out of their sight is not listed.
CREATE TABLE bookmarks (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    post_id BIGINT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, post_id)
);
