DROP TABLE bookmarks;
DROP TABLE post_reactions;
