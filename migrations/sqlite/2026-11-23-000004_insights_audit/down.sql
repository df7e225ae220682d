DROP TABLE insights_audit;
