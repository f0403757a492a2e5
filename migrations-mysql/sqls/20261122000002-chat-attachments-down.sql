DROP TABLE IF EXISTS chat_attachment_downloads;
DROP TABLE IF EXISTS chat_attachments;
