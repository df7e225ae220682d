//! Who sees what: private communities do not exist for outsiders, approval and bans gate
//! posting, only admins create communities and appoint moderators, moderators pin and
//! lock, and a profile shows only what its owner chose to show.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::both_backends;
use crate::helpers::{
    assert_error, assert_error_for, expect_json, status_and_text, Session, TestApp,
};

const PRIVATE: &str = "hidden-circle";
const UNKNOWN_SLUG: &str = "no-such-circle";
/// A well-formed id that names nothing.
const UNKNOWN_ID: &str = "4611686018427387904";

/// One request against a community, a thread and a post: `{slug}`, `{thread}` and `{post}`
/// in the path are filled in by the caller.
struct Probe {
    method: Method,
    path: &'static str,
    body: Option<Value>,
    needs_auth: bool,
}

fn probes() -> Vec<Probe> {
    let probe = |method: Method, path: &'static str, body: Option<Value>, needs_auth: bool| Probe {
        method,
        path,
        body,
        needs_auth,
    };
    vec![
        probe(Method::GET, "/api/v1/communities/{slug}", None, false),
        probe(
            Method::GET,
            "/api/v1/communities/{slug}/threads",
            None,
            false,
        ),
        probe(Method::GET, "/api/v1/threads/{thread}", None, false),
        probe(
            Method::POST,
            "/api/v1/threads/{thread}/posts",
            Some(json!({"body": "Hello?"})),
            true,
        ),
        probe(
            Method::PATCH,
            "/api/v1/posts/{post}",
            Some(json!({"body": "Edited"})),
            true,
        ),
        probe(Method::DELETE, "/api/v1/posts/{post}", None, true),
        probe(
            Method::POST,
            "/api/v1/communities/{slug}/join",
            Some(json!({})),
            true,
        ),
        probe(
            Method::POST,
            "/api/v1/communities/{slug}/leave",
            Some(json!({})),
            true,
        ),
        probe(
            Method::GET,
            "/api/v1/communities/{slug}/members",
            None,
            true,
        ),
        probe(
            Method::POST,
            "/api/v1/communities/{slug}/threads",
            Some(json!({"title": "Is anyone here?", "body": "Hello"})),
            true,
        ),
        probe(
            Method::PATCH,
            "/api/v1/threads/{thread}",
            Some(json!({"pinned": true})),
            true,
        ),
        probe(
            Method::POST,
            "/api/v1/communities/{slug}/members",
            Some(json!({"username": "out_olly"})),
            true,
        ),
        probe(
            Method::POST,
            "/api/v1/communities/{slug}/bans",
            Some(json!({"username": "member_max"})),
            true,
        ),
    ]
}

async fn send(
    app: &TestApp,
    probe: &Probe,
    path: &str,
    session: Option<&Session>,
) -> (StatusCode, String) {
    let mut request = app.request(probe.method.clone(), path, session);
    if let Some(body) = &probe.body {
        request = request.json(body);
    }
    status_and_text(request.send().await.expect("request")).await
}

fn fill(path: &str, slug: &str, thread: &str, post: &str) -> String {
    path.replace("{slug}", slug)
        .replace("{thread}", thread)
        .replace("{post}", post)
}

async fn listed_slugs(app: &TestApp, session: Option<&Session>) -> Vec<String> {
    let body = app.get_json("/api/v1/communities?limit=100", session).await;
    body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| c["slug"].as_str().expect("slug").to_owned())
        .collect()
}

/// The cast of the private-community scenario: a moderator, a member with a thread, a
/// banned member with a reply in it, and an outsider.
struct PrivateCircle {
    admin: Session,
    moderator: Session,
    member: Session,
    banned: Session,
    outsider: Session,
    thread: String,
    member_post: String,
    banned_post: String,
}

async fn private_community_is_invisible_to_outsiders(app: TestApp) {
    let c = private_circle(&app).await;
    outsiders_get_the_answers_given_for_what_does_not_exist(&app, &c).await;
    nothing_the_outsiders_tried_changed_anything(&app, &c).await;
    members_moderators_and_admins_see_it(&app, &c).await;
    a_moderator_adds_the_outsider_who_then_sees_and_posts(&app, &c).await;
}

async fn private_circle(app: &TestApp) -> PrivateCircle {
    let admin = app.admin("site_admin").await;
    app.community(&admin, PRIVATE, "private", "open").await;
    app.community(&admin, "open-garden", "public", "open").await;
    let moderator = app.register("mod_mia").await;
    app.appoint_moderator(&admin, PRIVATE, "mod_mia").await;
    let member = app.register("member_max").await;
    let banned = app.register("banned_bea").await;
    let outsider = app.register("out_olly").await;
    app.add_member(&moderator, PRIVATE, "member_max").await;
    app.add_member(&moderator, PRIVATE, "banned_bea").await;

    let (thread, member_post) = app
        .thread(&member, PRIVATE, "Our circle", "Welcome, all.")
        .await;
    let banned_post = app.reply(&banned, &thread, "Glad to be here").await;
    let banned_post = banned_post["id"].as_str().expect("id").to_owned();
    let ban = app
        .post(
            &format!("/api/v1/communities/{PRIVATE}/bans"),
            Some(&moderator),
            json!({"username": "banned_bea"}),
        )
        .await;
    assert_eq!(
        expect_json(ban, StatusCode::OK).await["membership"]["state"],
        "banned"
    );
    PrivateCircle {
        admin,
        moderator,
        member,
        banned,
        outsider,
        thread,
        member_post,
        banned_post,
    }
}

/// Every endpoint answers an outsider exactly as it answers for a community, thread or
/// post that does not exist, and the community is not listed for them.
async fn outsiders_get_the_answers_given_for_what_does_not_exist(app: &TestApp, c: &PrivateCircle) {
    for (who, session, own_post) in [
        ("anonymous", None, &c.member_post),
        ("signed-in outsider", Some(&c.outsider), &c.member_post),
        ("banned member", Some(&c.banned), &c.member_post),
        ("banned member, own post", Some(&c.banned), &c.banned_post),
    ] {
        for probe in probes() {
            let real = fill(probe.path, PRIVATE, &c.thread, own_post);
            let unknown = fill(probe.path, UNKNOWN_SLUG, UNKNOWN_ID, UNKNOWN_ID);
            let (status, text) = send(app, &probe, &real, session).await;
            let (unknown_status, unknown_text) = send(app, &probe, &unknown, session).await;
            let what = format!("{who}: {} {}", probe.method, probe.path);
            assert_eq!(
                (status, &text),
                (unknown_status, &unknown_text),
                "{what} differs from unknown"
            );
            let body: Value = serde_json::from_str(&text).expect("JSON");
            if session.is_none() && probe.needs_auth {
                assert_eq!(status, StatusCode::UNAUTHORIZED, "{what}: {text}");
                assert_eq!(body["error"]["code"], "unauthenticated", "{what}");
            } else {
                assert_eq!(status, StatusCode::NOT_FOUND, "{what}: {text}");
                assert_eq!(body["error"]["code"], "not_found", "{what}");
            }
        }
        assert!(
            !listed_slugs(app, session)
                .await
                .contains(&PRIVATE.to_owned()),
            "{who} sees it listed"
        );
        assert!(listed_slugs(app, session)
            .await
            .contains(&"open-garden".to_owned()));
    }
}

/// Nothing the outsiders tried changed anything.
async fn nothing_the_outsiders_tried_changed_anything(app: &TestApp, c: &PrivateCircle) {
    let seen = app
        .get_json(&format!("/api/v1/threads/{}", c.thread), Some(&c.member))
        .await;
    assert_eq!(seen["thread"]["post_count"], 2);
    assert_eq!(seen["thread"]["pinned"], false);
    assert_eq!(seen["posts"][0]["body_html"], "<p>Welcome, all.</p>\n");
    assert_eq!(seen["posts"][1]["deleted"], false);
    let community = app
        .get_json(&format!("/api/v1/communities/{PRIVATE}"), Some(&c.member))
        .await;
    assert_eq!(community["member_count"], 2, "moderator and member_max");
    assert_eq!(community["visibility"], "private");
    assert_eq!(community["membership"]["state"], "active");
}

/// Members, moderators and admins see it; the admin is not a member.
async fn members_moderators_and_admins_see_it(app: &TestApp, c: &PrivateCircle) {
    for (who, session) in [
        ("member", &c.member),
        ("moderator", &c.moderator),
        ("admin", &c.admin),
    ] {
        assert!(
            listed_slugs(app, Some(session))
                .await
                .contains(&PRIVATE.to_owned()),
            "{who}"
        );
        let threads = app
            .get_json(
                &format!("/api/v1/communities/{PRIVATE}/threads"),
                Some(session),
            )
            .await;
        assert_eq!(threads["items"][0]["id"], c.thread.as_str(), "{who}");
        app.get_json(&format!("/api/v1/threads/{}", c.thread), Some(session))
            .await;
    }
    let admin_view = app
        .get_json(&format!("/api/v1/communities/{PRIVATE}"), Some(&c.admin))
        .await;
    assert_eq!(
        admin_view["membership"],
        Value::Null,
        "the admin is not a member"
    );
}

/// A moderator adds the outsider, who then sees and posts.
async fn a_moderator_adds_the_outsider_who_then_sees_and_posts(app: &TestApp, c: &PrivateCircle) {
    app.add_member(&c.moderator, PRIVATE, &c.outsider.username)
        .await;
    assert!(listed_slugs(app, Some(&c.outsider))
        .await
        .contains(&PRIVATE.to_owned()));
    let view = app
        .get_json(&format!("/api/v1/communities/{PRIVATE}"), Some(&c.outsider))
        .await;
    assert_eq!(view["membership"]["state"], "active");
    assert_eq!(view["membership"]["role"], "member");
    let reply = app
        .reply(&c.outsider, &c.thread, "Thanks for having me")
        .await;
    assert_eq!(reply["author"]["username"], "out_olly");
}

async fn approval_communities_wait_for_a_moderator(app: TestApp) {
    let admin = app.admin("site_admin").await;
    app.community(&admin, "quiet-room", "public", "approval")
        .await;
    let moderator = app.register("mod_mia").await;
    app.appoint_moderator(&admin, "quiet-room", "mod_mia").await;
    let (thread, _) = app
        .thread(&moderator, "quiet-room", "Introductions", "Say hello")
        .await;
    let newcomer = app.register("new_nina").await;
    let other = app.register("other_oscar").await;

    assert_eq!(app.join(&newcomer, "quiet-room").await, "pending");
    assert_eq!(
        app.join(&newcomer, "quiet-room").await,
        "pending",
        "joining twice is harmless"
    );
    let view = app
        .get_json("/api/v1/communities/quiet-room", Some(&newcomer))
        .await;
    assert_eq!(view["membership"]["state"], "pending");
    assert_eq!(view["member_count"], 1, "a request is not a member");
    let me = app.get_json("/api/v1/me", Some(&newcomer)).await;
    assert_eq!(me["memberships"][0]["community"], "quiet-room");
    assert_eq!(me["memberships"][0]["state"], "pending");

    // Pending members cannot post yet.
    let response = app
        .post(
            "/api/v1/communities/quiet-room/threads",
            Some(&newcomer),
            json!({"title": "Hi", "body": "Hello"}),
        )
        .await;
    assert_error(response, StatusCode::FORBIDDEN, "not_member").await;
    let response = app
        .post(
            &format!("/api/v1/threads/{thread}/posts"),
            Some(&newcomer),
            json!({"body": "Hello"}),
        )
        .await;
    assert_error(response, StatusCode::FORBIDDEN, "not_member").await;

    // Only moderators see and approve requests.
    let response = app
        .get(
            "/api/v1/communities/quiet-room/members?state=pending",
            Some(&other),
        )
        .await;
    assert_error(response, StatusCode::FORBIDDEN, "not_moderator").await;
    let response = app
        .post(
            "/api/v1/communities/quiet-room/members",
            Some(&other),
            json!({"username": "new_nina"}),
        )
        .await;
    assert_error(response, StatusCode::FORBIDDEN, "not_moderator").await;
    let pending = app
        .get_json(
            "/api/v1/communities/quiet-room/members?state=pending",
            Some(&moderator),
        )
        .await;
    assert_eq!(pending["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(pending["items"][0]["user"]["username"], "new_nina");
    assert_eq!(pending["items"][0]["state"], "pending");

    app.add_member(&moderator, "quiet-room", "new_nina").await;
    let view = app
        .get_json("/api/v1/communities/quiet-room", Some(&newcomer))
        .await;
    assert_eq!(view["membership"]["state"], "active");
    assert_eq!(view["member_count"], 2);
    let pending = app
        .get_json(
            "/api/v1/communities/quiet-room/members?state=pending",
            Some(&moderator),
        )
        .await;
    assert_eq!(pending["items"], json!([]));
    let active = app
        .get_json("/api/v1/communities/quiet-room/members", Some(&moderator))
        .await;
    let names: Vec<&str> = active["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|m| m["user"]["username"].as_str())
        .collect();
    assert_eq!(names, ["mod_mia", "new_nina"]);
    let reply = app.reply(&newcomer, &thread, "Hello, everyone").await;
    assert_eq!(reply["status"], "published");
}

/// The cast of the ban scenario: two moderators, a member to ban (with a thread of their
/// own) and a bystander, in a public open community.
struct BanScenario {
    admin: Session,
    moderator: Session,
    second_moderator: Session,
    member: Session,
    bystander: Session,
    thread: String,
    own_post: String,
}

async fn bans_stop_posting_and_rejoining(app: TestApp) {
    let g = ban_scenario(&app).await;
    members_cannot_ban_and_moderators_can(&app, &g).await;
    a_banned_member_reads_but_cannot_post_edit_rejoin_or_leave(&app, &g).await;
    only_an_admin_bans_a_moderator(&app, &g).await;
    lifting_the_ban_lets_the_member_rejoin_and_post(&app, &g).await;
}

async fn ban_scenario(app: &TestApp) -> BanScenario {
    let admin = app.admin("site_admin").await;
    app.community(&admin, "open-garden", "public", "open").await;
    let moderator = app.register("mod_mia").await;
    let second_moderator = app.register("mod_mo").await;
    app.appoint_moderator(&admin, "open-garden", "mod_mia")
        .await;
    app.appoint_moderator(&admin, "open-garden", "mod_mo").await;
    let member = app.register("member_max").await;
    let bystander = app.register("by_bob").await;
    assert_eq!(app.join(&member, "open-garden").await, "active");
    assert_eq!(app.join(&bystander, "open-garden").await, "active");
    let (thread, own_post) = app
        .thread(&member, "open-garden", "My week", "It was long.")
        .await;

    BanScenario {
        admin,
        moderator,
        second_moderator,
        member,
        bystander,
        thread,
        own_post,
    }
}

async fn members_cannot_ban_and_moderators_can(app: &TestApp, g: &BanScenario) {
    let response = app
        .post(
            "/api/v1/communities/open-garden/bans",
            Some(&g.bystander),
            json!({"username": "member_max"}),
        )
        .await;
    assert_error(response, StatusCode::FORBIDDEN, "not_moderator").await;
    let ban = app
        .post(
            "/api/v1/communities/open-garden/bans",
            Some(&g.moderator),
            json!({"username": "member_max"}),
        )
        .await;
    let ban = expect_json(ban, StatusCode::OK).await;
    assert_eq!(ban["membership"]["state"], "banned");
    assert_eq!(ban["membership"]["community"], "open-garden");
}

/// The banned member still reads the public community, but cannot post, edit or rejoin.
async fn a_banned_member_reads_but_cannot_post_edit_rejoin_or_leave(
    app: &TestApp,
    g: &BanScenario,
) {
    let view = app
        .get_json("/api/v1/communities/open-garden", Some(&g.member))
        .await;
    assert_eq!(view["membership"]["state"], "banned");
    assert_eq!(view["member_count"], 3, "two moderators and by_bob");
    app.get_json(&format!("/api/v1/threads/{}", g.thread), Some(&g.member))
        .await;
    let response = app
        .post(
            "/api/v1/communities/open-garden/threads",
            Some(&g.member),
            json!({"title": "Back", "body": "Hi"}),
        )
        .await;
    assert_error(response, StatusCode::FORBIDDEN, "banned").await;
    let response = app
        .post(
            &format!("/api/v1/threads/{}/posts", g.thread),
            Some(&g.member),
            json!({"body": "Still here"}),
        )
        .await;
    assert_error(response, StatusCode::FORBIDDEN, "banned").await;
    let response = app
        .patch(
            &format!("/api/v1/posts/{}", g.own_post),
            Some(&g.member),
            json!({"body": "Rewritten"}),
        )
        .await;
    assert_error(response, StatusCode::FORBIDDEN, "banned").await;
    let response = app
        .post(
            "/api/v1/communities/open-garden/join",
            Some(&g.member),
            json!({}),
        )
        .await;
    assert_error(response, StatusCode::FORBIDDEN, "banned").await;
    let response = app
        .post(
            "/api/v1/communities/open-garden/leave",
            Some(&g.member),
            json!({}),
        )
        .await;
    assert_error_for(
        response,
        StatusCode::CONFLICT,
        "conflict",
        "leaving does not shed a ban",
    )
    .await;
    let response = app
        .post(
            "/api/v1/communities/open-garden/members",
            Some(&g.moderator),
            json!({"username": "member_max"}),
        )
        .await;
    assert_error_for(
        response,
        StatusCode::CONFLICT,
        "conflict",
        "adding a banned member",
    )
    .await;
    let banned = app
        .get_json(
            "/api/v1/communities/open-garden/members?state=banned",
            Some(&g.moderator),
        )
        .await;
    assert_eq!(banned["items"][0]["user"]["username"], "member_max");
    let thread_view = app
        .get_json(&format!("/api/v1/threads/{}", g.thread), None)
        .await;
    assert_eq!(
        thread_view["thread"]["post_count"], 1,
        "no reply slipped through"
    );
    assert_eq!(
        thread_view["posts"][0]["body_html"],
        "<p>It was long.</p>\n"
    );
}

/// A moderator cannot ban a moderator (nor themselves); an admin can ban a moderator.
async fn only_an_admin_bans_a_moderator(app: &TestApp, g: &BanScenario) {
    let response = app
        .post(
            "/api/v1/communities/open-garden/bans",
            Some(&g.moderator),
            json!({"username": "mod_mo"}),
        )
        .await;
    assert_error(response, StatusCode::FORBIDDEN, "not_admin").await;
    let response = app
        .post(
            "/api/v1/communities/open-garden/bans",
            Some(&g.moderator),
            json!({"username": "mod_mia"}),
        )
        .await;
    assert_error(response, StatusCode::CONFLICT, "conflict").await;
    let still = app
        .get_json("/api/v1/communities/open-garden", Some(&g.second_moderator))
        .await;
    assert_eq!(still["membership"]["role"], "moderator");
    assert_eq!(still["membership"]["state"], "active");
    let response = app
        .post(
            "/api/v1/communities/open-garden/bans",
            Some(&g.admin),
            json!({"username": "mod_mo"}),
        )
        .await;
    assert_eq!(
        expect_json(response, StatusCode::OK).await["membership"]["state"],
        "banned"
    );
    let response = app
        .patch(
            &format!("/api/v1/threads/{}", g.thread),
            Some(&g.second_moderator),
            json!({"pinned": true}),
        )
        .await;
    assert_error_for(
        response,
        StatusCode::FORBIDDEN,
        "not_moderator",
        "a banned moderator",
    )
    .await;
}

/// Lifting the ban lets the member rejoin and post; lifting a ban that is not there is 404.
async fn lifting_the_ban_lets_the_member_rejoin_and_post(app: &TestApp, g: &BanScenario) {
    let response = app
        .delete(
            "/api/v1/communities/open-garden/bans/member_max",
            Some(&g.bystander),
        )
        .await;
    assert_error(response, StatusCode::FORBIDDEN, "not_moderator").await;
    let response = app
        .delete(
            "/api/v1/communities/open-garden/bans/member_max",
            Some(&g.moderator),
        )
        .await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let response = app
        .delete(
            "/api/v1/communities/open-garden/bans/member_max",
            Some(&g.moderator),
        )
        .await;
    assert_error(response, StatusCode::NOT_FOUND, "not_found").await;
    let response = app
        .delete(
            "/api/v1/communities/open-garden/bans/by_bob",
            Some(&g.moderator),
        )
        .await;
    assert_error(response, StatusCode::NOT_FOUND, "not_found").await;
    let view = app
        .get_json("/api/v1/communities/open-garden", Some(&g.member))
        .await;
    assert_eq!(view["membership"], Value::Null);
    assert_eq!(app.join(&g.member, "open-garden").await, "active");
    let reply = app
        .reply(&g.member, &g.thread, "Thank you for having me back")
        .await;
    assert_eq!(reply["author"]["username"], g.member.username.as_str());
}

async fn only_admins_create_communities_and_appoint_moderators(app: TestApp) {
    let admin = app.admin("site_admin").await;
    app.community(&admin, "open-garden", "public", "open").await;
    let moderator = app.register("mod_mia").await;
    app.appoint_moderator(&admin, "open-garden", "mod_mia")
        .await;
    let member = app.register("member_max").await;
    app.join(&member, "open-garden").await;

    let new_community = json!({
        "slug": "members-own", "name": "Members' own", "kind": "general",
        "visibility": "public", "join_policy": "open"
    });
    for session in [&member, &moderator] {
        let response = app
            .post("/api/v1/communities", Some(session), new_community.clone())
            .await;
        assert_error_for(
            response,
            StatusCode::FORBIDDEN,
            "not_admin",
            &session.username,
        )
        .await;
        let response = app
            .post(
                "/api/v1/communities/open-garden/moderators",
                Some(session),
                json!({"username": "member_max"}),
            )
            .await;
        assert_error_for(
            response,
            StatusCode::FORBIDDEN,
            "not_admin",
            &session.username,
        )
        .await;
    }
    let response = app
        .post("/api/v1/communities", None, new_community.clone())
        .await;
    assert_error(response, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    let response = app
        .post(
            "/api/v1/communities/open-garden/moderators",
            None,
            json!({"username": "member_max"}),
        )
        .await;
    assert_error(response, StatusCode::UNAUTHORIZED, "unauthenticated").await;

    let response = app
        .get("/api/v1/communities/members-own", Some(&admin))
        .await;
    assert_error(response, StatusCode::NOT_FOUND, "not_found").await;
    let view = app
        .get_json("/api/v1/communities/open-garden", Some(&member))
        .await;
    assert_eq!(
        view["membership"]["role"], "member",
        "still not a moderator"
    );

    let created = app
        .post("/api/v1/communities", Some(&admin), new_community)
        .await;
    let created = expect_json(created, StatusCode::CREATED).await;
    assert_eq!(created["slug"], "members-own");
    assert_eq!(created["member_count"], 0);
}

async fn moderators_pin_and_lock_threads(app: TestApp) {
    let admin = app.admin("site_admin").await;
    app.community(&admin, "open-garden", "public", "open").await;
    let moderator = app.register("mod_mia").await;
    app.appoint_moderator(&admin, "open-garden", "mod_mia")
        .await;
    let member = app.register("member_max").await;
    app.join(&member, "open-garden").await;
    let (older, _) = app
        .thread(&member, "open-garden", "Older thread", "first")
        .await;
    let (newer, _) = app
        .thread(&member, "open-garden", "Newer thread", "second")
        .await;

    members_and_visitors_cannot_pin_or_lock(&app, &member, &older).await;
    a_pinned_thread_is_listed_first(&app, &moderator, &older, &newer).await;
    a_locked_thread_takes_replies_only_from_moderators(&app, &moderator, &member, &older, &newer)
        .await;
    unlocking_and_unpinning_reopens_the_thread(&app, &moderator, &member, &older).await;
}

/// Members cannot pin or lock; visitors are asked to sign in.
async fn members_and_visitors_cannot_pin_or_lock(app: &TestApp, member: &Session, older: &str) {
    let response = app
        .patch(
            &format!("/api/v1/threads/{older}"),
            Some(member),
            json!({"pinned": true}),
        )
        .await;
    assert_error(response, StatusCode::FORBIDDEN, "not_moderator").await;
    let response = app
        .patch(
            &format!("/api/v1/threads/{older}"),
            Some(member),
            json!({"locked": true}),
        )
        .await;
    assert_error(response, StatusCode::FORBIDDEN, "not_moderator").await;
    let response = app
        .patch(
            &format!("/api/v1/threads/{older}"),
            None,
            json!({"locked": true}),
        )
        .await;
    assert_error(response, StatusCode::UNAUTHORIZED, "unauthenticated").await;
}

/// Newest first before pinning; a pinned thread is listed first.
async fn a_pinned_thread_is_listed_first(
    app: &TestApp,
    moderator: &Session,
    older: &str,
    newer: &str,
) {
    let listing = app
        .get_json("/api/v1/communities/open-garden/threads", None)
        .await;
    assert_eq!(
        listing["items"][0]["id"], newer,
        "newest first before pinning"
    );

    let pinned = app
        .patch(
            &format!("/api/v1/threads/{older}"),
            Some(moderator),
            json!({"pinned": true}),
        )
        .await;
    let pinned = expect_json(pinned, StatusCode::OK).await;
    assert_eq!(pinned["thread"]["pinned"], true);
    assert_eq!(pinned["thread"]["locked"], false);
    let listing = app
        .get_json("/api/v1/communities/open-garden/threads", None)
        .await;
    assert_eq!(listing["items"][0]["id"], older, "pinned first");
    assert_eq!(listing["items"][0]["pinned"], true);
    assert_eq!(listing["items"][1]["id"], newer);
}

/// Locking leaves the pin alone; a locked thread takes replies from moderators only, and
/// other threads are not affected.
async fn a_locked_thread_takes_replies_only_from_moderators(
    app: &TestApp,
    moderator: &Session,
    member: &Session,
    older: &str,
    newer: &str,
) {
    let locked = app
        .patch(
            &format!("/api/v1/threads/{older}"),
            Some(moderator),
            json!({"locked": true}),
        )
        .await;
    let locked = expect_json(locked, StatusCode::OK).await;
    assert_eq!(locked["thread"]["locked"], true);
    assert_eq!(
        locked["thread"]["pinned"], true,
        "an absent flag is left alone"
    );

    let response = app
        .post(
            &format!("/api/v1/threads/{older}/posts"),
            Some(member),
            json!({"body": "One more thing"}),
        )
        .await;
    assert_error(response, StatusCode::FORBIDDEN, "thread_locked").await;
    app.reply(moderator, older, "Locking this now, thanks all")
        .await;
    let view = app
        .get_json(&format!("/api/v1/threads/{older}"), None)
        .await;
    assert_eq!(view["thread"]["locked"], true);
    assert_eq!(view["thread"]["post_count"], 2);
    assert_eq!(view["posts"][1]["author"]["username"], "mod_mia");
    // Other threads are not affected.
    app.reply(member, newer, "Replying elsewhere still works")
        .await;
}

/// Unlocking and unpinning at once reopens the thread to members.
async fn unlocking_and_unpinning_reopens_the_thread(
    app: &TestApp,
    moderator: &Session,
    member: &Session,
    older: &str,
) {
    let unlocked = app
        .patch(
            &format!("/api/v1/threads/{older}"),
            Some(moderator),
            json!({"locked": false, "pinned": false}),
        )
        .await;
    let unlocked = expect_json(unlocked, StatusCode::OK).await;
    assert_eq!(unlocked["thread"]["locked"], false);
    assert_eq!(unlocked["thread"]["pinned"], false);
    app.reply(member, older, "Thanks for reopening").await;
}

async fn profiles_show_only_what_members_choose(app: TestApp) {
    let admin = app.admin("site_admin").await;
    app.community(&admin, "open-garden", "public", "open").await;
    let email = SAM_EMAIL;
    let response = app
        .register_raw(json!({"username": "sam_p", "password": crate::helpers::PASSWORD, "email": email, "display_name": "Sam P."}))
        .await;
    let registered = expect_json(response, StatusCode::CREATED).await;
    assert_eq!(
        registered["user"]["email"], email,
        "the member sees their own email"
    );
    let sam = Session {
        username: "sam_p".into(),
        user_id: registered["user"]["id"].as_str().expect("id").to_owned(),
        access_token: registered["access_token"]
            .as_str()
            .expect("token")
            .to_owned(),
        refresh_token: registered["refresh_token"]
            .as_str()
            .expect("token")
            .to_owned(),
    };
    let viewer = app.register("jo_viewer").await;

    new_profile_fields_are_kept_to_their_owner(&app, &sam, &viewer).await;
    shared_fields_reach_signed_in_members_never_visitors(&app, &sam, &viewer).await;
    a_bad_field_changes_nothing_and_role_null_clears_the_role(&app, &sam, &viewer).await;
    emails_never_appear_beside_posts(&app, &admin, &sam, &viewer).await;
}

const SAM_EMAIL: &str = "sam.private@example.org";

/// Asserts what `profile` (`sam_p`'s, as someone else sees it) shows.
fn check(sam: &Session, profile: &Value, role: Value, conditions: Value, bio: Value) {
    assert_eq!(profile["username"], "sam_p");
    assert_eq!(profile["display_name"], "Sam P.");
    assert_eq!(profile["id"], sam.user_id.as_str());
    assert_eq!(profile["role"], role, "{profile}");
    assert_eq!(profile["conditions"], conditions, "{profile}");
    assert_eq!(profile["bio"], bio, "{profile}");
}

async fn new_profile_fields_are_kept_to_their_owner(
    app: &TestApp,
    sam: &Session,
    viewer: &Session,
) {
    let updated = app
        .patch(
            "/api/v1/me/profile",
            Some(sam),
            json!({"role": "patient", "conditions": ["lung-cancer", "COPD"], "bio": "Diagnosed in 2023."}),
        )
        .await;
    let updated = expect_json(updated, StatusCode::OK).await;
    assert_eq!(updated["profile"]["role"], "patient");
    assert_eq!(
        updated["profile"]["conditions"],
        json!(["lung-cancer", "copd"])
    );
    assert_eq!(updated["profile"]["bio"], "Diagnosed in 2023.");
    assert_eq!(
        updated["profile"]["visible_to_others"],
        json!({"role": false, "conditions": false, "bio": false})
    );

    let hidden = app.get_json("/api/v1/users/sam_p", Some(viewer)).await;
    check(sam, &hidden, Value::Null, Value::Null, Value::Null);
    let text = app
        .get("/api/v1/users/sam_p", None)
        .await
        .text()
        .await
        .expect("text");
    for secret in [
        "patient",
        "copd",
        "Diagnosed",
        SAM_EMAIL,
        "email",
        "password",
    ] {
        assert!(!text.contains(secret), "{secret} leaked: {text}");
    }
}

async fn shared_fields_reach_signed_in_members_never_visitors(
    app: &TestApp,
    sam: &Session,
    viewer: &Session,
) {
    let response = app
        .patch("/api/v1/me/profile", Some(sam), json!({"show_role": true}))
        .await;
    expect_json(response, StatusCode::OK).await;
    // Shared fields go to signed-in members (the default audience), never to visitors.
    let anonymous = app.get_json("/api/v1/users/sam_p", None).await;
    check(sam, &anonymous, Value::Null, Value::Null, Value::Null);
    let shown = app.get_json("/api/v1/users/sam_p", Some(viewer)).await;
    check(sam, &shown, json!("patient"), Value::Null, Value::Null);

    let response = app
        .patch(
            "/api/v1/me/profile",
            Some(sam),
            json!({"show_conditions": true}),
        )
        .await;
    expect_json(response, StatusCode::OK).await;
    let shown = app.get_json("/api/v1/users/sam_p", Some(viewer)).await;
    check(
        sam,
        &shown,
        json!("patient"),
        json!(["lung-cancer", "copd"]),
        Value::Null,
    );

    let response = app
        .patch(
            "/api/v1/me/profile",
            Some(sam),
            json!({"show_bio": true, "show_role": false}),
        )
        .await;
    expect_json(response, StatusCode::OK).await;
    // Usernames are case-insensitive.
    let shown = app.get_json("/api/v1/users/Sam_P", Some(viewer)).await;
    check(
        sam,
        &shown,
        Value::Null,
        json!(["lung-cancer", "copd"]),
        json!("Diagnosed in 2023."),
    );
}

/// `role: null` clears the role; a bad role is refused and changes nothing.
async fn a_bad_field_changes_nothing_and_role_null_clears_the_role(
    app: &TestApp,
    sam: &Session,
    viewer: &Session,
) {
    let response = app
        .patch("/api/v1/me/profile", Some(sam), json!({"role": "wizard"}))
        .await;
    assert_error(response, StatusCode::BAD_REQUEST, "invalid_role").await;
    let response = app
        .patch(
            "/api/v1/me/profile",
            Some(sam),
            json!({"bio": "x".repeat(2001)}),
        )
        .await;
    assert_error(response, StatusCode::BAD_REQUEST, "invalid_bio").await;
    let response = app
        .patch(
            "/api/v1/me/profile",
            Some(sam),
            json!({"show_role": true, "role": null}),
        )
        .await;
    let own = expect_json(response, StatusCode::OK).await;
    assert_eq!(own["profile"]["role"], Value::Null);
    assert_eq!(own["profile"]["bio"], "Diagnosed in 2023.");
    let shown = app.get_json("/api/v1/users/sam_p", Some(viewer)).await;
    check(
        sam,
        &shown,
        Value::Null,
        json!(["lung-cancer", "copd"]),
        json!("Diagnosed in 2023."),
    );
    let response = app.get("/api/v1/users/nobody_here", None).await;
    assert_error(response, StatusCode::NOT_FOUND, "not_found").await;
}

async fn emails_never_appear_beside_posts(
    app: &TestApp,
    admin: &Session,
    sam: &Session,
    viewer: &Session,
) {
    app.join(sam, "open-garden").await;
    app.join(viewer, "open-garden").await;
    let created = app
        .post(
            "/api/v1/communities/open-garden/threads",
            Some(sam),
            json!({"title": "Hello", "body": "Hi all"}),
        )
        .await;
    let created = expect_json(created, StatusCode::CREATED).await;
    assert_eq!(
        created["thread"]["author"],
        json!({"id": sam.user_id, "username": "sam_p", "display_name": "Sam P."})
    );
    assert_eq!(created["post"]["author"], created["thread"]["author"]);
    let thread = created["thread"]["id"].as_str().expect("id").to_owned();
    app.reply(sam, &thread, "And a reply").await;
    for (path, session) in [
        (format!("/api/v1/threads/{thread}"), None),
        (format!("/api/v1/threads/{thread}"), Some(viewer)),
        (
            "/api/v1/communities/open-garden/threads".to_owned(),
            Some(viewer),
        ),
        (
            "/api/v1/communities/open-garden/members".to_owned(),
            Some(admin),
        ),
    ] {
        let text = app.get(&path, session).await.text().await.expect("text");
        assert!(text.contains("sam_p"), "{path}: {text}");
        assert!(!text.contains(SAM_EMAIL), "{path} shows the email: {text}");
        assert!(
            !text.contains("\"email\""),
            "{path} has an email field: {text}"
        );
    }
}

async fn admins_edit_communities_and_remove_moderators(app: TestApp) {
    let admin = app.admin("site_admin").await;
    app.community(&admin, "open-garden", "public", "open").await;
    let moderator = app.register("mod_mia").await;
    app.appoint_moderator(&admin, "open-garden", "mod_mia")
        .await;
    let member = app.register("member_max").await;
    app.join(&member, "open-garden").await;
    let outsider = app.register("just_looking").await;
    let (thread, _) = app
        .thread(&member, "open-garden", "Hello", "First post here")
        .await;

    only_site_admins_edit_and_bad_values_are_refused(&app, &admin, &[&member, &moderator]).await;
    an_edit_changes_the_fields_given_and_keeps_the_others(&app, &admin).await;
    once_private_outsiders_see_nothing_and_members_everything(&app, &member, &outsider, &thread)
        .await;
    removing_a_moderator_leaves_a_member(&app, &admin, &moderator).await;
}

/// Only site admins edit; bad values are refused field by field; the slug is fixed.
async fn only_site_admins_edit_and_bad_values_are_refused(
    app: &TestApp,
    admin: &Session,
    others: &[&Session],
) {
    for session in others {
        let response = app
            .patch(
                "/api/v1/communities/open-garden",
                Some(session),
                json!({"name": "Mine now"}),
            )
            .await;
        assert_error(response, StatusCode::FORBIDDEN, "not_admin").await;
    }
    for (body, code) in [
        (json!({"visibility": "secret"}), "invalid_visibility"),
        (json!({"name": ""}), "invalid_name"),
        (json!({"join_policy": "lottery"}), "invalid_join_policy"),
    ] {
        let response = app
            .patch("/api/v1/communities/open-garden", Some(admin), body.clone())
            .await;
        assert_error_for(response, StatusCode::BAD_REQUEST, code, &body).await;
    }
    let response = app
        .patch(
            "/api/v1/communities/open-garden",
            Some(admin),
            json!({"slug": "renamed"}),
        )
        .await;
    assert_eq!(
        response.status(),
        StatusCode::BAD_REQUEST,
        "the slug is fixed"
    );
}

/// An edit changes the fields it names (here making the community private) and keeps the
/// others.
async fn an_edit_changes_the_fields_given_and_keeps_the_others(app: &TestApp, admin: &Session) {
    let response = app
        .patch(
            "/api/v1/communities/open-garden",
            Some(admin),
            json!({
                "name": "The Garden", "rules": "1. Be gentle", "visibility": "private",
                "join_policy": "approval", "condition_tags": ["breast-cancer"]
            }),
        )
        .await;
    let updated = expect_json(response, StatusCode::OK).await;
    assert_eq!(updated["name"], "The Garden");
    assert_eq!(updated["visibility"], "private");
    assert_eq!(updated["join_policy"], "approval");
    assert_eq!(updated["condition_tags"][0], "breast-cancer");
    assert_eq!(
        updated["description"], "A place to talk",
        "untouched fields stay"
    );
}

/// Private now: outsiders see nothing, members keep everything.
async fn once_private_outsiders_see_nothing_and_members_everything(
    app: &TestApp,
    member: &Session,
    outsider: &Session,
    thread: &str,
) {
    let response = app
        .get("/api/v1/communities/open-garden", Some(outsider))
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = app.get(&format!("/api/v1/threads/{thread}"), None).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = app
        .get(&format!("/api/v1/threads/{thread}"), Some(member))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
}

/// Removing a moderator (an admin's call) leaves a member without the queue; a plain
/// member cannot be removed as a moderator.
async fn removing_a_moderator_leaves_a_member(app: &TestApp, admin: &Session, moderator: &Session) {
    let response = app
        .delete(
            "/api/v1/communities/open-garden/moderators/mod_mia",
            Some(moderator),
        )
        .await;
    assert_error(response, StatusCode::FORBIDDEN, "not_admin").await;
    let response = app
        .delete(
            "/api/v1/communities/open-garden/moderators/mod_mia",
            Some(admin),
        )
        .await;
    let body = expect_json(response, StatusCode::OK).await;
    assert_eq!(body["membership"]["role"], "member");
    assert_eq!(body["membership"]["state"], "active");
    let response = app
        .get("/api/v1/mod/queue?community=open-garden", Some(moderator))
        .await;
    assert!(response.status().is_client_error(), "{}", response.status());
    let response = app
        .delete(
            "/api/v1/communities/open-garden/moderators/member_max",
            Some(admin),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
}

both_backends!(
    admins_edit_communities_and_remove_moderators,
    private_community_is_invisible_to_outsiders,
    approval_communities_wait_for_a_moderator,
    bans_stop_posting_and_rejoining,
    only_admins_create_communities_and_appoint_moderators,
    moderators_pin_and_lock_threads,
    profiles_show_only_what_members_choose,
);
