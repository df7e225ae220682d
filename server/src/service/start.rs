//! A place to start: the communities that fit what someone tells us — their profile's role
//! and conditions, or a plain sentence such as "my husband has glioblastoma" — matched
//! through search's health synonyms, so "GBM" finds the glioblastoma communities and
//! "brain tumor" the brain tumours one. Pure functions over the communities the viewer
//! may see listed; the pages decide what to do with them.

use std::sync::OnceLock;

use kindred_search::Synonyms;

use super::views::CommunitySummary;

/// At most this many communities are suggested.
const MAX_MATCHES: usize = 6;

/// Words that tell us someone is caring for another person.
const CAREGIVER_WORDS: &[&str] = &[
    "husband",
    "wife",
    "partner",
    "boyfriend",
    "girlfriend",
    "fiance",
    "fiancee",
    "mum",
    "mom",
    "mother",
    "dad",
    "father",
    "parent",
    "son",
    "daughter",
    "child",
    "brother",
    "sister",
    "grandmother",
    "grandfather",
    "friend",
    "caregiver",
    "carer",
    "caring",
];

/// The search synonyms, parsed once (the indexer refuses to start when they do not parse,
/// so the empty fallback is never what members see).
fn synonyms() -> &'static Synonyms {
    static SYNONYMS: OnceLock<Synonyms> = OnceLock::new();
    SYNONYMS.get_or_init(|| Synonyms::parse(crate::indexer::SYNONYMS).unwrap_or_default())
}

/// What someone told us about themselves.
pub struct About<'a> {
    /// A sentence, or the profile's conditions written out.
    pub text: &'a str,
    /// The profile says they are a caregiver.
    pub caregiver: bool,
}

impl About<'_> {
    /// The profile's conditions as words to match ("brain-tumour" → "brain tumour").
    pub fn conditions_text(conditions: &[String]) -> String {
        conditions
            .iter()
            .map(|tag| tag.replace('-', " "))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The communities among `listed` that fit `about`, best first: one point for each of
/// its condition tags (or its name) the text mentions, one more for a caregivers'
/// community when they care for someone; then the larger community.
pub fn matching<'a>(
    about: &About<'_>,
    listed: &'a [CommunitySummary],
) -> Vec<&'a CommunitySummary> {
    let mentions = synonyms().mentions(about.text);
    let mentioned = |phrase: &str| {
        let analysed = Synonyms::analysed(phrase);
        !analysed.is_empty() && mentions.contains(&analysed)
    };
    let caregiver = about.caregiver || CAREGIVER_WORDS.iter().any(|word| mentioned(word));
    let mut scored: Vec<(usize, &CommunitySummary)> = listed
        .iter()
        .map(|c| {
            let tags = c
                .condition_tags
                .iter()
                .filter(|tag| mentioned(&tag.replace('-', " ")))
                .count();
            let named = usize::from(tags == 0 && mentioned(&c.name));
            let cares = usize::from(caregiver && c.kind == "caregiver");
            (tags + named + cares, c)
        })
        .filter(|(score, _)| *score > 0)
        .collect();
    scored.sort_by(|(a, x), (b, y)| b.cmp(a).then(y.member_count.cmp(&x.member_count)));
    scored
        .into_iter()
        .take(MAX_MATCHES)
        .map(|(_, c)| c)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn community(slug: &str, name: &str, kind: &str, tags: &[&str]) -> CommunitySummary {
        CommunitySummary {
            slug: slug.into(),
            name: name.into(),
            description: String::new(),
            kind: kind.into(),
            condition_tags: tags.iter().map(|t| (*t).to_owned()).collect(),
            visibility: "public".into(),
            join_policy: "open".into(),
            language: "en".into(),
            listed: false,
            member_count: 1,
        }
    }

    fn slugs(text: &str, caregiver: bool, listed: &[CommunitySummary]) -> Vec<String> {
        matching(&About { text, caregiver }, listed)
            .into_iter()
            .map(|c| c.slug.clone())
            .collect()
    }

    #[test]
    fn a_sentence_finds_communities_through_synonyms() {
        let listed = [
            community(
                "lung-cancer",
                "Lung Cancer",
                "condition",
                &["lung-cancer", "nsclc"],
            ),
            community(
                "brain-tumours",
                "Brain Tumours",
                "condition",
                &["brain-tumour", "glioblastoma"],
            ),
            community(
                "cancer-caregivers",
                "Caregivers of People with Cancer",
                "caregiver",
                &[],
            ),
            community(
                "gbm-carers",
                "Glioblastoma Caregivers",
                "caregiver",
                &["glioblastoma"],
            ),
            community("grief", "Grief and Loss", "general", &[]),
        ];
        assert_eq!(
            slugs("my husband has glioblastoma", false, &listed),
            ["gbm-carers", "brain-tumours", "cancer-caregivers"]
        );
        assert_eq!(
            slugs("I was told it is a GBM", false, &listed),
            ["brain-tumours", "gbm-carers"]
        );
        assert_eq!(slugs("brain tumor", false, &listed), ["brain-tumours"]);
        assert_eq!(slugs("lung cancer", false, &listed), ["lung-cancer"]);
        assert!(slugs("hello there", false, &listed).is_empty());
        assert_eq!(
            slugs(
                &About::conditions_text(&["glioblastoma".into()]),
                true,
                &listed
            ),
            ["gbm-carers", "brain-tumours", "cancer-caregivers"]
        );
    }
}
