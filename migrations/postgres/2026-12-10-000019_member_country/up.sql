-- Duty of care (issue 19): the country whose crisis lines a member sees, chosen in their
-- profile settings; without a row the deployment's `KINDRED_CARE_COUNTRY` applies. The
-- code is one of `seed-data/care/resources.toml`'s countries (checked by the server).
CREATE TABLE member_countries (
    user_id BIGINT PRIMARY KEY NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    country TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
