DROP TABLE insight_vocabulary;
DROP TABLE post_insight_terms;
