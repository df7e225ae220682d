DROP TABLE post_reactions;
