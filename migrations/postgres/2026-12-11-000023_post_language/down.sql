ALTER TABLE posts DROP COLUMN language;
