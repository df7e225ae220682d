DROP TABLE message_reports;
DROP TABLE messages;
DROP TABLE conversation_members;
DROP TABLE conversations;
DROP TABLE thread_mutes;
DROP TABLE blocks;
