//! Diesel table definitions for content notes (migration `000025_content_notes`), kept
//! apart from `schema.rs` like the tables they describe.

diesel::table! {
    post_content_notes (post_id) {
        post_id -> BigInt,
        notes -> Text,
    }
}

diesel::table! {
    thread_content_notes (thread_id) {
        thread_id -> BigInt,
        notes -> Text,
    }
}

diesel::table! {
    member_content_notes (user_id) {
        user_id -> BigInt,
        collapse -> Text,
        updated_at -> BigInt,
    }
}

diesel::table! {
    community_content_notes (community_id) {
        community_id -> BigInt,
        collapse -> Text,
        updated_at -> BigInt,
    }
}
