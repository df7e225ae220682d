-- Content notes (issue 19): what an author marked a post or a thread with ("end of life",
-- …), which notes a member wants folded away, and a community's defaults for members who
-- have not chosen. Notes are stored as their names joined by commas, in a fixed order
-- (`ContentNotes::to_stored`); a post or thread without notes has no row.
CREATE TABLE post_content_notes (
    post_id BIGINT PRIMARY KEY NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    notes TEXT NOT NULL
);
CREATE TABLE thread_content_notes (
    thread_id BIGINT PRIMARY KEY NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    notes TEXT NOT NULL
);
-- A row means the member chose (an empty `collapse` too: they chose to fold nothing).
CREATE TABLE member_content_notes (
    user_id BIGINT PRIMARY KEY NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    collapse TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE TABLE community_content_notes (
    community_id BIGINT PRIMARY KEY NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    collapse TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
