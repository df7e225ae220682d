//! Server-rendered pages, driven like a browser without JavaScript: a cookie jar, forms
//! posted as `application/x-www-form-urlencoded`, redirects after POST followed by hand.

use reqwest::header::{CONTENT_SECURITY_POLICY, CONTENT_TYPE, LOCATION};
use reqwest::{Client, Response, StatusCode};
use serde_json::json;

use crate::both_backends;
use crate::helpers::{Fixture, Session, TestApp, PASSWORD};

/// A browser: its own cookie jar, no automatic redirects.
pub(crate) struct Browser {
    client: Client,
    address: String,
}

impl Browser {
    pub(crate) fn new(app: &TestApp) -> Browser {
        Browser {
            client: Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            address: app.address.clone(),
        }
    }

    /// A browser whose every request asks for `accept_language` (`Accept-Language`).
    pub(crate) fn speaking(app: &TestApp, accept_language: &str) -> Browser {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            reqwest::header::ACCEPT_LANGUAGE,
            reqwest::header::HeaderValue::from_str(accept_language).expect("header value"),
        );
        Browser {
            client: Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .default_headers(headers)
                .build()
                .expect("client"),
            address: app.address.clone(),
        }
    }

    pub(crate) async fn get(&self, path: &str) -> Response {
        self.client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("GET")
    }

    /// GETs `path` again, naming the page this browser holds (`If-None-Match: tag`).
    pub(crate) async fn revalidate(&self, path: &str, tag: &str) -> Response {
        self.client
            .get(format!("{}{path}", self.address))
            .header(reqwest::header::IF_NONE_MATCH, tag)
            .send()
            .await
            .expect("GET")
    }

    /// GETs a page and returns its HTML, asserting the status.
    pub(crate) async fn page(&self, path: &str, status: StatusCode) -> String {
        let response = self.get(path).await;
        let actual = response.status();
        let text = response.text().await.expect("body");
        assert_eq!(actual, status, "GET {path}: {text}");
        text
    }

    /// GETs a path expecting `303 See Other`; returns where it points.
    pub(crate) async fn redirect(&self, path: &str) -> String {
        let response = self.get(path).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "GET {path}");
        response
            .headers()
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .map_or_else(|| panic!("GET {path}: a Location header"), str::to_owned)
    }

    pub(crate) async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        self.client
            .post(format!("{}{path}", self.address))
            .form(fields)
            .send()
            .await
            .expect("POST")
    }

    /// Loads `form_page`, then posts `fields` with the page's CSRF token to `action`.
    pub(crate) async fn submit(
        &self,
        form_page: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> Response {
        let html = self.page(form_page, StatusCode::OK).await;
        let token = csrf_token(&html);
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post(action, &all).await
    }

    /// Posts a form and expects a redirect; returns where it points.
    pub(crate) async fn submit_ok(
        &self,
        form_page: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> String {
        let response = self.submit(form_page, action, fields).await;
        let status = response.status();
        let location = response
            .headers()
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let text = response.text().await.expect("body");
        assert_eq!(status, StatusCode::SEE_OTHER, "POST {action}: {text}");
        location.expect("Location")
    }

    pub(crate) async fn sign_in(&self, username: &str) {
        let to = self
            .submit_ok(
                "/login",
                "/login",
                &[("username", username), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(to, "/");
    }
}

pub(crate) fn csrf_token(html: &str) -> String {
    let marker = r#"name="csrf_token" value=""#;
    let start = html
        .find(marker)
        .unwrap_or_else(|| panic!("a csrf_token field in {html}"))
        + marker.len();
    let end = html[start..].find('"').expect("end of value") + start;
    html[start..end].to_owned()
}

/// An admin, a public open community, a public approval community, a private one, and a
/// moderator for all three.
async fn setup(app: &TestApp) -> (Session, Session) {
    let w = Fixture::new(app)
        .community("lung-cancer", "public", "open")
        .community("caregivers", "public", "approval")
        .community("secret-circle", "private", "approval")
        .moderator("mod_maria")
        .build()
        .await;
    (w.admin, w.moderator.expect("moderator"))
}

async fn visitors_see_public_pages_and_friendly_errors(app: TestApp) {
    setup(&app).await;
    let visitor = Browser::new(&app);
    let home = visitor.get("/").await;
    assert_eq!(home.status(), StatusCode::OK);
    let csp = home
        .headers()
        .get(CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .expect("CSP")
        .to_owned();
    assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"));
    assert!(!csp.contains("unsafe-inline"));
    let html = home.text().await.expect("body");
    assert!(html.contains("You are not alone"));
    assert!(html.contains("Community lung-cancer"));
    assert!(
        !html.contains("secret-circle"),
        "private communities stay hidden"
    );
    assert!(!html.contains("<script>"), "no inline scripts");
    assert!(!html.contains("style="), "no inline styles");

    let page = visitor.page("/c/lung-cancer", StatusCode::OK).await;
    assert!(page.contains("Community rules") && page.contains("Be kind"));
    assert!(
        page.contains(r#"id="main""#) && page.contains("<main") && page.contains("Skip to content")
    );

    let missing = visitor
        .page("/c/secret-circle", StatusCode::NOT_FOUND)
        .await;
    assert!(missing.contains("Page not found"));
    let unknown = visitor
        .client
        .get(format!("{}/no/such/page", visitor.address))
        .header(reqwest::header::ACCEPT, "text/html,application/xhtml+xml")
        .send()
        .await
        .expect("GET");
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    assert!(unknown
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html")));
    visitor.page("/t/12345", StatusCode::NOT_FOUND).await;
    visitor.page("/t/not-a-number", StatusCode::NOT_FOUND).await;

    // The API keeps its own strict policy and JSON errors.
    let api = visitor.get("/api/v1/no-such-thing").await;
    assert_eq!(api.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        api.headers()
            .get(CONTENT_SECURITY_POLICY)
            .and_then(|v| v.to_str().ok()),
        Some("default-src 'none'; frame-ancestors 'none'")
    );
    assert!(api.text().await.expect("body").contains("not_found"));

    // Filters.
    let caregivers = visitor
        .page(
            "/communities?kind=condition&condition=lung-cancer",
            StatusCode::OK,
        )
        .await;
    assert!(caregivers.contains("Community caregivers"));
    let none = visitor
        .page("/communities?kind=caregiver", StatusCode::OK)
        .await;
    assert!(none.contains("No community matches"));

    // Pages that need an account send visitors to sign in.
    for path in ["/new", "/me", "/mod/queue", "/admin"] {
        let response = visitor.get(path).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
        let location = response
            .headers()
            .get(LOCATION)
            .and_then(|v| v.to_str().ok());
        assert_eq!(location, Some(format!("/login?next={path}").as_str()));
    }
    let response = visitor.get("/new?community=lung-cancer").await;
    assert_eq!(
        response
            .headers()
            .get(LOCATION)
            .and_then(|v| v.to_str().ok()),
        Some("/login?next=/new%3Fcommunity%3Dlung-cancer")
    );

    // Assets are served under their hashed names, cacheable.
    let css_path = {
        let start = html.find("/static/app.").expect("stylesheet link");
        let end = html[start..].find('"').expect("end") + start;
        html[start..end].to_owned()
    };
    let css = visitor.get(&css_path).await;
    assert_eq!(css.status(), StatusCode::OK);
    assert!(css
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/css")));
    visitor.page("/static/app.css", StatusCode::NOT_FOUND).await;
    visitor.page("/search", StatusCode::OK).await;
}

async fn forms_need_their_csrf_token(app: TestApp) {
    setup(&app).await;
    app.register("sam_patient").await;
    let browser = Browser::new(&app);
    let login = browser.page("/login", StatusCode::OK).await;
    assert!(!csrf_token(&login).is_empty());

    // No token, or a wrong one: refused before anything happens.
    let refused = browser
        .post(
            "/login",
            &[("username", "sam_patient"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(refused.text().await.expect("body").contains("Not allowed"));
    let wrong = browser
        .post(
            "/login",
            &[
                ("csrf_token", "forged"),
                ("username", "sam_patient"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);

    // Wrong password: the form comes back with the username kept.
    let bad = browser
        .submit(
            "/login",
            "/login",
            &[
                ("username", "sam_patient"),
                ("password", "not the password at all"),
            ],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let html = bad.text().await.expect("body");
    assert!(html.contains("do not match"));
    assert!(html.contains(r#"value="sam_patient""#));

    browser.sign_in("sam_patient").await;
    let home = browser.page("/", StatusCode::OK).await;
    assert!(home.contains("Welcome back, sam_patient"));
    // Every form that writes on a signed-in page carries the token (the search box is a
    // GET form).
    assert_eq!(
        home.matches("<form").count() - home.matches(r#"method="get""#).count(),
        home.matches(r#"name="csrf_token""#).count()
    );
    let join = browser.post("/c/lung-cancer/join", &[]).await;
    assert!(join.status().is_client_error(), "a join without the token");
    let page = browser.page("/c/lung-cancer", StatusCode::OK).await;
    assert!(page.contains("Join community"), "not joined");

    // Signing out ends the session.
    let to = browser.submit_ok("/", "/logout", &[]).await;
    assert_eq!(to, "/");
    let home = browser.page("/", StatusCode::OK).await;
    assert!(home.contains("You are not alone"));
}

async fn a_new_member_registers_joins_posts_and_replies(app: TestApp) {
    setup(&app).await;
    let browser = Browser::new(&app);
    a_refused_registration_keeps_the_input_and_explains_each_problem(&browser).await;
    registering_then_joining_open_and_approval_communities(&browser).await;
    let thread = a_bad_thread_keeps_its_text_and_a_good_one_is_posted(&browser).await;
    replies_survive_a_stale_token_and_empty_ones_are_refused(&browser, &thread).await;
    let visitor = others_see_the_reply_and_visitors_get_no_reply_box(&app, &thread).await;
    the_profile_form_saves_and_shows_only_what_is_shared(&browser, &visitor).await;
}

/// A refused registration keeps the input and explains each problem.
async fn a_refused_registration_keeps_the_input_and_explains_each_problem(browser: &Browser) {
    let refused = browser
        .submit(
            "/register",
            "/register",
            &[
                ("username", "x"),
                ("password", "short"),
                ("display_name", "Robin"),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let html = refused.text().await.expect("body");
    assert!(html.contains(r#"id="f-username-error""#));
    assert!(html.contains(r#"id="f-password-error""#));
    assert!(html.contains(r#"value="Robin""#));
}

/// Registering leads to the communities; an open community is joined at once, an
/// approval community takes a request.
async fn registering_then_joining_open_and_approval_communities(browser: &Browser) {
    let to = browser
        .submit_ok(
            "/register",
            "/register",
            &[
                ("username", "robin_new"),
                ("password", PASSWORD),
                ("display_name", "Robin"),
                ("email", ""),
            ],
        )
        .await;
    assert_eq!(to, "/start");

    let to = browser
        .submit_ok("/c/lung-cancer", "/c/lung-cancer/join", &[])
        .await;
    assert_eq!(to, "/c/lung-cancer?notice=joined");
    let page = browser.page(&to, StatusCode::OK).await;
    assert!(page.contains("You are now a member") && page.contains("Start a thread"));

    // Approval communities take a request.
    let to = browser
        .submit_ok("/c/caregivers", "/c/caregivers/join", &[])
        .await;
    let page = browser.page(&to, StatusCode::OK).await;
    assert!(page.contains("waiting for a moderator"));
}

/// A bad thread comes back with the problem next to the title and the text kept; a good
/// one is posted and rendered. The new thread's path.
async fn a_bad_thread_keeps_its_text_and_a_good_one_is_posted(browser: &Browser) -> String {
    let bad = browser
        .submit(
            "/new?community=lung-cancer",
            "/new",
            &[
                ("community", "lung-cancer"),
                ("title", "   "),
                ("body", "Kept text"),
            ],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let html = bad.text().await.expect("body");
    assert!(html.contains(r#"id="f-title-error""#));
    assert!(html.contains("Kept text"));

    let to = browser
        .submit_ok(
            "/new?community=lung-cancer",
            "/new",
            &[
                ("community", "lung-cancer"),
                ("title", "First scan next week"),
                ("body", "Feeling **nervous** about it."),
            ],
        )
        .await;
    assert!(to.starts_with("/t/"), "{to}");
    let thread = browser.page(&to, StatusCode::OK).await;
    assert!(thread.contains("First scan next week"));
    assert!(thread.contains("<strong>nervous</strong>"));
    assert!(thread.contains(r#"aria-live="polite""#));
    to
}

/// A stale token keeps the text and asks to send again; nothing is posted. An empty reply
/// is refused; a good one is posted.
async fn replies_survive_a_stale_token_and_empty_ones_are_refused(browser: &Browser, to: &str) {
    let reply_action = format!("{to}/reply");
    let stale = browser
        .post(
            &reply_action,
            &[
                ("csrf_token", "stale"),
                ("body", "Words I do not want to lose"),
            ],
        )
        .await;
    assert_eq!(stale.status(), StatusCode::BAD_REQUEST);
    let html = stale.text().await.expect("body");
    assert!(html.contains("Words I do not want to lose") && html.contains("press"));
    assert_eq!(
        html.matches("Words I do not want to lose").count(),
        1,
        "not posted"
    );
    let empty = browser.submit(to, &reply_action, &[("body", "  ")]).await;
    assert_eq!(empty.status(), StatusCode::BAD_REQUEST);
    assert!(empty.text().await.expect("body").contains("f-body-error"));
    let back = browser
        .submit_ok(to, &reply_action, &[("body", "Thinking of you all.")])
        .await;
    assert!(back.contains("notice=posted"), "{back}");
    let thread = browser.page(to, StatusCode::OK).await;
    assert!(thread.contains("Thinking of you all."));
}

/// Others see it too; visitors get no reply box. The visitor's browser.
async fn others_see_the_reply_and_visitors_get_no_reply_box(app: &TestApp, to: &str) -> Browser {
    let visitor = Browser::new(app);
    let seen = visitor.page(to, StatusCode::OK).await;
    assert!(seen.contains("Thinking of you all."));
    assert!(!seen.contains("reply-form"));
    visitor
}

/// The profile form saves and shows only what is shared.
async fn the_profile_form_saves_and_shows_only_what_is_shared(
    browser: &Browser,
    visitor: &Browser,
) {
    browser
        .submit_ok(
            "/me",
            "/me",
            &[
                ("display_name", "Robin R"),
                ("role", "patient"),
                ("conditions", "lung-cancer"),
                ("bio", "Private note"),
                ("show_role", "on"),
                ("show_conditions", "on"),
            ],
        )
        .await;
    // Members read words, not the stored slug and enum (issue 18).
    let shared = browser.page("/u/robin_new", StatusCode::OK).await;
    assert!(shared.contains("<dd>I live with cancer</dd>"), "{shared}");
    assert!(shared.contains("<dd>Lung cancer</dd>"), "{shared}");
    assert!(
        !shared.contains(">patient<") && !shared.contains(">lung-cancer<"),
        "{shared}"
    );
    let profile = visitor.page("/u/robin_new", StatusCode::OK).await;
    assert!(profile.contains("Robin R"));
    // Shared fields go to signed-in members (the default audience), not to visitors.
    assert!(!profile.contains("patient"));
    assert!(!profile.contains("Private note"));
}

async fn user_content_is_escaped(app: TestApp) {
    let (admin, _) = setup(&app).await;
    let response = app
        .register_raw(json!({
            "username": "mallory", "password": PASSWORD,
            "display_name": "<script>alert('name')</script>"
        }))
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let mallory = crate::helpers::session_from(response).await;
    app.join(&mallory, "lung-cancer").await;
    let (thread, _) = app
        .thread(
            &mallory,
            "lung-cancer",
            "<img src=x onerror=alert(1)>",
            "<script>alert('body')</script> [x](javascript:alert(1))",
        )
        .await;
    let _ = admin;
    let visitor = Browser::new(&app);
    for path in [format!("/t/{thread}"), "/c/lung-cancer".into()] {
        let html = visitor.page(&path, StatusCode::OK).await;
        assert!(!html.contains("<script>alert"), "{path}: {html}");
        assert!(!html.contains("<img src=x"), "{path}");
        assert!(!html.contains(r#"href="javascript:"#), "{path}");
        assert!(
            html.contains("&lt;img src=x onerror=alert(1)&gt;"),
            "{path}"
        );
    }
}

async fn a_held_post_says_awaiting_review_to_its_author(app: TestApp) {
    let (_, moderator) = setup(&app).await;
    let author = app.register("new_member").await;
    app.join(&author, "lung-cancer").await;
    let (thread, _) = app
        .thread(&moderator, "lung-cancer", "Welcome thread", "Say hello")
        .await;
    let post = app
        .reply(&author, &thread, "Message me for a great deal on vitamins")
        .await;
    let post_id = post["id"].as_str().expect("id").to_owned();
    // Screening holds the advert at once, before anyone reads it.
    assert_eq!(post["status"], "held");

    let browser = Browser::new(&app);
    browser.sign_in("new_member").await;
    let html = browser.page(&format!("/t/{thread}"), StatusCode::OK).await;
    assert!(html.contains("Awaiting review"), "{html}");
    assert!(html.contains("advertising or selling"), "{html}");
    assert!(html.contains("What you can do"));
    // The author can act on it: edit the post from the page.
    assert!(html.contains("Edit your post"));
    let edit_action = format!("/t/{thread}/p/{post_id}/edit");
    let to = browser
        .submit_ok(
            &format!("/t/{thread}"),
            &edit_action,
            &[(
                "body",
                "Does anyone know a good vitamin routine during chemo?",
            )],
        )
        .await;
    assert!(to.contains("notice=edited"), "{to}");
    let html = browser.page(&format!("/t/{thread}"), StatusCode::OK).await;
    assert!(html.contains("good vitamin routine"));

    let visitor = Browser::new(&app);
    let html = visitor.page(&format!("/t/{thread}"), StatusCode::OK).await;
    assert!(!html.contains("great deal on vitamins"));

    // The moderator decides from the queue; a decision without a reason is explained.
    let moderator_browser = Browser::new(&app);
    moderator_browser.sign_in("mod_maria").await;
    let home = moderator_browser.page("/", StatusCode::OK).await;
    assert!(home.contains(r#"href="/mod/queue""#));
    let queue = moderator_browser.page("/mod/queue", StatusCode::OK).await;
    // The queue shows the edited version and that screening has nothing against it now.
    assert!(queue.contains("good vitamin routine"), "{queue}");
    assert!(queue.contains("edited by the author"), "{queue}");
    let action = {
        let start = queue.find("/mod/queue/").expect("decision form");
        let end = queue[start..].find('"').expect("end") + start;
        queue[start..end].to_owned()
    };
    let refused = moderator_browser
        .submit(
            "/mod/queue",
            &action,
            &[("action", "remove"), ("reason", "")],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert!(refused
        .text()
        .await
        .expect("body")
        .contains("f-reason-error"));
    moderator_browser
        .submit_ok(
            "/mod/queue",
            &action,
            &[
                ("action", "remove"),
                ("reason", "Advertising is not allowed"),
            ],
        )
        .await;
    let log = moderator_browser
        .page("/c/lung-cancer/modlog", StatusCode::OK)
        .await;
    assert!(log.contains("Advertising is not allowed"));

    // Members are not moderators.
    browser.page("/mod/queue", StatusCode::FORBIDDEN).await;
    browser.page("/admin", StatusCode::FORBIDDEN).await;
}

async fn admins_create_communities_and_appoint_moderators(app: TestApp) {
    let (admin_api, _) = setup(&app).await;
    app.register("new_mod").await;
    let admin = Browser::new(&app);
    admin.sign_in("site_admin").await;
    a_bad_slug_is_refused_and_a_good_community_created(&admin).await;
    let moderator = the_appointed_moderator_gets_the_tools(&app, &admin).await;
    the_overview_counts_the_community_and_names_its_moderator(&admin).await;
    editing_refuses_a_bad_value_then_saves_a_private_community(&app, &admin).await;
    the_screening_policy_is_shown_refused_with_a_reason_then_saved(&app, &admin, &admin_api).await;
    a_removed_moderator_stays_a_member_without_the_tools(&admin, &moderator).await;
}

/// A bad slug comes back with the input kept; a good community is created.
async fn a_bad_slug_is_refused_and_a_good_community_created(admin: &Browser) {
    let bad = admin
        .submit(
            "/admin",
            "/admin/communities",
            &[
                ("slug", "Bad Slug"),
                ("name", "Myeloma"),
                ("kind", "condition"),
                ("visibility", "public"),
                ("join_policy", "open"),
            ],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let html = bad.text().await.expect("body");
    assert!(html.contains("f-slug-error") && html.contains(r#"value="Myeloma""#));
    let to = admin
        .submit_ok(
            "/admin",
            "/admin/communities",
            &[
                ("slug", "myeloma"),
                ("name", "Myeloma"),
                ("description", "For people living with myeloma"),
                ("rules", "Be gentle"),
                ("kind", "condition"),
                ("condition_tags", "myeloma"),
                ("visibility", "public"),
                ("join_policy", "open"),
            ],
        )
        .await;
    assert_eq!(to, "/c/myeloma");
}

/// The admin appoints a moderator, who then sees the members page. The moderator's
/// browser.
async fn the_appointed_moderator_gets_the_tools(app: &TestApp, admin: &Browser) -> Browser {
    admin
        .submit_ok(
            "/admin",
            "/admin/moderators",
            &[("community", "myeloma"), ("username", "new_mod")],
        )
        .await;
    let moderator = Browser::new(app);
    moderator.sign_in("new_mod").await;
    let page = moderator.page("/c/myeloma", StatusCode::OK).await;
    assert!(page.contains("Members and bans"));
    let members = moderator.page("/c/myeloma/members", StatusCode::OK).await;
    assert!(members.contains("new_mod"));
    moderator
}

/// The overview counts the new community and names its moderator.
async fn the_overview_counts_the_community_and_names_its_moderator(admin: &Browser) {
    let overview = admin.page("/admin", StatusCode::OK).await;
    assert!(overview.contains("Site overview"));
    assert!(
        overview.contains(r#"href="/admin/c/myeloma""#),
        "{overview}"
    );
    assert!(overview.contains("new_mod"));
}

/// Editing: a bad value comes back next to its field, with the input kept; the saved
/// community is private, so visitors get 404.
async fn editing_refuses_a_bad_value_then_saves_a_private_community(
    app: &TestApp,
    admin: &Browser,
) {
    let refused = admin
        .submit(
            "/admin/c/myeloma",
            "/admin/c/myeloma",
            &[
                ("name", ""),
                ("description", "Kept text"),
                ("kind", "condition"),
                ("visibility", "public"),
                ("join_policy", "open"),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let html = refused.text().await.expect("body");
    assert!(html.contains(r#"id="f-name-error""#) && html.contains("Kept text"));
    let to = admin
        .submit_ok(
            "/admin/c/myeloma",
            "/admin/c/myeloma",
            &[
                ("name", "Myeloma friends"),
                ("description", "For people living with myeloma"),
                ("rules", "Be kind"),
                ("kind", "condition"),
                ("condition_tags", "myeloma"),
                ("visibility", "private"),
                ("join_policy", "approval"),
            ],
        )
        .await;
    assert_eq!(to, "/admin/c/myeloma?notice=saved");
    let visitor = Browser::new(app);
    visitor.page("/c/myeloma", StatusCode::NOT_FOUND).await;
}

/// The screening policy: shown with its defaults, refused with the reason, then saved.
async fn the_screening_policy_is_shown_refused_with_a_reason_then_saved(
    app: &TestApp,
    admin: &Browser,
    admin_api: &Session,
) {
    let edit = admin.page("/admin/c/myeloma", StatusCode::OK).await;
    assert!(edit.contains("flag_instead_of_hold"), "{edit}");
    let refused = admin
        .submit(
            "/admin/c/myeloma",
            "/admin/c/myeloma/policy",
            &[("policy", r#"{"promotion": {"flag": 0.9, "hold": 0.5}}"#)],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let html = refused.text().await.expect("body");
    assert!(html.contains(r#"id="f-policy-error""#), "{html}");
    let to = admin
        .submit_ok(
            "/admin/c/myeloma",
            "/admin/c/myeloma/policy",
            &[(
                "policy",
                r#"{"personal_info": {"flag_instead_of_hold": [0, 1, 2, 3]}}"#,
            )],
        )
        .await;
    assert_eq!(to, "/admin/c/myeloma?notice=policy");
    let policy = app
        .get_json(
            "/api/v1/communities/myeloma/moderation-policy",
            Some(admin_api),
        )
        .await;
    assert_eq!(
        policy["policy"]["personal_info"]["flag_instead_of_hold"],
        json!([0, 1, 2, 3])
    );
}

/// Removing the moderator: they stay a member without the moderator's tools, and the
/// edit page is closed to them (moderators are not admins).
async fn a_removed_moderator_stays_a_member_without_the_tools(
    admin: &Browser,
    moderator: &Browser,
) {
    let to = admin
        .submit_ok(
            "/admin/c/myeloma",
            "/admin/c/myeloma/moderators/new_mod/remove",
            &[],
        )
        .await;
    assert_eq!(to, "/admin/c/myeloma?notice=removed");
    let page = moderator.page("/c/myeloma", StatusCode::OK).await;
    assert!(!page.contains("Members and bans"));
    // Moderators are not admins: the edit page is closed to them.
    moderator
        .page("/admin/c/myeloma", StatusCode::FORBIDDEN)
        .await;
}

async fn the_search_page_finds_readable_posts(app: TestApp) {
    let (_, moderator) = setup(&app).await;
    app.thread(
        &moderator,
        "lung-cancer",
        "Osimertinib <b>start</b>",
        "My non-small cell lung cancer journey begins.",
    )
    .await;
    app.thread(
        &moderator,
        "secret-circle",
        "Private worries",
        "Non-small cell lung cancer in the private circle.",
    )
    .await;
    let visitor = Browser::new(&app);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let html = loop {
        let html = visitor.page("/search?q=NSCLC", StatusCode::OK).await;
        if html.contains("journey begins") {
            break html;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "search page never found the post: {html}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    assert!(html.contains("<mark>"), "matches are marked");
    assert!(
        html.contains("Osimertinib &lt;b&gt;start&lt;/b&gt;"),
        "titles are escaped"
    );
    assert!(
        !html.contains("private circle"),
        "a private post leaked into search"
    );
    assert!(
        html.contains(r#"value="NSCLC""#),
        "the query is kept in the form"
    );
    let member = Browser::new(&app);
    member.sign_in("mod_maria").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !member
        .page("/search?q=NSCLC", StatusCode::OK)
        .await
        .contains("private circle")
    {
        assert!(
            std::time::Instant::now() < deadline,
            "a member never found the private post"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let bad = visitor
        .page("/search?q=%22unclosed", StatusCode::BAD_REQUEST)
        .await;
    assert!(bad.contains("never closed"), "{bad}");
}

async fn moderators_pin_lock_and_remove_from_the_thread_page(app: TestApp) {
    let (_, moderator) = setup(&app).await;
    let member = app.register("sam_patient").await;
    app.join(&member, "lung-cancer").await;
    let (thread, _) = app
        .thread(
            &moderator,
            "lung-cancer",
            "Scan anxiety",
            "How do you wait for results?",
        )
        .await;
    let post = app
        .reply(&member, &thread, "I keep busy in the garden.")
        .await;
    let post_id = post["id"].as_str().expect("id").to_owned();

    let member_browser = members_see_no_moderator_controls_and_cannot_use_them(&app, &thread).await;
    let browser = the_moderator_pins_and_locks_the_thread(&app, &thread).await;
    the_member_sees_the_thread_locked_with_no_reply_box(&app, &member_browser, &thread).await;
    removing_a_post_needs_a_reason_and_is_shown_and_logged(
        &app,
        &browser,
        &member_browser,
        &thread,
        &post_id,
    )
    .await;
    the_preview_is_sanitised_and_behind_the_csrf_token(&browser, &thread).await;
}

/// Members see no moderator controls and cannot use them. The member's browser.
async fn members_see_no_moderator_controls_and_cannot_use_them(
    app: &TestApp,
    thread: &str,
) -> Browser {
    let page = format!("/t/{thread}");
    let member_browser = Browser::new(app);
    member_browser.sign_in("sam_patient").await;
    let html = member_browser.page(&page, StatusCode::OK).await;
    assert!(!html.contains("Pin thread"));
    assert!(!html.contains("Remove this post"));
    let refused = member_browser
        .submit(
            &page,
            &format!("/t/{thread}/moderate"),
            &[("action", "lock")],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    member_browser
}

/// The moderator pins and locks the thread; an unknown action is refused. The
/// moderator's browser.
async fn the_moderator_pins_and_locks_the_thread(app: &TestApp, thread: &str) -> Browser {
    let page = format!("/t/{thread}");
    let browser = Browser::new(app);
    browser.sign_in("mod_maria").await;
    let html = browser.page(&page, StatusCode::OK).await;
    assert!(html.contains("Pin thread") && html.contains("Lock: close replies"));
    for (action, notice) in [("pin", "notice=pinned"), ("lock", "notice=locked")] {
        let to = browser
            .submit_ok(
                &page,
                &format!("/t/{thread}/moderate"),
                &[("action", action)],
            )
            .await;
        assert!(to.contains(notice), "{to}");
    }
    let bad = browser
        .submit(
            &page,
            &format!("/t/{thread}/moderate"),
            &[("action", "explode")],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let html = browser.page(&page, StatusCode::OK).await;
    assert!(html.contains("Unpin thread") && html.contains("Unlock: allow replies"));
    assert!(html.contains("As a moderator you can still reply"));
    browser
}

/// The member sees the thread locked, with no reply box.
async fn the_member_sees_the_thread_locked_with_no_reply_box(
    app: &TestApp,
    member_browser: &Browser,
    thread: &str,
) {
    let html = member_browser
        .page(&format!("/t/{thread}"), StatusCode::OK)
        .await;
    assert!(html.contains("replies are closed"), "{html}");
    assert!(!html.contains(r#"class="reply-form""#));
    let json = app
        .get_json(&format!("/api/v1/threads/{thread}"), None)
        .await;
    assert_eq!(json["thread"]["pinned"], true);
    assert_eq!(json["thread"]["locked"], true);
}

/// Removing a post needs a reason; the author sees it and the log records it.
async fn removing_a_post_needs_a_reason_and_is_shown_and_logged(
    app: &TestApp,
    browser: &Browser,
    member_browser: &Browser,
    thread: &str,
    post_id: &str,
) {
    let page = format!("/t/{thread}");
    let remove = format!("/t/{thread}/p/{post_id}/remove");
    let refused = browser.submit(&page, &remove, &[("reason", " ")]).await;
    assert_eq!(refused.status(), StatusCode::OK);
    assert!(refused
        .text()
        .await
        .expect("body")
        .contains("The post was not removed"));
    let to = browser
        .submit_ok(
            &page,
            &remove,
            &[("reason", "Medical advice that could harm someone")],
        )
        .await;
    assert!(to.contains("notice=removed"), "{to}");
    let again = browser.submit(&page, &remove, &[("reason", "twice")]).await;
    assert!(again
        .text()
        .await
        .expect("body")
        .contains("already been removed"));
    let html = member_browser.page(&page, StatusCode::OK).await;
    assert!(html.contains("Removed by a moderator"), "{html}");
    assert!(html.contains("Medical advice that could harm someone"));
    let visitor = Browser::new(app);
    let html = visitor.page(&page, StatusCode::OK).await;
    assert!(!html.contains("in the garden"));
    let log = browser.page("/c/lung-cancer/modlog", StatusCode::OK).await;
    assert!(
        log.contains("Medical advice that could harm someone"),
        "{log}"
    );
}

/// The markdown preview renders with the stored posts' sanitizer, behind the CSRF token.
async fn the_preview_is_sanitised_and_behind_the_csrf_token(browser: &Browser, thread: &str) {
    let html = browser.page(&format!("/t/{thread}"), StatusCode::OK).await;
    let token = csrf_token(&html);
    let preview = browser
        .post(
            "/preview",
            &[
                ("csrf_token", token.as_str()),
                ("body", "**bold** <script>alert(1)</script>"),
            ],
        )
        .await;
    assert_eq!(preview.status(), StatusCode::OK);
    let rendered: serde_json::Value = preview.json().await.expect("json");
    let rendered = rendered["body_html"].as_str().expect("body_html");
    assert!(rendered.contains("<strong>bold</strong>"), "{rendered}");
    assert!(!rendered.contains("<script"), "{rendered}");
    let forged = browser
        .post("/preview", &[("csrf_token", "forged"), ("body", "hi")])
        .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let empty = browser
        .post("/preview", &[("csrf_token", token.as_str()), ("body", "")])
        .await;
    assert_eq!(empty.status(), StatusCode::BAD_REQUEST);
}

/// Two tabs of one browser whose access cookie has expired load pages at the same
/// instant with the same refresh cookie: both stay signed in, with the same new cookies,
/// and the session survives.
async fn two_tabs_renewing_at_once_stay_signed_in(app: TestApp) {
    setup(&app).await;
    let member = app.register("two_tabs").await;
    let plain = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let tab = || {
        plain
            .get(app.url("/me"))
            .header(
                "Cookie",
                format!(
                    "kindred_refresh={}; kindred_csrf=tab-csrf",
                    member.refresh_token
                ),
            )
            .send()
    };
    let (one, two) = tokio::join!(tab(), tab());
    let mut renewed = Vec::new();
    for response in [one.expect("tab one"), two.expect("tab two")] {
        assert_eq!(response.status(), StatusCode::OK);
        let refresh = response
            .cookies()
            .find(|c| c.name() == "kindred_refresh")
            .expect("a renewed refresh cookie")
            .value()
            .to_owned();
        let html = response.text().await.expect("body");
        assert!(html.contains("Sign out"), "signed in: {html}");
        renewed.push(refresh);
    }
    assert_eq!(renewed[0], renewed[1], "both tabs got the same renewal");
    assert_ne!(renewed[0], member.refresh_token);
    // The session lives on with the renewed cookie.
    let response = plain
        .get(app.url("/me"))
        .header("Cookie", format!("kindred_refresh={}", renewed[0]))
        .send()
        .await
        .expect("later");
    let html = response.text().await.expect("body");
    assert!(html.contains("Sign out"), "still signed in: {html}");
    // The JSON API keeps strict reuse detection: the spent token revokes the family.
    let response = app
        .post(
            "/api/v1/auth/refresh",
            None,
            json!({ "refresh_token": member.refresh_token }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

/// The notifications page lists what concerns the member; the header counts the unread.
async fn the_notifications_page_lists_and_clears(app: TestApp) {
    let (_admin, moderator) = setup(&app).await;
    let (thread, _) = app
        .thread(
            &moderator,
            "lung-cancer",
            "Radiation fatigue",
            "How long did it last?",
        )
        .await;
    let member = app.register("robin_reply").await;
    app.join(&member, "lung-cancer").await;
    let reply = app
        .reply(&member, &thread, "About six weeks for me, @mod_maria.")
        .await;
    let reply = reply["id"].as_str().expect("post id");

    let browser = Browser::new(&app);
    browser.sign_in("mod_maria").await;
    let home = browser.page("/", StatusCode::OK).await;
    assert!(home.contains("1 unread"), "header badge: {home}");
    assert!(home.contains("New for you") && home.contains("robin_reply mentioned you"));
    let page = browser.page("/notifications", StatusCode::OK).await;
    assert!(page.contains("robin_reply mentioned you"), "{page}");
    assert!(page.contains("Radiation fatigue"));
    assert!(page.contains("About six weeks for me"));
    // Through the permalink, which finds the page of the thread that shows the reply.
    assert!(page.contains(&format!(r#"href="/p/{reply}?n="#)), "{page}");
    assert_eq!(
        browser.redirect(&format!("/p/{reply}")).await,
        format!("/t/{thread}#p{reply}")
    );
    // Reporting from the thread page comes back at the reported post (issue 18).
    let to = browser
        .submit_ok(
            &format!("/t/{thread}"),
            &format!("/t/{thread}/p/{reply}/report"),
            &[("reason", "This reads like medical advice")],
        )
        .await;
    assert_eq!(to, format!("/p/{reply}?notice=reported"));
    let to = browser
        .submit_ok("/notifications", "/notifications/read", &[])
        .await;
    assert_eq!(to, "/notifications?notice=read");
    let page = browser.page(&to, StatusCode::OK).await;
    assert!(page.contains("marked as read"));
    assert!(!page.contains(" unread<"), "{page}");

    // Visitors are sent to sign in.
    let visitor = Browser::new(&app);
    let response = visitor.get("/notifications").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);

    // A caregiver's home suggests the public communities matching their profile.
    let carer = app.register("new_carer").await;
    let response = app
        .patch(
            "/api/v1/me/profile",
            Some(&carer),
            json!({ "role": "caregiver", "conditions": ["lung-cancer"] }),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let browser = Browser::new(&app);
    browser.sign_in("new_carer").await;
    let home = browser.page("/", StatusCode::OK).await;
    assert!(
        home.contains("Communities you might find helpful"),
        "{home}"
    );
    assert!(home.contains("/c/lung-cancer") && home.contains("/c/caregivers"));
    assert!(
        !home.contains("secret-circle"),
        "a private community was suggested"
    );
}

both_backends!(
    two_tabs_renewing_at_once_stay_signed_in,
    the_notifications_page_lists_and_clears,
    moderators_pin_lock_and_remove_from_the_thread_page,
    the_search_page_finds_readable_posts,
    visitors_see_public_pages_and_friendly_errors,
    forms_need_their_csrf_token,
    a_new_member_registers_joins_posts_and_replies,
    user_content_is_escaped,
    a_held_post_says_awaiting_review_to_its_author,
    admins_create_communities_and_appoint_moderators,
);
