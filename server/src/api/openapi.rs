//! The OpenAPI document. Each handler carries its operation (`#[utoipa::path]`) above its
//! route (`#[get("/threads/{id}")]`); registering it with `.service` in `super::configure`
//! puts both in place, so the document lists exactly the routes served, under the paths they
//! are served at (`utoipa_actix_web` adds the `/api/v1` of the scope). [`document`] finishes
//! what the registration collected.
//!
//! Annotations list what is particular to a route (its success, 403, 404, 409, 422, 429).
//! The failures every route of a given shape shares are added by [`SharedErrors`] from
//! that shape, so no annotation can forget them: 400 where a route parses a body, a
//! query or a path, 404 where it has path parameters, 401 where it reads credentials, 403 (CSRF)
//! where a cookie session may write, 413 and 415 where it takes a body, 503 everywhere.
//! [`Links`] tells clients (and the fuzzer's stateful phase) where a created resource's
//! id goes next.

use actix_web::web;
use utoipa::openapi::extensions::Extensions;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::link::LinkBuilder;
use utoipa::openapi::path::{HttpMethod, Operation, ParameterIn};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, Ref, RefOr, Response, ResponseBuilder, Type};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(info(
    title = "Kindred API",
    description = "Moderated online health communities. Errors are `{\"error\": {\"code\", \"message\"}}`; ids are strings; lists page with opaque keyset cursors. Request bodies are JSON (`Content-Type: application/json`) of at most 256 KiB."
))]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "Access token from /auth/login. Browsers use the HttpOnly cookie instead and send X-CSRF-Token on unsafe requests. Operations whose security lists an empty requirement work without credentials too.",
                    ))
                    .build(),
            ),
        );
    }
}

struct SharedErrors;

impl Modify for SharedErrors {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            for (method, operation) in [
                (HttpMethod::Get, &mut item.get),
                (HttpMethod::Post, &mut item.post),
                (HttpMethod::Put, &mut item.put),
                (HttpMethod::Patch, &mut item.patch),
                (HttpMethod::Delete, &mut item.delete),
            ] {
                if let Some(operation) = operation {
                    add_shared_errors(&method, operation);
                }
            }
        }
    }
}

fn add_shared_errors(method: &HttpMethod, operation: &mut Operation) {
    let parameters = operation.parameters.as_deref().unwrap_or_default();
    let has_query = parameters
        .iter()
        .any(|p| matches!(p.parameter_in, ParameterIn::Query));
    let has_path = parameters
        .iter()
        .any(|p| matches!(p.parameter_in, ParameterIn::Path));
    let has_body = operation.request_body.is_some();
    let reads_credentials = operation
        .security
        .as_ref()
        .is_some_and(|requirements| !requirements.is_empty());
    let writes = !matches!(method, HttpMethod::Get);

    let mut shared = Vec::new();
    if has_body || has_query || has_path {
        shared.push((
            "400",
            error_response(
                "Input that does not parse: `invalid_json`, `invalid_query`, or `invalid_<field>` for a value (of the body, query or path) outside its limits",
            ),
        ));
    }
    if reads_credentials {
        shared.push(("401", unauthorized()));
        if writes {
            shared.push((
                "403",
                error_response(
                    "`csrf_failed`: a cookie session wrote without the X-CSRF-Token header; or not allowed to this member (`not_member`, `not_moderator`, `banned`, …)",
                ),
            ));
        }
    }
    if has_path {
        shared.push((
            "404",
            error_response("Unknown, or not visible to this viewer (the two answer alike)"),
        ));
    }
    if has_body {
        shared.push((
            "413",
            error_response("`payload_too_large`: the body is over 256 KiB"),
        ));
        shared.push((
            "415",
            error_response("`unsupported_media_type`: the body was not sent as application/json"),
        ));
    }
    shared.push((
        "503",
        error_response("`unavailable`: the database or this node is at capacity; retry later"),
    ));
    let responses = &mut operation.responses.responses;
    for (status, response) in shared {
        responses
            .entry(status.to_owned())
            .or_insert_with(|| RefOr::T(response));
    }
    for (status, response) in responses.iter_mut() {
        if let RefOr::T(response) = response {
            if response.description.is_empty() {
                default_description(status).clone_into(&mut response.description);
            }
        }
    }
}

/// For annotations that give a status without saying more.
fn default_description(status: &str) -> &'static str {
    match status {
        "200" => "OK",
        "201" => "Created",
        "204" => "Done; no content",
        "403" => "Not allowed to this member: `not_member`, `not_moderator`, `not_admin`, `not_author`, `banned`, `suspended`, `thread_locked` (or `csrf_failed` for a cookie session without X-CSRF-Token)",
        "404" => "Unknown, or not visible to this viewer (the two answer alike)",
        "409" => "`conflict` with the current state",
        _ => "",
    }
}

fn error_body() -> Content {
    Content::new(Some(Ref::from_schema_name("ErrorBody")))
}

fn error_response(description: &str) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content("application/json", error_body())
        .build()
}

fn unauthorized() -> Response {
    ResponseBuilder::new()
        .description("`unauthenticated` (no credentials where they are required) or `invalid_token` (expired, revoked or malformed)")
        .content("application/json", error_body())
        .header(
            "WWW-Authenticate",
            HeaderBuilder::new()
                .schema(utoipa::openapi::ObjectBuilder::new().schema_type(Type::String))
                .description(Some("`Bearer`"))
                .build(),
        )
        .build()
}

/// (from operation, status, link name, to operation, its parameter, runtime expression).
#[rustfmt::skip]
const LINKS: &[(&str, &str, &str, &str, &str, &str)] = &[
    ("register", "201", "PublicProfile", "public_profile", "username", "$response.body#/user/username"),
    ("create_community", "201", "Community", "get_community", "slug", "$response.body#/slug"),
    ("create_community", "201", "Join", "join", "slug", "$response.body#/slug"),
    ("create_community", "201", "StartThread", "create_thread", "slug", "$response.body#/slug"),
    ("create_thread", "201", "Thread", "get_thread", "id", "$response.body#/thread/id"),
    ("create_thread", "201", "Reply", "reply", "id", "$response.body#/thread/id"),
    ("create_thread", "201", "Watch", "watch", "id", "$response.body#/thread/id"),
    ("create_thread", "201", "Pin", "update_thread", "id", "$response.body#/thread/id"),
    ("create_thread", "201", "EditFirstPost", "edit", "id", "$response.body#/post/id"),
    ("reply", "201", "Edit", "edit", "id", "$response.body#/post/id"),
    ("reply", "201", "Report", "report", "id", "$response.body#/post/id"),
    ("reply", "201", "Delete", "delete", "id", "$response.body#/post/id"),
    ("queue", "200", "Decide", "decide", "id", "$response.body#/items/0/id"),
];

struct Links;

impl Modify for Links {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            for operation in [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ]
            .into_iter()
            .flatten()
            {
                let id = operation.operation_id.clone().unwrap_or_default();
                for (_, status, name, target, parameter, expression) in
                    LINKS.iter().filter(|link| link.0 == id)
                {
                    if let Some(RefOr::T(response)) = operation.responses.responses.get_mut(*status)
                    {
                        // utoipa 5 writes `LinkBuilder::operation_id` as `operation_id`,
                        // which no reader knows; the spec's `operationId` goes in as an
                        // extension (collecting keeps the key as given).
                        let target = [("operationId".to_owned(), serde_json::Value::from(*target))]
                            .into_iter()
                            .collect::<Extensions>();
                        response.links.insert(
                            (*name).to_owned(),
                            RefOr::T(
                                LinkBuilder::new()
                                    .parameter(*parameter, *expression)
                                    .extensions(Some(target))
                                    .build(),
                            ),
                        );
                    }
                }
            }
        }
    }
}

/// The document served at `/api/v1/openapi.json`.
pub struct ApiDocument(pub(super) utoipa::openapi::OpenApi);

/// The document of the routes `super::configure` registered: what `utoipa_actix_web`
/// collected from them (`registered`: their operations and the schemas those name), under
/// this API's title and description, with the bearer scheme, the shared errors and the links.
pub fn document(registered: utoipa::openapi::OpenApi) -> web::Data<ApiDocument> {
    let mut document = ApiDoc::openapi();
    document.merge(registered);
    for modifier in [&BearerAuth as &dyn Modify, &SharedErrors, &Links] {
        modifier.modify(&mut document);
    }
    web::Data::new(ApiDocument(document))
}
