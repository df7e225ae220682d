-- Read positions: the highest post id a member has seen in a thread, so thread lists can
-- say "4 new since your last visit" and the thread page can jump to the first unread
-- post. Only ever moves forward. Private to the member: in their export, and gone with
-- them (and with the thread) by cascade.
CREATE TABLE read_positions (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    thread_id BIGINT NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
    last_read_post_id BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, thread_id)
);
