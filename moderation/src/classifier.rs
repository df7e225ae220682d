//! Stage 3: a learned text classifier — one logistic regression per label over hashed
//! features, trained by plain stochastic gradient descent in a fixed order.
//!
//! Vocabulary:
//! - a *feature* is a string such as `w:cures`, `b:soda|cures`, `c:cure` or
//!   `rule:misinformation.cure_claim:asserted`, hashed (FNV-1a) into one of `2^bits`
//!   buckets;
//! - the *features of a text* are its words and word pairs (links, addresses and numbers
//!   replaced by placeholders such as `<link>`; words of sentences that ask, deny, hedge,
//!   report or debunk kept apart from asserted ones), the words right after a negation
//!   (`neg:cure`), character 4-grams of words, the stance of its sentences (`stance:question`)
//!   and the rule hits of stage 2 with their stance (`rule:promotion.code:asserted`). The
//!   rule and stance features are what let the model tell "baking soda cures cancer"
//!   from "does baking soda cure cancer?";
//! - a [`Model`] holds one weight per bucket and label; its text form (see
//!   [`Model::to_text`]) stores quantized non-zero weights and is what
//!   `seed-data/moderation/model.txt` contains.
//!
//! Training is deterministic: the same corpus and lexicons give a byte-identical model.

use std::fmt::Write as _;
use std::hash::Hasher;

use fnv::FnvHasher;

use crate::eval::Example;
use crate::rules::{Analysis, Masked};
use crate::{Error, Label, Lexicons};

/// First line of the model text format.
const MAGIC: &str = "kindred-moderation-model 1";
/// Identifies the feature extraction; a model trained with another one is refused.
pub(crate) const FEATURE_SET: &str = "words+pairs+negation+char4+stance+rules/7";
/// Number of hash bits.
pub(crate) const BITS: u32 = 18;
/// Quantization: weights are stored as integers of `1 / SCALE`.
pub(crate) const SCALE: f64 = 1000.0;
/// Training passes over the corpus.
const EPOCHS: usize = 20;
/// How much the word features weigh together, against one named feature.
const TEXT_WEIGHT: f64 = 5.0;
/// The text part is normalized as if it had at least this many word features, so that a
/// post of a word or two ("first", "hello") carries as little evidence as it holds: at
/// full weight, one word learned from long posts decided the score on its own.
const MIN_TEXT_FEATURES: f64 = 64.0;
/// Initial learning rate.
const LEARNING_RATE: f64 = 0.4;
/// L2 regularization strength.
const L2: f64 = 2e-5;
/// Seed of the shuffling order.
const SEED: u64 = 0x006b_696e_6472_6564;

/// A hashed, weighted feature vector.
#[derive(Debug, Clone, Default)]
pub struct Features {
    entries: Vec<(u32, f32)>,
    /// Word n-gram features with the original byte range they came from, for explaining.
    cues: Vec<(u32, std::ops::Range<usize>)>,
}

impl Features {
    /// Number of features.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The hashed features: bucket and value.
    pub(crate) fn entries(&self) -> &[(u32, f32)] {
        &self.entries
    }

    /// The word and word-pair features with the original byte range they came from.
    pub(crate) fn cues(&self) -> &[(u32, std::ops::Range<usize>)] {
        &self.cues
    }
}

/// FNV-1a over several parts, each followed by a separator byte, with a final
/// avalanche so the top bits are well mixed. It holds the FNV state as a plain `u64` (not
/// an `FnvHasher`, which is not `Copy`) so a prefix such as the n-gram namespace can be
/// hashed once and reused.
#[derive(Clone, Copy)]
struct FeatureHash(u64);

impl FeatureHash {
    fn new() -> FeatureHash {
        FeatureHash(FnvHasher::default().finish())
    }

    fn part(self, bytes: &[u8]) -> FeatureHash {
        let mut hasher = FnvHasher::with_key(self.0);
        hasher.write(bytes);
        hasher.write_u8(0xff);
        FeatureHash(hasher.finish())
    }

    fn chars(self, chars: &[char]) -> FeatureHash {
        let mut hasher = FnvHasher::with_key(self.0);
        let mut buffer = [0u8; 4];
        for &c in chars {
            if c.is_ascii() {
                hasher.write_u8(c as u8);
                continue;
            }
            hasher.write(c.encode_utf8(&mut buffer).as_bytes());
        }
        hasher.write_u8(0xff);
        FeatureHash(hasher.finish())
    }

    fn finish(self) -> u64 {
        let mut hash = self.0;
        hash ^= hash >> 33;
        hash = hash.wrapping_mul(0xff51_afd7_ed55_8ccd);
        hash ^= hash >> 33;
        hash
    }

    fn bucket(self) -> u32 {
        (self.finish() >> (64 - BITS)) as u32
    }
}

fn fnv1a(parts: &[&[u8]]) -> u64 {
    parts
        .iter()
        .fold(FeatureHash::new(), |hash, part| hash.part(part))
        .finish()
}

fn bucket(parts: &[&[u8]]) -> u32 {
    (fnv1a(parts) >> (64 - BITS)) as u32
}

/// Extracts the features of an analysed text (see the [module documentation](self)).
pub fn features(analysis: &Analysis<'_>) -> Features {
    let view = analysis.normalized.words.as_str();
    let tokens = &analysis.words;
    // Words with placeholders for masked stretches.
    let placeholder = |kind: Masked| match kind {
        Masked::TrustedLink => "<trusted-link>",
        Masked::Link => "<link>",
        Masked::Email => "<email>",
        Masked::Number => "<number>",
        Masked::Helpline => "<helpline>",
        Masked::TollFree => "<toll-free>",
    };
    // Buckets of the text features in order, and those of them that are cues (words and
    // word pairs) with their original range.
    let mut text_buckets: Vec<u32> = Vec::with_capacity(tokens.len() * 8);
    let mut cues: Vec<(u32, std::ops::Range<usize>)> = Vec::with_capacity(tokens.len() * 2);
    // The hash state after the n-gram namespace, shared by every n-gram.
    let gram_namespace = FeatureHash::new().part(b"c");
    let mut padded: Vec<char> = Vec::new();
    let mut padded_ascii: Vec<u8> = Vec::new();
    let mut words: Vec<(&str, std::ops::Range<usize>, bool)> = Vec::new();
    for (sentence_index, sentence) in tokens.sentences.iter().enumerate() {
        words.clear();
        let mut last_mask: Option<usize> = None;
        let mut negation_left = 0;
        for index in sentence.clone() {
            let span = tokens.spans[index].clone();
            let original = analysis.word_ranges[index].clone();
            let mask = analysis
                .masked
                .iter()
                .position(|(range, _)| range.start <= original.start && original.end <= range.end);
            if let Some(m) = mask {
                if last_mask != Some(m) {
                    let (range, kind) = &analysis.masked[m];
                    words.push((placeholder(*kind), range.clone(), false));
                }
                last_mask = Some(m);
                continue;
            }
            last_mask = None;
            let word = &view[span];
            let word = if word.bytes().all(|b| b.is_ascii_digit()) {
                "<num>"
            } else {
                word
            };
            let negated_scope = negation_left > 0;
            if analysis.negated[index] {
                negation_left = 3;
            } else if negation_left > 0 {
                negation_left -= 1;
            }
            words.push((word, original, negated_scope));
        }
        let question = tokens.questions[sentence_index];
        // Words of a sentence that asks, denies, hedges, reports or debunks are kept apart
        // from asserted words: "baking soda cures" means something else in a question.
        let stanced = !analysis.sentence_stance[sentence_index].is_asserted();
        let (word_ns, pair_ns): (&[u8], &[u8]) = if stanced {
            (b"sw", b"sb")
        } else {
            (b"w", b"b")
        };
        let mut previous = "<s>";
        let mut previous_range: Option<std::ops::Range<usize>> = None;
        for (word, range, negated) in &words {
            let word_bucket = bucket(&[word_ns, word.as_bytes()]);
            text_buckets.push(word_bucket);
            cues.push((word_bucket, range.clone()));
            let pair_range = previous_range
                .clone()
                .map_or(range.clone(), |p| p.start..range.end);
            let pair_bucket = bucket(&[pair_ns, previous.as_bytes(), word.as_bytes()]);
            text_buckets.push(pair_bucket);
            cues.push((pair_bucket, pair_range));
            if *negated {
                text_buckets.push(bucket(&[b"neg", word.as_bytes()]));
            }
            if question {
                text_buckets.push(bucket(&[b"q", word.as_bytes()]));
            }
            if word.starts_with('<') {
                // A placeholder has no n-grams.
            } else if word.is_ascii() {
                // One byte per char: the n-grams of the bytes hash the same, undecoded.
                if word.len() >= 4 {
                    padded_ascii.clear();
                    padded_ascii.push(b' ');
                    padded_ascii.extend_from_slice(word.as_bytes());
                    padded_ascii.push(b' ');
                    for gram in padded_ascii.windows(4) {
                        text_buckets.push(gram_namespace.part(gram).bucket());
                    }
                }
            } else if word.chars().count() >= 4 {
                padded.clear();
                padded.push(' ');
                padded.extend(word.chars());
                padded.push(' ');
                for gram in padded.windows(4) {
                    text_buckets.push(gram_namespace.chars(gram).bucket());
                }
            }
            previous = word;
            previous_range = Some(range.clone());
        }
    }
    let mut features = Features::default();
    // Repeated words count again (term frequency); the whole text part has a fixed norm
    // whatever the length of the text, above a floor for very short ones.
    let value = if text_buckets.is_empty() {
        0.0
    } else {
        (TEXT_WEIGHT / (text_buckets.len() as f64).max(MIN_TEXT_FEATURES).sqrt()) as f32
    };
    features
        .entries
        .extend(text_buckets.iter().map(|&i| (i, value)));
    features.cues = cues;

    // Named features: stance, rules, signals, length.
    let mut named: Vec<(String, f32)> = Vec::new();
    let stance = analysis.overall_stance();
    for name in stance.names() {
        named.push((format!("stance:{name}"), 1.0));
    }
    let sentences = analysis.sentence_stance.len().max(1) as f32;
    let questions = analysis.words.questions.iter().filter(|q| **q).count() as f32;
    named.push(("stance:question-share".to_string(), questions / sentences));
    for hit in &analysis.hits {
        let stance_name = if hit.stance.is_asserted() {
            "asserted".to_string()
        } else {
            hit.stance.names().join("+")
        };
        named.push((format!("rule:{}", hit.rule), hit.raw));
        named.push((format!("rule:{}:{stance_name}", hit.rule), hit.raw));
        named.push((format!("label:{}", hit.label), hit.strength));
    }
    for label in Label::ALL {
        let count = analysis
            .hits_for(label)
            .filter(|h| h.strength >= 0.3)
            .count();
        if count > 0 {
            named.push((format!("hits:{label}"), (count.min(4) as f32) / 4.0));
        }
    }
    for signal in &analysis.signals {
        named.push((format!("signal:{signal}"), 1.0));
    }
    let length = analysis.words.len();
    let length_bucket = usize::BITS - length.leading_zeros();
    named.push((format!("length:{length_bucket}"), 1.0));
    named.push(("bias".to_string(), 1.0));
    // Keep the strongest value of repeated named features.
    named.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
    named.dedup_by(|a, b| a.0 == b.0);
    for (name, value) in named {
        features
            .entries
            .push((bucket(&[b"n", name.as_bytes()]), value));
    }
    features
}

/// One probability per label, with the text that pushed each one up the most.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    /// Probability per label, in [`Label::ALL`] order.
    pub probabilities: [f32; 3],
    /// Per label: the original byte range of the word or word pair that contributed the
    /// most to it, if any contributed positively.
    pub strongest_cue: [Option<std::ops::Range<usize>>; 3],
}

/// A trained classifier: one weight per hash bucket and label.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    /// Per bucket, per label: the weight in `1 / SCALE` units.
    weights: Vec<[i16; 3]>,
}

impl Model {
    /// Trains a model on the `"split": "train"` examples of a corpus in JSONL form (see
    /// [`eval::parse_corpus`](crate::eval::parse_corpus)), with rule features from
    /// `lexicons`. Deterministic: the same inputs give an identical model.
    pub fn train(corpus_jsonl: &str, lexicons: &Lexicons) -> Result<Model, Error> {
        let examples = crate::eval::parse_corpus(corpus_jsonl)?;
        let training: Vec<&Example> = examples.iter().filter(|e| e.split == "train").collect();
        Model::train_on(&training, lexicons)
    }

    /// Trains a model on the given examples (whatever their split).
    pub fn train_on(examples: &[&Example], lexicons: &Lexicons) -> Result<Model, Error> {
        if examples.is_empty() {
            return Err(Error::Training(
                "the corpus has no training examples".to_string(),
            ));
        }
        for label in Label::ALL {
            if !examples.iter().any(|e| e.labels.contains(&label)) {
                return Err(Error::Training(format!(
                    "no training example is labeled {label}"
                )));
            }
        }
        let data: Vec<(Features, [bool; 3])> = examples
            .iter()
            .map(|example| {
                let analysis = Analysis::new(&example.text, lexicons);
                let targets = Label::ALL.map(|label| example.labels.contains(&label));
                (features(&analysis), targets)
            })
            .collect();
        let size = 1usize << BITS;
        let mut weights = vec![[0i16; 3]; size];
        for (label_index, label_weights) in train_labels(&data, size).into_iter().enumerate() {
            for (slot, weight) in weights.iter_mut().zip(label_weights) {
                slot[label_index] = quantize(weight);
            }
        }
        Ok(Model { weights })
    }

    /// Probabilities for an analysed text.
    pub fn predict(&self, analysis: &Analysis<'_>) -> Prediction {
        self.predict_features(&features(analysis))
    }

    /// Probabilities for the features of an analysed text (see [`features`]).
    pub fn predict_features(&self, features: &Features) -> Prediction {
        let mut scores = [0f32; 3];
        for &(index, value) in &features.entries {
            let w = self.weights[index as usize];
            for label in 0..3 {
                scores[label] += f32::from(w[label]) * value;
            }
        }
        let mut best = [0i16; 3];
        let mut strongest_cue: [Option<std::ops::Range<usize>>; 3] = [None, None, None];
        for (index, range) in &features.cues {
            let w = self.weights[*index as usize];
            for label in 0..3 {
                if w[label] > best[label] {
                    best[label] = w[label];
                    strongest_cue[label] = Some(range.clone());
                }
            }
        }
        Prediction {
            probabilities: scores.map(|score| sigmoid(score / SCALE as f32)),
            strongest_cue,
        }
    }

    /// The compact text form: a header, then one line per non-zero bucket with the
    /// distance from the previous bucket and three integer weights (in thousandths).
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{MAGIC}");
        let _ = writeln!(out, "features {FEATURE_SET}");
        let _ = writeln!(out, "bits {BITS}");
        let _ = writeln!(out, "scale {SCALE}");
        let _ = writeln!(
            out,
            "labels {} {} {}",
            Label::ALL[0],
            Label::ALL[1],
            Label::ALL[2]
        );
        let nonzero = self
            .weights
            .iter()
            .filter(|w| w.iter().any(|x| *x != 0))
            .count();
        let _ = writeln!(out, "buckets {nonzero}");
        let mut previous = 0usize;
        for (index, w) in self.weights.iter().enumerate() {
            if w.iter().all(|x| *x == 0) {
                continue;
            }
            let _ = writeln!(out, "{} {} {} {}", index - previous, w[0], w[1], w[2]);
            previous = index;
        }
        out
    }

    /// Reads a model written by [`Model::to_text`].
    pub fn from_text(text: &str) -> Result<Model, Error> {
        let mut lines = text.lines().enumerate();
        let mut header = |expected: &str| -> Result<String, Error> {
            let (number, line) = lines.next().ok_or(Error::Model {
                line: 0,
                message: format!("missing `{expected}` line"),
            })?;
            let value = if expected == MAGIC {
                (line == MAGIC).then(String::new)
            } else {
                line.strip_prefix(expected)
                    .and_then(|v| v.strip_prefix(' '))
                    .map(str::to_string)
            };
            value.ok_or_else(|| Error::Model {
                line: number + 1,
                message: format!("expected `{expected}`, found `{line}`"),
            })
        };
        header(MAGIC)?;
        let feature_set = header("features")?;
        let bits = header("bits")?;
        let scale = header("scale")?;
        let labels = header("labels")?;
        let count = header("buckets")?;
        let mismatch = |line: usize, what: &str, found: &str, expected: String| Error::Model {
            line,
            message: format!("{what} is `{found}`, this build expects `{expected}`"),
        };
        if feature_set != FEATURE_SET {
            return Err(mismatch(
                2,
                "feature set",
                &feature_set,
                FEATURE_SET.to_string(),
            ));
        }
        if bits != BITS.to_string() {
            return Err(mismatch(3, "bits", &bits, BITS.to_string()));
        }
        if scale != SCALE.to_string() {
            return Err(mismatch(4, "scale", &scale, SCALE.to_string()));
        }
        let expected_labels = Label::ALL.map(Label::as_str).join(" ");
        if labels != expected_labels {
            return Err(mismatch(5, "labels", &labels, expected_labels));
        }
        let count: usize = count.parse().map_err(|_| Error::Model {
            line: 6,
            message: format!("bucket count `{count}` is not a number"),
        })?;
        let size = 1usize << BITS;
        let mut weights = vec![[0i16; 3]; size];
        let mut index = 0usize;
        let mut read = 0usize;
        for (number, line) in lines {
            let error = |message: String| Error::Model {
                line: number + 1,
                message,
            };
            let mut fields = line.split(' ');
            let mut next_field = || {
                fields
                    .next()
                    .ok_or_else(|| error("expected four numbers".to_string()))
            };
            let not_numbers = || error(format!("`{line}` is not four numbers"));
            let delta: usize = next_field()?.parse().map_err(|_| not_numbers())?;
            let mut q = [0i16; 3];
            for slot in &mut q {
                *slot = next_field()?.parse().map_err(|_| not_numbers())?;
            }
            if read > 0 && delta == 0 {
                return Err(error("bucket offsets must increase".to_string()));
            }
            index += delta;
            if index >= size {
                return Err(error(format!("bucket {index} is out of range")));
            }
            weights[index] = q;
            read += 1;
        }
        if read != count {
            return Err(Error::Model {
                line: 6,
                message: format!("header says {count} buckets, found {read}"),
            });
        }
        Ok(Model { weights })
    }
}

impl std::str::FromStr for Model {
    type Err = Error;
    fn from_str(text: &str) -> Result<Model, Error> {
        Model::from_text(text)
    }
}

pub(crate) fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

/// Rounds a weight to the stored precision: an integer number of `1 / SCALE`.
pub(crate) fn quantize(weight: f64) -> i16 {
    (weight * SCALE)
        .round()
        .clamp(f64::from(i16::MIN), f64::from(i16::MAX)) as i16
}

/// A small deterministic pseudo-random generator (xorshift64*), for shuffling.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

/// Trains one logistic regression per label by SGD with L2 regularization (applied
/// lazily through a shared scale factor) and a decaying learning rate.
pub(crate) fn train_labels<const N: usize>(
    data: &[(Features, [bool; N])],
    size: usize,
) -> Vec<Vec<f64>> {
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut all = Vec::with_capacity(N);
    for label in 0..N {
        let positives = data.iter().filter(|(_, t)| t[label]).count().max(1) as f64;
        let negatives = (data.len() as f64 - positives).max(1.0);
        // Positives are rarer; weigh them up, gently.
        let positive_weight = (negatives / positives).sqrt().min(3.0);
        let mut weights = vec![0f64; size];
        let mut scale = 1f64;
        let mut rng = XorShift(SEED ^ (label as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let mut step = 0usize;
        for _ in 0..EPOCHS {
            rng.shuffle(&mut order);
            for &i in &order {
                let (features, targets) = &data[i];
                let rate = LEARNING_RATE / (1.0 + LEARNING_RATE * L2 * step as f64 * 50.0).sqrt();
                step += 1;
                let mut z = 0f64;
                for &(index, value) in &features.entries {
                    z += weights[index as usize] * scale * f64::from(value);
                }
                let p = 1.0 / (1.0 + (-z).exp());
                let (y, weight) = if targets[label] {
                    (1.0, positive_weight)
                } else {
                    (0.0, 1.0)
                };
                let gradient = (p - y) * weight;
                scale *= 1.0 - rate * L2;
                if scale < 1e-6 {
                    for w in &mut weights {
                        *w *= scale;
                    }
                    scale = 1.0;
                }
                for &(index, value) in &features.entries {
                    weights[index as usize] -= rate * gradient * f64::from(value) / scale;
                }
            }
        }
        for w in &mut weights {
            *w *= scale;
        }
        all.push(weights);
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashing_is_stable() {
        // Changing the hash changes every committed model: these literals pin it.
        assert_eq!(fnv1a(&[b"w", b"cure"]), 0x2147_fada_d2d0_21d9);
        assert_eq!(fnv1a(&[b"w", b"cures"]), 0x863b_946a_3062_fc3c);
        assert_eq!(fnv1a(&[b"a"]), 0x5667_8dc8_7994_7c86);
        assert_eq!(bucket(&[b"w", b"cure"]), 34_079);
        assert_eq!(bucket(&[b"w", b"cures"]), 137_454);
        assert_eq!(bucket(&[b"a"]), 88_478);
        let chars: Vec<char> = "cure".chars().collect();
        assert_eq!(
            FeatureHash::new().part(b"w").chars(&chars).finish(),
            0x2147_fada_d2d0_21d9
        );
    }

    #[test]
    fn text_form_round_trips() {
        let mut weights = vec![[0i16; 3]; 1 << BITS];
        weights[3] = [500, -1250, 0];
        weights[70_000] = [0, 0, 2001];
        let model = Model { weights };
        let text = model.to_text();
        assert_eq!(Model::from_text(&text), Ok(model));
    }

    #[test]
    fn refuses_damaged_models() {
        assert!(Model::from_text("").is_err());
        assert!(Model::from_text("something else").is_err());
        let good = Model {
            weights: vec![[0i16; 3]; 1 << BITS],
        }
        .to_text();
        let wrong_count = good.replace("buckets 0", "buckets 2");
        assert!(matches!(
            Model::from_text(&wrong_count),
            Err(Error::Model { line: 6, .. })
        ));
        let extra = format!("{good}1 2 x 4\n");
        assert!(matches!(
            Model::from_text(&extra),
            Err(Error::Model { line: 7, .. })
        ));
    }
}
