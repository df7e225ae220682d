-- Duty of care (issue 19). A wellbeing item: a post whose author screening found at
-- `medium` or `high` self-harm risk, or that a member reported as "someone may be at
-- risk". It sits at the top of the moderators' queue until a moderator reaches out.
-- `sentences` is a JSON array of the sentences that made the level (the author's words).
CREATE TABLE wellbeing_items (
    id BIGINT PRIMARY KEY NOT NULL,
    community_id BIGINT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    post_id BIGINT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    level TEXT NOT NULL,
    source TEXT NOT NULL,
    sentences TEXT NOT NULL,
    reached_out_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    reached_out_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX wellbeing_items_post ON wellbeing_items(post_id);
CREATE INDEX wellbeing_items_community ON wellbeing_items(community_id, reached_out_at);

-- The crisis-resources panel a member at risk sees: when it was last shown and whether
-- they dismissed it. It is shown again at most once a day.
CREATE TABLE care_prompts (
    user_id BIGINT PRIMARY KEY NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    shown_at BIGINT NOT NULL,
    dismissed_at BIGINT
);
