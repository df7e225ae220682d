ALTER TABLE communities DROP COLUMN language;
ALTER TABLE users DROP COLUMN language;
