-- Research partners: accounts (site_role 'research_partner') that may see the
-- de-identified insights of the communities an admin granted them, and nothing else.
CREATE TABLE partner_grants (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    community_id BIGINT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    granted_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, community_id)
);
CREATE INDEX partner_grants_community ON partner_grants (community_id);
