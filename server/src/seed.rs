//! Demo data from `seed-data/demo/` (embedded in the binary): communities, members,
//! threads and posts that read like real peer support. Loaded only into an empty
//! database, through the same storage functions as live traffic, events included.

use std::collections::HashMap;

use serde::Deserialize;

use crate::auth::password;
use crate::domain::community::{
    CommunityKind, CommunitySlug, CommunityText, JoinPolicy, MembershipRole, MembershipState,
    Visibility,
};
use crate::domain::ids::{next_id, now_micros, CommunityId, UserId};
use crate::domain::post::{PostBody, ThreadTitle};
use crate::domain::user::{Bio, ConditionTags, DisplayName, ProfileRole, SiteRole, Username};
use crate::error::Error;
use crate::screening::{self, Screened};
use crate::service::accounts::insert_user;
use crate::service::care;
use crate::service::communities::set_membership;
use crate::service::threads::{insert_post, insert_thread, PostDraft};
use crate::store::communities::{self, CommunityRow};
use crate::store::users::UserRow;
use crate::store::{partners, threads};
use crate::store::{DbConnection, Store};

/// Every demo account's password. Demo only: never seed a real deployment.
pub const DEMO_PASSWORD: &str = "kindred-demo-2026";

/// The accounts the README points people to, with the catalogue id of what each shows
/// (`es3-demo-login-*`, printed in `KINDRED_DEFAULT_LANGUAGE`).
pub const DEMO_LOGINS: [(&str, &str); 5] = [
    ("admin", "es3-demo-login-admin"),
    ("maria_mod", "es3-demo-login-maria-mod"),
    ("sam_patient", "es3-demo-login-sam-patient"),
    ("jo_caregiver", "es3-demo-login-jo-caregiver"),
    ("lena_research", "es3-demo-login-lena-research"),
];

const USERS: &str = include_str!("../../seed-data/demo/users.json");
const COMMUNITIES: &str = include_str!("../../seed-data/demo/communities.json");

/// The canned removal reasons every demo community starts with, following the house
/// rules; the first is the default.
const DEMO_REMOVAL_REASONS: [&str; 5] = [
    "It broke the community rules. Please read them before posting again.",
    "Advertising and selling are not allowed here, even when well meant.",
    "It told others to stop, skip or change a treatment; please share your own experience instead.",
    "It shared personal details; please keep contact details and names out of posts.",
    "It was unkind to another member. Please disagree gently.",
];
const THREADS: [(&str, &str); 10] = [
    (
        "lung-cancer",
        include_str!("../../seed-data/demo/threads/lung-cancer.json"),
    ),
    (
        "breast-cancer",
        include_str!("../../seed-data/demo/threads/breast-cancer.json"),
    ),
    (
        "multiple-myeloma",
        include_str!("../../seed-data/demo/threads/multiple-myeloma.json"),
    ),
    (
        "colorectal-cancer",
        include_str!("../../seed-data/demo/threads/colorectal-cancer.json"),
    ),
    (
        "prostate-cancer",
        include_str!("../../seed-data/demo/threads/prostate-cancer.json"),
    ),
    (
        "brain-tumours",
        include_str!("../../seed-data/demo/threads/brain-tumours.json"),
    ),
    (
        "cancer-caregivers",
        include_str!("../../seed-data/demo/threads/cancer-caregivers.json"),
    ),
    (
        "glioblastoma-caregivers",
        include_str!("../../seed-data/demo/threads/glioblastoma-caregivers.json"),
    ),
    (
        "grief-and-loss",
        include_str!("../../seed-data/demo/threads/grief-and-loss.json"),
    ),
    (
        "cancer-de-mama-es",
        include_str!("../../seed-data/demo/threads/cancer-de-mama-es.json"),
    ),
];

#[derive(Deserialize)]
struct SeedUser {
    username: String,
    display_name: String,
    site_role: SiteRole,
    profile: SeedProfile,
    /// The interface language the member chose (`es`); none: their browser's.
    #[serde(default)]
    language: Option<String>,
}

#[derive(Deserialize)]
struct SeedProfile {
    role: Option<String>,
    #[serde(default)]
    conditions: Vec<String>,
    #[serde(default)]
    bio: String,
    #[serde(default)]
    show_role: bool,
    #[serde(default)]
    show_conditions: bool,
    #[serde(default)]
    show_bio: bool,
}

#[derive(Deserialize)]
struct SeedCommunity {
    slug: String,
    name: String,
    description: String,
    rules: String,
    kind: String,
    #[serde(default)]
    condition_tags: Vec<String>,
    visibility: String,
    join_policy: String,
    /// A private community shown in the directory, where members may ask to join.
    #[serde(default)]
    listed: bool,
    /// The language the community talks in (default `en`).
    #[serde(default)]
    language: Option<String>,
    #[serde(default)]
    moderators: Vec<String>,
    #[serde(default)]
    members: Vec<String>,
    /// Accounts (site role `research_partner`) granted this community's insights.
    #[serde(default)]
    research_partners: Vec<String>,
}

#[derive(Deserialize)]
struct SeedThread {
    title: String,
    author: String,
    days_ago: i64,
    #[serde(default)]
    pinned: bool,
    posts: Vec<SeedPost>,
}

#[derive(Deserialize)]
struct SeedPost {
    author: String,
    body: String,
}

/// What seeding did.
#[derive(Debug, PartialEq, Eq)]
pub enum SeedOutcome {
    Seeded {
        users: usize,
        communities: usize,
        threads: usize,
        posts: usize,
    },
    /// The database already had communities; nothing was written.
    AlreadyPopulated,
}

fn bad_seed(what: &str, error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Error {
    Error::failed(format!("demo data {what}"), error)
}

/// Loads the demo data into an empty database, in one transaction.
pub fn seed_demo(store: &Store) -> Result<SeedOutcome, Error> {
    let users: Vec<SeedUser> =
        serde_json::from_str(USERS).map_err(|e| bad_seed("users.json", e))?;
    let seed_communities: Vec<SeedCommunity> =
        serde_json::from_str(COMMUNITIES).map_err(|e| bad_seed("communities.json", e))?;
    let mut threads_by_slug = HashMap::new();
    for (slug, text) in THREADS {
        let parsed: Vec<SeedThread> =
            serde_json::from_str(text).map_err(|e| bad_seed(&format!("threads/{slug}.json"), e))?;
        threads_by_slug.insert(slug, parsed);
    }
    // One hash for every demo account: hashing 30+ passwords with argon2id would make
    // every demo start-up and test slow, and these accounts are public anyway.
    let shared_hash = password::hash(DEMO_PASSWORD)?;
    let now = now_micros();

    store.write(|conn| {
        if communities::count(conn)? > 0 {
            return Ok(SeedOutcome::AlreadyPopulated);
        }
        let mut user_ids = HashMap::new();
        for user in &users {
            let row = user_row(user, &shared_hash, now)?;
            insert_user(conn, &row)?;
            if let Some(code) = &user.language {
                let lang = crate::service::languages::parse(code)?;
                crate::store::languages::set_for_user(conn, row.id.0, Some(lang.code()))?;
            }
            user_ids.insert(row.username.clone(), row.id.0);
        }
        let id_of = |name: &str| {
            user_ids
                .get(name)
                .copied()
                .ok_or_else(|| bad_seed("author", format!("unknown user {name}")))
        };
        let admin_id = users
            .iter()
            .find(|u| u.site_role == SiteRole::Admin)
            .map(|u| id_of(&u.username))
            .transpose()?;

        let (mut thread_count, mut post_count) = (0, 0);
        for seed in &seed_communities {
            let community = community_row(seed, admin_id, now)?;
            communities::insert(conn, &community)?;
            let actor = UserId(admin_id.unwrap_or_default());
            for name in &seed.moderators {
                let role = (MembershipRole::Moderator, MembershipState::Active);
                set_membership(
                    conn,
                    community.id,
                    UserId(id_of(name)?),
                    Some(role),
                    "moderator_added",
                    actor,
                    now,
                )?;
            }
            for name in &seed.members {
                ensure_member(conn, community.id, UserId(id_of(name)?), actor, now)?;
            }
            for name in &seed.research_partners {
                partners::grant(
                    conn,
                    UserId(id_of(name)?),
                    community.id,
                    admin_id.map(UserId),
                    now,
                )?;
                seed_survey(conn, &community, id_of(name)?, admin_id, now)?;
            }
            if !seed.research_partners.is_empty() {
                // The members of a community with a partner opted in to research, so
                // the demo has insights to chart and members its survey is offered to.
                for name in &seed.members {
                    let opt_in = crate::store::privacy::ConsentChanges {
                        profile_audience: None,
                        discoverable: None,
                        insights_opt_in: Some(true),
                    };
                    crate::store::privacy::set_consents(conn, id_of(name)?, &opt_in)?;
                }
            }
            for (i, text) in DEMO_REMOVAL_REASONS.iter().enumerate() {
                crate::store::removal_reasons::insert(
                    conn,
                    &crate::store::removal_reasons::RemovalReasonRow {
                        id: crate::domain::ids::next_id(),
                        community_id: community.id,
                        text: (*text).to_owned(),
                        is_default: i == 0,
                        created_at: now + i64::try_from(i).unwrap_or_default(),
                    },
                )?;
            }
            for thread in threads_by_slug
                .get(seed.slug.as_str())
                .into_iter()
                .flatten()
            {
                post_count += seed_thread(conn, &community, thread, &id_of, now)?;
                thread_count += 1;
            }
        }
        Ok(SeedOutcome::Seeded {
            users: users.len(),
            communities: seed_communities.len(),
            threads: thread_count,
            posts: post_count,
        })
    })
}

/// The partner's demo survey: approved, open for the next 30 days.
fn seed_survey(
    conn: &mut DbConnection,
    community: &CommunityRow,
    partner_id: i64,
    admin_id: Option<i64>,
    now: i64,
) -> Result<(), Error> {
    let questions = serde_json::json!([
        {"kind": "single_choice", "text": "Does waiting for scan results keep you awake?",
         "options": ["Often", "Sometimes", "Rarely"], "for_moderators": false},
        {"kind": "scale", "text": "How well supported do you feel between appointments?",
         "options": [], "for_moderators": false},
        {"kind": "multiple_choice", "text": "What helps you through scan days?",
         "options": ["Talking to someone", "Keeping busy", "This community", "Something else"],
         "for_moderators": false}
    ]);
    crate::store::surveys::insert(
        conn,
        &crate::store::surveys::SurveyRow {
            id: next_id(),
            community_id: community.id.0,
            partner_id: Some(partner_id),
            title: "Scan days: what helps".to_owned(),
            questions: questions.to_string(),
            audience_role: None,
            audience_condition: None,
            opens_at: now - DAY,
            closes_at: now + 30 * DAY,
            status: "approved".to_owned(),
            promotional: false,
            decision_reason: Some("Kind, clear questions; no promotion.".to_owned()),
            decided_by: admin_id,
            detached: false,
            created_at: now - 2 * DAY,
        },
    )
}

fn user_row(user: &SeedUser, password_hash: &str, now: i64) -> Result<UserRow, Error> {
    let profile = &user.profile;
    let username = Username::parse(&user.username)?.as_str().to_owned();
    Ok(UserRow {
        id: UserId(next_id()),
        // example.org is reserved for examples: the demo's password-reset mail lands in
        // the `.eml` directory and can never reach a real person.
        email: Some(format!("{username}@example.org")),
        username,
        display_name: DisplayName::parse(&user.display_name)?.into_inner(),
        password_hash: password_hash.to_owned(),
        site_role: user.site_role,
        profile_role: profile
            .role
            .as_deref()
            .map(|r| ProfileRole::parse(r).map(|r| r.as_str().to_owned()))
            .transpose()?,
        conditions: ConditionTags::parse(&profile.conditions)?.to_json(),
        bio: Bio::parse(&profile.bio)?.into_inner(),
        show_role: profile.show_role,
        show_conditions: profile.show_conditions,
        show_bio: profile.show_bio,
        created_at: now - 400 * DAY,
        profile_audience: "members".into(),
        discoverable: false,
        insights_opt_in: false,
    })
}

fn community_row(
    seed: &SeedCommunity,
    admin_id: Option<i64>,
    now: i64,
) -> Result<CommunityRow, Error> {
    Ok(CommunityRow {
        id: CommunityId(next_id()),
        slug: CommunitySlug::parse(&seed.slug)?.as_str().to_owned(),
        name: CommunityText::name(&seed.name)?.into_inner(),
        description: CommunityText::description(&seed.description)?.into_inner(),
        rules: CommunityText::rules(&seed.rules)?.into_inner(),
        kind: CommunityKind::parse(&seed.kind)?,
        condition_tags: ConditionTags::parse(&seed.condition_tags)?.to_json(),
        visibility: Visibility::parse(&seed.visibility)?,
        join_policy: JoinPolicy::parse(&seed.join_policy)?,
        member_count: 0,
        created_by: admin_id.map(UserId),
        created_at: now - 365 * DAY,
        moderation_policy: "{}".into(),
        listed: seed.listed,
        language: crate::service::languages::parse(seed.language.as_deref().unwrap_or("en"))?
            .code()
            .to_owned(),
    })
}

const HOUR: i64 = 3_600_000_000;
const DAY: i64 = 24 * HOUR;

fn ensure_member(
    conn: &mut DbConnection,
    community_id: CommunityId,
    user_id: UserId,
    actor: UserId,
    now: i64,
) -> Result<(), Error> {
    if communities::find_membership(conn, community_id, user_id)?.is_none() {
        let role = (MembershipRole::Member, MembershipState::Active);
        set_membership(conn, community_id, user_id, Some(role), "added", actor, now)?;
    }
    Ok(())
}

/// Writes one thread; replies follow the opening post a few hours apart. Returns the
/// number of posts written.
fn seed_thread(
    conn: &mut DbConnection,
    community: &CommunityRow,
    seed: &SeedThread,
    id_of: &impl Fn(&str) -> Result<i64, Error>,
    now: i64,
) -> Result<usize, Error> {
    let started = now - seed.days_ago * DAY;
    let author = id_of(&seed.author)?;
    let member = UserId(author);
    ensure_member(conn, community.id, member, member, started)?;
    let thread = insert_thread(
        conn,
        community.id.0,
        author,
        ThreadTitle::parse(&seed.title)?,
        started,
    )?;
    let mut at = started;
    for (index, post) in seed.posts.iter().enumerate() {
        let post_author = id_of(&post.author)?;
        let member = UserId(post_author);
        ensure_member(conn, community.id, member, member, at)?;
        let body = PostBody::parse(&post.body)?;
        // Demo posts are written for the demo and go in as they are.
        let draft = PostDraft {
            body: &body,
            body_html: body.render_html()?,
            reply_to: None,
        };
        // They are not screened, but a post whose author may be at risk (the caregiver's
        // crisis post) opens its wellbeing item, at the top of `maria_mod`'s queue.
        let self_harm = screening::screener()?.self_harm(None, body.as_str());
        let written = insert_post(conn, &thread, post_author, draft, &Screened::clean(), at)?;
        if self_harm.level.needs_care() {
            care::open_item(
                conn,
                &written,
                self_harm.level,
                &self_harm.sentences,
                "screening",
                None,
                at,
            )?;
        }
        at += 2 * HOUR + (index as i64 % 3) * 47 * 60_000_000;
    }
    if seed.pinned {
        threads::set_flags(conn, thread.id, true, false)?;
    }
    Ok(seed.posts.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_community_has_threads_and_demo_logins_exist() {
        let communities: Vec<SeedCommunity> =
            serde_json::from_str(COMMUNITIES).expect("communities");
        let users: Vec<SeedUser> = serde_json::from_str(USERS).expect("users");
        for community in &communities {
            assert!(
                THREADS.iter().any(|(slug, _)| *slug == community.slug),
                "{}",
                community.slug
            );
        }
        for (login, what) in DEMO_LOGINS {
            assert!(users.iter().any(|u| u.username == login), "{login}");
            for lang in kindred_web::i18n::LANGUAGES {
                assert!(lang.has(what), "{what} in {}", lang.code());
            }
        }
        let posts: usize = THREADS
            .iter()
            .map(|(_, text)| {
                let threads: Vec<SeedThread> = serde_json::from_str(text).expect("threads");
                threads.iter().map(|t| t.posts.len()).sum::<usize>()
            })
            .sum();
        assert!(users.len() >= 30 && communities.len() >= 8 && posts >= 400);
    }
}
