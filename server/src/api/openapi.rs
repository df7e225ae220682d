//! The OpenAPI document, assembled from the `#[utoipa::path]` annotations on the handlers.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{
    accounts, communities, insights, moderation, notifications, privacy, realtime, search, threads,
};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Kindred API",
        description = "Moderated online health communities. Errors are `{\"error\": {\"code\", \"message\"}}`; ids are strings; lists page with opaque keyset cursors."
    ),
    paths(
        accounts::register, accounts::login, accounts::refresh, accounts::logout,
        accounts::me, accounts::update_profile, accounts::public_profile,
        communities::list, communities::create, communities::get, communities::update,
        communities::overview,
        communities::join, communities::remove_moderator,
        communities::leave, communities::add_moderator, communities::members,
        communities::add_member, communities::ban, communities::unban,
        threads::list, threads::create, threads::get, threads::update, threads::reply,
        threads::edit, threads::delete,
        moderation::report, moderation::queue, moderation::decide, moderation::modlog,
        notifications::list, notifications::unread_count, notifications::mark_read,
        notifications::watch_state, notifications::watch, notifications::unwatch,
        moderation::moderation_policy, moderation::set_moderation_policy,
        privacy::consents, privacy::update_consents, privacy::export, privacy::erase,
        realtime::connect, search::search, insights::export,
    ),
    modifiers(&BearerAuth)
)]
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
                        "Access token from /auth/login. Browsers use the HttpOnly cookie instead and send X-CSRF-Token on unsafe requests.",
                    ))
                    .build(),
            ),
        );
    }
}

pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
