//! Diesel table definitions for the insights' per-post vocabulary terms (migration
//! `000032_insight_hits`), kept apart from `schema.rs` like the feature they serve.

use super::schema::{posts, users};

diesel::table! {
    post_insight_terms (post_id) {
        post_id -> BigInt,
        terms -> Text,
    }
}

diesel::table! {
    insight_vocabulary (fingerprint) {
        fingerprint -> Text,
    }
}

diesel::joinable!(post_insight_terms -> posts (post_id));

diesel::allow_tables_to_appear_in_same_query!(post_insight_terms, posts);
diesel::allow_tables_to_appear_in_same_query!(post_insight_terms, users);
