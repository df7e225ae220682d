//! `AppState`: everything a request handler, page or websocket session may need, built
//! once at startup and shared by all workers. It sits below `api/`, `pages/`, `auth/` and
//! `realtime/`, which read it, and above `store/` and `service/`, which never see it.

use std::sync::Arc;
use std::time::Duration;

use crate::auth::renewals::CookieRenewals;
use crate::auth::tokens::TokenKeys;
use crate::config::Settings;
use crate::domain::current_user::CurrentUser;
use crate::domain::ids::{PostId, ThreadId};
use crate::domain::post::ThreadTitle;
use crate::error::Error;
use crate::indexer::Search;
use crate::mail::{MailMetrics, Mailer};
use crate::metrics::Metrics;
use crate::rate_limit::{AbuseLimits, RateLimit};
use crate::realtime::Realtime;
use crate::service::accounts::LoginLimits;
use crate::service::advice::AdviceCheck;
use crate::service::idempotency::{Answer, Keyed};
use crate::service::mail_preferences::{NotificationMail, UnsubscribeKeys};
use crate::service::passwords::ResetLimits;
use crate::service::threads::{self, NewPost, PostChecks};
use crate::store::Store;
use kindred_moderation::Screener;

/// Everything a request handler may need, shared by all workers.
pub struct AppState {
    pub store: Store,
    pub tokens: TokenKeys,
    pub settings: Settings,
    pub metrics: Metrics,
    /// Failed logins per (account, client) and per client; slow-down per account.
    pub login_limits: LoginLimits,
    /// Password-reset requests per address and per client.
    pub reset_limits: ResetLimits,
    /// Wrong current passwords on the change-password and change-address forms, per member.
    pub password_checks: RateLimit,
    /// Address-confirmation mails (changes and resends), per member.
    pub email_mails: RateLimit,
    /// Sends this node's mail.
    pub mailer: Mailer,
    pub mail_metrics: Arc<MailMetrics>,
    /// Immediate notification mail and digests; signs and checks unsubscribe links.
    pub notification_mail: NotificationMail,
    /// Data exports per member: a few an hour.
    pub exports: RateLimit,
    /// Registrations, posts, reports and previews.
    pub abuse: AbuseLimits,
    pub realtime: Realtime,
    /// This node's search index.
    pub search: Arc<Search>,
    /// Screens new and edited posts.
    pub screener: Arc<Screener>,
    /// Cookie-session renewals in progress or just made (two tabs at once).
    pub renewals: CookieRenewals,
}

impl AppState {
    /// What every new post or thread is checked with: screening, the posting limits, the
    /// crisis context and whether an advice nudge stops it.
    pub fn post_checks(&self, advice: AdviceCheck) -> PostChecks<'_> {
        PostChecks {
            screener: &self.screener,
            limits: &self.abuse,
            care: self.care(),
            advice,
        }
    }

    /// A reply with every posting check, on the blocking pool: the one path of the API's
    /// `POST /threads/{id}/posts` and the reply form.
    pub async fn reply(
        self: Arc<Self>,
        user: CurrentUser,
        thread: ThreadId,
        written: NewPost,
        reply_to: Option<PostId>,
        keyed: Option<Keyed>,
        advice: AdviceCheck,
    ) -> Result<Answer, Error> {
        self.posting(advice, move |store, checks| {
            threads::reply(
                store,
                checks,
                &user,
                thread,
                written,
                reply_to,
                keyed.as_ref(),
            )
        })
        .await
    }

    /// A new thread with every posting check, on the blocking pool: the one path of the
    /// API's `POST /communities/{slug}/threads` and the new-thread form.
    pub async fn start_thread(
        self: Arc<Self>,
        user: CurrentUser,
        community: String,
        title: ThreadTitle,
        written: NewPost,
        keyed: Option<Keyed>,
        advice: AdviceCheck,
    ) -> Result<Answer, Error> {
        self.posting(advice, move |store, checks| {
            threads::create(
                store,
                checks,
                &user,
                &community,
                title,
                written,
                keyed.as_ref(),
            )
        })
        .await
    }

    /// Runs `post` on the blocking pool with this node's [`AppState::post_checks`].
    async fn posting(
        self: Arc<Self>,
        advice: AdviceCheck,
        post: impl FnOnce(&Store, &PostChecks) -> Result<Answer, Error> + Send + 'static,
    ) -> Result<Answer, Error> {
        let store = self.store.clone();
        store
            .blocking(move |store| post(store, &self.post_checks(advice)))
            .await
    }

    /// What the duty-of-care features need from the settings.
    pub fn care(&self) -> crate::service::care::CareContext<'_> {
        crate::service::care::CareContext {
            country: &self.settings.care_country,
            public_url: &self.settings.public_url,
            default_language: self.settings.default_language,
        }
    }

    pub fn new(
        settings: Settings,
        store: Store,
        realtime: Realtime,
        search: Arc<Search>,
        screener: Arc<Screener>,
        mailer: Mailer,
    ) -> AppState {
        let window = Duration::from_secs(settings.limits.login_window_secs);
        let secret = settings.jwt_secret.expose().to_vec();
        let notification_mail = NotificationMail {
            public_url: settings.public_url.clone(),
            default_language: settings.default_language,
            keys: UnsubscribeKeys::new(settings.jwt_secret.expose()),
            grace: settings.mail.notify_grace,
        };
        AppState {
            notification_mail,
            tokens: TokenKeys::new(&settings.jwt_secret),
            login_limits: LoginLimits {
                by_account_client: RateLimit::new(
                    "login-account-client",
                    settings.limits.login_failures_per_user,
                    window,
                    &secret,
                ),
                by_account: RateLimit::new(
                    "login-account",
                    settings.limits.login_failures_per_account_slowdown,
                    window,
                    &secret,
                ),
                pause: Duration::from_secs(1),
                by_address: RateLimit::new(
                    "login-address",
                    settings.limits.login_failures_per_ip,
                    window,
                    &secret,
                ),
            },
            exports: RateLimit::new("export", 3, Duration::from_secs(3600), &secret),
            reset_limits: ResetLimits {
                by_email: RateLimit::new("reset-email", 3, Duration::from_secs(3600), &secret),
                by_address: RateLimit::new("reset-address", 20, Duration::from_secs(3600), &secret),
            },
            password_checks: RateLimit::new(
                "password-check",
                5,
                Duration::from_secs(15 * 60),
                &secret,
            ),
            email_mails: RateLimit::new("email-mail", 5, Duration::from_secs(3600), &secret),
            mailer,
            mail_metrics: Arc::new(MailMetrics::default()),
            abuse: AbuseLimits::new(&settings.limits, &secret),
            metrics: Metrics::default(),
            realtime,
            search,
            screener,
            renewals: CookieRenewals::default(),
            store,
            settings,
        }
    }
}
