-- Attempts counted per key in a fixed window (failed logins, data exports), kept in the
-- database so that every node behind a load balancer counts the same attempts. Keys are
-- keyed SHA-256 digests: the table holds no usernames or addresses.
CREATE TABLE rate_limits (
    key TEXT PRIMARY KEY NOT NULL,
    window_started_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL
);
CREATE INDEX rate_limits_window ON rate_limits(window_started_at);
