//! Diesel table definitions for research-partner surveys (migration `000026_surveys`),
//! kept apart from `schema.rs` like the feature they serve.

use super::schema::{communities, memberships, users};

diesel::table! {
    surveys (id) {
        id -> BigInt,
        community_id -> BigInt,
        partner_id -> Nullable<BigInt>,
        title -> Text,
        questions -> Text,
        audience_role -> Nullable<Text>,
        audience_condition -> Nullable<Text>,
        opens_at -> BigInt,
        closes_at -> BigInt,
        status -> Text,
        promotional -> Bool,
        decision_reason -> Nullable<Text>,
        decided_by -> Nullable<BigInt>,
        detached -> Bool,
        created_at -> BigInt,
        announced -> Bool,
    }
}

diesel::table! {
    survey_invitations (survey_id, user_id) {
        survey_id -> BigInt,
        user_id -> BigInt,
        state -> Text,
    }
}

diesel::table! {
    survey_responses (id) {
        id -> BigInt,
        survey_id -> BigInt,
        user_id -> Nullable<BigInt>,
        respondent_role -> Nullable<Text>,
        answers -> Text,
    }
}

diesel::joinable!(surveys -> communities (community_id));
diesel::joinable!(survey_invitations -> surveys (survey_id));
diesel::joinable!(survey_responses -> surveys (survey_id));

diesel::allow_tables_to_appear_in_same_query!(surveys, communities);
diesel::allow_tables_to_appear_in_same_query!(surveys, users);
diesel::allow_tables_to_appear_in_same_query!(surveys, memberships);
diesel::allow_tables_to_appear_in_same_query!(surveys, survey_invitations);
diesel::allow_tables_to_appear_in_same_query!(surveys, survey_responses);
