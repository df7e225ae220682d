//! Service views → `kindred_web` view models.

use kindred_web::model::{CommunityCard, Person, PostItem, ReactionItem, ThreadItem, Unread};

use crate::domain::content_note::ContentNote;
use crate::domain::ids::UserId;
use crate::domain::reaction::ReactionKind;
use crate::service::reactions::Reactions;
use crate::service::views::{CommunityDetail, CommunitySummary, PostView, ThreadView, UserSummary};

pub fn person(user: &UserSummary) -> Person {
    Person {
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        staff: user.staff.clone(),
    }
}

pub fn card(c: &CommunitySummary) -> CommunityCard {
    CommunityCard {
        slug: c.slug.clone(),
        name: c.name.clone(),
        description: c.description.clone(),
        kind: c.kind.clone(),
        condition_tags: c.condition_tags.clone(),
        visibility: c.visibility.clone(),
        join_policy: c.join_policy.clone(),
        member_count: c.member_count,
    }
}

pub fn detail_card(c: &CommunityDetail) -> CommunityCard {
    card(&c.summary)
}

pub fn thread(t: &ThreadView) -> ThreadItem {
    ThreadItem {
        id: t.id.to_string(),
        community: t.community.clone(),
        title: t.title.clone(),
        author: t.author.as_ref().map(person),
        pinned: t.pinned,
        locked: t.locked,
        post_count: t.post_count,
        last_post_at: t.last_post_at.clone(),
        unread: t.read.map(|read| Unread {
            new_posts: read.new_posts,
            first_unread_post_id: read.first_unread_post_id.map(|id| id.0.to_string()),
        }),
    }
}

pub fn post(p: &PostView, viewer: Option<UserId>) -> PostItem {
    PostItem {
        id: p.id.to_string(),
        thread_id: p.thread_id.0.to_string(),
        own: viewer.is_some_and(|v| p.author.as_ref().is_some_and(|a| a.id == v)),
        author: p.author.as_ref().map(person),
        status: p.status.as_str().to_owned(),
        body_html: p.body_html.clone(),
        created_at: p.created_at.clone(),
        edited: p.edited_at.is_some(),
        deleted: p.deleted,
        moderation_note: p.moderation_note.clone(),
        source: p.body.clone(),
        author_blocked: p.author_blocked,
        reactions: reaction_items(&p.reactions),
        saved: None,
        position: None,
        context_notes: p
            .context_notes
            .iter()
            .map(|n| kindred_web::duty::ContextNoteItem {
                id: n.id.clone(),
                label: n.label.clone(),
                writer: n.writer.as_ref().map(person),
                body_html: n.body_html.clone(),
                source: n.body.clone(),
                created_at: n.created_at.clone(),
                edited: n.edited_at.is_some(),
            })
            .collect(),
        can_add_context: false,
        can_appeal: false,
        content_notes: p
            .content_notes
            .iter()
            .map(|n| (n.as_str().to_owned(), n.label().to_owned()))
            .collect(),
        content_notes_collapsed: false,
    }
}

/// Whether a post is folded away for a reader who folds `collapse`: one of its notes is
/// among them, and the reader is not its author (who knows what they wrote).
pub fn folds(p: &PostView, viewer: Option<UserId>, collapse: &[ContentNote]) -> bool {
    let own = viewer.is_some_and(|v| p.author.as_ref().is_some_and(|a| a.id == v));
    !own && p.content_notes.iter().any(|n| collapse.contains(n))
}

/// One button per kind, in the fixed order.
fn reaction_items(reactions: &Reactions) -> Vec<ReactionItem> {
    ReactionKind::ALL
        .iter()
        .map(|kind| {
            let tally = reactions.get(*kind);
            ReactionItem {
                kind: kind.as_str().to_owned(),
                label: kind.label().to_owned(),
                count: tally.count,
                mine: tally.mine.unwrap_or(false),
            }
        })
        .collect()
}

/// The buttons of a post nobody reacted to yet.
pub fn new_post_reactions() -> Vec<ReactionItem> {
    reaction_items(&Reactions::none_for_reader())
}
