-- Whether a survey's opening was announced live to its invitees (issue 20): set once,
-- by the approval or by the closing job when the opening time passes, in the same
-- transaction as its `survey.opened` event, so no two nodes announce it twice. Surveys
-- already open before this migration were never announced and never will be.
ALTER TABLE surveys ADD COLUMN announced BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE surveys SET announced = TRUE
 WHERE status = 'approved' AND opens_at <= CAST(strftime('%s', 'now') AS INTEGER) * 1000000;
