-- Bereavement, appeals and clinician context (issue 19).

-- A memorialised account: at a family's request an admin keeps it as "In memory of …".
-- It cannot sign in and nothing notifies or mails it; its posts stay.
CREATE TABLE memorials (
    user_id BIGINT PRIMARY KEY NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    memorialised_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    memorialised_at BIGINT NOT NULL
);

-- A member an admin verified as a clinician, with the role shown on their context notes.
CREATE TABLE clinicians (
    user_id BIGINT PRIMARY KEY NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    verified_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    verified_at BIGINT NOT NULL
);

-- A short note a clinician or moderator attaches under a post. `label` is the writer's
-- role when they last wrote it ("oncology nurse", "moderator").
CREATE TABLE context_notes (
    id BIGINT PRIMARY KEY NOT NULL,
    post_id BIGINT NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    community_id BIGINT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    writer_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    body_source TEXT NOT NULL,
    body_html TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    edited_at BIGINT
);
CREATE INDEX context_notes_post ON context_notes(post_id, id);
CREATE INDEX context_notes_writer ON context_notes(writer_id);

-- An appeal against one moderation decision (a `mod_log` row): one per decision.
-- `state` is `open`, `upheld` or `overturned`.
CREATE TABLE appeals (
    id BIGINT PRIMARY KEY NOT NULL,
    decision_id BIGINT NOT NULL REFERENCES mod_log(id) ON DELETE CASCADE,
    community_id BIGINT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    appellant_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    state TEXT NOT NULL,
    decided_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    decided_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX appeals_decision ON appeals(decision_id);
CREATE INDEX appeals_community ON appeals(community_id, state);
CREATE INDEX appeals_appellant ON appeals(appellant_id);
