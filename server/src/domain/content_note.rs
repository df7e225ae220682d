//! Content notes (issue 19): what an author marks a thread or post with so that readers
//! who would rather not meet it unawares can have it folded away. The list is fixed, so
//! every note has words on every page and a stable wire and storage name.

use super::text_enum;
use crate::error::Error;

text_enum! {
    /// One content note. Stored and sent as its name (`end_of_life`, …).
    ContentNote, "content_note" {
        EndOfLife => "end_of_life",
        Recurrence => "recurrence",
        DeathAndLoss => "death_and_loss",
        GraphicMedical => "graphic_medical",
        SelfHarm => "self_harm",
    }
}

impl ContentNote {
    /// The words readers see ("This post has a content note: end of life").
    pub fn label(self) -> &'static str {
        match self {
            ContentNote::EndOfLife => "end of life",
            ContentNote::Recurrence => "recurrence or progression",
            ContentNote::DeathAndLoss => "death and loss",
            ContentNote::GraphicMedical => "graphic medical detail",
            ContentNote::SelfHarm => "suicide and self-harm",
        }
    }
}

/// A set of content notes, kept in the fixed order of [`ContentNote::ALL`] with no
/// repeats, so equal sets store and compare as the same text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContentNotes(Vec<ContentNote>);

impl ContentNotes {
    /// Parses names from a request; an unknown name is `400 unknown_content_note`.
    pub fn parse<S: AsRef<str>>(names: &[S]) -> Result<ContentNotes, Error> {
        if names.len() > ContentNote::ALL.len() * 2 {
            return Err(Error::bad_request(
                "unknown_content_note",
                "too many content notes",
            ));
        }
        let notes = names
            .iter()
            .map(|name| {
                ContentNote::parse(name.as_ref()).map_err(|_| {
                    Error::bad_request(
                        "unknown_content_note",
                        format!(
                            "unknown content note; the notes are: {}",
                            ContentNote::ALL
                                .iter()
                                .map(|n| n.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ContentNotes::from_notes(notes))
    }

    pub fn from_notes(notes: impl IntoIterator<Item = ContentNote>) -> ContentNotes {
        let wanted: Vec<ContentNote> = notes.into_iter().collect();
        ContentNotes(
            ContentNote::ALL
                .iter()
                .copied()
                .filter(|n| wanted.contains(n))
                .collect(),
        )
    }

    /// The storage form: names joined by commas (empty for none).
    pub fn to_stored(&self) -> String {
        self.0
            .iter()
            .map(|n| n.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Reads the storage form back; an unknown stored name is a read error.
    pub fn from_stored(stored: &str) -> Result<ContentNotes, Error> {
        let notes = stored
            .split(',')
            .filter(|name| !name.is_empty())
            .map(ContentNote::parse)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ContentNotes::from_notes(notes))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn contains(&self, note: ContentNote) -> bool {
        self.0.contains(&note)
    }

    pub fn as_slice(&self) -> &[ContentNote] {
        &self.0
    }

    /// The notes of this set that `other` also has.
    #[must_use]
    pub fn intersection(&self, other: &ContentNotes) -> ContentNotes {
        ContentNotes::from_notes(self.0.iter().copied().filter(|n| other.contains(*n)))
    }
}

#[cfg(test)]
mod tests {
    use super::{ContentNote, ContentNotes};

    #[test]
    fn sets_are_ordered_without_repeats_and_round_trip_through_storage() {
        let notes =
            ContentNotes::parse(&["self_harm", "end_of_life", "self_harm"]).expect("valid notes");
        assert_eq!(
            notes.as_slice(),
            &[ContentNote::EndOfLife, ContentNote::SelfHarm]
        );
        assert_eq!(notes.to_stored(), "end_of_life,self_harm");
        assert_eq!(
            ContentNotes::from_stored(&notes.to_stored()).expect("valid notes"),
            notes
        );
        assert!(ContentNotes::from_stored("")
            .expect("valid notes")
            .is_empty());
    }

    #[test]
    fn unknown_names_are_refused() {
        assert!(ContentNotes::parse(&["spoilers"]).is_err());
        assert!(ContentNotes::parse(&["END_OF_LIFE"]).is_err());
        assert!(ContentNotes::from_stored("end_of_life,gore").is_err());
    }
}
