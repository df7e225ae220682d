-- Every export of de-identified insights: who, when, what scope.
CREATE TABLE insights_audit (
    id BIGINT PRIMARY KEY NOT NULL,
    actor_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    channel TEXT NOT NULL,
    community_id BIGINT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    from_month TEXT NOT NULL,
    to_month TEXT NOT NULL,
    format TEXT NOT NULL,
    outcome TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
