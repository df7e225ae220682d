DROP TABLE username_skeletons;
