-- Consent: who may see a member's shared profile fields, whether others with the same
-- condition may find them, whether their posts may count towards de-identified insights.
-- Every choice is also kept, with its time, in consent_history.
ALTER TABLE users ADD COLUMN profile_audience TEXT NOT NULL DEFAULT 'members';
ALTER TABLE users ADD COLUMN discoverable BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN insights_opt_in BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE consent_history (
    id BIGINT PRIMARY KEY NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    consent TEXT NOT NULL,
    value TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX consent_history_user ON consent_history(user_id, id);
