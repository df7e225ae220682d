//! Screening in Spanish on the held-out split of `seed-data/moderation/es/corpus.jsonl`,
//! and the language-independent selling signals on its French and Portuguese posts.

use kindred_moderation::eval::{by_language, evaluate, parse_corpus};
use kindred_moderation::{seed, Label, Policy, Screener};

fn screener() -> Screener {
    Screener::committed().unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn spanish_held_out_split_meets_the_floors() {
    let examples = parse_corpus(seed::CORPUS_ES).unwrap_or_else(|e| panic!("{e}"));
    let split = std::env::var("SPLIT").unwrap_or_else(|_| "test".to_string());
    let chosen: Vec<_> = examples.iter().filter(|e| e.split == split).collect();
    let screener = screener();
    for (language, group) in by_language(&chosen) {
        let report = evaluate(&screener, &group, &Policy::default());
        println!(
            "## {language} ({split})\n{report}\nmistakes: {:?}",
            report.mistakes
        );
        if language != "es" {
            continue;
        }
        for label in Label::ALL {
            let c = report.confusion[label.index()];
            assert!(c.precision() >= 0.90, "{label} precision: {report}");
            assert!(c.recall() >= 0.85, "{label} recall: {report}");
        }
        assert!(report.clean_held.rate() <= 0.02, "{report}");
    }
}

fn verdict(body: &str) -> kindred_moderation::Verdict {
    use kindred_moderation::{ScreenInput, TrustLevel};
    screener().screen(&ScreenInput {
        title: None,
        body,
        trust_level: TrustLevel::NEW,
        policy: &Policy::default(),
    })
}

fn assert_labels(body: &str, labels: &[Label]) {
    let verdict = verdict(body);
    assert_eq!(verdict.labels, labels, "{body}: {verdict:#?}");
}

#[test]
fn spanish_and_latin_american_phone_numbers_are_personal_information() {
    for (body, number) in [
        (
            "Si quieres hablar, escríbeme al +34 612 345 678.",
            "+34 612 345 678",
        ),
        (
            "Mi cel es +52 55 1234 5678, me puedes escribir a cualquier hora para platicar.",
            "+52 55 1234 5678",
        ),
        ("Llámame al 55 1234 5678 en las tardes.", "55 1234 5678"),
        (
            "Mi número es 612 345 678, llámame cuando quieras.",
            "612 345 678",
        ),
    ] {
        let verdict = verdict(body);
        let phone = verdict
            .reasons
            .iter()
            .find(|r| r.rule == "personal_info.phone")
            .unwrap_or_else(|| panic!("{body}: {verdict:#?}"));
        assert_eq!(phone.matched.as_deref(), Some(number), "{body}");
        assert_eq!(verdict.language, "es", "{body}");
    }
}

#[test]
fn spanish_addresses_are_personal_information() {
    for (body, address) in [
        (
            "Para las de Madrid, estoy en Calle Mayor 5, 3º B, vengan a tomar un café.",
            "Calle Mayor 5",
        ),
        (
            "Mándame las pelucas a Av. Insurgentes Sur 1234, Col. Del Valle, por favor.",
            "Av. Insurgentes Sur 1234",
        ),
    ] {
        let verdict = verdict(body);
        let hit = verdict
            .reasons
            .iter()
            .find(|r| r.rule == "personal_info.address")
            .unwrap_or_else(|| panic!("{body}: {verdict:#?}"));
        assert_eq!(hit.matched.as_deref(), Some(address), "{body}");
    }
}

#[test]
fn spanish_record_numbers_are_personal_information() {
    for body in [
        "Mi mamá tiene historia clínica 4587123 en el hospital y no le dan la cita, ¿qué hago?",
        "La NHC de mi padre es 00934512, se la dije a la enfermera tres veces.",
        "Este es el número de expediente de mi esposo: 20231145, por si alguien del IMSS lee esto.",
    ] {
        assert_labels(body, &[Label::PersonalInfo]);
    }
}

#[test]
fn spanish_sales_phrases_are_promotion() {
    for body in [
        "Gorros oncológicos hechos a mano, envío gratis a toda España. Compra aquí: www.gorros-esperanza.es",
        "Nuestro suplemento te da energía durante la quimio, usa el código de descuento QUIMIO20 en la tienda.",
        "Vendo aceite de CBD de primera calidad, precio especial. Escríbeme por WhatsApp para pedidos.",
    ] {
        let verdict = verdict(body);
        assert!(verdict.has(Label::Promotion), "{body}: {verdict:#?}");
    }
}

#[test]
fn spanish_cure_claims_are_misinformation_but_questions_and_debunks_are_not() {
    for body in [
        "El bicarbonato de sodio cura el cáncer porque alcaliniza el cuerpo.",
        "Deja la quimio, la cúrcuma y el jengibre curan el cáncer sin efectos secundarios.",
        "Si tienes cáncer en estadio 4 el stack antiparasitario lo cura, deja la quimio hoy.",
    ] {
        assert!(verdict(body).has(Label::Misinformation), "{body}");
    }
    for body in [
        "¿Es verdad que el bicarbonato cura el cáncer? Mi tía me mandó un video.",
        "No, el bicarbonato no cura nada. Es un bulo peligroso, no dejen el tratamiento.",
        "Cuidado con los que venden el stack antiparasitario para el estadio 4: es una estafa.",
    ] {
        assert_labels(body, &[]);
    }
}

#[test]
fn adverts_in_other_languages_are_caught_by_language_independent_signals() {
    for body in [
        "Complément naturel aux champignons pour l'énergie pendant la chimio ! Livraison gratuite, écrivez-moi sur WhatsApp.",
        "Cápsulas naturais para dar energia durante a quimioterapia, frete grátis para todo o Brasil! Me chama no WhatsApp.",
        "Cápsulas de moringa para tener energía durante la quimio. Envío gratis, escríbeme por WhatsApp.",
    ] {
        let verdict = verdict(body);
        assert!(verdict.has(Label::Promotion), "{body}: {verdict:#?}");
    }
    // A hospital's WhatsApp group is not an advert.
    assert_labels(
        "Le groupe WhatsApp de l'hôpital nous prévient quand la chimiothérapie est déplacée, c'est très pratique.",
        &[],
    );
}
