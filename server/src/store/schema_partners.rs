//! Diesel table definition for research partners' grants (migration
//! `000022_research_partners`), kept apart from `schema.rs` like the feature it serves.

use super::schema::{communities, users};

diesel::table! {
    partner_grants (user_id, community_id) {
        user_id -> BigInt,
        community_id -> BigInt,
        granted_by -> Nullable<BigInt>,
        created_at -> BigInt,
    }
}

diesel::joinable!(partner_grants -> communities (community_id));

diesel::allow_tables_to_appear_in_same_query!(partner_grants, users);
diesel::allow_tables_to_appear_in_same_query!(partner_grants, communities);
