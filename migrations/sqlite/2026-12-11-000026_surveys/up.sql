-- Research-partner surveys (issue 20). A partner drafts a survey for one community; an
-- admin approves or rejects it; eligible members answer between opens_at and closes_at.
CREATE TABLE surveys (
    id BIGINT PRIMARY KEY,
    community_id BIGINT NOT NULL REFERENCES communities(id) ON DELETE CASCADE,
    partner_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    -- JSON list of questions: kind, text, options.
    questions TEXT NOT NULL,
    audience_role TEXT,
    audience_condition TEXT,
    opens_at BIGINT NOT NULL,
    closes_at BIGINT NOT NULL,
    -- pending | approved | rejected
    status TEXT NOT NULL,
    -- Whether screening found promotion in the survey's text; an admin cannot approve it.
    promotional BOOLEAN NOT NULL DEFAULT FALSE,
    decision_reason TEXT,
    decided_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    -- Set once the survey closed and its answers were detached from their authors.
    detached BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL
);
CREATE INDEX surveys_community ON surveys (community_id, status);
CREATE INDEX surveys_partner ON surveys (partner_id);

-- What each invited member did: answered, dismissed or withdrew.
CREATE TABLE survey_invitations (
    survey_id BIGINT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    state TEXT NOT NULL,
    PRIMARY KEY (survey_id, user_id)
);
CREATE INDEX survey_invitations_user ON survey_invitations (user_id);

-- One member's answers (JSON). user_id is kept only while the survey is open, so that
-- the member can withdraw; at close it is set to NULL. Ids are random and there is no
-- timestamp, so nothing orders the rows by who answered when.
CREATE TABLE survey_responses (
    id BIGINT PRIMARY KEY,
    survey_id BIGINT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES users(id) ON DELETE CASCADE,
    respondent_role TEXT,
    answers TEXT NOT NULL
);
CREATE INDEX survey_responses_survey ON survey_responses (survey_id);
CREATE INDEX survey_responses_user ON survey_responses (user_id);
