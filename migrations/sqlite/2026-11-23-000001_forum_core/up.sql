-- Kindred forum core (SQLite). Ids are application-generated, time-ordered 64-bit integers,
-- except events.id, which the database assigns so that it grows in insertion order.
-- Times are microseconds since the Unix epoch.
CREATE TABLE users (
    id BIGINT PRIMARY KEY NOT NULL,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    email TEXT,
    password_hash TEXT NOT NULL,
    site_role TEXT NOT NULL DEFAULT 'member',
    profile_role TEXT,
    conditions TEXT NOT NULL DEFAULT '[]',
    bio TEXT NOT NULL DEFAULT '',
    show_role BOOLEAN NOT NULL DEFAULT 0,
    show_conditions BOOLEAN NOT NULL DEFAULT 0,
    show_bio BOOLEAN NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

CREATE TABLE sessions (
    id BIGINT PRIMARY KEY NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE refresh_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    session_id BIGINT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX refresh_tokens_session ON refresh_tokens(session_id);

CREATE TABLE communities (
    id BIGINT PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    rules TEXT NOT NULL,
    kind TEXT NOT NULL,
    condition_tags TEXT NOT NULL DEFAULT '[]',
    visibility TEXT NOT NULL,
    join_policy TEXT NOT NULL,
    member_count BIGINT NOT NULL DEFAULT 0,
    created_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE memberships (
    community_id BIGINT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL DEFAULT 'member',
    state TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (community_id, user_id)
);
CREATE INDEX memberships_user ON memberships(user_id);

CREATE TABLE threads (
    id BIGINT PRIMARY KEY NOT NULL,
    community_id BIGINT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    pinned BOOLEAN NOT NULL DEFAULT 0,
    locked BOOLEAN NOT NULL DEFAULT 0,
    post_count BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    last_post_at BIGINT NOT NULL
);
CREATE INDEX threads_listing ON threads(community_id, pinned, last_post_at, id);

CREATE TABLE posts (
    id BIGINT PRIMARY KEY NOT NULL,
    thread_id BIGINT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    community_id BIGINT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    body_source TEXT NOT NULL,
    body_html TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    edited_at BIGINT,
    deleted_at BIGINT
);
CREATE INDEX posts_thread ON posts(thread_id, id);
CREATE INDEX posts_author ON posts(author_id);

CREATE TABLE post_revisions (
    id BIGINT PRIMARY KEY NOT NULL,
    post_id BIGINT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    body_source TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX post_revisions_post ON post_revisions(post_id);

CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    community_id BIGINT,
    thread_id BIGINT,
    post_id BIGINT,
    actor_id BIGINT,
    payload TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
