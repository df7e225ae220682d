//! `/start`: where a new member lands after registering — their role and conditions, the
//! communities that fit them (listed private ones included, with "ask to join"), the house
//! rules and a way to introduce themselves. Matching is `service::start`.

use actix_web::{web, HttpRequest};
use kindred_web::start::{start as start_page, StartPage, Suggestion};
use serde::Deserialize;

use super::convert::card;
use super::forum::DIRECTORY_LIMIT;
use super::{query, Ctx, PageError, PageResult};
use crate::domain::community::{JoinPolicy, Visibility};
use crate::error::Error;
use crate::service::start::{matching, About};
use crate::service::{access, accounts, communities};
use crate::state::AppState;

/// The longest sentence "tell us in your own words" takes.
pub(super) const MAX_ABOUT_CHARS: usize = 500;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/start", web::get().to(start));
}

#[derive(Deserialize)]
struct StartQuery {
    #[serde(default)]
    about: String,
}

async fn start(req: HttpRequest, state: web::Data<AppState>) -> PageResult {
    let ctx = Ctx::load(&req, &state).await?;
    let user = ctx.require_user()?;
    let q: StartQuery = query(&req)?;
    let about = q.about.trim().to_owned();
    if about.chars().count() > MAX_ABOUT_CHARS {
        return Err(PageError::from(Error::bad_request(
            "about_too_long",
            format!("Please tell us in at most {MAX_ABOUT_CHARS} characters."),
        )));
    }
    let view = state
        .store
        .reading(move |store| {
            let account = accounts::me(store, &user)?;
            let listed = communities::list(store, Some(&user), None, DIRECTORY_LIMIT)?;
            let conditions = About::conditions_text(&account.profile.conditions);
            let caregiver = account.profile.role.as_deref() == Some("caregiver");
            let text = if about.is_empty() {
                conditions
            } else {
                about.clone()
            };
            let found = matching(
                &About {
                    text: &text,
                    caregiver,
                },
                &listed.items,
            );
            let state_in = |slug: &str| {
                account
                    .memberships
                    .iter()
                    .find(|m| m.community == slug)
                    .map(|m| m.state)
            };
            // Communities they already belong to are not suggestions.
            let suggestions: Vec<Suggestion> = found
                .into_iter()
                .filter(|c| !state_in(&c.slug).is_some_and(access::is_active))
                .map(|c| Suggestion {
                    community: card(c),
                    state: state_in(&c.slug).map(|s| s.as_str().to_owned()),
                })
                .collect();
            let introduce_in = suggestions
                .iter()
                .map(|s| &s.community)
                .find(|c| {
                    c.visibility == Visibility::Public.as_str()
                        && c.join_policy == JoinPolicy::Open.as_str()
                })
                .map(|c| c.slug.clone());
            Ok::<_, Error>(StartPage {
                role: account.profile.role.clone(),
                conditions: account.profile.conditions.clone(),
                about,
                suggestions,
                introduce_in,
            })
        })
        .await?;
    let chrome = ctx.chrome();
    Ok(ctx.html(start_page(&chrome, &view)))
}
