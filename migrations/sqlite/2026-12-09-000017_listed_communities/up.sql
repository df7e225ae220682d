-- A private community an admin has listed: its name, description and member count show in
-- the directory and anyone signed in may ask to join; its threads stay members-only.
ALTER TABLE communities ADD COLUMN listed BOOLEAN NOT NULL DEFAULT 0;
