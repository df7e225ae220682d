//! Pure screening of community posts: text, the author's trust level and the
//! community's policy in; a [`Verdict`] out. No I/O, no clock, no randomness: the same
//! input always gives the same verdict.
//!
//! # Vocabulary
//!
//! - A [`Label`] is a kind of problem: `promotion`, `misinformation`, `personal_info`.
//! - A *score* in `[0, 1]` per label says how sure the screener is ([`Scores`]).
//! - A [`Reason`] is one piece of evidence: the rule, a sentence for moderators (for
//!   personal information, one the author can act on), and the matched [`Span`] as byte
//!   offsets into the original title or body.
//! - An [`Action`] (`allow`, `flag`, `hold`, `reject`) is what the community's [`Policy`]
//!   makes of the scores at the author's [`TrustLevel`].
//!
//! # Pipeline
//!
//! Each stage is a public module with its own tests:
//!
//! 1. [`normalize`]: Unicode compatibility folding, look-alike letters, invisible
//!    characters, leetspeak, spaced-out letters, spelled-out digits and addresses, with a
//!    map back to the original bytes;
//! 2. [`rules`]: detectors for contact details and identifiers, sales phrases and links,
//!    and false health claims, each weighed against the stance of its sentence, with
//!    [`lexicon`]s kept as data in `seed-data/moderation/*.txt`;
//! 3. [`classifier`]: a logistic regression per label over hashed words, word pairs,
//!    character n-grams, stance and rule features, trained deterministically ([`Model`]);
//! 4. [`policy`]: thresholds per label and trust level ([`Policy`]);
//! 5. [`eval`]: precision, recall, F1 and false-flag rates on a labeled corpus.
//!
//! Alongside the labels, [`care`] gives the author's self-harm risk level
//! ([`RiskLevel`], in [`Verdict::self_harm`]) from the signals of
//! `seed-data/care/self-harm.txt`; no policy acts on it, and it never holds a post.
//! [`advice`] says whether the post tells other members to stop, skip, refuse, change the
//! dose of, share or swap a treatment ([`Advice`], in [`Verdict::advice`]): a nudge for
//! the author, never a reason to hold a post.
//!
//! [`Screener`] runs them in order and combines rules and classifier into the scores.
//!
//! # Example
//!
//! The server embeds the lexicons and the committed model at build time:
//!
//! ```
//! use kindred_moderation::{
//!     seed, Action, Field, Label, Lexicons, Model, Policy, ScreenInput, Screener, TrustLevel,
//! };
//!
//! // The committed lexicons and model; any others in the same formats work alike.
//! let lexicons = Lexicons::parse(seed::LEXICONS)?;
//! let model: Model = seed::MODEL.parse()?;
//! let screener = Screener::new(lexicons, model);
//!
//! let policy = Policy::default();
//! let body = "Happy to talk any time, text me on 555-014-2288.";
//! let verdict = screener.screen(&ScreenInput {
//!     title: None,
//!     body,
//!     trust_level: TrustLevel::new(2)?,
//!     policy: &policy,
//! });
//! assert_eq!(verdict.action, Action::Hold);
//! assert_eq!(verdict.labels, [Label::PersonalInfo]);
//! let reason = verdict.reasons.iter().find(|r| r.rule == "personal_info.phone").unwrap();
//! let span = reason.span.unwrap();
//! assert_eq!((span.field, &body[span.start..span.end]), (Field::Body, "555-014-2288"));
//! println!("{}", reason.message); // Remove the phone number “555-014-2288” before posting: …
//! # Ok::<(), kindred_moderation::Error>(())
//! ```
pub mod advice;
pub mod care;
pub mod classifier;
mod error;
pub mod eval;
pub mod language;
pub mod lexicon;
pub mod normalize;
pub mod policy;
pub mod rules;
mod screen;
pub mod seed;
pub mod text;
mod verdict;

pub use advice::Advice;
pub use care::{RiskLevel, SelfHarm};
pub use classifier::Model;
pub use error::Error;
pub use lexicon::{LexiconSources, Lexicons};
pub use policy::{LabelPolicy, Policy};
pub use screen::{Assessment, ScreenInput, Screener};
pub use verdict::{Action, Field, Label, Reason, Scores, Span, TrustLevel, Verdict};

#[cfg(test)]
pub(crate) mod testing {
    use crate::{seed, Lexicons, Model, Screener};

    /// The committed lexicons.
    pub(crate) fn lexicons() -> Lexicons {
        Lexicons::parse(seed::LEXICONS).unwrap_or_else(|e| panic!("{e}"))
    }

    /// The committed lexicons and model.
    pub(crate) fn screener() -> Screener {
        let model = Model::from_text(seed::MODEL).unwrap_or_else(|e| panic!("{e}"));
        Screener::new(lexicons(), model)
    }
}
