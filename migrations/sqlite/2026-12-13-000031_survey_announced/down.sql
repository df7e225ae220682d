ALTER TABLE surveys DROP COLUMN announced;
