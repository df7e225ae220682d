-- The vocabulary terms each post mentions (issue 20), so that the insights page sums
-- instead of reading and scanning every post's HTML on each view. One row per post,
-- written with the post's body (insert, edit, tombstone); `terms` is the encoding of
-- `kindred_insights::Mentions` (empty when the post mentions nothing). Status, deletion,
-- author and consent stay on `posts` and `users` and are joined at read time. Existing
-- posts are filled at startup by `service::insights::fill_terms`, which also empties the
-- table when the vocabulary it was computed with (`insight_vocabulary`) changed; a post
-- without a row is scanned from its HTML when the page is built, so figures never wait
-- for the filling.
CREATE TABLE post_insight_terms (
    post_id BIGINT PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,
    terms TEXT NOT NULL
);
CREATE TABLE insight_vocabulary (
    fingerprint TEXT PRIMARY KEY
);
