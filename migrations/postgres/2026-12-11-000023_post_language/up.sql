-- The language a post is written in (ISO 639-1, or 'und'), as screening detected it.
ALTER TABLE posts ADD COLUMN language TEXT;
