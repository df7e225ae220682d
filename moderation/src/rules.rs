//! Stage 2: rule detectors — shapes and phrases that point at a label, each weighed
//! against the *stance* of the sentence it is in.
//!
//! Vocabulary:
//! - a [`Hit`] is one rule firing on one stretch of text, with a `raw` weight (how strong
//!   the rule is) and a `strength` (the weight after stance);
//! - a [`Stance`] says whether a sentence asks, denies, hedges, reports someone else's
//!   words or debunks. "Baking soda cures cancer." is asserted; "Does baking soda cure
//!   cancer?", "My aunt says baking soda cures cancer" and "The idea that baking soda
//!   cures cancer is a myth" are not, and their hits are weakened;
//! - an [`Analysis`] is everything stage 1 and 2 know about one text: its normalized
//!   views, tokens, sentence stances, hits, and the links and numbers the classifier
//!   should see as placeholders rather than as words.
//!
//! Personal information is not weakened by stance: a phone number in a question is
//! still a phone number. Allow-listed helplines and trusted domains never produce hits.

use std::ops::Range;

use crate::lexicon::{Lexicons, PatternMatch, PatternSet, TokenKeys};
use crate::normalize::{normalize, Normalized};
use crate::text::Tokens;
use crate::Label;

/// How a sentence relates to what it says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stance {
    /// Asks (`?`, "is it true", "has anyone").
    pub question: bool,
    /// Denies near the claim ("doesn't cure", "no evidence that").
    pub negation: bool,
    /// Unsure ("might", "I read that").
    pub hedging: bool,
    /// Someone else's words ("my aunt says", quotes).
    pub reported: bool,
    /// Warns or refutes ("scam", "myth", "be careful").
    pub debunking: bool,
}

impl Stance {
    /// Whether the sentence simply asserts.
    pub fn is_asserted(&self) -> bool {
        *self == Stance::default()
    }

    /// Short names of the active stances, e.g. `["question", "reported"]`.
    pub fn names(&self) -> Vec<&'static str> {
        let mut names = Vec::new();
        for (on, name) in [
            (self.question, "question"),
            (self.negation, "negation"),
            (self.hedging, "hedging"),
            (self.reported, "reported"),
            (self.debunking, "debunking"),
        ] {
            if on {
                names.push(name);
            }
        }
        names
    }

    fn union(self, other: Stance) -> Stance {
        Stance {
            question: self.question || other.question,
            negation: self.negation || other.negation,
            hedging: self.hedging || other.hedging,
            reported: self.reported || other.reported,
            debunking: self.debunking || other.debunking,
        }
    }
}

/// One rule firing on one stretch of text.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The label the rule points at.
    pub label: Label,
    /// Stable rule id, e.g. `personal_info.phone`.
    pub rule: &'static str,
    /// What matched: the lexicon pattern, or a description of the shape.
    pub detail: String,
    /// The rule's own weight in `[0, 1]`.
    pub raw: f32,
    /// The weight after stance, in `[0, 1]`.
    pub strength: f32,
    /// The stance of the sentence the hit is in (plus quotes and nearby negation).
    pub stance: Stance,
    /// Byte range in the analysed text.
    pub range: Range<usize>,
}

/// What kind of thing a masked stretch of text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Masked {
    /// A link to a trusted domain.
    TrustedLink,
    /// Any other link.
    Link,
    /// An e-mail address.
    Email,
    /// A phone, id or other long number.
    Number,
    /// An allow-listed helpline number.
    Helpline,
    /// A toll-free or freephone number: an organisation's, never a person's.
    TollFree,
}

/// Everything the rules know about one text.
#[derive(Debug, Clone)]
pub struct Analysis<'t> {
    /// The text analysed.
    pub original: &'t str,
    /// Its normalized views.
    pub normalized: Normalized,
    /// Tokens and sentences of `normalized.words`.
    pub words: Tokens,
    /// Tokens and sentences of `normalized.contact`.
    pub contact: Tokens,
    /// Stance of each sentence of `words`.
    pub sentence_stance: Vec<Stance>,
    /// Whether each token of `words` is covered by a negation cue.
    pub negated: Vec<bool>,
    /// Token ranges of `words` matched by debunking cues.
    debunking: Vec<Range<usize>>,
    /// Every rule hit, in text order within each detector.
    pub hits: Vec<Hit>,
    /// Links, e-mail addresses and numbers, as byte ranges of `original`.
    pub masked: Vec<(Range<usize>, Masked)>,
    /// Weak signals for the classifier that are not hits on their own (`price`,
    /// `remedy`, `diagnosis`, …).
    pub signals: Vec<&'static str>,
    /// Original byte range of each token of `words`.
    pub(crate) word_ranges: Vec<Range<usize>>,
    /// Vocabulary numbers of the tokens of `words` and `contact`.
    word_keys: TokenKeys,
    contact_keys: TokenKeys,
}

impl<'t> Analysis<'t> {
    /// Normalizes `original` and runs every detector on it.
    pub fn new(original: &'t str, lexicons: &Lexicons) -> Analysis<'t> {
        let normalized = normalize(original);
        let words = Tokens::new(normalized.words.as_str());
        let word_ranges = words
            .spans
            .iter()
            .map(|span| normalized.words.original_range(span.clone()))
            .collect();
        let word_keys = lexicons.vocabulary.keys(normalized.words.as_str(), &words);
        // Most texts have nothing that reads differently as contact details: the contact
        // view is the same text, with the same tokens and keys.
        let (contact, contact_keys) = if normalized.contact.as_str() == normalized.words.as_str() {
            (words.clone(), word_keys.clone())
        } else {
            let contact = Tokens::new(normalized.contact.as_str());
            let contact_keys = lexicons
                .vocabulary
                .keys(normalized.contact.as_str(), &contact);
            (contact, contact_keys)
        };
        let mut analysis = Analysis {
            original,
            normalized,
            words,
            contact,
            word_keys,
            contact_keys,
            sentence_stance: Vec::new(),
            negated: Vec::new(),
            debunking: Vec::new(),
            hits: Vec::new(),
            masked: Vec::new(),
            signals: Vec::new(),
            word_ranges,
        };
        analysis.find_stance(lexicons);
        analysis.find_personal_info(lexicons);
        analysis.find_promotion(lexicons);
        analysis.find_misinformation(lexicons);
        analysis.drop_names_of_remedies(lexicons);
        // A sentence whose claim is denied ("essential oils don't shrink tumours") is not
        // an assertion either.
        for index in 0..analysis.hits.len() {
            let hit = &analysis.hits[index];
            if hit.label != Label::PersonalInfo && hit.stance.negation {
                if let Some(sentence) = analysis.sentence_at(hit.range.start) {
                    analysis.sentence_stance[sentence].negation = true;
                }
            }
        }
        analysis
    }

    /// The hits for one label.
    pub fn hits_for(&self, label: Label) -> impl Iterator<Item = &Hit> {
        self.hits.iter().filter(move |hit| hit.label == label)
    }

    /// The stance of the whole text: every stance any sentence has.
    pub fn overall_stance(&self) -> Stance {
        self.sentence_stance
            .iter()
            .fold(Stance::default(), |all, s| all.union(*s))
    }

    /// Index of the `words` sentence containing original byte `offset` (the nearest
    /// sentence starting before it).
    pub fn sentence_at(&self, offset: usize) -> Option<usize> {
        if self.words.is_empty() {
            return None;
        }
        let token = self
            .word_ranges
            .partition_point(|range| range.start <= offset)
            .saturating_sub(1);
        Some(self.words.sentence_of[token] as usize)
    }

    fn words_text(&self) -> &str {
        self.normalized.words.as_str()
    }

    fn contact_text(&self) -> &str {
        self.normalized.contact.as_str()
    }

    /// Original byte range of words tokens `range`.
    fn words_original(&self, range: Range<usize>) -> Range<usize> {
        let bytes = self.words.byte_range(range);
        self.normalized.words.original_range(bytes)
    }

    /// Original byte range of contact tokens `range`.
    fn contact_original(&self, range: Range<usize>) -> Range<usize> {
        let bytes = self.contact.byte_range(range);
        self.normalized.contact.original_range(bytes)
    }

    fn words_matches(&self, set: &PatternSet) -> Vec<PatternMatch> {
        set.find_all_keyed(
            self.words_text(),
            &self.words,
            &self.word_keys,
            &self.normalized.joined,
        )
    }

    fn contact_matches(&self, set: &PatternSet) -> Vec<PatternMatch> {
        set.find_all_keyed(self.contact_text(), &self.contact, &self.contact_keys, &[])
    }

    fn is_masked(&self, range: &Range<usize>) -> bool {
        self.masked
            .iter()
            .any(|(m, _)| m.start < range.end && range.start < m.end)
    }

    // ---------------------------------------------------------------- stance

    fn find_stance(&mut self, lexicons: &Lexicons) {
        let stance = &lexicons.stance;
        let mut sentences = vec![Stance::default(); self.words.sentences.len()];
        for (index, question) in self.words.questions.iter().enumerate() {
            sentences[index].question = *question;
        }
        let mut negated = vec![false; self.words.len()];
        for found in self.words_matches(&stance.negation) {
            for token in found.tokens {
                negated[token] = true;
            }
        }
        type Mark = fn(&mut Stance);
        let sets: [(&PatternSet, Mark); 4] = [
            (&stance.question, |s| s.question = true),
            (&stance.hedging, |s| s.hedging = true),
            (&stance.reported, |s| s.reported = true),
            (&stance.debunking, |s| s.debunking = true),
        ];
        for (set, mark) in sets {
            for found in self.words_matches(set) {
                let sentence = self.words.sentence_of[found.tokens.start] as usize;
                mark(&mut sentences[sentence]);
                if std::ptr::eq(set, &stance.debunking) {
                    self.debunking.push(found.tokens);
                }
            }
        }
        // "Just read that X. Is there any truth in this?": the question is about the
        // sentence before it.
        for found in self.words_matches(&stance.follow_up) {
            let sentence = self.words.sentence_of[found.tokens.start] as usize;
            if sentence > 0 && self.words.questions[sentence] {
                sentences[sentence - 1].question = true;
            }
        }
        self.sentence_stance = sentences;
        self.negated = negated;
    }

    /// The stance of a claim on words tokens `range`: its sentence's stance, plus
    /// negation right before or inside it (words of `patterns` excepted), plus quotes.
    fn claim_stance(&self, range: Range<usize>, patterns: &[&crate::lexicon::Pattern]) -> Stance {
        self.stance_of(range, patterns, true)
    }

    /// [`Analysis::claim_stance`]; `quotes_report`: whether quotation marks around the
    /// claim make it someone else's words (not for sales, where quotes are titles).
    fn stance_of(
        &self,
        range: Range<usize>,
        patterns: &[&crate::lexicon::Pattern],
        quotes_report: bool,
    ) -> Stance {
        let text = self.words_text();
        let sentence_index = self.words.sentence_of[range.start] as usize;
        let sentence = self.words.sentences[sentence_index].clone();
        let mut stance = self.sentence_stance[sentence_index];
        // A debunking word that is part of the claim ("chemo is a scam") does not debunk it.
        stance.debunking = self.debunking.iter().any(|cue| {
            self.words.sentence_of[cue.start] as usize == sentence_index
                && (cue.end <= range.start || cue.start >= range.end)
        });
        stance.negation = (range.start.saturating_sub(3).max(sentence.start)..range.end).any(|t| {
            self.negated[t]
                && !patterns
                    .iter()
                    .any(|p| p.mentions(self.words.text(text, t)))
        });
        // Inside double quotes within its sentence: someone else's words.
        let sentence_start = self.words.spans[sentence.start].start;
        let claim_start = self.words.spans[range.start].start;
        let quotes_before = text[sentence_start..claim_start].matches('"').count();
        let line_start = text[..sentence_start].rfind('\n').map_or(0, |at| at + 1);
        let quotes_in_line = text[line_start..claim_start].matches('"').count();
        let claim_end = self.words.spans[range.end - 1].end;
        if quotes_report
            && (quotes_before % 2 == 1
                || quotes_in_line % 2 == 1
                || text[claim_start..claim_end].contains('"'))
        {
            stance.reported = true;
        }
        stance
    }

    // ------------------------------------------------------- personal information

    fn push_hit(
        &mut self,
        label: Label,
        rule: &'static str,
        detail: String,
        raw: f32,
        range: Range<usize>,
    ) {
        self.hits.push(Hit {
            label,
            rule,
            detail,
            raw,
            strength: raw,
            stance: Stance::default(),
            range,
        });
    }

    fn find_personal_info(&mut self, lexicons: &Lexicons) {
        let lexicon = &lexicons.personal_info;
        self.find_links_and_emails(lexicons);
        // Numbers, ids, dates and street numbers all need digits.
        if self.contact_text().bytes().any(|b| b.is_ascii_digit()) {
            self.find_record_numbers(lexicon);
            self.find_phone_numbers(lexicons);
            self.find_birth_dates(lexicon);
            self.find_addresses(lexicon);
        }
        self.find_names_with_diagnosis(lexicon);
    }

    fn find_links_and_emails(&mut self, lexicons: &Lexicons) {
        let text = self.contact_text().to_string();
        for (chunk_start, chunk) in chunks_with_at_or_dot(&text) {
            // Bytes, not chars: the brackets, quotes and punctuation trimmed are ASCII.
            let leading = chunk
                .bytes()
                .take_while(|b| b"([{<\"'*>".contains(b))
                .count();
            let trimmed_start = &chunk[leading..];
            let start = chunk_start + leading;
            let trailing = trimmed_start
                .bytes()
                .rev()
                .take_while(|b| b")]}>\"'.,!?;:*".contains(b))
                .count();
            let trimmed = &trimmed_start[..trimmed_start.len() - trailing];
            if trimmed.is_empty() {
                continue;
            }
            // Bytes, not chars: chunks are short and `@` and `.` are ASCII.
            if let Some(at) = trimmed.bytes().position(|b| b == b'@') {
                if let Some(range) = email_range(trimmed, at) {
                    let range = start + range.start..start + range.end;
                    let domain = &text[range.clone()]
                        .split('@')
                        .nth(1)
                        .unwrap_or_default()
                        .to_string();
                    let original = self.normalized.contact.original_range(range.clone());
                    if lexicons.allow.trusts_host(domain) {
                        self.masked.push((original, Masked::TrustedLink));
                        continue;
                    }
                    let matched = text[range].to_string();
                    self.push_hit(
                        Label::PersonalInfo,
                        "personal_info.email",
                        matched,
                        0.95,
                        original.clone(),
                    );
                    self.masked.push((original, Masked::Email));
                }
                continue;
            }
            if !trimmed.as_bytes().contains(&b'.') {
                continue;
            }
            if let Some(link) = parse_link(trimmed, &lexicons.personal_info.top_level_domains) {
                let range = start + link.start..start + link.end;
                let original = self.normalized.contact.original_range(range);
                if lexicons.allow.trusts_host(&link.host) {
                    self.masked.push((original, Masked::TrustedLink));
                } else {
                    self.masked.push((original.clone(), Masked::Link));
                    self.judge_link(&link, original, lexicons);
                }
            }
        }
        // "jane at gmail.com": a plain "at" before a webmail domain.
        let tokens = &self.contact;
        let mut found = Vec::new();
        for index in 1..tokens.len().saturating_sub(1) {
            if tokens.text(&text, index) != "at" {
                continue;
            }
            let domain = tokens.text(&text, index + 1);
            let after = &text[tokens.spans[index + 1].end..];
            if lexicons.personal_info.webmail.contains(domain)
                && after.starts_with('.')
                && after[1..].starts_with(|c: char| c.is_ascii_alphabetic())
            {
                let end = index + 2;
                found.push(index - 1..end.min(tokens.len()));
            }
        }
        for range in found {
            let original = self.contact_original(range);
            let matched = self.original[original.clone()].to_string();
            self.push_hit(
                Label::PersonalInfo,
                "personal_info.email",
                matched,
                0.9,
                original.clone(),
            );
            self.masked.push((original, Masked::Email));
        }
    }

    fn judge_link(&mut self, link: &Link, original: Range<usize>, lexicons: &Lexicons) {
        let promotion = &lexicons.promotion;
        let host_and_path = format!("{} {}", link.host, link.path);
        let parts: Vec<&str> = host_and_path
            .split(|c: char| !c.is_alphanumeric())
            .filter(|p| !p.is_empty())
            .collect();
        fn find_entry<'e>(entries: &'e [Box<str>], link: &Link, parts: &[&str]) -> Option<&'e str> {
            entries.iter().map(|entry| &**entry).find(|entry| {
                if entry.contains('.') {
                    link.host == *entry || link.host.ends_with(&format!(".{entry}"))
                } else {
                    parts.contains(entry) || link.host.split('.').any(|label| label.contains(entry))
                }
            })
        }
        let contains_entry =
            |entries: &'_ [Box<str>]| find_entry(entries, link, &parts).map(str::to_string);
        let query_keys: Vec<&str> = link
            .query
            .split(['&', ';'])
            .filter_map(|pair| pair.split('=').next())
            .filter(|key| !key.is_empty())
            .collect();
        let affiliate = promotion.affiliate_params.iter().find(|param| {
            query_keys.iter().any(|key| {
                *key == &***param || (param.ends_with('_') && key.starts_with(&***param))
            })
        });
        let (rule, raw, detail) = if let Some(param) = affiliate {
            (
                "promotion.link.affiliate",
                0.9,
                format!("link with referral parameter `{param}`"),
            )
        } else if let Some(app) = contains_entry(&promotion.contact_apps) {
            ("promotion.link.contact_app", 0.85, format!("link to {app}"))
        } else if let Some(host) = contains_entry(&promotion.fundraising_hosts) {
            (
                "promotion.link.fundraising",
                0.7,
                format!("fundraising link ({host})"),
            )
        } else if let Some(word) = parts
            .iter()
            .find(|part| promotion.shop_link_words.iter().any(|w| &**w == **part))
        {
            ("promotion.link.shop", 0.75, format!("shop link (`{word}`)"))
        } else {
            (
                "promotion.link",
                0.35,
                "link to an outside site".to_string(),
            )
        };
        self.push_hit(Label::Promotion, rule, detail, raw, original);
    }

    fn find_record_numbers(&mut self, lexicon: &crate::lexicon::PersonalInfoLexicon) {
        let text = self.contact_text().to_string();
        let mut found: Vec<(Range<usize>, &'static str, f32, String)> = Vec::new();
        for (set, rule, raw) in [
            (&lexicon.ssn_cues, "personal_info.ssn", 0.95),
            (&lexicon.record_cues, "personal_info.record_number", 0.9),
        ] {
            for cue in self.contact_matches(set) {
                let sentence_end = self.contact.sentence_range(cue.tokens.start).end;
                let window = cue.tokens.end..(cue.tokens.end + 12).min(sentence_end);
                let id = window
                    .clone()
                    .find(|&t| self.looks_like_id(&text, t, sentence_end));
                if let Some(id) = id {
                    let end = self.id_end(&text, id, sentence_end);
                    let pattern = set.patterns()[cue.pattern].source().to_string();
                    found.push((cue.tokens.start..end, rule, raw, pattern));
                }
            }
        }
        for (range, rule, raw, pattern) in found {
            let original = self.contact_original(range);
            if self
                .hits
                .iter()
                .any(|h| h.rule == rule && h.range == original)
            {
                continue;
            }
            self.push_hit(Label::PersonalInfo, rule, pattern, raw, original.clone());
            self.masked.push((original, Masked::Number));
        }
    }

    /// The end (exclusive) of an id starting at contact token `start`: following tokens
    /// joined by `-`, `/` or a space that carry digits (`W8820-447192`, `481 229 775`).
    fn id_end(&self, text: &str, start: usize, limit: usize) -> usize {
        let mut end = start + 1;
        while end < limit {
            let gap = &text[self.contact.spans[end - 1].end..self.contact.spans[end].start];
            let next = self.contact.text(text, end);
            let joined = matches!(gap, "-" | "/" | ".")
                || (gap == " " && next.bytes().any(|b| b.is_ascii_digit()));
            if !joined || !next.bytes().any(|b| b.is_ascii_digit()) && gap == " " {
                break;
            }
            end += 1;
        }
        end
    }

    /// Whether contact token `start` begins an id: at least five digits in it and the
    /// tokens joined to it, or four with letters (`W8820`), and not a year.
    fn looks_like_id(&self, text: &str, start: usize, limit: usize) -> bool {
        let token = self.contact.text(text, start);
        let own = token.bytes().filter(u8::is_ascii_digit).count();
        if own == 0 {
            return false;
        }
        let end = self.id_end(text, start, limit);
        let digits: usize = (start..end)
            .map(|t| {
                self.contact
                    .text(text, t)
                    .bytes()
                    .filter(u8::is_ascii_digit)
                    .count()
            })
            .sum();
        let letters = token.chars().any(char::is_alphabetic);
        let year = end == start + 1
            && token.len() == 4
            && token
                .parse::<u32>()
                .is_ok_and(|y| (1900..=2100).contains(&y));
        !year && (digits >= 5 || (digits >= 4 && letters))
    }

    fn find_phone_numbers(&mut self, lexicons: &Lexicons) {
        let lexicon = &lexicons.personal_info;
        let text = self.contact_text().to_string();
        let cues = self.contact_matches(&lexicon.contact_cues);
        let ssn_cues = self.contact_matches(&lexicon.ssn_cues);
        let cue_sentences: Vec<u32> = cues
            .iter()
            .map(|m| self.contact.sentence_of[m.tokens.start])
            .collect();
        let ssn_sentences: Vec<u32> = ssn_cues
            .iter()
            .map(|m| self.contact.sentence_of[m.tokens.start])
            .collect();
        for candidate in number_candidates(&text) {
            let original = self
                .normalized
                .contact
                .original_range(candidate.range.clone());
            if self.is_masked(&original) {
                continue;
            }
            // The first token starting at or after the number (tokens are in text order).
            let first_after = self
                .contact
                .spans
                .partition_point(|span| span.start < candidate.range.start);
            let sentence =
                (first_after < self.contact.len()).then(|| self.contact.sentence_of[first_after]);
            let has_cue = sentence.is_some_and(|s| cue_sentences.contains(&s));
            let has_ssn_cue = sentence.is_some_and(|s| ssn_sentences.contains(&s));
            let groups = &candidate.groups;
            let digits = candidate.digits.len();
            let spaced_out = groups.iter().all(|&g| g == 1);
            let dashed_ssn = (groups.as_slice() == [3, 2, 4]
                || (spaced_out && candidate.punctuated_groups.as_slice() == [3, 2, 4]))
                && !candidate.separators.contains('.');
            if dashed_ssn || (digits == 9 && groups.len() == 1 && has_ssn_cue) {
                self.push_hit(
                    Label::PersonalInfo,
                    "personal_info.ssn",
                    "number shaped like a social security number".to_string(),
                    0.97,
                    original.clone(),
                );
                self.masked.push((original, Masked::Number));
                continue;
            }
            let Some(raw) = phone_weight(&candidate, has_cue) else {
                continue;
            };
            if lexicons.allow.helpline(&candidate.digits).is_some() {
                self.masked.push((original, Masked::Helpline));
                continue;
            }
            if lexicons.allow.toll_free(&candidate.digits).is_some() {
                self.masked.push((original, Masked::TollFree));
                continue;
            }
            self.push_hit(
                Label::PersonalInfo,
                "personal_info.phone",
                format!("{digits}-digit phone number"),
                raw,
                original.clone(),
            );
            self.masked.push((original, Masked::Number));
        }
    }

    fn find_birth_dates(&mut self, lexicon: &crate::lexicon::PersonalInfoLexicon) {
        let text = self.contact_text().to_string();
        let mut found = Vec::new();
        for cue in self.contact_matches(&lexicon.birth_date_cues) {
            let sentence = self.contact.sentence_range(cue.tokens.start);
            let from = cue.tokens.start.saturating_sub(4).max(sentence.start);
            let to = (cue.tokens.end + 8).min(sentence.end);
            let mut best: Option<(Range<usize>, bool)> = None;
            for start in from..to {
                if cue.tokens.contains(&start) {
                    continue;
                }
                if let Some((end, full)) =
                    date_at(&text, &self.contact, start, sentence.end, &lexicon.months)
                {
                    if best.as_ref().is_none_or(|(_, f)| full && !f) {
                        best = Some((start..end, full));
                    }
                }
            }
            if best.is_none() && sentence.end < self.contact.len() {
                // "…my mom's date of birth. It's March 3, 1949."
                let next = self.contact.sentence_range(sentence.end);
                for start in next.start..(next.start + 6).min(next.end) {
                    if let Some((end, true)) =
                        date_at(&text, &self.contact, start, next.end, &lexicon.months)
                    {
                        best = Some((start..end, true));
                        break;
                    }
                }
            }
            if let Some((date, full)) = best {
                let range = cue.tokens.start.min(date.start)..cue.tokens.end.max(date.end);
                found.push((range, if full { 0.9 } else { 0.6 }));
            }
        }
        for (range, raw) in found {
            let original = self.contact_original(range);
            if self.hits.iter().any(|h| {
                h.rule == "personal_info.birth_date"
                    && h.range.start < original.end
                    && original.start < h.range.end
            }) {
                continue;
            }
            self.push_hit(
                Label::PersonalInfo,
                "personal_info.birth_date",
                "birth date".to_string(),
                raw,
                original,
            );
        }
    }

    fn is_capitalized(&self, token: usize) -> bool {
        let range = self.contact_original(token..token + 1);
        let word = &self.original[range];
        // Most words: a lower-case first letter, decided without going through the chars.
        if word.as_bytes().first().is_some_and(u8::is_ascii_lowercase) {
            return false;
        }
        let mut letters = word.chars().filter(|c| c.is_alphabetic());
        let first_upper = letters.next().is_some_and(char::is_uppercase);
        first_upper
            && (word.chars().filter(|c| c.is_alphabetic()).count() == 1
                || letters.any(char::is_lowercase))
    }

    fn gap_is(&self, text: &str, left: usize, allowed: &[&str]) -> bool {
        // Bytes: token boundaries are char boundaries already.
        let gap =
            &text.as_bytes()[self.contact.spans[left].end..self.contact.spans[left + 1].start];
        allowed.iter().any(|candidate| candidate.as_bytes() == gap)
    }

    fn find_addresses(&mut self, lexicon: &crate::lexicon::PersonalInfoLexicon) {
        let text = self.contact_text().to_string();
        let tokens = self.contact.clone();
        let cue_sentences: Vec<u32> = self
            .contact_matches(&lexicon.address_cues)
            .iter()
            .map(|m| tokens.sentence_of[m.tokens.start])
            .collect();
        let directions = [
            "n", "s", "e", "w", "ne", "nw", "se", "sw", "north", "south", "east", "west",
        ];
        let prefix_types = ["calle", "avenida", "rue", "via", "camino"];
        let mut found: Vec<(Range<usize>, f32, &'static str)> = Vec::new();
        for i in 0..tokens.len() {
            let number = tokens.text(&text, i);
            let digits = number.bytes().take_while(u8::is_ascii_digit).count();
            if !(1..=6).contains(&digits) || number.len() > digits + 1 {
                continue;
            }
            if i > 0 && !self.gap_is(&text, i - 1, &[" ", "\n", ": ", ", ", " (", "("]) {
                continue;
            }
            let sentence_end = tokens.sentence_range(i).end;
            let mut j = i + 1;
            if j < sentence_end
                && directions.contains(&tokens.text(&text, j))
                && self.gap_is(&text, j - 1, &[" "])
            {
                j += 1;
            }
            let mut end = None;
            let mut capitalized = true;
            for k in j..(j + 5).min(sentence_end) {
                if !self.gap_is(&text, k - 1, &[" ", ". "]) {
                    break;
                }
                let word = tokens.text(&text, k);
                if !word.chars().all(char::is_alphabetic) {
                    break;
                }
                if k == j && prefix_types.contains(&word) {
                    if k + 1 < sentence_end
                        && self.is_capitalized(k + 1)
                        && self.gap_is(&text, k, &[" "])
                    {
                        end = Some(k + 2);
                    }
                    break;
                }
                if k > j && lexicon.street_types.contains(word) {
                    capitalized &= self.is_capitalized(k) || word.len() <= 4;
                    end = Some(k + 1);
                    break;
                }
                capitalized &= self.is_capitalized(k);
            }
            let Some(mut end) = end else {
                continue;
            };
            let has_cue = cue_sentences.contains(&tokens.sentence_of[i]);
            let raw = match (capitalized, has_cue) {
                (true, _) => 0.9,
                (false, true) => 0.75,
                (false, false) => continue,
            };
            // Flat, apartment or unit numbers right after.
            if end + 1 < sentence_end
                && matches!(
                    tokens.text(&text, end),
                    "apt" | "apartment" | "flat" | "unit" | "suite" | "ste"
                )
            {
                end += 2;
            }
            found.push((i..end, raw, "street address"));
        }
        // Postcodes: UK (G12 8QZ) and "P.O. Box 123".
        for i in 0..tokens.len().saturating_sub(1) {
            let (a, b) = (tokens.text(&text, i), tokens.text(&text, i + 1));
            if is_uk_outward(a) && is_uk_inward(b) && self.gap_is(&text, i, &[" "]) {
                let original = self.contact_original(i..i + 2);
                if self.original[original].chars().any(char::is_uppercase) {
                    found.push((i..i + 2, 0.8, "postcode"));
                }
            }
            if i + 2 < tokens.len()
                && a == "po"
                && b == "box"
                && tokens
                    .text(&text, i + 2)
                    .bytes()
                    .all(|c| c.is_ascii_digit())
            {
                found.push((i..i + 3, 0.85, "post office box"));
            }
            if i + 3 < tokens.len()
                && a == "p"
                && b == "o"
                && tokens.text(&text, i + 2) == "box"
                && tokens
                    .text(&text, i + 3)
                    .bytes()
                    .all(|c| c.is_ascii_digit())
            {
                found.push((i..i + 4, 0.85, "post office box"));
            }
        }
        for (range, raw, what) in found {
            let original = self.contact_original(range);
            if self.is_masked(&original) {
                continue;
            }
            self.push_hit(
                Label::PersonalInfo,
                "personal_info.address",
                what.to_string(),
                raw,
                original,
            );
        }
    }

    fn find_names_with_diagnosis(&mut self, lexicon: &crate::lexicon::PersonalInfoLexicon) {
        let text = self.contact_text().to_string();
        let tokens = self.contact.clone();
        let diagnosis_sentences: Vec<u32> = self
            .contact_matches(&lexicon.diagnoses)
            .iter()
            .map(|m| tokens.sentence_of[m.tokens.start])
            .collect();
        if !diagnosis_sentences.is_empty() {
            self.signals.push("diagnosis");
        }
        let relation_ends: Vec<usize> = self
            .contact_matches(&lexicon.relation_cues)
            .iter()
            .map(|m| m.tokens.end)
            .collect();
        let titles = [
            "dr",
            "doctor",
            "nurse",
            "prof",
            "professor",
            "st",
            "saint",
            "rev",
            "reverend",
            "pastor",
        ];
        // Whether each token is a plain word: checked once, not once per pair it is in.
        let plain: Vec<bool> = (0..tokens.len())
            .map(|i| {
                let word = tokens.text(&text, i);
                word.len() >= 2 && word.chars().all(|c| c.is_alphabetic() || c == '\'')
            })
            .collect();
        let mut found = Vec::new();
        for i in 0..tokens.len().saturating_sub(1) {
            let (first, last) = (tokens.text(&text, i), tokens.text(&text, i + 1));
            if !plain[i] || !plain[i + 1] || !self.gap_is(&text, i, &[" "]) {
                continue;
            }
            if !self.is_capitalized(i) || !self.is_capitalized(i + 1) {
                continue;
            }
            let last_bare = last.trim_end_matches("'s");
            if lexicon.not_names.contains(first)
                || lexicon.not_names.contains(last_bare)
                || lexicon.months.contains_key(last_bare)
            {
                continue;
            }
            if i > 0 && titles.contains(&tokens.text(&text, i - 1)) {
                continue;
            }
            if i + 2 < tokens.len()
                && self.gap_is(&text, i + 1, &[" "])
                && self.is_capitalized(i + 2)
                && lexicon.not_names.contains(tokens.text(&text, i + 2))
            {
                continue;
            }
            let known_first = lexicon.first_names.contains(first);
            let after_relation = relation_ends
                .iter()
                .any(|&end| end == i || (end + 1 == i && self.gap_is(&text, end - 1, &[", "])));
            let with_age = i + 2 < tokens.len()
                && self.gap_is(&text, i + 1, &[", "])
                && tokens
                    .text(&text, i + 2)
                    .bytes()
                    .all(|b| b.is_ascii_digit())
                && tokens.text(&text, i + 2).len() <= 3;
            if !(known_first || after_relation || with_age) {
                continue;
            }
            let sentence = tokens.sentence_of[i];
            // A relative's or an acquaintance's name is private; a bare first + last name
            // may be a public figure's, so it needs the classifier's agreement.
            let personal = after_relation || with_age;
            let raw = if diagnosis_sentences.contains(&sentence) {
                if personal {
                    0.8
                } else {
                    0.6
                }
            } else if !diagnosis_sentences.is_empty() {
                if personal {
                    0.65
                } else {
                    0.5
                }
            } else if with_age && (known_first || after_relation) {
                0.5
            } else {
                continue;
            };
            let end = if with_age { i + 3 } else { i + 2 };
            found.push((i..end, raw));
        }
        for (range, raw) in found {
            let original = self.contact_original(range);
            self.push_hit(
                Label::PersonalInfo,
                "personal_info.name_with_diagnosis",
                "full name with a diagnosis".to_string(),
                raw,
                original,
            );
        }
    }

    // ---------------------------------------------------------------- promotion

    fn find_promotion(&mut self, lexicons: &Lexicons) {
        let lexicon = &lexicons.promotion;
        let text = self.words_text().to_string();
        let post_debunks = self.sentence_stance.iter().any(|s| s.debunking);
        let mut found: Vec<(Range<usize>, &'static str, f32, String, Stance)> = Vec::new();
        for m in self.words_matches(&lexicon.phrases) {
            let pattern = &lexicon.phrases.patterns()[m.pattern];
            let stance = self.stance_of(m.tokens.clone(), &[pattern], false);
            found.push((
                m.tokens.clone(),
                "promotion.phrase",
                pattern.weight(),
                pattern.source().to_string(),
                stance,
            ));
        }
        for m in self.words_matches(&lexicon.code_cues) {
            let pattern = &lexicon.code_cues.patterns()[m.pattern];
            let sentence_end = self.words.sentence_range(m.tokens.start).end;
            let code = (m.tokens.end..(m.tokens.end + 2).min(sentence_end))
                .find(|&t| self.looks_like_code(t));
            let stance = self.stance_of(m.tokens.clone(), &[pattern], false);
            match code {
                Some(t) => found.push((
                    m.tokens.start..t + 1,
                    "promotion.code",
                    0.9,
                    "promo code".to_string(),
                    stance,
                )),
                None => found.push((
                    m.tokens.clone(),
                    "promotion.phrase",
                    0.45,
                    pattern.source().to_string(),
                    stance,
                )),
            }
        }
        for (index, span) in self.words.spans.iter().enumerate() {
            let word = &text[span.clone()];
            if lexicon.contact_apps.iter().any(|app| &**app == word) {
                let stance = self.stance_of(index..index + 1, &[], false);
                found.push((
                    index..index + 1,
                    "promotion.contact_app",
                    0.4,
                    format!("messaging app ({word})"),
                    stance,
                ));
            }
        }
        for (tokens, rule, raw, detail, stance) in found {
            let strength = raw * promotion_factor(&stance, post_debunks);
            let range = self.words_original(tokens);
            self.hits.push(Hit {
                label: Label::Promotion,
                rule,
                detail,
                raw,
                strength,
                stance,
                range,
            });
        }
        // Links were found with contact details; give them their sentence's stance.
        for index in 0..self.hits.len() {
            if self.hits[index].label != Label::Promotion
                || !self.hits[index].rule.starts_with("promotion.link")
            {
                continue;
            }
            if let Some(sentence) = self.sentence_at(self.hits[index].range.start) {
                let stance = self.sentence_stance[sentence];
                let hit = &mut self.hits[index];
                hit.stance = stance;
                hit.strength = hit.raw * promotion_factor(&stance, post_debunks);
            }
        }
        if self.contact_text().contains(['$', '£', '€']) || self.words_text().contains(" dollars")
        {
            self.signals.push("price");
        }
    }

    /// Whether words token `index` looks like a promo code in the original: 3–16 letters
    /// and digits, its letters all capitals or mixed with digits.
    fn looks_like_code(&self, index: usize) -> bool {
        let range = self.word_ranges[index].clone();
        let code: String = self.original[range]
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect();
        let letters = code.chars().filter(|c| c.is_alphabetic()).count();
        let digits = code.chars().filter(char::is_ascii_digit).count();
        (3..=16).contains(&code.chars().count())
            && letters >= 2
            && (code
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase)
                || digits > 0)
    }

    // ----------------------------------------------------------- misinformation

    /// "Rick Simpson oil" names a remedy, not a person.
    fn drop_names_of_remedies(&mut self, lexicons: &Lexicons) {
        if !self
            .hits
            .iter()
            .any(|hit| hit.rule == "personal_info.name_with_diagnosis")
        {
            return;
        }
        let remedies: Vec<Range<usize>> = self
            .words_matches(&lexicons.misinformation.remedies)
            .into_iter()
            .map(|m| self.words_original(m.tokens))
            .collect();
        self.hits.retain(|hit| {
            hit.rule != "personal_info.name_with_diagnosis"
                || !remedies
                    .iter()
                    .any(|r| r.start < hit.range.end && hit.range.start < r.end)
        });
    }

    fn find_misinformation(&mut self, lexicons: &Lexicons) {
        let lexicon = &lexicons.misinformation;
        let remedies = self.words_matches(&lexicon.remedies);
        let efficacy = self.words_matches(&lexicon.efficacy);
        let claims = self.words_matches(&lexicon.claims);
        if !remedies.is_empty() {
            self.signals.push("remedy");
        }
        if !efficacy.is_empty() {
            self.signals.push("efficacy");
        }
        // Vouching for a claim counts only where the writer speaks for themselves.
        let endorsed = self
            .words_matches(&lexicon.endorsement)
            .iter()
            .any(|found| {
                let pattern = &lexicon.endorsement.patterns()[found.pattern];
                self.claim_stance(found.tokens.clone(), &[pattern])
                    .is_asserted()
            });
        if endorsed {
            self.signals.push("endorsement");
        }
        let mut found: Vec<(Range<usize>, &'static str, f32, String, Stance)> = Vec::new();
        for remedy in &remedies {
            let sentence = self.words.sentence_of[remedy.tokens.start];
            // The nearest efficacy word in the same sentence, and in the next two:
            // (efficacy match index, distance).
            let mut same: Option<(usize, usize)> = None;
            let mut next: Option<(usize, usize)> = None;
            for (index, effect) in efficacy.iter().enumerate() {
                let effect_sentence = self.words.sentence_of[effect.tokens.start];
                let overlaps = effect.tokens.start < remedy.tokens.end
                    && remedy.tokens.start < effect.tokens.end;
                if effect_sentence == sentence && !overlaps {
                    // "baking soda cures", "cured it with baking soda".
                    let distance = if effect.tokens.start >= remedy.tokens.end {
                        let d = effect.tokens.start - remedy.tokens.end;
                        (d <= 12).then_some(d)
                    } else {
                        let d = remedy.tokens.start - effect.tokens.end;
                        (d <= 6).then_some(d)
                    };
                    if let Some(d) = distance {
                        if same.is_none_or(|(_, best)| d < best) {
                            same = Some((index, d));
                        }
                    }
                } else if effect_sentence > sentence && effect_sentence <= sentence + 2 {
                    // "Try frankincense. It shrinks tumours."
                    let start = self.words.sentences[effect_sentence as usize].start;
                    let d =
                        100 * (effect_sentence - sentence) as usize + (effect.tokens.start - start);
                    if effect.tokens.start - start <= 10 && next.is_none_or(|(_, best)| d < best) {
                        next = Some((index, d));
                    }
                }
            }
            let pattern = &lexicon.remedies.patterns()[remedy.pattern];
            for (pair, next_sentence) in [(same, false), (next, true)] {
                let Some((index, _)) = pair else {
                    continue;
                };
                let effect = &efficacy[index];
                let with = [pattern, &lexicon.efficacy.patterns()[effect.pattern]];
                let range = remedy.tokens.start.min(effect.tokens.start)
                    ..remedy.tokens.end.max(effect.tokens.end);
                // Judge the stance where the claim is made.
                let stance_range = if next_sentence {
                    effect.tokens.clone()
                } else {
                    range.clone()
                };
                let mut stance = self.claim_stance(stance_range, &with);
                // Denied where it matters: before the remedy or right before the verb
                // ("baking soda does not cure"), not anywhere in between.
                let text = self.words_text();
                let negated_before = |at: usize| {
                    let sentence = self.words.sentence_range(at);
                    (at.saturating_sub(4).max(sentence.start)..at).any(|t| {
                        self.negated[t]
                            && !with.iter().any(|p| p.mentions(self.words.text(text, t)))
                    })
                };
                stance.negation = (!next_sentence && negated_before(remedy.tokens.start))
                    || negated_before(effect.tokens.start)
                    || effect
                        .tokens
                        .clone()
                        .any(|t| self.negated[t] && !with[1].mentions(self.words.text(text, t)));
                let raw = if next_sentence {
                    pattern.weight() * 0.7
                } else {
                    pattern.weight()
                };
                found.push((
                    range,
                    "misinformation.cure_claim",
                    raw,
                    format!("{} + cure claim", pattern.source()),
                    stance,
                ));
            }
        }
        for claim in &claims {
            let pattern = &lexicon.claims.patterns()[claim.pattern];
            let stance = self.claim_stance(claim.tokens.clone(), &[pattern]);
            found.push((
                claim.tokens.clone(),
                "misinformation.claim",
                pattern.weight(),
                pattern.source().to_string(),
                stance,
            ));
        }
        for (tokens, rule, raw, detail, stance) in found {
            // Debunking elsewhere in the post, not by the claim's own words.
            let post_debunks = self
                .debunking
                .iter()
                .any(|cue| cue.end <= tokens.start || cue.start >= tokens.end);
            let strength = raw * misinformation_factor(&stance, post_debunks);
            let range = self.words_original(tokens);
            self.hits.push(Hit {
                label: Label::Misinformation,
                rule,
                detail,
                raw,
                strength,
                stance,
                range,
            });
        }
    }
}

/// How much of a promotion hit survives its stance.
fn promotion_factor(stance: &Stance, post_debunks: bool) -> f32 {
    let mut factor: f32 = 1.0;
    if stance.debunking || stance.reported {
        factor = factor.min(0.3);
    }
    if stance.negation {
        factor = factor.min(0.3);
    }
    if stance.question {
        factor = factor.min(0.6);
    }
    if post_debunks {
        factor = factor.min(0.6);
    }
    factor
}

/// How much of a misinformation hit survives its stance.
fn misinformation_factor(stance: &Stance, post_debunks: bool) -> f32 {
    let mut factor: f32 = 1.0;
    if stance.negation {
        factor = factor.min(0.15);
    }
    if stance.debunking {
        factor = factor.min(0.2);
    }
    if stance.question {
        factor = factor.min(0.3);
    }
    if stance.reported {
        factor = factor.min(0.35);
    }
    if stance.hedging {
        factor = factor.min(0.5);
    }
    if post_debunks {
        factor = factor.min(0.6);
    }
    factor
}

/// A link found in the contact view.
#[derive(Debug, Clone, PartialEq)]
struct Link {
    /// Byte range within the chunk it was found in.
    start: usize,
    end: usize,
    host: String,
    path: String,
    query: String,
}

/// Parses a link at the start of `chunk` (or at its `http`/`www.`): `https://host/path?q`,
/// `www.host`, or a bare `host.tld/path` whose ending is a known top-level domain.
fn parse_link(chunk: &str, top_level_domains: &crate::lexicon::WordSet) -> Option<Link> {
    let (start, explicit) =
        if let Some(at) = chunk.find("http://").or_else(|| chunk.find("https://")) {
            (at, true)
        } else if let Some(at) = chunk.find("www.") {
            (at, true)
        } else {
            (0, false)
        };
    let rest = &chunk[start..];
    let without_scheme = rest
        .strip_prefix("https://")
        .or_else(|| rest.strip_prefix("http://"))
        .unwrap_or(rest);
    let host_end = without_scheme
        .find(['/', '?', '#', ':'])
        .unwrap_or(without_scheme.len());
    let host = without_scheme[..host_end].trim_start_matches("www.");
    let labels: Vec<&str> = host.split('.').collect();
    let valid = labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    let tld = labels.last().copied().unwrap_or_default();
    if !valid || !tld.chars().all(|c| c.is_ascii_alphabetic()) || tld.len() < 2 {
        return None;
    }
    if !explicit && (!top_level_domains.contains(tld) || labels[0].len() < 2) {
        return None;
    }
    let after_host = &without_scheme[host_end..];
    let (path, query) = match after_host.split_once('?') {
        Some((path, query)) => (path, query),
        None => (after_host, ""),
    };
    Some(Link {
        start,
        end: chunk.len(),
        host: host.to_string(),
        path: path.to_string(),
        query: query.split('#').next().unwrap_or_default().to_string(),
    })
}

/// The byte range of an e-mail address around the `@` at `at` in `chunk`.
fn email_range(chunk: &str, at: usize) -> Option<Range<usize>> {
    let local_ok = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-');
    let domain_ok = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-');
    let local_start = chunk[..at]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| local_ok(c))
        .last()
        .map(|(i, _)| i)?;
    let domain = &chunk[at + 1..];
    let domain_len = domain
        .chars()
        .take_while(|&c| domain_ok(c))
        .map(char::len_utf8)
        .sum::<usize>();
    let domain = domain[..domain_len].trim_end_matches(['.', '-']);
    let tld = domain.rsplit('.').next().unwrap_or_default();
    if !domain.contains('.') || tld.len() < 2 || !tld.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    Some(local_start..at + 1 + domain.len())
}

/// The chunks of `text` between spaces and line breaks that contain an `@` or a `.`, with
/// their byte offsets, in order: of `text.split([' ', '\n'])`, the only ones that can hold
/// an e-mail address or a link, found without a look at every chunk.
fn chunks_with_at_or_dot(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let is_break = |b: &u8| *b == b' ' || *b == b'\n';
    // Where the search goes on: the end of the last chunk found.
    let mut from = 0;
    std::iter::from_fn(move || {
        let at = from + bytes[from..].iter().position(|&b| b == b'@' || b == b'.')?;
        let start = bytes[from..at]
            .iter()
            .rposition(is_break)
            .map_or(from, |p| from + p + 1);
        let end = bytes[at..]
            .iter()
            .position(is_break)
            .map_or(bytes.len(), |p| at + p);
        from = end;
        Some((start, &text[start..end]))
    })
}

/// A run of digits and separators that may be a phone or id number.
#[derive(Debug, Clone, PartialEq)]
struct NumberCandidate {
    range: Range<usize>,
    digits: String,
    groups: Vec<usize>,
    /// Digits between punctuation, spaces ignored: `4 4 1 - 7 8 - 2 3 0 9` is `[3, 2, 4]`.
    punctuated_groups: Vec<usize>,
    separators: String,
    plus: bool,
}

/// Runs of digit groups separated by at most three of ` - . ( ) /`, not glued to letters.
fn number_candidates(text: &str) -> Vec<NumberCandidate> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts = bytes[i].is_ascii_digit()
            || (matches!(bytes[i], b'+' | b'(')
                && bytes.get(i + 1).is_some_and(u8::is_ascii_digit));
        let glued = i > 0
            && (bytes[i - 1].is_ascii_alphanumeric()
                || matches!(bytes[i - 1], b'$' | b'#' | b'/' | b'.' | b',' | b':'));
        if !starts || glued {
            i += 1;
            continue;
        }
        let start = i;
        let plus = bytes[i] == b'+';
        let mut digits = String::new();
        let mut groups = Vec::new();
        let mut punctuated_groups = Vec::new();
        let mut since_punctuation = 0;
        let mut separators = String::new();
        let mut current = 0;
        let mut end = i;
        let mut seps = 0;
        let mut pending = String::new();
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii_digit() {
                digits.push(b as char);
                separators.push_str(&pending);
                pending.clear();
                current += 1;
                since_punctuation += 1;
                seps = 0;
                end = i + 1;
            } else if b == b','
                && (current > 1 || (current == 0 && groups.last().is_some_and(|&g| g > 1)))
            {
                // Commas separate lists of numbers, except between spelled-out digits.
                break;
            } else if matches!(b, b' ' | b'-' | b'.' | b'(' | b')' | b'/' | b'+' | b',') && seps < 3
            {
                if current > 0 {
                    groups.push(current);
                    current = 0;
                }
                if b != b' ' {
                    pending.push(b as char);
                    if since_punctuation > 0 {
                        punctuated_groups.push(since_punctuation);
                        since_punctuation = 0;
                    }
                }
                seps += 1;
            } else {
                break;
            }
            i += 1;
        }
        if current > 0 {
            groups.push(current);
        }
        if since_punctuation > 0 {
            punctuated_groups.push(since_punctuation);
        }
        // Glued to letters on the right (e.g. "10am"), or a decimal comma: not a number.
        let glued_right = bytes.get(end).is_some_and(|b| {
            b.is_ascii_alphabetic()
                || *b == b',' && bytes.get(end + 1).is_some_and(u8::is_ascii_digit)
        });
        if !glued_right && !digits.is_empty() {
            found.push(NumberCandidate {
                range: start..end,
                digits,
                groups,
                punctuated_groups,
                separators,
                plus,
            });
        }
        i = end.max(start + 1);
    }
    found
}

/// The weight of a number candidate as a phone number, if it is one.
fn phone_weight(candidate: &NumberCandidate, has_cue: bool) -> Option<f32> {
    let digits = candidate.digits.len();
    let groups = &candidate.groups;
    let singles = groups.iter().filter(|&&g| g == 1).count();
    let all_small = groups.iter().all(|&g| g <= 4);
    let date_like = candidate.separators.contains('/')
        && groups.len() == 3
        && ((groups[0] <= 2 && groups[1] <= 2 && matches!(groups[2], 2 | 4)) || groups[0] == 4);

    if date_like || candidate.separators.matches('.').count() == 1 && groups.len() == 2 {
        return None;
    }
    if candidate.plus {
        return (8..=15).contains(&digits).then_some(0.95);
    }
    match digits {
        10 if groups.len() == 1 => Some(if candidate.digits.starts_with(['0', '1']) {
            0.6
        } else {
            0.8
        }),
        10 | 11 if all_small && groups.len() >= 3 => Some(0.95),
        11 if groups.len() == 1 && candidate.digits.starts_with('1') => Some(0.8),
        // National numbers with a trunk 0, grouped as people write them: 0412 555 019,
        // 07700 900 461, 020 7188 7188.
        10 | 11 if (2..=4).contains(&groups.len()) && candidate.digits.starts_with('0') => {
            Some(0.9)
        }
        7 if groups.as_slice() == [3, 4] => Some(if has_cue { 0.95 } else { 0.85 }),
        7 if singles >= 4 => Some(0.9),
        7 if groups.len() == 1 && has_cue => Some(0.8),
        8..=9 if has_cue && all_small && groups.len() >= 2 => Some(0.7),
        _ => None,
    }
}

/// Parses a date starting at contact token `start`; returns its end token and whether it
/// has a day, a month and a year.
fn date_at(
    text: &str,
    tokens: &Tokens,
    start: usize,
    limit: usize,
    months: &crate::lexicon::WordMap<u8>,
) -> Option<(usize, bool)> {
    let token = |i: usize| (i < limit).then(|| tokens.text(text, i));
    let gap = |i: usize| &text[tokens.spans[i].end..tokens.spans[i + 1].start];
    let number = |w: &str| -> Option<u32> {
        let digits = w.trim_end_matches(|c: char| c.is_alphabetic());
        if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let suffix = &w[digits.len()..];
        if !matches!(suffix, "" | "st" | "nd" | "rd" | "th") {
            return None;
        }
        digits.parse().ok()
    };
    let is_year = |w: &str| {
        w.len() == 4
            && w.bytes().all(|b| b.is_ascii_digit())
            && (1900..=2100).contains(&w.parse::<u32>().unwrap_or(0))
    };
    let first = token(start)?;
    // Numeric: 3/21/1988, 1-12-64, 2016-02-02.
    if let (Some(a), Some(b), Some(c)) = (
        number(first),
        token(start + 1).and_then(number),
        token(start + 2).and_then(number),
    ) {
        let sep = gap(start);
        if matches!(sep, "/" | "-" | ".")
            && gap(start + 1) == sep
            && first.bytes().all(|b| b.is_ascii_digit())
        {
            let c_text = token(start + 2).unwrap_or_default();
            let iso = first.len() == 4 && b <= 12 && c <= 31;
            let day_month =
                a <= 31 && b <= 31 && (a <= 12 || b <= 12) && matches!(c_text.len(), 2 | 4);
            if iso || day_month {
                return Some((start + 3, true));
            }
        }
    }
    // Month name first: March 3, 1975 / March 1975 / May 3rd.
    if months.contains_key(first) {
        if let Some(day) = token(start + 1).and_then(number) {
            if (1..=31).contains(&day) && token(start + 1).is_some_and(|w| w.len() <= 4) {
                if token(start + 2).is_some_and(is_year)
                    && matches!(gap(start + 1), " " | ", " | ",")
                {
                    return Some((start + 3, true));
                }
                return Some((start + 2, false));
            }
            if first != "may" && token(start + 1).is_some_and(is_year) {
                return Some((start + 2, false));
            }
        }
    }
    // Day first: 3 March 1975 / 3rd of March.
    if let Some(day) = number(first) {
        if (1..=31).contains(&day) && first.len() <= 4 {
            let mut at = start + 1;
            if token(at) == Some("of") {
                at += 1;
            }
            if token(at).is_some_and(|w| months.contains_key(w)) {
                if token(at + 1).is_some_and(is_year) {
                    return Some((at + 2, true));
                }
                return Some((at + 1, false));
            }
        }
    }
    None
}

fn is_uk_outward(word: &str) -> bool {
    let letters = word.chars().take_while(char::is_ascii_alphabetic).count();
    let rest = &word[letters..];
    (1..=2).contains(&letters)
        && rest.starts_with(|c: char| c.is_ascii_digit())
        && rest.len() <= 2
        && rest.chars().all(|c| c.is_ascii_alphanumeric())
}

fn is_uk_inward(word: &str) -> bool {
    let b = word.as_bytes();
    b.len() == 3
        && b[0].is_ascii_digit()
        && b[1].is_ascii_alphabetic()
        && b[2].is_ascii_alphabetic()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    fn has_signal(text: &str, signal: &str) -> bool {
        Analysis::new(text, &testing::lexicons())
            .signals
            .contains(&signal)
    }

    #[test]
    fn endorsement_counts_only_where_the_writer_speaks_for_themselves() {
        for own in [
            "We turned down the surgery and went natural. Best decision ever.",
            "i did the juicing, living proof you dont need the chemo",
            "Do your own research, that's all I'm saying.",
        ] {
            assert!(has_signal(own, "endorsement"), "{own}");
        }
        for other in [
            "Has anyone here stopped their chemo early? Was it the right call?",
            "Someone in another group said they refused radiation and went natural.",
            "Going natural instead of the surgery is a myth that gets people killed.",
        ] {
            assert!(!has_signal(other, "endorsement"), "{other}");
        }
    }

    #[test]
    fn claims_answered_or_outgrown_are_not_asserted() {
        let lexicons = testing::lexicons();
        for text in [
            "To everyone saying chemo is poison: it saved my life.",
            "I used to think chemo was just poison, then it put me in remission.",
            "The guy in the chair next to me at infusion said chemo is poison.",
            "Just read that the HPV vaccine causes infertility. Is there any truth in this?",
            "My dad read online that cancer is a fungus and you can kill it with baking soda.",
        ] {
            let analysis = Analysis::new(text, &lexicons);
            let claims: Vec<&Hit> = analysis.hits_for(Label::Misinformation).collect();
            assert!(!claims.is_empty(), "no claim found in {text}");
            assert!(
                claims.iter().all(|hit| !hit.stance.is_asserted()),
                "{text}: {claims:?}"
            );
        }
    }
}
