//! Reactions: one-tap support from a small fixed set, made for a support community
//! rather than a "like" button.

use super::text_enum;

text_enum! {
    /// What a member says with one tap. The set is fixed: a new kind needs a new label
    /// everywhere it is shown, and a sentence for its author's notification.
    ReactionKind, "kind" {
        WithYou => "with_you",
        ThankYou => "thank_you",
        MeToo => "me_too",
        Helpful => "helpful",
    }
}

impl ReactionKind {
    /// The button's words: text, never an emoji alone, so screen readers say something.
    pub fn label(self) -> &'static str {
        match self {
            ReactionKind::WithYou => "With you",
            ReactionKind::ThankYou => "Thank you",
            ReactionKind::MeToo => "Me too",
            ReactionKind::Helpful => "Helpful",
        }
    }

    /// What the author of a post is told once `people` members reacted this way (other
    /// than the author), in one batched notification per post and kind.
    pub fn sentence(self, people: i64) -> String {
        let who = if people == 1 {
            "1 person".to_owned()
        } else {
            format!("{people} people")
        };
        match self {
            ReactionKind::WithYou if people == 1 => format!("{who} is with you on your post"),
            ReactionKind::WithYou => format!("{who} are with you on your post"),
            ReactionKind::ThankYou => format!("{who} thanked you for your post"),
            ReactionKind::MeToo => format!("{who} said \u{201c}me too\u{201d} to your post"),
            ReactionKind::Helpful => format!("{who} found your post helpful"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ReactionKind;

    #[test]
    fn kinds_parse_from_their_names_and_nothing_else() {
        for kind in ReactionKind::ALL {
            assert_eq!(ReactionKind::parse(kind.as_str()).ok(), Some(*kind));
        }
        assert!(ReactionKind::parse("like").is_err());
        assert!(ReactionKind::parse("WITH_YOU").is_err());
    }

    #[test]
    fn sentences_agree_with_their_number() {
        assert_eq!(
            ReactionKind::WithYou.sentence(1),
            "1 person is with you on your post"
        );
        assert_eq!(
            ReactionKind::WithYou.sentence(3),
            "3 people are with you on your post"
        );
        assert_eq!(
            ReactionKind::Helpful.sentence(2),
            "2 people found your post helpful"
        );
    }
}
