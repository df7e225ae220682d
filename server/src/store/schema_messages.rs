//! Diesel table definitions for blocks, thread mutes and private messages (migration
//! `000014_messages`, `published_at` from `000030`), kept apart from `schema.rs` like the tables they describe.

use super::schema::users;

diesel::table! {
    blocks (blocker_id, blocked_id) {
        blocker_id -> BigInt,
        blocked_id -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    thread_mutes (user_id, thread_id) {
        user_id -> BigInt,
        thread_id -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    conversations (id) {
        id -> BigInt,
        created_at -> BigInt,
        last_message_at -> BigInt,
    }
}

diesel::table! {
    conversation_members (id) {
        id -> BigInt,
        conversation_id -> BigInt,
        user_id -> Nullable<BigInt>,
        last_read_at -> BigInt,
        muted -> Bool,
        joined_at -> BigInt,
        mailed_through -> BigInt,
    }
}

diesel::table! {
    messages (id) {
        id -> BigInt,
        conversation_id -> BigInt,
        author_id -> BigInt,
        body_source -> Text,
        body_html -> Text,
        status -> Text,
        moderation_note -> Nullable<Text>,
        created_at -> BigInt,
        published_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    message_reports (id) {
        id -> BigInt,
        message_id -> BigInt,
        reporter_id -> Nullable<BigInt>,
        reason -> Text,
        message_text -> Text,
        created_at -> BigInt,
        resolved_at -> Nullable<BigInt>,
    }
}

diesel::joinable!(conversation_members -> conversations (conversation_id));
diesel::joinable!(messages -> conversations (conversation_id));
diesel::joinable!(message_reports -> messages (message_id));

diesel::allow_tables_to_appear_in_same_query!(
    blocks,
    thread_mutes,
    conversations,
    conversation_members,
    messages,
    message_reports,
    users,
);
