//! Diesel table definition for members' crisis-lines country (migration
//! `000019_member_country`), kept apart from `schema.rs` like the table it describes.

diesel::table! {
    member_countries (user_id) {
        user_id -> BigInt,
        country -> Text,
        updated_at -> BigInt,
    }
}
