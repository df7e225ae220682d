//! Property tests: whatever the input, normalization maps every stretch of every view
//! back onto char boundaries of the original, and every reason's span is a valid stretch
//! of the field it names whose text is the reason's `matched`.

use std::sync::LazyLock;

use kindred_moderation::normalize::{normalize, MappedText};
use kindred_moderation::{seed, Field, Lexicons, Model, Screener};
use proptest::prelude::*;

static SCREENER: LazyLock<Screener> = LazyLock::new(|| {
    let lexicons = Lexicons::parse(seed::LEXICONS).unwrap_or_else(|e| panic!("{e}"));
    let model = Model::from_text(seed::MODEL).unwrap_or_else(|e| panic!("{e}"));
    Screener::new(lexicons, model)
});

/// Text built from the pieces normalization rewrites (leetspeak, look-alikes, invisible
/// and combining characters, spelled-out digits and addresses, spaced-out letters)
/// between arbitrary characters, so the rewrites meet each other and multi-byte text.
fn tricky_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        any::<char>().prop_map(String::from),
        "[a-z0-9 .@$-]{1,8}",
        Just("fr33 ".to_owned()),
        Just("b@king s0da cur3s c@ncer ".to_owned()),
        Just("b u y n o w ".to_owned()),
        Just("d.m. me ".to_owned()),
        Just("five five five one two three four ".to_owned()),
        Just("555-O1O2 ".to_owned()),
        Just("jane at gmail dot com ".to_owned()),
        Just("call 0800 123 4567 ".to_owned()),
        Just("www.shop.example/?ref=abc ".to_owned()),
        Just("\u{200b}\u{00ad}\u{202e}\u{fe0f}".to_owned()),
        Just("e\u{301}\u{308}".to_owned()),
        Just("ｆｒｅｅ ①②③ ﬁ ".to_owned()),
        Just("соdе ΡΟ ".to_owned()),
        Just("“quoted” — dash\n\n".to_owned()),
        Just("😀👍🏽 ".to_owned()),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
}

fn assert_maps_onto_original(view: &MappedText, original: &str) {
    let text = view.as_str();
    let boundaries: Vec<usize> = text
        .char_indices()
        .map(|(at, _)| at)
        .chain([text.len()])
        .collect();
    for (i, &start) in boundaries.iter().enumerate() {
        // Stretches of up to 16 chars: a match is short, and all pairs would be quadratic.
        for &end in boundaries[i + 1..].iter().take(16) {
            let whole = view.original_range(start..end);
            assert!(whole.start <= whole.end && whole.end <= original.len());
            assert!(
                original.is_char_boundary(whole.start),
                "{text:?} {start}..{end}"
            );
            assert!(
                original.is_char_boundary(whole.end),
                "{text:?} {start}..{end}"
            );
            // Every char of the stretch comes from inside the stretch's original range.
            let first = view.original_range(start..boundaries[i + 1]);
            assert!(whole.start <= first.start && first.end <= whole.end);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn every_view_maps_onto_char_boundaries_of_the_original(original in tricky_text()) {
        let normalized = normalize(&original);
        for view in [&normalized.base, &normalized.words, &normalized.contact] {
            assert_maps_onto_original(view, &original);
        }
    }

    #[test]
    fn every_span_is_the_matched_text_of_its_field(
        title in prop::option::of(tricky_text()),
        body in tricky_text(),
    ) {
        let assessment = SCREENER.assess(title.as_deref(), &body);
        for reason in &assessment.reasons {
            let Some(span) = &reason.span else { continue };
            let field = match span.field {
                Field::Title => title.as_deref().unwrap_or_default(),
                Field::Body => body.as_str(),
            };
            prop_assert!(span.start <= span.end && span.end <= field.len(), "{reason:?}");
            prop_assert!(field.is_char_boundary(span.start), "{reason:?}");
            prop_assert!(field.is_char_boundary(span.end), "{reason:?}");
            if title.as_deref().is_none_or(str::is_empty) {
                prop_assert_eq!(reason.matched.as_deref(), Some(&field[span.start..span.end]));
            }
        }
    }
}
