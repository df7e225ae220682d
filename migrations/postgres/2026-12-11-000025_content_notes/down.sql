DROP TABLE community_content_notes;
DROP TABLE member_content_notes;
DROP TABLE thread_content_notes;
DROP TABLE post_content_notes;
