//! Diesel table definition for communities' canned removal reasons (migration
//! `000024_member_mail_and_reasons`), kept apart from `schema.rs`.

diesel::table! {
    removal_reasons (id) {
        id -> BigInt,
        community_id -> BigInt,
        text -> Text,
        is_default -> Bool,
        created_at -> BigInt,
    }
}
