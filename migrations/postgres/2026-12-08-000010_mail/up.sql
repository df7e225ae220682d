-- Mail waiting to go out, written in the same transaction as what caused it (a reset
-- request, a reply) and sent later by each node's sender task. A row is claimed by
-- moving `next_attempt_at` past a lease and stamping `claim`; a node that dies mid-send
-- leaves the row to be claimed again when the lease runs out (at-least-once delivery).
CREATE TABLE mail_outbox (
    id BIGINT PRIMARY KEY NOT NULL,
    message_id TEXT NOT NULL,
    user_id BIGINT,
    kind TEXT NOT NULL,
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL,
    list_unsubscribe TEXT,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    claim TEXT,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    sent_at BIGINT
);
CREATE INDEX mail_outbox_due ON mail_outbox(status, next_attempt_at);
CREATE INDEX mail_outbox_user ON mail_outbox(user_id);

-- Password-reset tokens, stored as SHA-256 digests: the database never holds a token
-- that works. Single use, 30 minutes, void after any password change.
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX password_resets_user ON password_resets(user_id);
