ALTER TABLE users DROP COLUMN email_unconfirmed;
DROP TABLE email_confirmations;
