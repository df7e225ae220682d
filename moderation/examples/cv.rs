//! Five-fold cross-validation on the train split (development aid): prints metrics and,
//! with SHOW=label, the texts of that label's mistakes; SCORES=1 prints every post's
//! out-of-fold scores to stderr. Other modes, each training on the train split:
//! - SPLIT=test: the test split's mistakes;
//! - FRESH=file.jsonl: the mistakes and metrics on another file (SCORES=1: its scores);
//! - EXTRA=a.jsonl,b.jsonl: more training posts, from files not (yet) in the corpus.
use kindred_moderation::eval::{evaluate, is_hard_negative, parse_corpus, Example, Report};
use kindred_moderation::rules::Analysis;
use kindred_moderation::{seed, Label, Lexicons, Model, Policy, Screener};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let lexicons = Lexicons::parse(seed::LEXICONS)?;
    let corpus = seed::corpus();
    let mut examples = parse_corpus(&corpus)?;
    if let Ok(paths) = std::env::var("EXTRA") {
        // More training examples, from files not (yet) in the corpus.
        for path in paths.split(',') {
            examples.extend(parse_corpus(&std::fs::read_to_string(path)?)?);
        }
    }
    if let Ok(path) = std::env::var("FRESH") {
        // Train on the train split without the other file's posts, report on every line
        // of that file.
        let fresh = parse_corpus(&std::fs::read_to_string(path)?)?;
        let fit: Vec<&Example> = examples
            .iter()
            .filter(|e| e.split == "train" && !fresh.iter().any(|f| f.id == e.id))
            .collect();
        let screener = Screener::new(lexicons.clone(), Model::train_on(&fit, &lexicons)?);
        let all: Vec<&Example> = fresh.iter().collect();
        print_mistakes(&screener, &all, &Label::ALL);
        if std::env::var_os("SCORES").is_some() {
            for example in &all {
                let a = screener.assess(None, &example.text);
                eprintln!(
                    "{}\t{:.3}\t{:.3}\t{:.3}",
                    example.id, a.scores.promotion, a.scores.misinformation, a.scores.personal_info
                );
            }
        }
        println!("{}", evaluate(&screener, &all, &Policy::default()));
        return Ok(());
    }
    let split = std::env::var("SPLIT").unwrap_or_else(|_| "train".to_string());
    if split == "test" {
        // Train on the train split, show the test split's mistakes.
        let fit: Vec<&Example> = examples.iter().filter(|e| e.split == "train").collect();
        let held: Vec<&Example> = examples.iter().filter(|e| e.split == "test").collect();
        let screener = Screener::new(lexicons.clone(), Model::train_on(&fit, &lexicons)?);
        print_mistakes(&screener, &held, &Label::ALL);
        return Ok(());
    }
    let train: Vec<&Example> = examples.iter().filter(|e| e.split == "train").collect();
    let show = std::env::var("SHOW").ok().and_then(|s| Label::parse(&s));
    let mut total = Report::default();
    let fold_reports: Vec<(usize, Report, Screener)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..5)
            .map(|fold| {
                let train = &train;
                let lexicons = &lexicons;
                scope.spawn(move || {
                    let fit: Vec<&Example> = train
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| i % 5 != fold)
                        .map(|(_, e)| *e)
                        .collect();
                    let held: Vec<&Example> = train
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| i % 5 == fold)
                        .map(|(_, e)| *e)
                        .collect();
                    let model = Model::train_on(&fit, lexicons).expect("training");
                    let screener = Screener::new(lexicons.clone(), model);
                    let report = evaluate(&screener, &held, &Policy::default());
                    (fold, report, screener)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("fold"))
            .collect()
    });
    for (fold, report, screener) in fold_reports {
        let held: Vec<&Example> = train
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 5 == fold)
            .map(|(_, e)| *e)
            .collect();
        if std::env::var_os("SCORES").is_some() {
            for example in &held {
                let a = screener.assess(None, &example.text);
                let labels: Vec<&str> = example.labels.iter().map(|l| l.as_str()).collect();
                eprintln!(
                    "{}\t{}\t{:.3}\t{:.3}\t{:.3}\t{}\t{}",
                    example.id,
                    labels.join(","),
                    a.scores.promotion,
                    a.scores.misinformation,
                    a.scores.personal_info,
                    u8::from(is_hard_negative(example, &screener)),
                    Analysis::new(&example.text, screener.lexicons())
                        .overall_stance()
                        .names()
                        .join("+")
                );
            }
        }
        if let Some(label) = show {
            print_mistakes(&screener, &held, &[label]);
        }
        total.examples += report.examples;
        for i in 0..3 {
            total.confusion[i].true_positives += report.confusion[i].true_positives;
            total.confusion[i].false_positives += report.confusion[i].false_positives;
            total.confusion[i].false_negatives += report.confusion[i].false_negatives;
            total.confusion[i].true_negatives += report.confusion[i].true_negatives;
        }
        total.clean_held.total += report.clean_held.total;
        total.clean_held.wrong += report.clean_held.wrong;
        total.clean_flagged.total += report.clean_flagged.total;
        total.clean_flagged.wrong += report.clean_flagged.wrong;
        total.hard_negatives_flagged.total += report.hard_negatives_flagged.total;
        total.hard_negatives_flagged.wrong += report.hard_negatives_flagged.wrong;
        total.marked_hard_flagged.total += report.marked_hard_flagged.total;
        total.marked_hard_flagged.wrong += report.marked_hard_flagged.wrong;
    }
    println!("{total}");
    Ok(())
}

/// Prints every one of `labels` an example got wrong, with the evidence.
fn print_mistakes(screener: &Screener, examples: &[&Example], labels: &[Label]) {
    for example in examples {
        let a = screener.assess(None, &example.text);
        for &label in labels {
            let labeled = example.labels.contains(&label);
            if labeled != (a.scores.get(label) >= 0.5) {
                let why: Vec<String> = a
                    .reasons
                    .iter()
                    .filter(|r| r.label == label)
                    .map(|r| format!("{}={:.2}", r.rule, r.score))
                    .collect();
                println!(
                    "{} {} {} {:.2} [{}] {}",
                    if labeled { "FN" } else { "FP" },
                    label,
                    example.id,
                    a.scores.get(label),
                    why.join(","),
                    example.text.replace('\n', " ")
                );
            }
        }
    }
}
