//! Diesel table definition for read positions (migration `000020_read_positions`), kept
//! apart from `schema.rs` like the table it describes.

use super::schema::posts;

diesel::table! {
    read_positions (user_id, thread_id) {
        user_id -> BigInt,
        thread_id -> BigInt,
        last_read_post_id -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::allow_tables_to_appear_in_same_query!(read_positions, posts);
