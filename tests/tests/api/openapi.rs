//! The OpenAPI document is served and describes every route the README lists.

use reqwest::StatusCode;
use serde_json::Value;

use crate::both_backends;
use crate::helpers::TestApp;

const ROUTES: [(&str, &str); 33] = [
    ("post", "/api/v1/auth/register"),
    ("post", "/api/v1/auth/login"),
    ("post", "/api/v1/auth/refresh"),
    ("post", "/api/v1/auth/logout"),
    ("get", "/api/v1/me"),
    ("patch", "/api/v1/me/profile"),
    ("get", "/api/v1/users/{username}"),
    ("get", "/api/v1/communities"),
    ("post", "/api/v1/communities"),
    ("get", "/api/v1/communities/{slug}"),
    ("post", "/api/v1/communities/{slug}/join"),
    ("post", "/api/v1/communities/{slug}/leave"),
    ("post", "/api/v1/communities/{slug}/moderators"),
    ("get", "/api/v1/communities/{slug}/members"),
    ("post", "/api/v1/communities/{slug}/members"),
    ("post", "/api/v1/communities/{slug}/bans"),
    ("delete", "/api/v1/communities/{slug}/bans/{username}"),
    ("get", "/api/v1/communities/{slug}/threads"),
    ("post", "/api/v1/communities/{slug}/threads"),
    ("get", "/api/v1/threads/{id}"),
    ("patch", "/api/v1/threads/{id}"),
    ("post", "/api/v1/threads/{id}/posts"),
    ("patch", "/api/v1/posts/{id}"),
    ("delete", "/api/v1/posts/{id}"),
    ("post", "/api/v1/posts/{id}/reports"),
    ("get", "/api/v1/mod/queue"),
    ("post", "/api/v1/mod/queue/{id}/decision"),
    ("get", "/api/v1/communities/{slug}/modlog"),
    ("get", "/api/v1/ws"),
    ("get", "/api/v1/me/consents"),
    ("patch", "/api/v1/me/consents"),
    ("get", "/api/v1/me/export"),
    ("delete", "/api/v1/me"),
];

async fn openapi_describes_every_route(app: TestApp) {
    let response = app.get("/api/v1/openapi.json", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let document: Value = response.json().await.expect("json");
    assert!(document["openapi"]
        .as_str()
        .is_some_and(|v| v.starts_with("3.")));
    for (method, path) in ROUTES {
        let operation = &document["paths"][path][method];
        assert!(
            operation.is_object(),
            "{method} {path} missing from openapi.json"
        );
        assert!(
            operation["responses"]
                .as_object()
                .is_some_and(|r| !r.is_empty()),
            "{method} {path} has no responses"
        );
    }
    let schemas = &document["components"]["schemas"];
    for schema in [
        "ErrorBody",
        "PostView",
        "ThreadView",
        "OwnAccount",
        "SessionResponse",
    ] {
        assert!(schemas[schema].is_object(), "schema {schema} missing");
    }
    assert_eq!(
        schemas["PostView"]["properties"]["id"]["$ref"],
        "#/components/schemas/PostId"
    );
    assert_eq!(schemas["PostId"]["type"], "string", "ids are strings");
    assert!(document["components"]["securitySchemes"]["bearer"].is_object());
}

both_backends!(openapi_describes_every_route);
