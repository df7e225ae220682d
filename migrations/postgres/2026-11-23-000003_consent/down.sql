DROP TABLE consent_history;
ALTER TABLE users DROP COLUMN insights_opt_in;
ALTER TABLE users DROP COLUMN discoverable;
ALTER TABLE users DROP COLUMN profile_audience;
