DROP TABLE survey_responses;
DROP TABLE survey_invitations;
DROP TABLE surveys;
