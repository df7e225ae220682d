//! The OpenAPI document is served, describes exactly the registered routes, and says
//! enough for a generated client: where each parameter goes, which schema each body
//! has, every failure a route answers and the limits its input must keep.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use reqwest::StatusCode;
use serde_json::Value;

use crate::both_backends;
use crate::helpers::{assert_error, TestApp};

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

async fn document(app: &TestApp) -> Value {
    let response = app.get("/api/v1/openapi.json", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let document: Value = response.json().await.expect("json");
    assert!(document["openapi"]
        .as_str()
        .is_some_and(|v| v.starts_with("3.")));
    document
}

/// Every (method, path, operation) of the document.
fn operations(document: &Value) -> Vec<(String, String, Value)> {
    let mut all = Vec::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for method in METHODS {
            if let Some(operation) = item.get(method) {
                all.push((method.to_owned(), path.clone(), operation.clone()));
            }
        }
    }
    all
}

/// Follows a `$ref` to a component schema, also out of an optional's `oneOf` with null.
fn resolve<'a>(document: &'a Value, schema: &'a Value) -> &'a Value {
    if let Some(referenced) = schema["oneOf"]
        .as_array()
        .and_then(|choices| choices.iter().find(|c| c["$ref"].is_string()))
    {
        return resolve(document, referenced);
    }
    match schema["$ref"].as_str() {
        Some(reference) => {
            let name = reference
                .strip_prefix("#/components/schemas/")
                .unwrap_or_else(|| panic!("unexpected $ref {reference}"));
            &document["components"]["schemas"][name]
        }
        None => schema,
    }
}

fn request_schema<'a>(document: &'a Value, method: &str, path: &str) -> &'a Value {
    let schema =
        &document["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"];
    assert!(schema.is_object(), "{method} {path} has no JSON body");
    resolve(document, schema)
}

/// The `/api/v1` routes the handlers declare, read from their route attributes
/// (`#[get("/threads/{id}")]`) in the resource modules. `api::configure` registers them with
/// `.service`, which also puts each one's operation in the document, and this check holds
/// the modules to that: a route added with `.route()` would be served without being documented.
fn registered_routes() -> BTreeSet<(String, String)> {
    let api = Path::new(env!("CARGO_MANIFEST_DIR")).join("../server/src/api");
    let mut routes = BTreeSet::new();
    for entry in std::fs::read_dir(&api).expect("server/src/api") {
        let path = entry.expect("entry").path();
        let module = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        // `system.rs` serves the undocumented routes (`/livez`, `/healthz`, `/metrics`, the
        // document itself) outside the `/api/v1` scope; the others register no route.
        if ["mod", "openapi", "system"].contains(&module) {
            continue;
        }
        let source = std::fs::read_to_string(&path).expect("api module");
        let code: String = source.split_whitespace().collect();
        assert!(
            !code.contains(".route(") && !code.contains("web::resource("),
            "api/{module}.rs registers a route the document cannot see; use .service() on a handler with #[utoipa::path]"
        );
        for method in METHODS {
            for attribute in source.split(&format!("\n#[{method}(\"")).skip(1) {
                let path = attribute.split('"').next().expect("route path");
                routes.insert((method.to_owned(), format!("/api/v1{path}")));
            }
        }
    }
    assert!(routes.len() > 40, "found only {routes:?}");
    routes
}

async fn documents_exactly_the_registered_routes(app: TestApp) {
    let document = document(&app).await;
    let documented: BTreeSet<(String, String)> = operations(&document)
        .into_iter()
        .map(|(method, path, _)| (method, path))
        .collect();
    let registered = registered_routes();
    let undocumented: Vec<_> = registered.difference(&documented).collect();
    assert!(undocumented.is_empty(), "not documented: {undocumented:?}");
    let unregistered: Vec<_> = documented.difference(&registered).collect();
    assert!(
        unregistered.is_empty(),
        "documented, not served: {unregistered:?}"
    );
    // Generated clients name their methods after operation ids.
    let mut ids = BTreeMap::new();
    for (method, path, operation) in operations(&document) {
        let id = operation["operationId"]
            .as_str()
            .expect("operationId")
            .to_owned();
        if let Some(other) = ids.insert(id.clone(), format!("{method} {path}")) {
            panic!("operationId {id} of both {other} and {method} {path}");
        }
    }
}

/// Links lead from a created resource to what takes its id: each names an operation of
/// the document (`operationId`, which utoipa's own link field would misspell) and one of
/// its path parameters.
async fn links_lead_to_real_operations(app: TestApp) {
    let document = document(&app).await;
    let operations = operations(&document);
    let path_parameters = |id: &str| -> BTreeSet<String> {
        let (_, path, _) = operations
            .iter()
            .find(|(_, _, operation)| operation["operationId"] == id)
            .unwrap_or_else(|| panic!("a link names {id}, which is no operation"));
        path.split('{')
            .skip(1)
            .filter_map(|rest| rest.split('}').next())
            .map(str::to_owned)
            .collect()
    };
    let mut count = 0;
    for (method, path, operation) in &operations {
        for (status, response) in operation["responses"].as_object().expect("responses") {
            for (name, link) in response["links"].as_object().into_iter().flatten() {
                let target = link["operationId"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{method} {path} {status} {name}: {link}"));
                assert!(link.get("operation_id").is_none(), "{link}");
                let parameters = link["parameters"].as_object().expect("parameters");
                let expected = path_parameters(target);
                for (parameter, expression) in parameters {
                    assert!(
                        expected.contains(parameter),
                        "{name}: {parameter} of {target}"
                    );
                    assert!(expression
                        .as_str()
                        .is_some_and(|e| e.starts_with("$response.body#/")));
                }
                count += 1;
            }
        }
    }
    assert!(count >= 10, "only {count} links");
}

async fn parameters_are_where_the_server_reads_them(app: TestApp) {
    let document = document(&app).await;
    let mut query_names = BTreeSet::new();
    for (method, path, operation) in operations(&document) {
        let template: BTreeSet<String> = path
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split('}').next())
            .map(str::to_owned)
            .collect();
        let mut declared = BTreeSet::new();
        for parameter in operation["parameters"].as_array().into_iter().flatten() {
            let name = parameter["name"].as_str().expect("name").to_owned();
            match parameter["in"].as_str() {
                Some("path") => {
                    assert!(
                        template.contains(&name),
                        "{method} {path}: path parameter {name} is not in the template"
                    );
                    assert_eq!(parameter["required"], true, "{method} {path} {name}");
                    declared.insert(name);
                }
                Some("query") => {
                    query_names.insert(name);
                }
                // The headers the server reads besides credentials: a key on creating
                // POSTs, and a held page's tag on the thread page.
                Some("header") if name == "If-None-Match" => {
                    assert_eq!(
                        (method.as_str(), path.as_str()),
                        ("get", "/api/v1/threads/{id}")
                    );
                }
                Some("header") => {
                    assert_eq!(name, "Idempotency-Key", "{method} {path}");
                    assert_eq!(method, "post", "{method} {path}");
                }
                other => panic!("{method} {path}: {name} in {other:?}"),
            }
        }
        assert_eq!(declared, template, "{method} {path}: path parameters");
    }
    for expected in [
        "cursor",
        "limit",
        "q",
        "community",
        "sort",
        "include_hidden",
        "state",
        "from",
        "to",
        "format",
    ] {
        assert!(query_names.contains(expected), "{expected} not in a query");
    }
    let search = &document["paths"]["/api/v1/search"]["get"]["parameters"];
    let sort = search
        .as_array()
        .and_then(|p| p.iter().find(|p| p["name"] == "sort"))
        .expect("sort");
    assert_eq!(sort["in"], "query");
    assert_eq!(sort["required"], false);
    assert_eq!(
        sort["schema"]["enum"],
        serde_json::json!(["relevance", "newest"])
    );
}

/// The names of the server's OpenAPI schemas, from the `ToSchema` derives (a
/// `#[schema(as = …)]` renames one). Two types of one name would silently share a
/// component, as the communities' and threads' `CreateRequest` once did.
fn schema_names_in_source() -> BTreeMap<String, Vec<String>> {
    let mut names: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("../server/src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let source = std::fs::read_to_string(&path).expect("read source");
            let file = path.display().to_string();
            let mut add = |name: &str| {
                names
                    .entry(name.trim().to_owned())
                    .or_default()
                    .push(file.clone());
            };
            for derive in source.split("#[derive(").skip(1) {
                let (derives, rest) = derive.split_once(")]").expect("derive");
                if !derives.contains("ToSchema") {
                    continue;
                }
                let item = rest.split(['{', ';']).next().expect("item");
                let renamed = item
                    .split("#[schema(as = ")
                    .nth(1)
                    .and_then(|r| r.split(')').next());
                let declared = item
                    .split_whitespace()
                    .skip_while(|w| *w != "struct" && *w != "enum")
                    .nth(1)
                    .and_then(|w| w.split(['(', '<']).next());
                match renamed.or(declared) {
                    // The macros' own derives; their invocations are read below.
                    Some(name) if name.starts_with('$') => {}
                    Some(name) => add(name),
                    None => panic!("a ToSchema derive in {file} names nothing"),
                }
            }
            for invocation in source.split("text_enum! {").skip(1) {
                let name = invocation
                    .lines()
                    .map(str::trim)
                    .find(|l| !l.is_empty() && !l.starts_with("///") && !l.starts_with("#["))
                    .and_then(|l| l.split(',').next())
                    .expect("text_enum name");
                add(name);
            }
            if let Some(ids) = source
                .split("\ntyped_id!(")
                .nth(1)
                .and_then(|r| r.split(')').next())
            {
                ids.split(',').for_each(&mut add);
            }
        }
    }
    names
}

async fn schema_names_are_unique(app: TestApp) {
    let names = schema_names_in_source();
    // Derives (renamed or not), text enums and typed ids are all read.
    for name in [
        "CreateCommunityRequest",
        "CreateThreadRequest",
        "PostView",
        "CommunityKind",
        "PostId",
    ] {
        assert!(names.contains_key(name), "{name} not found in {names:?}");
    }
    let shared: Vec<_> = names.iter().filter(|(_, files)| files.len() > 1).collect();
    assert!(shared.is_empty(), "schema names used twice: {shared:?}");

    let document = document(&app).await;
    let community = request_schema(&document, "post", "/api/v1/communities");
    let properties = community["properties"].as_object().expect("properties");
    for field in ["slug", "name", "kind", "visibility", "join_policy"] {
        assert!(
            properties.contains_key(field),
            "community body lacks {field}"
        );
    }
    assert!(
        !properties.contains_key("title"),
        "a thread's body: {community}"
    );
    let thread = request_schema(&document, "post", "/api/v1/communities/{slug}/threads");
    assert!(thread["properties"]["title"].is_object(), "{thread}");
    assert!(!thread["properties"]
        .as_object()
        .expect("properties")
        .contains_key("slug"));
    let update = request_schema(&document, "patch", "/api/v1/communities/{slug}");
    assert!(update["properties"]["join_policy"].is_object(), "{update}");
}

async fn every_operation_lists_its_failures(app: TestApp) {
    let document = document(&app).await;
    for (method, path, operation) in operations(&document) {
        let responses = operation["responses"].as_object().expect("responses");
        let has = |status: &str| responses.contains_key(status);
        let needs_auth = operation["security"]
            .as_array()
            .is_some_and(|s| !s.is_empty());
        if needs_auth {
            assert!(
                has("401"),
                "{method} {path} needs credentials, lists no 401"
            );
            assert!(
                responses["401"]["headers"]["WWW-Authenticate"].is_object()
                    || responses["401"]["content"].is_object(),
                "{method} {path}"
            );
        }
        let parses = operation["requestBody"].is_object()
            || operation["parameters"]
                .as_array()
                .is_some_and(|p| !p.is_empty());
        if parses {
            assert!(
                has("400") || has("422"),
                "{method} {path} parses input, lists no 400/422"
            );
        }
        if operation["requestBody"].is_object() {
            assert!(has("413"), "{method} {path} takes a body, lists no 413");
        }
        assert!(has("503"), "{method} {path}");
        for (status, response) in responses {
            assert!(
                response["description"]
                    .as_str()
                    .is_some_and(|d| !d.is_empty()),
                "{method} {path} {status} says nothing"
            );
            if status.starts_with('4') || status.starts_with('5') {
                assert_eq!(
                    response["content"]["application/json"]["schema"]["$ref"],
                    "#/components/schemas/ErrorBody",
                    "{method} {path} {status}"
                );
            }
        }
    }
    // Optional credentials: listed as an empty requirement beside the bearer token.
    let communities = &document["paths"]["/api/v1/communities"]["get"]["security"];
    assert_eq!(communities, &serde_json::json!([{}, {"bearer": []}]));
    let me = &document["paths"]["/api/v1/me"]["get"]["security"];
    assert_eq!(me, &serde_json::json!([{"bearer": []}]));
    assert_eq!(
        document["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    let login_429 = &document["paths"]["/api/v1/auth/login"]["post"]["responses"]["429"];
    assert!(
        login_429["headers"]["Retry-After"].is_object(),
        "{login_429}"
    );
    let error = &document["components"]["schemas"]["ErrorBody"];
    assert_eq!(
        error["properties"]["error"]["$ref"],
        "#/components/schemas/ErrorDetail"
    );
}

async fn schemas_state_the_limits(app: TestApp) {
    let document = document(&app).await;
    let register = request_schema(&document, "post", "/api/v1/auth/register");
    let username = &register["properties"]["username"];
    assert_eq!(username["minLength"], 3);
    assert_eq!(username["maxLength"], 32);
    assert_eq!(username["pattern"], "^[A-Za-z0-9_]+$");
    assert_eq!(register["properties"]["password"]["minLength"], 10);

    let thread = request_schema(&document, "post", "/api/v1/communities/{slug}/threads");
    assert_eq!(thread["properties"]["title"]["minLength"], 1);
    assert_eq!(thread["properties"]["title"]["maxLength"], 200);
    assert_eq!(thread["properties"]["body"]["maxLength"], 20_000);
    let reply = request_schema(&document, "post", "/api/v1/threads/{id}/posts");
    assert_eq!(reply["properties"]["body"]["minLength"], 1);
    assert_eq!(reply["properties"]["body"]["maxLength"], 20_000);
    // Control characters other than line breaks and tabs are refused (`check_text`).
    let body_pattern = reply["properties"]["body"]["pattern"]
        .as_str()
        .expect("pattern");
    assert!(body_pattern.contains(r"\x0E-\x1F"), "{body_pattern}");

    let community = request_schema(&document, "post", "/api/v1/communities");
    assert_eq!(community["properties"]["slug"]["pattern"], "^[a-z0-9-]+$");
    let kind = resolve(&document, &community["properties"]["kind"]);
    assert_eq!(
        kind["enum"],
        serde_json::json!(["condition", "caregiver", "general"])
    );
    let decision = request_schema(&document, "post", "/api/v1/mod/queue/{id}/decision");
    let action = resolve(&document, &decision["properties"]["action"]);
    assert_eq!(
        action["enum"],
        serde_json::json!(["approve", "remove", "dismiss"])
    );
    let sanction = resolve(&document, &decision["properties"]["sanction"]);
    let days = &sanction["properties"]["days"];
    assert_eq!(
        (&days["minimum"], &days["maximum"]),
        (&1.into(), &365.into())
    );

    let schemas = &document["components"]["schemas"];
    assert_eq!(
        schemas["PostView"]["properties"]["id"]["$ref"],
        "#/components/schemas/PostId"
    );
    assert_eq!(schemas["PostId"]["type"], "string", "ids are strings");
}

/// What schemathesis found answered with a status the document did not list: each
/// answer, and that the document now lists it.
async fn statuses_the_fuzzer_found_are_documented(app: TestApp) {
    let document = document(&app).await;
    let lists = |method: &str, path: &str, status: StatusCode| {
        let responses = &document["paths"][path][method]["responses"];
        assert!(
            responses[status.as_str()].is_object(),
            "{method} {path} does not list {status}"
        );
    };
    let admin = app.admin("site_admin").await;
    app.community(&admin, "open-garden", "public", "open").await;
    let member = app.register("member_max").await;
    app.join(&member, "open-garden").await;
    let (_, post) = app
        .thread(&member, "open-garden", "A thread", "A body")
        .await;

    // Editing a deleted post.
    let response = app
        .delete(&format!("/api/v1/posts/{post}"), Some(&member))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let response = app
        .patch(
            &format!("/api/v1/posts/{post}"),
            Some(&member),
            serde_json::json!({"body": "again"}),
        )
        .await;
    assert_error(response, StatusCode::CONFLICT, "conflict").await;
    lists("patch", "/api/v1/posts/{id}", StatusCode::CONFLICT);

    // The queue of a community that does not exist.
    let response = app.get("/api/v1/mod/queue?community=", Some(&admin)).await;
    assert_error(response, StatusCode::NOT_FOUND, "not_found").await;
    lists("get", "/api/v1/mod/queue", StatusCode::NOT_FOUND);

    // A username in the path that cannot be one.
    let response = app
        .delete("/api/v1/communities/open-garden/bans/%C2%82", Some(&admin))
        .await;
    assert_error(response, StatusCode::BAD_REQUEST, "invalid_username").await;
    lists(
        "delete",
        "/api/v1/communities/{slug}/bans/{username}",
        StatusCode::BAD_REQUEST,
    );

    // No credentials on a route that needs them.
    let response = app.get("/api/v1/mod/queue", None).await;
    assert_error(response, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    lists("get", "/api/v1/mod/queue", StatusCode::UNAUTHORIZED);

    // A body that is not JSON.
    let response = app
        .request(reqwest::Method::POST, "/api/v1/auth/login", None)
        .send()
        .await
        .expect("request");
    assert_error(
        response,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
    lists(
        "post",
        "/api/v1/auth/login",
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
    );

    // Refreshing with neither a token in the body nor the CSRF header of a cookie session.
    let response = app
        .post("/api/v1/auth/refresh", None, serde_json::json!({}))
        .await;
    assert_error(response, StatusCode::FORBIDDEN, "csrf_failed").await;
    lists("post", "/api/v1/auth/refresh", StatusCode::FORBIDDEN);
}

/// The whole document, so that any change to the published API shows in review as a
/// snapshot diff. The version follows the crate's and is left out.
async fn the_document_matches_its_snapshot(app: TestApp) {
    let document = document(&app).await;
    insta::assert_json_snapshot!("openapi", document, { ".info.version" => "[version]" });
}

both_backends!(
    the_document_matches_its_snapshot,
    statuses_the_fuzzer_found_are_documented,
    documents_exactly_the_registered_routes,
    links_lead_to_real_operations,
    parameters_are_where_the_server_reads_them,
    schema_names_are_unique,
    every_operation_lists_its_failures,
    schemas_state_the_limits,
);
