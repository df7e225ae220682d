//! Create-post throughput through the service layer (validation, markdown, access checks,
//! screening, one transaction with the post, the thread counters and the event) on SQLite.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use kindred_server::config::{DatabaseTarget, Limits};
use kindred_server::domain::community::{
    CommunityKind, CommunitySlug, CommunityText, JoinPolicy, Visibility,
};
use kindred_server::domain::current_user::CurrentUser;
use kindred_server::domain::ids::{SessionId, ThreadId};
use kindred_server::domain::post::{PostBody, ThreadTitle};
use kindred_server::domain::user::{ConditionTags, Password, SiteRole, Username};
use kindred_server::rate_limit::AbuseLimits;
use kindred_server::screening;
use kindred_server::service::accounts::{create_account, Registration};
use kindred_server::service::{communities, threads};
use kindred_server::store::Store;

const BODY: &str = "Thinking of you this week. The waiting before results is the hardest part; \
I found that *planning something small* for the evening after the scan helped a little.";

fn posting(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("kindred-bench-{}", std::process::id()));
    let store = Store::connect(&DatabaseTarget::Sqlite(dir.join("bench.db")), 8).expect("store");
    let account = create_account(
        &store,
        Registration {
            username: Username::parse("bench_admin").expect("name"),
            password: Password::parse("a long benchmark passphrase").expect("password"),
            email: None,
            display_name: None,
            site_role: SiteRole::Admin,
        },
    )
    .expect("admin");
    let admin = CurrentUser {
        id: account.id,
        username: account.username.clone(),
        site_role: SiteRole::Admin,
        session_id: SessionId(0),
    };
    communities::create(
        &store,
        &admin,
        communities::NewCommunity {
            slug: CommunitySlug::parse("bench").expect("slug"),
            name: CommunityText::name("Bench").expect("name"),
            description: CommunityText::description("").expect("description"),
            rules: CommunityText::rules("").expect("rules"),
            kind: CommunityKind::General,
            condition_tags: ConditionTags::default(),
            visibility: Visibility::Public,
            join_policy: JoinPolicy::Open,
            listed: false,
            language: kindred_web::i18n::Lang::En,
        },
    )
    .expect("community");
    let screener = screening::screener().expect("screener");
    // The benchmark posts far more than a member may in an hour; the limits are lifted.
    let limits = AbuseLimits::new(
        &Limits {
            posts_per_hour: u32::MAX,
            posts_per_hour_new_member: u32::MAX,
            ..Limits::default()
        },
        b"posting benchmark",
    );
    let checks = threads::PostChecks {
        screener: &screener,
        limits: &limits,
        care: kindred_server::service::care::CareContext {
            country: "US",
            public_url: "http://localhost",
            default_language: kindred_web::i18n::Lang::En,
        },
        advice: kindred_server::service::advice::AdviceCheck::Acknowledged,
    };
    let created = threads::create(
        &store,
        &checks,
        &admin,
        "bench",
        ThreadTitle::parse("Benchmark thread").expect("title"),
        threads::NewPost::plain(PostBody::parse(BODY).expect("body")),
        None,
    )
    .expect("thread")
    .parse::<threads::Created>()
    .expect("created");
    // Replies come from an ordinary member, so screening is part of what is measured.
    let member_account = create_account(
        &store,
        Registration {
            username: Username::parse("bench_member").expect("name"),
            password: Password::parse("a long benchmark passphrase").expect("password"),
            email: None,
            display_name: None,
            site_role: SiteRole::Member,
        },
    )
    .expect("member");
    let member = CurrentUser {
        id: member_account.id,
        username: member_account.username.clone(),
        site_role: SiteRole::Member,
        session_id: SessionId(0),
    };
    communities::join(&store, &member, "bench").expect("join");
    let thread_id = ThreadId::parse(&created.post.thread_id).expect("id");

    let mut group = c.benchmark_group("posting");
    group.throughput(Throughput::Elements(1));
    group.bench_function("sqlite_reply", |b| {
        b.iter(|| {
            threads::reply(
                &store,
                &checks,
                &member,
                thread_id,
                threads::NewPost::plain(PostBody::parse(BODY).expect("body")),
                None,
                None,
            )
            .expect("reply")
        });
    });
    group.finish();
    let _ = std::fs::remove_dir_all(dir);
}

criterion_group!(benches, posting);
criterion_main!(benches);
