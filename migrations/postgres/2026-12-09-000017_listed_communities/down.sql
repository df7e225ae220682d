ALTER TABLE communities DROP COLUMN listed;
