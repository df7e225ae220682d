//! View models: plain data the templates render. The server builds them from its service
//! views; this crate knows nothing of the server, the database or HTTP.

/// What every page needs: who is signed in, and the CSRF token its forms carry.
#[derive(Debug, Clone, Default)]
pub struct Chrome {
    pub user: Option<NavUser>,
    pub csrf_token: String,
    /// The reader's time zone and the page's "now", for every time shown.
    pub clock: crate::clock::ReaderClock,
    /// The reader's language: every word the chrome and the converted pages show.
    pub lang: crate::i18n::Lang,
}

impl Chrome {
    /// The words for `key` in the reader's language.
    pub fn t(&self, key: &str) -> String {
        self.lang.t(key)
    }

    /// The words for `key` with its variables, in the reader's language.
    pub fn t_args(&self, key: &str, args: &[(&str, crate::i18n::Arg)]) -> String {
        self.lang.t_args(key, args)
    }

    /// "3 members" / "3 miembros": a count through the catalogue key `key`'s plural rule.
    pub fn count(&self, key: &str, n: i64) -> String {
        self.lang.t_args(key, &[("count", n.into())])
    }
}

#[derive(Debug, Clone)]
pub struct NavUser {
    pub username: String,
    pub is_admin: bool,
    /// A research partner: the navigation offers insights only.
    pub is_partner: bool,
    /// Unread notifications, shown beside the link to them.
    pub unread_notifications: i64,
    /// Unread private messages, shown beside the link to them.
    pub unread_messages: i64,
    /// Open items in the queues this member moderates; `None` for non-moderators.
    pub open_queue_items: Option<i64>,
    /// The `mod:{slug}` topics whose events change that count (the page refreshes it).
    pub queue_topics: Vec<String>,
}

/// A person beside their post or thread.
#[derive(Debug, Clone)]
pub struct Person {
    pub username: String,
    pub display_name: String,
    /// `admin` or `moderator`: shown as a badge beside the name.
    pub staff: Option<String>,
}

/// The hidden field carrying a creating form's idempotency key.
pub const IDEMPOTENCY_FIELD: &str = "idempotency_key";

/// A form's submitted values and what was wrong with them, so a refused form comes back
/// with the input kept and the problem next to the field.
#[derive(Debug, Clone, Default)]
pub struct FormState {
    values: Vec<(String, String)>,
    errors: Vec<(String, String)>,
    /// A problem that belongs to no single field.
    pub general: Option<String>,
}

impl FormState {
    pub fn new() -> FormState {
        FormState::default()
    }

    #[must_use]
    pub fn with_value(mut self, field: &str, value: impl Into<String>) -> FormState {
        self.values.push((field.to_owned(), value.into()));
        self
    }

    pub fn set_value(&mut self, field: &str, value: impl Into<String>) {
        self.values.push((field.to_owned(), value.into()));
    }

    /// Records an error on `field`; an error on a field the form does not show becomes the
    /// general message.
    pub fn fail(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push((field.to_owned(), message.into()));
    }

    pub fn value(&self, field: &str) -> &str {
        self.values
            .iter()
            .rev()
            .find(|(name, _)| name == field)
            .map(|(_, value)| value.as_str())
            .unwrap_or_default()
    }

    pub fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(name, _)| name == field)
            .map(|(_, message)| message.as_str())
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty() || self.general.is_some()
    }

    /// Errors on fields other than `shown`, for the summary at the top of the form.
    pub fn other_errors<'a>(&'a self, shown: &'a [&str]) -> impl Iterator<Item = &'a str> + 'a {
        self.errors
            .iter()
            .filter(move |(name, _)| !shown.contains(&name.as_str()))
            .map(|(_, message)| message.as_str())
            .chain(self.general.as_deref())
    }
}

#[derive(Debug, Clone)]
pub struct CommunityCard {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub kind: String,
    pub condition_tags: Vec<String>,
    pub visibility: String,
    pub join_policy: String,
    pub member_count: i64,
}

#[derive(Debug, Clone)]
pub struct ThreadItem {
    pub id: String,
    pub community: String,
    pub title: String,
    pub author: Option<Person>,
    pub pinned: bool,
    pub locked: bool,
    pub post_count: i64,
    pub last_post_at: String,
    /// For a signed-in reader who opened the thread before: what is new since.
    pub unread: Option<Unread>,
}

/// "4 new since your last visit", linking to the first of them.
#[derive(Debug, Clone)]
pub struct Unread {
    pub new_posts: i64,
    pub first_unread_post_id: Option<String>,
}

#[derive(Debug, Clone)]
pub struct PostItem {
    pub id: String,
    pub thread_id: String,
    pub author: Option<Person>,
    /// `published`, `held` or `removed`.
    pub status: String,
    /// Sanitised HTML (markdown through ammonia); the only HTML emitted unescaped.
    pub body_html: String,
    pub created_at: String,
    pub edited: bool,
    pub deleted: bool,
    /// For the author of a held or removed post: why.
    pub moderation_note: Option<String>,
    /// Written by the viewer.
    pub own: bool,
    /// The markdown source, for the author's own posts (to edit them).
    pub source: Option<String>,
    /// The viewer blocks its author: the body is folded away behind a "show" toggle.
    pub author_blocked: bool,
    /// One per kind, always in the same order.
    pub reactions: Vec<ReactionItem>,
    /// Whether the signed-in reader saved this post; `None` for visitors.
    pub saved: Option<bool>,
    /// "Post 34 of 59": its place among the posts the reader sees, on thread pages.
    pub position: Option<(i64, i64)>,
    /// Context notes by clinicians and moderators (issue 19).
    pub context_notes: Vec<crate::duty::ContextNoteItem>,
    /// The reader may add a context note (a verified clinician or a moderator).
    pub can_add_context: bool,
    /// The reader wrote this removed post and may appeal the decision.
    pub can_appeal: bool,
    /// Its content notes as `(name, words)` (issue 19).
    pub content_notes: Vec<(String, String)>,
    /// The reader chose to fold away one of its notes: the body is behind "show".
    pub content_notes_collapsed: bool,
}

/// One reaction button (or, for readers who cannot react, one count).
#[derive(Debug, Clone)]
pub struct ReactionItem {
    /// The wire name: `with_you`, `thank_you`, `me_too`, `helpful`.
    pub kind: String,
    /// Words on the button ("With you").
    pub label: String,
    pub count: i64,
    /// The reader reacted this way: the button is pressed and takes it back.
    pub mine: bool,
}

/// The home page: a member's communities and recent threads, or the directory for visitors.
#[derive(Debug, Clone)]
pub struct Home {
    pub my_communities: Vec<CommunityCard>,
    pub pending: Vec<String>,
    pub recent_threads: Vec<ThreadItem>,
    pub directory: Vec<CommunityCard>,
    /// The member moderates at least one community (the queue link is offered).
    pub moderates: bool,
    /// Communities matching the member's role and conditions that they have not joined.
    pub suggested: Vec<CommunityCard>,
    /// The newest unread notifications.
    pub new_activity: Vec<NotificationItem>,
}

/// The directory with its filters.
#[derive(Debug, Clone)]
pub struct Directory {
    pub communities: Vec<CommunityCard>,
    pub kind: Option<String>,
    pub condition: Option<String>,
    /// The language filter ("es"), when one is chosen.
    pub language: Option<String>,
    /// Every condition tag in the directory, for the filter.
    pub conditions: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct CommunityPage {
    pub community: CommunityCard,
    pub rules_html: String,
    /// The viewer's `(role, state)` here, if any.
    pub membership: Option<(String, String)>,
    pub is_moderator: bool,
    /// A listed private community seen by a non-member: no threads, an invitation to ask.
    pub members_only: bool,
    pub threads: Vec<ThreadItem>,
    pub next_cursor: Option<String>,
    pub notice: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ThreadPage {
    pub thread: ThreadItem,
    pub community_name: String,
    pub posts: Vec<PostItem>,
    /// Where this page stands in the thread; `None` when it shows no posts.
    pub range: Option<PageRange>,
    pub next_cursor: Option<String>,
    /// The viewer may reply (an active member, thread open or viewer a moderator).
    pub can_reply: bool,
    /// Signed in (so the report button is offered).
    pub signed_in: bool,
    /// A moderator of the community or a site admin: pin, lock and remove controls.
    pub is_moderator: bool,
    /// The newest event when the page was read: the script resumes its websocket there.
    pub last_event_id: String,
    /// Every kind at zero: the reaction buttons of a reply that arrives without a reload.
    pub new_post_reactions: Vec<ReactionItem>,
    pub reply: FormState,
    pub notice: Option<String>,
    /// Names of the content notes folded away for this reader, for replies that arrive
    /// without a reload (app.js folds those the same way).
    pub collapse_content_notes: Vec<String>,
}

/// "Posts 51–59 of 59", with the way back to the page before.
#[derive(Debug, Clone)]
pub struct PageRange {
    /// Positions from 1 of the page's first and last posts.
    pub first: i64,
    pub last: i64,
    pub total: i64,
    /// The page before this one, if any.
    pub earlier_href: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewThreadPage {
    /// `(slug, name)` of the communities the member can post in.
    pub communities: Vec<(String, String)>,
    pub form: FormState,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub site_role: String,
    pub joined: String,
    /// `(community slug, role, state)`.
    pub memberships: Vec<(String, String, String)>,
    pub form: FormState,
    pub saved: bool,
}

/// A profile as others see it.
#[derive(Debug, Clone)]
pub struct Profile {
    pub username: String,
    pub display_name: String,
    /// `admin` or `moderator`.
    pub staff: Option<String>,
    pub role: Option<String>,
    pub conditions: Option<Vec<String>>,
    pub bio: Option<String>,
    pub joined: String,
    /// The account is kept in memory of the member (issue 19).
    pub memorialised: bool,
}

#[derive(Debug, Clone)]
pub struct QueueItem {
    pub id: String,
    pub community: String,
    pub source: String,
    pub labels: Vec<String>,
    pub reasons: Vec<String>,
    pub post: PostItem,
    pub post_source: String,
    pub thread_title: String,
    pub thread_id: String,
    /// `(reporter, reason)`.
    pub reports: Vec<(Option<Person>, String)>,
    /// The author's standing and earlier decisions, in words.
    pub author_history: Option<String>,
    /// The reason a one-click removal records (the community's default, or the default
    /// for the item's labels).
    pub default_remove_reason: String,
    /// The community's canned removal reasons, offered beside the one-click buttons.
    pub removal_reasons: Vec<String>,
    pub created_at: String,
}

#[derive(Debug, Clone)]
pub struct QueuePage {
    /// Members who may be at risk (issue 19): shown above everything else.
    pub wellbeing: Vec<crate::care::WellbeingEntry>,
    /// Open appeals (issue 19), after the wellbeing items.
    pub appeals: Vec<crate::duty::AppealEntry>,
    pub items: Vec<QueueItem>,
    pub next_cursor: Option<String>,
    pub notice: Option<String>,
    /// The item whose decision form was refused, with what was wrong.
    pub failed: Option<(String, FormState)>,
    /// The `mod:{slug}` websocket topics of the communities shown, for live notices.
    pub live_topics: Vec<String>,
    /// The newest event when the page was read: the script resumes its websocket there.
    pub last_event_id: String,
}

#[derive(Debug, Clone)]
pub struct ModLogEntry {
    pub action: String,
    pub reason: String,
    pub sanction: Option<String>,
    pub created_at: String,
    pub moderator: Option<Person>,
    pub target: Option<Person>,
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ModLogPage {
    pub community: CommunityCard,
    pub entries: Vec<ModLogEntry>,
    pub next_cursor: Option<String>,
}

/// A community's members as moderators see them.
#[derive(Debug, Clone)]
pub struct MembersPage {
    pub community: CommunityCard,
    /// `(person, role, state)`, one list per state.
    pub pending: Vec<(Person, String)>,
    pub active: Vec<(Person, String)>,
    pub banned: Vec<(Person, String)>,
    pub form: FormState,
    pub notice: Option<String>,
}

#[derive(Debug, Clone)]
pub struct AdminPage {
    pub communities: Vec<CommunityCard>,
    pub create: FormState,
    pub appoint: FormState,
    pub notice: Option<String>,
    pub overview: SiteOverview,
}

/// Members, posts and queue sizes, for the admin page.
#[derive(Debug, Clone, Default)]
pub struct SiteOverview {
    pub members: i64,
    pub published_posts: i64,
    pub open_queue_items: i64,
    pub communities: Vec<CommunityOverview>,
}

#[derive(Debug, Clone)]
pub struct CommunityOverview {
    pub slug: String,
    pub name: String,
    pub visibility: String,
    pub members: i64,
    pub published_posts: i64,
    pub open_queue_items: i64,
    pub moderators: Vec<String>,
}

/// `/admin/c/{slug}`: edit a community, remove its moderators.
#[derive(Debug, Clone)]
pub struct EditCommunityPage {
    pub slug: String,
    pub name: String,
    pub form: FormState,
    pub moderators: Vec<String>,
    pub notice: Option<String>,
    /// The screening policy as editable JSON (field `policy`).
    pub policy: FormState,
}

/// The search page: the query as typed, a problem with it, and one page of results.
#[derive(Debug, Clone, Default)]
pub struct SearchPage {
    pub query: String,
    pub error: Option<String>,
    /// Communities the words point to ("my husband has glioblastoma" → brain tumours).
    pub communities: Vec<CommunityCard>,
    pub results: Vec<SearchResult>,
    pub total: u64,
    /// Query string for the next page, when there is one.
    pub next: Option<String>,
}

/// One thread among the results: its best-matching post on this page of results.
#[derive(Debug, Clone)]
pub struct SearchResult {
    /// The matching post, which the result links to.
    pub post_id: String,
    pub thread_title: String,
    pub community_slug: String,
    pub community_name: String,
    /// Escaped by the search index; only `<mark>` is added.
    pub snippet_html: String,
    /// `(username, display name)`; `None` for a former member.
    pub author: Option<(String, String)>,
    pub created_at: String,
    /// Other posts of the same thread that matched, on this page of results.
    pub more_in_thread: usize,
    /// The words of the post's content notes.
    pub content_notes: Vec<String>,
    /// The reader folds one of them away: the snippet is behind "show".
    pub collapsed: bool,
}

/// `/notifications`: what happened that concerns the member, newest first.
#[derive(Debug, Clone)]
pub struct NotificationsPage {
    pub items: Vec<NotificationItem>,
    /// Research surveys waiting for the member's answer, listed above the notifications.
    pub surveys: Vec<SurveyNoticeItem>,
    pub unread: i64,
    /// Query string of the next (older) page.
    pub older: Option<String>,
    pub notice: Option<String>,
}

/// An invitation to a research survey: it links to its banner on `/surveys`.
#[derive(Debug, Clone)]
pub struct SurveyNoticeItem {
    pub survey_id: String,
    pub community_name: String,
    pub title: String,
    pub closes_at: String,
}

#[derive(Debug, Clone)]
pub struct NotificationItem {
    /// The notification's id: its links open the post through `/p/{post}?n={id}`, which
    /// marks it read.
    pub id: String,
    /// What happened, in words: "`maria_mod` replied to your post".
    pub summary: String,
    pub thread_id: String,
    pub post_id: String,
    pub thread_title: String,
    pub community: String,
    pub excerpt: String,
    /// When the post has a content note the reader folds away: the sentence naming the
    /// notes, shown instead of the excerpt (which is then empty).
    pub folded: Option<String>,
    /// For a moderation outcome: the decision and its reason.
    pub detail: Option<String>,
    pub created_at: String,
    pub unread: bool,
}

/// `/me/saved`: the posts a member saved, newest first.
#[derive(Debug, Clone)]
pub struct SavedPage {
    pub items: Vec<SavedItem>,
}

#[derive(Debug, Clone)]
pub struct SavedItem {
    pub post_id: String,
    pub thread_title: String,
    pub community_name: String,
    pub author: Option<Person>,
    pub excerpt: String,
    pub saved_at: String,
}
