//! The language a post is written in, as an ISO 639-1 code (`en`, `es`, `fr` …), or
//! [`UNDETERMINED`] when the text is too short or too mixed to tell.
//!
//! Detection is `whatlang`'s trigram model. Its guesses on a line or two are often wrong, so
//! only a guess it calls reliable counts, with one exception: a guess of another language
//! than English for a text with letters English does not write (`á`, `ñ`, `ç`, `¿` …) —
//! an English post is never taken for another language on a hunch — and a guess of
//! Spanish for a text with at least three different Spanish function words English does
//! not have (`que`, `los`, `para` …), which short Spanish posts written without accents
//! need.

use whatlang::Lang;

/// The code for a text whose language could not be told (ISO 639-2 `und`).
pub const UNDETERMINED: &str = "und";

/// English, the language the classifier was trained on.
pub const ENGLISH: &str = "en";

/// Spanish.
pub const SPANISH: &str = "es";

/// How much of a text the trigram model reads first, in bytes. Its cost grows with the
/// text, and a few sentences are usually enough to tell a language reliably; a long post
/// would otherwise cost more to detect than to screen.
const SAMPLE_BYTES: usize = 1024;

/// The language of `text` as an ISO 639-1 code, or [`UNDETERMINED`].
pub fn detect(text: &str) -> &'static str {
    // The start of a long text when the model is sure of it; otherwise all of it, so a
    // guess is never made on less text than before.
    let sampled = sample(text);
    let info = match whatlang::detect(sampled) {
        Some(info) if info.is_reliable() || sampled.len() == text.len() => Some(info),
        _ => whatlang::detect(text),
    };
    let Some(info) = info else {
        return UNDETERMINED;
    };
    let foreign_letters = || {
        text.chars().any(|c| {
            matches!(
                c.to_lowercase().next().unwrap_or(c),
                '¿' | '¡'
                    | 'á'
                    | 'é'
                    | 'í'
                    | 'ó'
                    | 'ú'
                    | 'ñ'
                    | 'ü'
                    | 'ç'
                    | 'ã'
                    | 'õ'
                    | 'à'
                    | 'è'
                    | 'ê'
                    | 'â'
                    | 'ô'
                    | 'î'
                    | 'û'
                    | 'ë'
                    | 'ï'
                    | 'ò'
                    | 'ì'
                    | 'ä'
                    | 'ö'
                    | 'ß'
            )
        })
    };
    if info.is_reliable()
        || (info.lang() != Lang::Eng && foreign_letters())
        || (info.lang() == Lang::Spa && spanish_function_words(text) >= 3)
    {
        iso_639_1(info.lang())
    } else {
        UNDETERMINED
    }
}

/// The start of `text` the trigram model reads: at most [`SAMPLE_BYTES`], ending before a
/// word cut in two.
fn sample(text: &str) -> &str {
    if text.len() <= SAMPLE_BYTES {
        return text;
    }
    let mut end = SAMPLE_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let cut = &text[..end];
    cut.rfind(char::is_whitespace)
        .map_or(cut, |space| &cut[..space])
}

/// How many different Spanish function words that are not English words `text` has.
fn spanish_function_words(text: &str) -> usize {
    const WORDS: [&str; 16] = [
        "que", "los", "las", "del", "por", "para", "una", "con", "mi", "el", "es", "muy", "pero",
        "como", "se", "lo",
    ];
    let mut seen = [false; WORDS.len()];
    for word in text.split(|c: char| !c.is_alphabetic()) {
        if let Some(index) = WORDS.iter().position(|w| w.eq_ignore_ascii_case(word)) {
            seen[index] = true;
        }
    }
    seen.iter().filter(|&&on| on).count()
}

/// The two-letter code of every language `whatlang` tells apart.
fn iso_639_1(lang: Lang) -> &'static str {
    match lang {
        Lang::Epo => "eo",
        Lang::Eng => "en",
        Lang::Rus => "ru",
        Lang::Cmn => "zh",
        Lang::Spa => "es",
        Lang::Por => "pt",
        Lang::Ita => "it",
        Lang::Ben => "bn",
        Lang::Fra => "fr",
        Lang::Deu => "de",
        Lang::Ukr => "uk",
        Lang::Kat => "ka",
        Lang::Ara => "ar",
        Lang::Hin => "hi",
        Lang::Jpn => "ja",
        Lang::Heb => "he",
        Lang::Yid => "yi",
        Lang::Pol => "pl",
        Lang::Amh => "am",
        Lang::Jav => "jv",
        Lang::Kor => "ko",
        Lang::Nob => "nb",
        Lang::Dan => "da",
        Lang::Swe => "sv",
        Lang::Fin => "fi",
        Lang::Tur => "tr",
        Lang::Nld => "nl",
        Lang::Hun => "hu",
        Lang::Ces => "cs",
        Lang::Ell => "el",
        Lang::Bul => "bg",
        Lang::Bel => "be",
        Lang::Mar => "mr",
        Lang::Kan => "kn",
        Lang::Ron => "ro",
        Lang::Slv => "sl",
        Lang::Hrv => "hr",
        Lang::Srp => "sr",
        Lang::Mkd => "mk",
        Lang::Lit => "lt",
        Lang::Lav => "lv",
        Lang::Est => "et",
        Lang::Tam => "ta",
        Lang::Vie => "vi",
        Lang::Urd => "ur",
        Lang::Tha => "th",
        Lang::Guj => "gu",
        Lang::Uzb => "uz",
        Lang::Pan => "pa",
        Lang::Aze => "az",
        Lang::Ind => "id",
        Lang::Tel => "te",
        Lang::Pes => "fa",
        Lang::Mal => "ml",
        Lang::Ori => "or",
        Lang::Mya => "my",
        Lang::Nep => "ne",
        Lang::Sin => "si",
        Lang::Khm => "km",
        Lang::Tuk => "tk",
        Lang::Aka => "ak",
        Lang::Zul => "zu",
        Lang::Sna => "sn",
        Lang::Afr => "af",
        Lang::Lat => "la",
        Lang::Slk => "sk",
        Lang::Cat => "ca",
        Lang::Tgl => "tl",
        Lang::Hye => "hy",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_english_spanish_french_and_portuguese_apart() {
        for (text, code) in [
            (
                "Finished round four of chemo today. Tired, but the nurses were lovely.",
                "en",
            ),
            (
                "Hoy terminé el cuarto ciclo de quimio. Estoy cansada, pero las enfermeras fueron un amor.",
                "es",
            ),
            (
                "J'ai terminé aujourd'hui ma quatrième cure de chimiothérapie, je suis épuisée mais soulagée.",
                "fr",
            ),
            (
                "Terminei hoje o quarto ciclo de quimioterapia, estou cansada mas as enfermeiras foram ótimas.",
                "pt",
            ),
        ] {
            assert_eq!(detect(text), code, "{text}");
        }
    }

    #[test]
    fn a_long_post_is_told_from_its_start() {
        let spanish = "Hoy terminé el cuarto ciclo de quimio y estoy cansada. ".repeat(40);
        assert!(sample(&spanish).len() <= SAMPLE_BYTES);
        assert!(spanish.starts_with(sample(&spanish)));
        assert_eq!(detect(&spanish), "es");
        let accents = "é".repeat(SAMPLE_BYTES);
        assert_eq!(sample(&accents).len(), SAMPLE_BYTES);
    }

    #[test]
    fn too_little_text_is_undetermined() {
        assert_eq!(detect(""), UNDETERMINED);
        assert_eq!(detect("555-014-2288"), UNDETERMINED);
        assert_eq!(detect("¿Y tú?"), "es");
    }
}
