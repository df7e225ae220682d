-- What each username looks like (its confusable skeleton: `rnaria_mod` and `maria_mod`
-- share one), so that a new name that looks like a taken one is refused. Rows for
-- accounts made before this table are filled in by the server at start.
CREATE TABLE username_skeletons (
    user_id BIGINT PRIMARY KEY NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    skeleton TEXT NOT NULL
);
CREATE INDEX username_skeletons_skeleton ON username_skeletons(skeleton);
