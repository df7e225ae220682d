//! Diesel table definitions for memorials, clinicians, context notes and appeals
//! (migration `000018_bereavement`), kept apart from `schema.rs` like the tables they
//! describe.

diesel::table! {
    memorials (user_id) {
        user_id -> BigInt,
        memorialised_by -> Nullable<BigInt>,
        memorialised_at -> BigInt,
    }
}

diesel::table! {
    clinicians (user_id) {
        user_id -> BigInt,
        role -> Text,
        verified_by -> Nullable<BigInt>,
        verified_at -> BigInt,
    }
}

diesel::table! {
    context_notes (id) {
        id -> BigInt,
        post_id -> BigInt,
        community_id -> BigInt,
        writer_id -> BigInt,
        label -> Text,
        body_source -> Text,
        body_html -> Text,
        created_at -> BigInt,
        edited_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    appeals (id) {
        id -> BigInt,
        decision_id -> BigInt,
        community_id -> BigInt,
        appellant_id -> BigInt,
        body -> Text,
        state -> Text,
        decided_by -> Nullable<BigInt>,
        decided_at -> Nullable<BigInt>,
        created_at -> BigInt,
    }
}
