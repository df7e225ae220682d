//! Diesel table definitions, written by hand to match both `migrations/sqlite` and
//! `migrations/postgres`. Only types that both backends share are used: `BigInt` for ids and
//! microsecond timestamps, `Text` for enums and JSON, `Bool` for flags.

diesel::table! {
    users (id) {
        id -> BigInt,
        username -> Text,
        display_name -> Text,
        email -> Nullable<Text>,
        password_hash -> Text,
        site_role -> Text,
        profile_role -> Nullable<Text>,
        conditions -> Text,
        bio -> Text,
        show_role -> Bool,
        show_conditions -> Bool,
        show_bio -> Bool,
        created_at -> BigInt,
        profile_audience -> Text,
        discoverable -> Bool,
        insights_opt_in -> Bool,
        published_posts -> BigInt,
        removed_posts -> BigInt,
        email_unconfirmed -> Bool,
    }
}

diesel::table! {
    sessions (id) {
        id -> BigInt,
        user_id -> BigInt,
        created_at -> BigInt,
        revoked_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    refresh_tokens (token_hash) {
        token_hash -> Text,
        session_id -> BigInt,
        created_at -> BigInt,
        expires_at -> BigInt,
        used_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    communities (id) {
        id -> BigInt,
        slug -> Text,
        name -> Text,
        description -> Text,
        rules -> Text,
        kind -> Text,
        condition_tags -> Text,
        visibility -> Text,
        join_policy -> Text,
        member_count -> BigInt,
        created_by -> Nullable<BigInt>,
        created_at -> BigInt,
        moderation_policy -> Text,
        listed -> Bool,
        language -> Text,
    }
}

diesel::table! {
    memberships (community_id, user_id) {
        community_id -> BigInt,
        user_id -> BigInt,
        role -> Text,
        state -> Text,
        created_at -> BigInt,
        updated_at -> BigInt,
        suspended_until -> Nullable<BigInt>,
    }
}

diesel::table! {
    threads (id) {
        id -> BigInt,
        community_id -> BigInt,
        author_id -> Nullable<BigInt>,
        title -> Text,
        pinned -> Bool,
        locked -> Bool,
        post_count -> BigInt,
        created_at -> BigInt,
        last_post_at -> BigInt,
    }
}

diesel::table! {
    posts (id) {
        id -> BigInt,
        thread_id -> BigInt,
        community_id -> BigInt,
        author_id -> Nullable<BigInt>,
        body_source -> Text,
        body_html -> Text,
        status -> Text,
        created_at -> BigInt,
        edited_at -> Nullable<BigInt>,
        deleted_at -> Nullable<BigInt>,
        moderation_note -> Nullable<Text>,
        reply_to_id -> Nullable<BigInt>,
        language -> Nullable<Text>,
    }
}

diesel::table! {
    post_revisions (id) {
        id -> BigInt,
        post_id -> BigInt,
        body_source -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    events (id) {
        id -> BigInt,
        kind -> Text,
        community_id -> Nullable<BigInt>,
        thread_id -> Nullable<BigInt>,
        post_id -> Nullable<BigInt>,
        actor_id -> Nullable<BigInt>,
        payload -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    mod_queue (id) {
        id -> BigInt,
        community_id -> BigInt,
        post_id -> BigInt,
        source -> Text,
        labels -> Text,
        scores -> Text,
        reasons -> Text,
        state -> Text,
        created_at -> BigInt,
        updated_at -> BigInt,
    }
}

diesel::table! {
    reports (id) {
        id -> BigInt,
        post_id -> BigInt,
        community_id -> BigInt,
        reporter_id -> BigInt,
        reason -> Text,
        weight -> BigInt,
        state -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    mod_log (id) {
        id -> BigInt,
        community_id -> BigInt,
        queue_item_id -> Nullable<BigInt>,
        post_id -> Nullable<BigInt>,
        target_user_id -> Nullable<BigInt>,
        moderator_id -> Nullable<BigInt>,
        action -> Text,
        reason -> Text,
        note -> Nullable<Text>,
        sanction -> Nullable<Text>,
        created_at -> BigInt,
    }
}

diesel::table! {
    consent_history (id) {
        id -> BigInt,
        user_id -> BigInt,
        consent -> Text,
        value -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    insights_audit (id) {
        id -> BigInt,
        actor_id -> Nullable<BigInt>,
        channel -> Text,
        community_id -> BigInt,
        from_month -> Text,
        to_month -> Text,
        format -> Text,
        outcome -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    thread_watches (thread_id, user_id) {
        thread_id -> BigInt,
        user_id -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    notifications (id) {
        id -> BigInt,
        user_id -> BigInt,
        kind -> Text,
        community_id -> BigInt,
        thread_id -> BigInt,
        post_id -> BigInt,
        actor_id -> Nullable<BigInt>,
        detail -> Nullable<Text>,
        created_at -> BigInt,
        read_at -> Nullable<BigInt>,
        mailed_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    idempotency_keys (user_id, key) {
        user_id -> BigInt,
        key -> Text,
        fingerprint -> Text,
        status -> BigInt,
        response -> Text,
        created_at -> BigInt,
        post_id -> Nullable<BigInt>,
    }
}

diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(mod_queue -> posts (post_id));
diesel::joinable!(reports -> posts (post_id));
diesel::joinable!(refresh_tokens -> sessions (session_id));
diesel::joinable!(memberships -> communities (community_id));
diesel::joinable!(memberships -> users (user_id));
diesel::joinable!(threads -> communities (community_id));
diesel::joinable!(posts -> threads (thread_id));
diesel::joinable!(post_revisions -> posts (post_id));

diesel::allow_tables_to_appear_in_same_query!(
    users,
    sessions,
    refresh_tokens,
    communities,
    memberships,
    threads,
    posts,
    post_revisions,
    events,
    mod_queue,
    reports,
    mod_log,
    consent_history,
    insights_audit,
    thread_watches,
    notifications,
    idempotency_keys,
);

diesel::table! {
    rate_limits (key) {
        key -> Text,
        window_started_at -> BigInt,
        attempts -> BigInt,
    }
}

diesel::table! {
    username_skeletons (user_id) {
        user_id -> BigInt,
        skeleton -> Text,
    }
}

diesel::joinable!(username_skeletons -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(username_skeletons, users);

diesel::table! {
    mail_outbox (id) {
        id -> BigInt,
        message_id -> Text,
        user_id -> Nullable<BigInt>,
        kind -> Text,
        to_address -> Text,
        subject -> Text,
        text_body -> Text,
        html_body -> Text,
        list_unsubscribe -> Nullable<Text>,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> BigInt,
        claim -> Nullable<Text>,
        last_error -> Nullable<Text>,
        created_at -> BigInt,
        sent_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    password_resets (token_hash) {
        token_hash -> Text,
        user_id -> BigInt,
        created_at -> BigInt,
        expires_at -> BigInt,
        used_at -> Nullable<BigInt>,
    }
}

diesel::joinable!(password_resets -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(password_resets, users);

diesel::table! {
    email_confirmations (token_hash) {
        token_hash -> Text,
        user_id -> BigInt,
        email -> Text,
        created_at -> BigInt,
        expires_at -> BigInt,
        used_at -> Nullable<BigInt>,
    }
}

diesel::joinable!(email_confirmations -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(email_confirmations, users);

diesel::table! {
    mail_preferences (user_id) {
        user_id -> BigInt,
        reply_to_thread -> Text,
        reply_to_post -> Text,
        mention -> Text,
        watched_thread -> Text,
        moderation_outcome -> Text,
        private_message -> Text,
        show_content -> Bool,
        time_zone -> Text,
        digest_hour -> Integer,
        last_daily_at -> Nullable<BigInt>,
        last_weekly_at -> Nullable<BigInt>,
        updated_at -> BigInt,
    }
}

diesel::joinable!(mail_preferences -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(mail_preferences, users);

diesel::table! {
    wellbeing_items (id) {
        id -> BigInt,
        community_id -> BigInt,
        post_id -> BigInt,
        level -> Text,
        source -> Text,
        sentences -> Text,
        reached_out_by -> Nullable<BigInt>,
        reached_out_at -> Nullable<BigInt>,
        created_at -> BigInt,
    }
}

diesel::table! {
    post_reactions (post_id, user_id, kind) {
        post_id -> BigInt,
        user_id -> BigInt,
        kind -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    care_prompts (user_id) {
        user_id -> BigInt,
        shown_at -> BigInt,
        dismissed_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    bookmarks (user_id, post_id) {
        user_id -> BigInt,
        post_id -> BigInt,
        created_at -> BigInt,
    }
}
