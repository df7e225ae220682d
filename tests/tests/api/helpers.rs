//! `spawn_app`: the real server on a free port, with a fresh database, for each test.
//!
//! SQLite databases live in a new temporary directory; PostgreSQL tests create a new
//! database on `KINDRED_TEST_POSTGRES` (default `postgres://postgres@127.0.0.1:5432`).

use std::path::PathBuf;

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use kindred_server::config::{ConfigInput, Settings};
use kindred_server::startup::Application;
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
}

pub const PASSWORD: &str = "a calm and patient harbour";

fn postgres_base() -> String {
    std::env::var("KINDRED_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

/// Creates an empty PostgreSQL database and returns its URL.
fn fresh_postgres_database() -> String {
    let name = format!("kindred_test_{:016x}", rand::random::<u64>());
    let mut admin = PgConnection::establish(&format!("{}/postgres", postgres_base()))
        .expect("PostgreSQL must be running for the PostgreSQL tests");
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("create test database");
    format!("{}/{name}", postgres_base())
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    let data_dir = std::env::temp_dir().join(format!("kindred-test-{:016x}", rand::random::<u64>()));
    let database_url = match backend {
        Backend::Sqlite => None,
        Backend::Postgres => Some(fresh_postgres_database()),
    };
    let settings = Settings::load(ConfigInput {
        data_dir: Some(data_dir.clone()),
        database_url,
        bind: Some("127.0.0.1:0".into()),
        public_url: None,
        jwt_secret: Some("test-secret-that-is-long-enough-for-hs256".into()),
        redis_url: None,
    })
    .expect("settings");
    let app = Application::build(settings).expect("build application");
    let address = format!("http://127.0.0.1:{}", app.port());
    let store = app.store();
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
        self.request(Method::GET, path, session).send().await.expect("GET")
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
        self.request(Method::DELETE, path, session).send().await.expect("DELETE")
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
        assert_eq!(response.status(), StatusCode::CREATED, "register {username}");
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
    pub async fn community(&self, admin: &Session, slug: &str, visibility: &str, join_policy: &str) {
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

    /// Starts a thread and returns (thread id, first post id).
    pub async fn thread(&self, session: &Session, slug: &str, title: &str, body: &str) -> (String, String) {
        let response = self
            .post(
                &format!("/api/v1/communities/{slug}/threads"),
                Some(session),
                json!({ "title": title, "body": body }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::CREATED, "start thread in {slug}");
        let created: Value = response.json().await.expect("json");
        (
            created["thread"]["id"].as_str().expect("thread id").to_owned(),
            created["post"]["id"].as_str().expect("post id").to_owned(),
        )
    }
}

pub async fn session_from(response: Response) -> Session {
    let body: Value = response.json().await.expect("session json");
    Session {
        username: body["user"]["username"].as_str().expect("username").to_owned(),
        user_id: body["user"]["id"].as_str().expect("user id").to_owned(),
        access_token: body["access_token"].as_str().expect("access token").to_owned(),
        refresh_token: body["refresh_token"].as_str().expect("refresh token").to_owned(),
    }
}

/// Asserts the status and the `{"error": {"code", "message"}}` shape; returns the code.
pub async fn expect_error(response: Response, status: StatusCode) -> String {
    assert_eq!(response.status(), status, "status");
    let body: Value = response.json().await.expect("error body is JSON");
    let code = body["error"]["code"].as_str().expect("error.code").to_owned();
    assert!(body["error"]["message"].is_string(), "error.message in {body}");
    code
}

/// Runs an async test body once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! both_backends {
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
