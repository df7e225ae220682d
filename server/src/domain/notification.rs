//! The kinds of notification: why a member is told about a post. Stored as their names
//! in `notifications.kind` and served under the same names.

use super::reaction::ReactionKind;
use super::text_enum;

text_enum! {
    /// Why somebody is notified. A post's own notifications are decided from the most to
    /// the least specific (`Mention` before `ReplyToPost` before …), one per recipient.
    NotificationKind, "kind" {
        Mention => "mention",
        ReplyToPost => "reply_to_post",
        ReplyToThread => "reply_to_thread",
        WatchedThread => "watched_thread",
        ModerationOutcome => "moderation_outcome",
        ContextNote => "context_note",
        ReactionWithYou => "reaction_with_you",
        ReactionThankYou => "reaction_thank_you",
        ReactionMeToo => "reaction_me_too",
        ReactionHelpful => "reaction_helpful",
    }
}

impl NotificationKind {
    /// The author's notification about reactions of this kind to their post.
    pub fn of_reaction(reaction: ReactionKind) -> NotificationKind {
        match reaction {
            ReactionKind::WithYou => NotificationKind::ReactionWithYou,
            ReactionKind::ThankYou => NotificationKind::ReactionThankYou,
            ReactionKind::MeToo => NotificationKind::ReactionMeToo,
            ReactionKind::Helpful => NotificationKind::ReactionHelpful,
        }
    }

    /// A batched count of reactions, whose detail sentence is the whole message.
    pub fn is_reaction(self) -> bool {
        matches!(
            self,
            NotificationKind::ReactionWithYou
                | NotificationKind::ReactionThankYou
                | NotificationKind::ReactionMeToo
                | NotificationKind::ReactionHelpful
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_names_round_trip_and_unknown_ones_are_errors() {
        for &kind in NotificationKind::ALL {
            assert_eq!(NotificationKind::parse(kind.as_str()).ok(), Some(kind));
            assert_eq!(
                serde_json::to_value(kind).ok(),
                Some(serde_json::Value::from(kind.as_str()))
            );
        }
        assert!(NotificationKind::try_from("reply".to_owned()).is_err());
        assert!(NotificationKind::try_from(String::new()).is_err());
    }

    #[test]
    fn each_reaction_has_its_own_notification_kind() {
        for &reaction in ReactionKind::ALL {
            let kind = NotificationKind::of_reaction(reaction);
            assert!(kind.is_reaction());
            assert_eq!(kind.as_str(), format!("reaction_{}", reaction.as_str()));
        }
        assert!(!NotificationKind::Mention.is_reaction());
    }
}
