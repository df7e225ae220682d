//! `spawn_app`: the real server on a free port, with a fresh database, for each test.
//!
//! SQLite databases live in a new temporary directory; PostgreSQL tests create a new
//! database on `KINDRED_TEST_POSTGRES` (default `postgres://postgres@127.0.0.1:5432`).
//! `spawn_app_with` adjusts the configuration first (several nodes on one database,
//! Redis, tighter realtime limits).

use std::path::PathBuf;

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection, RunQueryDsl};
use kindred_server::config::{ConfigInput, Settings};
use kindred_server::service::mail_preferences::NotificationMail;
use kindred_server::startup::{Application, StopHandle};
use kindred_server::store::Store;
use reqwest::{Client, Method, RequestBuilder, Response, StatusCode};
use serde_json::{json, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub address: String,
    pub client: Client,
    pub store: Store,
    pub backend: Backend,
    pub data_dir: PathBuf,
    /// The database URL this app serves (for a second node on the same database).
    pub database_url: Option<String>,
    /// Stops the server as SIGTERM would.
    pub stop: StopHandle,
    /// The notification-mail job, which tests run by hand with a chosen "now" (its
    /// background task is off in tests).
    pub notification_mail: NotificationMail,
}

/// Removes the test's data directory. Its PostgreSQL database is left for a later test
/// process to drop (see [`fresh_postgres_database`]): dropping it here, while the server's
/// pool still holds connections, would make the pool reconnect in the background, and a
/// test process that exits while a thread is inside libpq can crash.
impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}

pub const PASSWORD: &str = "a calm and patient harbour";

/// Debian's libpq tries GSSAPI first, and its Kerberos library aborts the process
/// (`k5_mutex_lock`) when a test binary exits while other threads still hold connections;
/// likewise TLS (Debian's server offers it, libpq prefers it), whose library is torn down
/// at exit under threads still reading. Tests talk to a local server with trust auth and
/// need neither.
const NO_GSS: &str = "?gssencmode=disable&sslmode=disable";

pub fn postgres_base() -> String {
    std::env::var("KINDRED_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

/// Creates an empty PostgreSQL database and returns its URL. Its name carries this
/// process's id; databases of test processes that have ended are dropped first.
pub fn fresh_postgres_database() -> String {
    let name = format!(
        "kindred_test_{}_{:016x}",
        std::process::id(),
        rand::random::<u64>()
    );
    let mut admin = PgConnection::establish(&format!("{}/postgres{NO_GSS}", postgres_base()))
        .expect("PostgreSQL must be running for the PostgreSQL tests");
    drop_databases_of_ended_tests(&mut admin);
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("create test database");
    format!("{}/{name}{NO_GSS}", postgres_base())
}

#[derive(diesel::QueryableByName)]
struct DatabaseName {
    #[diesel(sql_type = diesel::sql_types::Text)]
    datname: String,
}

fn drop_databases_of_ended_tests(admin: &mut PgConnection) {
    let Ok(names) = diesel::sql_query(
        "SELECT datname FROM pg_database WHERE datname LIKE 'kindred\\_test\\_%'",
    )
    .load::<DatabaseName>(admin) else {
        return;
    };
    for DatabaseName { datname } in names {
        let pid = datname
            .split('_')
            .nth(2)
            .and_then(|p| p.parse::<u32>().ok());
        let ended = pid.is_none_or(|pid| !std::path::Path::new(&format!("/proc/{pid}")).exists());
        if ended {
            let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {datname} WITH (FORCE)"));
        }
    }
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, |_| {}, |_| {}).await
}

/// Like [`spawn_app`], with the configuration input and then the checked settings
/// adjusted before the server starts. An input that names a `database_url` serves that
/// database (which this app then does not drop) instead of a fresh one.
pub async fn spawn_app_with(
    backend: Backend,
    input: impl FnOnce(&mut ConfigInput),
    adjust: impl FnOnce(&mut Settings),
) -> TestApp {
    let data_dir =
        std::env::temp_dir().join(format!("kindred-test-{:016x}", rand::random::<u64>()));
    let mut config = ConfigInput {
        data_dir: Some(data_dir.clone()),
        database_url: None,
        bind: Some("127.0.0.1:0".into()),
        public_url: None,
        jwt_secret: Some("test-secret-that-is-long-enough-for-hs256".into()),
        redis_url: None,
        ws_origins: None,
        ws_max_connections: None,
        db_pool_timeout: None,
        db_statement_timeout: None,
        posts_per_hour: None,
        new_member_posts_per_hour: None,
        smtp_url: None,
        mail_from: None,
        require_email_verification: None,
        mail_claim_lease: None,
        care_country: None,
        default_language: None,
    };
    input(&mut config);
    if let (None, Backend::Postgres) = (&config.database_url, backend) {
        config.database_url = Some(fresh_postgres_database());
    }
    let database_url = config.database_url.clone();
    let mut settings = Settings::load(config).expect("settings");
    // Tests register many accounts and post many replies from one address within the
    // hour; the tests of the limits themselves tighten them again in `adjust`.
    settings.limits.registrations_per_hour_per_ip = 10_000;
    settings.limits.posts_per_hour = 100_000;
    settings.limits.posts_per_hour_new_member = 100_000;
    settings.mail.notify_interval = None;
    adjust(&mut settings);
    let app = Application::build(settings).expect("build application");
    let address = format!("http://127.0.0.1:{}", app.port());
    let store = app.store();
    let stop = app.stop_handle();
    let notification_mail = app.notification_mail();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        client: Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client"),
        store,
        backend,
        data_dir,
        database_url,
        stop,
        notification_mail,
    }
}

/// A signed-in API client.
#[derive(Debug, Clone)]
pub struct Session {
    pub username: String,
    pub user_id: String,
    pub access_token: String,
    pub refresh_token: String,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub fn request(&self, method: Method, path: &str, session: Option<&Session>) -> RequestBuilder {
        let builder = self.client.request(method, self.url(path));
        match session {
            Some(s) => builder.bearer_auth(&s.access_token),
            None => builder,
        }
    }

    pub async fn get(&self, path: &str, session: Option<&Session>) -> Response {
        self.request(Method::GET, path, session)
            .send()
            .await
            .expect("GET")
    }

    pub async fn post(&self, path: &str, session: Option<&Session>, body: Value) -> Response {
        self.request(Method::POST, path, session)
            .json(&body)
            .send()
            .await
            .expect("POST")
    }

    pub async fn patch(&self, path: &str, session: Option<&Session>, body: Value) -> Response {
        self.request(Method::PATCH, path, session)
            .json(&body)
            .send()
            .await
            .expect("PATCH")
    }

    pub async fn delete(&self, path: &str, session: Option<&Session>) -> Response {
        self.request(Method::DELETE, path, session)
            .send()
            .await
            .expect("DELETE")
    }

    /// Registers a member with [`PASSWORD`] and returns their session.
    pub async fn register(&self, username: &str) -> Session {
        let response = self
            .post(
                "/api/v1/auth/register",
                None,
                json!({ "username": username, "password": PASSWORD }),
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::CREATED,
            "register {username}"
        );
        session_from(response).await
    }

    pub async fn login(&self, username: &str, password: &str) -> Response {
        self.post(
            "/api/v1/auth/login",
            None,
            json!({ "username": username, "password": password }),
        )
        .await
    }

    /// Creates a site admin through the library (as `kindred admin create` does) and
    /// signs them in.
    pub async fn admin(&self, username: &str) -> Session {
        use kindred_server::domain::user::{Password, SiteRole, Username};
        use kindred_server::service::accounts::{create_account, Registration};
        let store = self.store.clone();
        let name = username.to_owned();
        tokio::task::spawn_blocking(move || {
            create_account(
                &store,
                Registration {
                    username: Username::parse(&name).expect("username"),
                    password: Password::parse(PASSWORD).expect("password"),
                    email: None,
                    display_name: None,
                    site_role: SiteRole::Admin,
                },
            )
        })
        .await
        .expect("join")
        .expect("create admin");
        let response = self.login(username, PASSWORD).await;
        assert_eq!(response.status(), StatusCode::OK);
        session_from(response).await
    }

    /// Creates a community as `admin`.
    pub async fn community(
        &self,
        admin: &Session,
        slug: &str,
        visibility: &str,
        join_policy: &str,
    ) {
        let response = self
            .post(
                "/api/v1/communities",
                Some(admin),
                json!({
                    "slug": slug, "name": format!("Community {slug}"),
                    "description": "A place to talk", "rules": "1. Be kind",
                    "kind": "condition", "condition_tags": ["lung-cancer"],
                    "visibility": visibility, "join_policy": join_policy
                }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "create {slug}");
    }

    /// Registers with every field given; returns the raw response.
    pub async fn register_raw(&self, body: Value) -> Response {
        self.post("/api/v1/auth/register", None, body).await
    }

    /// Joins a community and returns the membership state.
    pub async fn join(&self, session: &Session, slug: &str) -> String {
        let response = self
            .post(
                &format!("/api/v1/communities/{slug}/join"),
                Some(session),
                json!({}),
            )
            .await;
        let body = expect_json(response, StatusCode::OK).await;
        body["membership"]["state"]
            .as_str()
            .expect("state")
            .to_owned()
    }

    /// Appoints a moderator (as a site admin).
    pub async fn appoint_moderator(&self, admin: &Session, slug: &str, username: &str) {
        let response = self
            .post(
                &format!("/api/v1/communities/{slug}/moderators"),
                Some(admin),
                json!({ "username": username }),
            )
            .await;
        let body = expect_json(response, StatusCode::OK).await;
        assert_eq!(body["membership"]["role"], "moderator");
        assert_eq!(body["membership"]["state"], "active");
    }

    /// Adds (or approves) a member, as a moderator.
    pub async fn add_member(&self, moderator: &Session, slug: &str, username: &str) {
        let response = self
            .post(
                &format!("/api/v1/communities/{slug}/members"),
                Some(moderator),
                json!({ "username": username }),
            )
            .await;
        let body = expect_json(response, StatusCode::OK).await;
        assert_eq!(
            body["membership"]["state"], "active",
            "{username} added to {slug}"
        );
    }

    /// Replies to a thread and returns the created post.
    pub async fn reply(&self, session: &Session, thread_id: &str, body: &str) -> Value {
        let response = self
            .post(
                &format!("/api/v1/threads/{thread_id}/posts"),
                Some(session),
                json!({ "body": body }),
            )
            .await;
        expect_json(response, StatusCode::CREATED).await["post"].clone()
    }

    /// GETs a path expecting 200 and returns the JSON body.
    /// Runs one of the jobs each node runs on a timer (`service::periodic::run_every`) once,
    /// now, on the blocking pool, and returns what it counted.
    pub async fn run_job_now(
        &self,
        job: fn(&Store, i64) -> Result<usize, kindred_server::error::Error>,
    ) -> usize {
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .expect("clock")
                .as_micros() as i64;
            job(&store, now)
        })
        .await
        .expect("join")
        .expect("job")
    }

    pub async fn get_json(&self, path: &str, session: Option<&Session>) -> Value {
        expect_json(self.get(path, session).await, StatusCode::OK).await
    }

    /// Starts a thread and returns (thread id, first post id).
    pub async fn thread(
        &self,
        session: &Session,
        slug: &str,
        title: &str,
        body: &str,
    ) -> (String, String) {
        let response = self
            .post(
                &format!("/api/v1/communities/{slug}/threads"),
                Some(session),
                json!({ "title": title, "body": body }),
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::CREATED,
            "start thread in {slug}"
        );
        let created: Value = response.json().await.expect("json");
        (
            created["thread"]["id"]
                .as_str()
                .expect("thread id")
                .to_owned(),
            created["post"]["id"].as_str().expect("post id").to_owned(),
        )
    }
}

pub async fn session_from(response: Response) -> Session {
    let body: Value = response.json().await.expect("session json");
    Session {
        username: body["user"]["username"]
            .as_str()
            .expect("username")
            .to_owned(),
        user_id: body["user"]["id"].as_str().expect("user id").to_owned(),
        access_token: body["access_token"]
            .as_str()
            .expect("access token")
            .to_owned(),
        refresh_token: body["refresh_token"]
            .as_str()
            .expect("refresh token")
            .to_owned(),
    }
}

/// Asserts the status and returns the JSON body (the body is shown if either fails).
pub async fn expect_json(response: Response, status: StatusCode) -> Value {
    let actual = response.status();
    let url = response.url().path().to_owned();
    let text = response.text().await.expect("read body");
    assert_eq!(actual, status, "status of {url}; body: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{url}: body is not JSON ({e}): {text}"))
}

/// Asserts the status and the `{"error": {"code", "message"}}` shape; returns the code.
pub async fn expect_error(response: Response, status: StatusCode) -> String {
    let body = error_body(response, status, "").await;
    error_code(&body).to_owned()
}

/// Asserts an error answer in one step: its status, the `{"error": {"code", "message"}}`
/// shape and the code. Returns the body, for the tests that also read the message.
pub async fn assert_error(response: Response, status: StatusCode, code: &str) -> Value {
    assert_error_for(response, status, code, "").await
}

/// [`assert_error`] for one case of several (a loop over inputs): `case` names it in
/// every failure message.
pub async fn assert_error_for(
    response: Response,
    status: StatusCode,
    code: &str,
    case: impl std::fmt::Display,
) -> Value {
    let case = case_prefix(&case.to_string());
    let body = error_body(response, status, &case).await;
    assert_eq!(error_code(&body), code, "{case}error code; body: {body}");
    body
}

/// `case` ready to start a failure message: empty, or followed by a colon.
fn case_prefix(case: &str) -> String {
    if case.is_empty() {
        String::new()
    } else {
        format!("{case}: ")
    }
}

/// Asserts the status and the error shape; `case` is a [`case_prefix`].
async fn error_body(response: Response, status: StatusCode, case: &str) -> Value {
    let actual = response.status();
    let url = response.url().path().to_owned();
    let text = response.text().await.expect("read body");
    assert_eq!(actual, status, "{case}status of {url}; body: {text}");
    let body: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{case}{url}: body is not JSON ({e}): {text}"));
    assert!(
        body["error"]["message"].is_string(),
        "{case}error.message in {body}"
    );
    assert_eq!(
        body.as_object().map(serde_json::Map::len),
        Some(1),
        "{case}nothing but `error` in an error body: {body}"
    );
    body
}

fn error_code(body: &Value) -> &str {
    body["error"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("error.code in {body}"))
}

/// Status and body text, for comparing two answers byte for byte.
pub async fn status_and_text(response: Response) -> (StatusCode, String) {
    let status = response.status();
    (status, response.text().await.expect("read body"))
}

/// Runs an async test body once on SQLite and once on PostgreSQL. With
/// `with path::to::spawn;` first, the app comes from that function (given the backend)
/// instead of [`spawn_app`]; the path is seen from the generated `sqlite`/`postgres`
/// modules, so it usually starts with `super::`. With `backend;` first, the body is
/// given the backend and starts its app itself (with a mail sink, say).
#[macro_export]
macro_rules! both_backends {
    (backend; $($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::helpers::Backend::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::helpers::Backend::Postgres).await
                }
            )*
        }
    };
    (with $spawn:path; $($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($spawn($crate::helpers::Backend::Sqlite).await).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($spawn($crate::helpers::Backend::Postgres).await).await
                }
            )*
        }
    };
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::helpers::spawn_app($crate::helpers::Backend::Sqlite).await).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::helpers::spawn_app($crate::helpers::Backend::Postgres).await).await
                }
            )*
        }
    };
}

/// Builds the people and places a scenario starts from: a site admin, communities, a
/// moderator of all of them, members, and a thread in the first community.
///
/// ```ignore
/// let w = Fixture::new(&app)
///     .community("lung", "public", "open")
///     .moderator("mod_maria")
///     .members(["ana_patient", "ben_carer"])
///     .thread("Scan days", "How do you get through them?")
///     .build()
///     .await;
/// app.reply(w.member("ana_patient"), w.thread_id(), "Hello").await;
/// ```
///
/// `build` makes the calls in a fixed order: admin, communities, moderator (appointed to
/// each community), members (each registers, then joins the first community), thread.
pub struct Fixture<'a> {
    app: &'a TestApp,
    admin: String,
    communities: Vec<(String, String, String)>,
    moderator: Option<String>,
    members: Vec<String>,
    thread: Option<(Starter, String, String)>,
}

/// Who starts the fixture's thread.
enum Starter {
    Moderator,
    Member(String),
}

/// What [`Fixture::build`] made: sessions and ids to act with.
pub struct World {
    pub admin: Session,
    /// The first community's slug.
    pub slug: String,
    pub moderator: Option<Session>,
    pub members: Vec<Session>,
    /// (thread id, first post id)
    pub thread: Option<(String, String)>,
}

impl<'a> Fixture<'a> {
    /// A site admin named `site_admin`, and nothing else yet.
    pub fn new(app: &'a TestApp) -> Self {
        Fixture {
            app,
            admin: "site_admin".into(),
            communities: Vec::new(),
            moderator: None,
            members: Vec::new(),
            thread: None,
        }
    }

    /// The public `lung` community (open, moderated by `mod_maria`) where `ben_carer`, who
    /// must be one of `members`, asks "Scan days": the page-cache, revalidation and
    /// permalink tests' public thread.
    pub fn public_scan_days<const N: usize>(app: &'a TestApp, members: [&str; N]) -> Self {
        Fixture::new(app)
            .community("lung", "public", "open")
            .moderator("mod_maria")
            .members(members)
            .thread_by("ben_carer", "Scan days", "How do you get through them?")
    }

    /// The private `gbm-caregivers` community (joined on approval) where its moderator
    /// `mod_omar` started "Seizure plans at home": the same tests' private thread.
    pub fn private_seizure_plans(app: &'a TestApp) -> Self {
        Fixture::new(app)
            .community("gbm-caregivers", "private", "approval")
            .moderator("mod_omar")
            .thread("Seizure plans at home", "What is in your plan?")
    }

    pub fn admin(mut self, username: &str) -> Self {
        username.clone_into(&mut self.admin);
        self
    }

    /// A community created by the admin; `visibility` is `public`/`private`,
    /// `join_policy` is `open`/`approval`.
    pub fn community(mut self, slug: &str, visibility: &str, join_policy: &str) -> Self {
        self.communities
            .push((slug.into(), visibility.into(), join_policy.into()));
        self
    }

    /// A member appointed moderator of every community.
    pub fn moderator(mut self, username: &str) -> Self {
        self.moderator = Some(username.into());
        self
    }

    /// Members who join the first community themselves, in this order.
    pub fn members<const N: usize>(mut self, usernames: [&str; N]) -> Self {
        self.members.extend(usernames.iter().map(|&u| u.to_owned()));
        self
    }

    /// A thread in the first community, started by the moderator.
    pub fn thread(mut self, title: &str, body: &str) -> Self {
        self.thread = Some((Starter::Moderator, title.into(), body.into()));
        self
    }

    /// A thread in the first community, started by one of the members.
    pub fn thread_by(mut self, member: &str, title: &str, body: &str) -> Self {
        self.thread = Some((Starter::Member(member.into()), title.into(), body.into()));
        self
    }

    pub async fn build(self) -> World {
        let app = self.app;
        let admin = app.admin(&self.admin).await;
        for (slug, visibility, join_policy) in &self.communities {
            app.community(&admin, slug, visibility, join_policy).await;
        }
        let slug = self
            .communities
            .first()
            .map(|(slug, _, _)| slug.clone())
            .unwrap_or_default();
        let mut moderator = None;
        if let Some(name) = &self.moderator {
            moderator = Some(app.register(name).await);
            for (slug, _, _) in &self.communities {
                app.appoint_moderator(&admin, slug, name).await;
            }
        }
        let mut members = Vec::new();
        for name in &self.members {
            let member = app.register(name).await;
            app.join(&member, &slug).await;
            members.push(member);
        }
        let mut world = World {
            admin,
            slug,
            moderator,
            members,
            thread: None,
        };
        if let Some((starter, title, body)) = &self.thread {
            let author = match starter {
                Starter::Moderator => world.moderator(),
                Starter::Member(name) => world.member(name),
            };
            world.thread = Some(app.thread(author, &world.slug, title, body).await);
        }
        world
    }
}

impl World {
    pub fn moderator(&self) -> &Session {
        self.moderator
            .as_ref()
            .expect("the fixture has a moderator")
    }

    pub fn member(&self, username: &str) -> &Session {
        self.members
            .iter()
            .find(|m| m.username == username)
            .unwrap_or_else(|| panic!("{username} is a member in the fixture"))
    }

    pub fn thread_id(&self) -> &str {
        &self.thread.as_ref().expect("the fixture has a thread").0
    }

    pub fn first_post_id(&self) -> &str {
        &self.thread.as_ref().expect("the fixture has a thread").1
    }
}
