DROP TABLE removal_reasons;
ALTER TABLE conversation_members DROP COLUMN mailed_through;
ALTER TABLE mail_preferences DROP COLUMN private_message;
