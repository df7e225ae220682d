//! A deterministic synthetic corpus, for benchmarks and load tests.
//!
//! Vocabulary: the *vocabulary* is a fixed list of about 600 words — everyday English
//! first, then the words of cancer forums, then rarer clinical terms — and a word's
//! *rank* is its place in that list. Words are drawn with Zipf-like frequencies
//! (probability ∝ 1 / (rank + 2.7)^1.05), so a few words are everywhere and most are
//! rare, as in real text. Some posts also get a *stock phrase* ("stem cell transplant",
//! "non-small cell lung cancer", …) so phrase and synonym queries have matches, and about
//! one post in 5,000 gets [`RARE_TERM`].
//!
//! The same [`CorpusConfig`] always yields the same posts: the generator is a
//! SplitMix64 stream seeded from [`CorpusConfig::seed`], and nothing reads the clock.

use crate::document::{PostDoc, PostStatus};
use crate::language::ENGLISH;

/// A word that appears in about one post in 5,000, for rare-term benchmarks.
pub const RARE_TERM: &str = "pheochromocytoma";

/// Shape of a synthetic corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusConfig {
    pub seed: u64,
    pub posts: usize,
    pub communities: usize,
    pub threads: usize,
    pub authors: usize,
    /// `created_at` of the first post, micros; later posts follow `gap_micros` apart on
    /// average.
    pub start_micros: i64,
    pub gap_micros: i64,
}

impl CorpusConfig {
    /// `posts` posts over 40 communities, about 20 posts per thread, one author per
    /// 20 posts, starting 2023-01-01 with a post every 10 minutes on average.
    pub fn new(posts: usize, seed: u64) -> CorpusConfig {
        CorpusConfig {
            seed,
            posts,
            communities: 40,
            threads: (posts / 20).max(1),
            authors: (posts / 20).max(1),
            start_micros: 1_672_531_200_000_000,
            gap_micros: 600_000_000,
        }
    }

    /// The id of community number `index` (0-based), as the generated posts carry it.
    pub fn community_id(&self, index: usize) -> i64 {
        1_000 + index as i64
    }

    /// The slug of community number `index`, for `community:` queries.
    pub fn community_slug(&self, index: usize) -> String {
        format!("community-{index:02}")
    }
}

/// The posts of a synthetic corpus, generated lazily.
pub fn synthetic_posts(config: &CorpusConfig) -> SyntheticPosts {
    let words: Vec<&'static str> = VOCABULARY.split_whitespace().collect();
    SyntheticPosts {
        word_table: ZipfTable::new(words.len(), 1.05),
        words,
        thread_table: ZipfTable::new(config.threads.max(1), 0.8),
        author_table: ZipfTable::new(config.authors.max(1), 0.9),
        community_table: ZipfTable::new(config.communities.max(1), 0.7),
        rng: SplitMix64(config.seed),
        config: config.clone(),
        next: 0,
        created: config.start_micros,
    }
}

/// Iterator returned by [`synthetic_posts`].
#[derive(Debug)]
pub struct SyntheticPosts {
    config: CorpusConfig,
    words: Vec<&'static str>,
    word_table: ZipfTable,
    thread_table: ZipfTable,
    author_table: ZipfTable,
    community_table: ZipfTable,
    rng: SplitMix64,
    next: usize,
    created: i64,
}

impl Iterator for SyntheticPosts {
    type Item = PostDoc;

    fn next(&mut self) -> Option<PostDoc> {
        if self.next >= self.config.posts {
            return None;
        }
        let index = self.next;
        self.next += 1;
        let rng = &mut self.rng;
        self.created += rng.below(2 * self.config.gap_micros.max(1) as u64) as i64;
        let thread = self.thread_table.sample(rng);
        let author = self.author_table.sample(rng);
        let status = match rng.below(100) {
            0..=95 => PostStatus::Published,
            96..=98 => PostStatus::Held,
            _ => PostStatus::Removed,
        };
        let length = 20 + rng.below(281) as usize;
        let mut body = String::with_capacity(length * 8);
        let phrase_at = (rng.below(100) < 15).then(|| rng.below(length as u64) as usize);
        let rare_at = (rng.below(5_000) == 0).then(|| rng.below(length as u64) as usize);
        let mut sentence_left = 0;
        for position in 0..length {
            if sentence_left == 0 {
                if position > 0 {
                    body.push_str(". ");
                }
                sentence_left = 6 + rng.below(15);
                push_capitalised(&mut body, self.words[self.word_table.sample(rng)]);
            } else {
                body.push(' ');
                body.push_str(self.words[self.word_table.sample(rng)]);
            }
            sentence_left -= 1;
            if phrase_at == Some(position) {
                body.push(' ');
                body.push_str(PHRASES[rng.below(PHRASES.len() as u64) as usize]);
            }
            if rare_at == Some(position) {
                body.push(' ');
                body.push_str(RARE_TERM);
            }
        }
        body.push('.');
        let (thread_title, community) = self.thread(thread);
        Some(PostDoc {
            post_id: 1_000_000 + index as i64,
            thread_id: 500_000 + thread as i64,
            community_id: self.config.community_id(community),
            thread_title,
            body,
            author: (author % 200 != 199).then(|| format!("member_{author}")),
            created_at: self.created,
            status,
            // Written in English, as screening would record it.
            language: Some(ENGLISH.to_owned()),
        })
    }
}

impl SyntheticPosts {
    /// A thread's title and community, derived from its number alone so that every post
    /// of the thread agrees.
    fn thread(&self, thread: usize) -> (String, usize) {
        let mut rng = SplitMix64(self.config.seed ^ (thread as u64).wrapping_mul(0x9E37_79B9));
        let community = self.community_table.sample(&mut rng);
        let length = 3 + rng.below(6) as usize;
        let mut title = String::new();
        for position in 0..length {
            // Titles skip the 40 most common words, as titles do.
            let rank = 40 + self.word_table.sample(&mut rng) % (self.words.len() - 40);
            if position == 0 {
                push_capitalised(&mut title, self.words[rank]);
            } else {
                title.push(' ');
                title.push_str(self.words[rank]);
            }
        }
        if rng.below(10) == 0 {
            title.push_str(" - ");
            title.push_str(PHRASES[rng.below(PHRASES.len() as u64) as usize]);
        }
        (title, community)
    }
}

fn push_capitalised(text: &mut String, word: &str) {
    let mut chars = word.chars();
    if let Some(first) = chars.next() {
        text.extend(first.to_uppercase());
        text.push_str(chars.as_str());
    }
}

/// SplitMix64: tiny, fast, and good enough for synthetic text.
#[derive(Debug, Clone)]
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..bound` (bound > 0), by multiply-shift.
    fn below(&mut self, bound: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(bound.max(1))) >> 64) as u64
    }

    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Cumulative Zipf-like weights over `0..n`, sampled by binary search.
#[derive(Debug)]
struct ZipfTable {
    cumulative: Vec<f64>,
}

impl ZipfTable {
    fn new(n: usize, exponent: f64) -> ZipfTable {
        let mut total = 0.0;
        let cumulative = (0..n.max(1))
            .map(|rank| {
                total += 1.0 / (rank as f64 + 2.7).powf(exponent);
                total
            })
            .collect();
        ZipfTable { cumulative }
    }

    fn sample(&self, rng: &mut SplitMix64) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(1.0);
        let target = rng.unit() * total;
        self.cumulative
            .partition_point(|&weight| weight < target)
            .min(self.cumulative.len() - 1)
    }
}

const PHRASES: &[&str] = &[
    "stem cell transplant",
    "non-small cell lung cancer",
    "small cell lung cancer",
    "no evidence of disease",
    "pins and needles",
    "triple negative breast cancer",
    "scan anxiety",
    "bone marrow biopsy",
    "clinical trial",
    "brain fog",
    "prostate specific antigen",
    "multiple myeloma",
    "radiation therapy",
    "side effects",
    "watch and wait",
    "palliative care",
    "peripheral neuropathy",
    "mouth sores",
    "white blood cell count",
    "hair loss",
];

/// Ranked words: everyday English, then forum words, then clinical terms.
const VOCABULARY: &str = "
the and i to a my of it was in is that for with on but have so this me be had not are we
just you they at all about after do what from now been get if or one can also out there up
when day more time will like back how still very really know going feel got week first much
some your would them which did today well over good next see because then their he she her
his our were has no any go think other only make went said take by new months weeks last
doctor treatment cancer chemo scan results team hospital tired pain nurse appointment side
effects oncologist surgery news hope family husband wife daughter son mum mom dad friends
thank thanks everyone here help support love strength hugs sorry hear feeling better worse
sleep eat food appetite weight nausea fatigue energy walk home work tomorrow morning night
started finished round cycle infusion port blood counts platelets tests bloods wait waiting
waiting scans ct mri pet ultrasound xray biopsy diagnosis diagnosed stage grade tumor tumour
mass lump node nodes lymph spread metastatic mets metastasis primary secondary recurrence
relapse remission ned stable progression shrinking growth growing shrunk markers psa cea
ca125 her2 hormone receptor positive negative triple breast lung prostate colon bowel rectal
colorectal pancreatic ovarian cervical bladder kidney liver brain bone skin melanoma
leukemia leukaemia lymphoma myeloma sarcoma glioma glioblastoma gbm nsclc sclc tnbc cll aml
cml mm immunotherapy keytruda opdivo targeted therapy radiation radiotherapy rads proton
hormone tamoxifen letrozole zoladex lupron steroids dexamethasone dex antiemetic zofran
anti sickness meds medication tablets pills dose dosage reduced delayed postponed cancelled
trial trials clinical research study eligible enrolled consent placebo arm phase
neuropathy numbness tingling fingers toes feet hands mouth sores ulcers taste metallic
constipation diarrhea diarrhoea rash itching skin dry hair loss bald wig scarf cold cap
hot flushes flashes sweats insomnia anxiety scanxiety depression worry worried scared
fear afraid angry cry crying tears overwhelmed numb grateful positive hopeful exhausted
caregiver carer partner kids children grandkids sister brother parents friend neighbour
community group online forum post thread reply reading shared sharing story journey fight
battle survivor survivorship living thriving coping managing dealing struggling
palliative hospice comfort end life quality care plan goals options choices decision
second opinion specialist consultant surgeon radiologist pathologist gp registrar
oncology ward clinic unit centre center cancer center appointment letter phone call
insurance cost bills leave job employer sick pay benefits travel parking drive
lumpectomy mastectomy reconstruction lobectomy resection colectomy stoma bag prostatectomy
catheter incontinence erectile recovery healing wound drain stitches scar physio exercise
walking yoga swimming diet nutrition protein smoothie vegetables supplements vitamin
gp referral urgent two week pathway cycle day one neutropenic fever temperature infection
antibiotics admitted discharged emergency er ae triage bloodwork transfusion iron anemia
anaemia hemoglobin white cells neutrophils filgrastim neulasta injection shots
port picc line central line flush access needle sore bruise swelling lymphedema
lymphoedema sleeve compression massage drainage arm leg fluid ascites pleural effusion
tap drained breathless breathing cough oxygen inhaler chest lungs heart echo ecg
kidneys function creatinine liver enzymes bilirubin jaundice stent biliary whipple
chemoradiation concurrent adjuvant neoadjuvant maintenance first line second line
progression free survival overall median statistics prognosis outlook odds chance
genetic testing brca mutation egfr alk ros1 kras braf pdl1 biomarker sequencing
tagrisso alectinib osimertinib herceptin perjeta enhertu kadcyla ibrance verzenio
kisqali xeloda capecitabine folfox folfiri avastin carboplatin cisplatin paclitaxel
taxol docetaxel taxotere etoposide gemcitabine abraxane pemetrexed alimta revlimid
velcade darzalex rituximab ibrutinib venetoclax imatinib gleevec temozolomide temodar
transplant autologous allogeneic donor engraftment graft versus host gvhd isolation
neutropenia mucositis cachexia fatigue chemobrain cognitive memory concentration
whole brain radiotherapy gamma knife stereotactic sbrt cyberknife seeds brachytherapy
active surveillance gleason score biochemical recurrence adt castration resistant
paraganglioma mesothelioma cholangiocarcinoma thymoma
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_posts() {
        let config = CorpusConfig::new(300, 7);
        let first: Vec<PostDoc> = synthetic_posts(&config).collect();
        let second: Vec<PostDoc> = synthetic_posts(&config).collect();
        assert_eq!(first.len(), 300);
        assert_eq!(first, second);
        let other: Vec<PostDoc> = synthetic_posts(&CorpusConfig::new(300, 8)).collect();
        assert_ne!(first, other);
    }

    #[test]
    fn posts_have_the_promised_shape() {
        let config = CorpusConfig::new(2_000, 1);
        let posts: Vec<PostDoc> = synthetic_posts(&config).collect();
        let mut previous = i64::MIN;
        let mut thread_titles = std::collections::HashMap::new();
        for post in &posts {
            let words = post.body.split_whitespace().count();
            assert!((20..=320).contains(&words), "{words} words");
            assert!(post.created_at >= previous);
            previous = post.created_at;
            let community = (post.community_id - 1_000) as usize;
            assert!(community < config.communities);
            let title = thread_titles
                .entry(post.thread_id)
                .or_insert_with(|| (post.thread_title.clone(), post.community_id));
            assert_eq!(*title, (post.thread_title.clone(), post.community_id));
        }
        let the = posts.iter().filter(|p| p.body.contains(" the ")).count();
        assert!(the > 1_500, "the most common word is everywhere: {the}");
        let held = posts
            .iter()
            .filter(|p| p.status != PostStatus::Published)
            .count();
        assert!((20..=200).contains(&held), "{held} hidden posts");
    }
}
