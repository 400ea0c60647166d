//! Glossary-aware query expansion, built from the hub's terms.
//!
//! - Plain words → jargon: when a query contains all the content words of one of a term's
//!   `plain_phrases` ("try again later"), or when every content word of the query (at least two)
//!   occurs in the term's `plain` sentence, the term and its aliases are searched as well.
//! - Jargon → plain words: when a query contains a term or an alias ("idempotent"), the term's
//!   plain phrases are searched as well.
//!
//! - Everyday words for technical ideas ("hammering" an API): a small built-in table
//!   ([`EVERYDAY`]) maps them to the names of glossary terms, used when the hub has such a term.
//!
//! In a question ("how do I stop my flow hammering an API when it fails") the expansions that
//! matter are the technical terms the question is about: jargon → plain-words expansions are
//! left out, and plain → technical ones come first. Added phrases always weigh less than what was
//! typed; the response lists them.

use std::collections::{BTreeMap, HashSet};

use guildhall_content::{Document, is_abbreviation};
use tantivy::tokenizer::TextAnalyzer;

use crate::schema::{raw_analyzer, stem_analyzer, tokens};

/// Everyday words that carry no meaning on their own: left out of "content words".
pub const STOPWORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "do", "does", "for", "from", "how", "i", "if", "in",
    "into", "is", "it", "its", "me", "my", "no", "not", "of", "on", "or", "our", "so", "than", "that", "the", "their",
    "then", "there", "these", "they", "this", "to", "was", "we", "what", "when", "where", "which", "who", "why",
    "will", "with", "you", "your", "i'm", "am", "get", "has", "have", "been", "it's", "just", "some",
];

pub fn is_stopword(raw: &str) -> bool {
    STOPWORDS.contains(&raw)
}

/// Words that make a query a question (or a sentence) rather than a title or a list of terms.
const QUESTION_WORDS: &[&str] = &[
    "how", "what", "why", "when", "where", "who", "which", "can", "could", "should", "do", "does", "did", "is", "are",
    "my", "our", "i", "we", "i'm", "anyone", "am",
];

/// Filler of everyday questions: searched, but with little weight.
const WEAK_WORDS: &[&str] = &[
    "anyone",
    "anything",
    "someone",
    "something",
    "thing",
    "things",
    "way",
    "ways",
    "need",
    "needs",
    "want",
    "wants",
    "wanted",
    "should",
    "would",
    "could",
    "know",
    "tell",
    "help",
    "please",
    "best",
    "good",
    "ok",
    "okay",
    "really",
    "very",
    "much",
    "many",
    "lot",
    "lots",
    "still",
    "now",
    "also",
    "every",
    "all",
    "any",
    "one",
    "ones",
    "did",
    "done",
    "doing",
    "got",
    "getting",
    "go",
    "goes",
    "going",
    "gets",
    "here",
    "about",
    "else",
    "other",
    "others",
    "last",
    "night",
    "yesterday",
    "today",
    "morning",
    "week",
    "weeks",
    "let",
    "us",
    "them",
    "him",
    "her",
    "he",
    "she",
    "said",
    "say",
    "says",
    "happen",
    "happens",
    "happened",
    "begin",
    "start",
    "new",
    "make",
    "makes",
    "made",
    "try",
    "trying",
    "just",
    "even",
    "again",
    "allowed",
    "everyone",
    "everybody",
    "anybody",
    "somebody",
    "nobody",
    "few",
    "gets",
    "get",
    "way",
    "someone's",
    "thing's",
];

/// Words so common in a citizen-development hub that they say nothing about which page is meant:
/// in a question they never act as title matches.
const COMMON_WORDS: &[&str] = &[
    "app",
    "apps",
    "application",
    "applications",
    "flow",
    "flows",
    "data",
    "system",
    "systems",
    "process",
    "processes",
    "team",
    "teams",
    "people",
    "person",
    "work",
    "works",
    "working",
    "user",
    "users",
    "tool",
    "tools",
    "build",
    "building",
    "built",
    "page",
    "pages",
    "platform",
    "information",
    "step",
    "steps",
];

/// Whether a query of these raw words reads as a question or a sentence (four content words or
/// more, or a question word).
pub fn is_question(raws: &[String]) -> bool {
    raws.iter().any(|r| QUESTION_WORDS.contains(&r.as_str())) || raws.iter().filter(|r| !is_stopword(r)).count() >= 4
}

pub fn is_weak(raw: &str) -> bool {
    WEAK_WORDS.contains(&raw)
}

pub fn is_common(raw: &str) -> bool {
    COMMON_WORDS.contains(&raw)
}

/// Everyday words (stems) for technical ideas, and the glossary terms (by name, lowercase) they
/// stand for. Only terms the hub has are added.
pub const EVERYDAY: &[(&str, &[&str])] = &[
    ("hammer", &["rate limit", "retry", "exponential backoff"]),
    ("bombard", &["rate limit", "retry"]),
    ("flood", &["rate limit", "queue"]),
    ("overload", &["rate limit", "queue"]),
    ("overwhelm", &["rate limit", "queue"]),
    ("spam", &["rate limit"]),
    ("undo", &["rollback"]),
    ("revert", &["rollback"]),
    ("hang", &["timeout"]),
    ("forev", &["timeout"]),
    ("leak", &["secret", "key rotation"]),
    ("outag", &["incident"]),
    ("blame", &["post-mortem"]),
    ("blameless", &["post-mortem"]),
];

/// One name of a term (the term or an alias), analysed.
#[derive(Debug, Clone)]
struct Name {
    /// As written, for display.
    text: String,
    /// Stemmed words.
    stems: Vec<String>,
    /// All-capital abbreviations (`DLP`) only match when typed in capitals.
    case_sensitive: bool,
}

/// A plain phrase of a term, analysed.
#[derive(Debug, Clone)]
struct Phrase {
    text: String,
    stems: Vec<String>,
    /// Stems of the words that are not stopwords.
    content: Vec<String>,
    /// Stems of the words that say what the phrase is about (not stopwords, question filler or
    /// the domain's common words): a phrase without any ("what apps do we have") would fire for
    /// any query that mentions an app, so it only fires when typed as it is.
    specific: Vec<String>,
}

/// What the expander knows of one term.
#[derive(Debug, Clone)]
pub struct TermEntry {
    names: Vec<Name>,
    phrases: Vec<Phrase>,
    /// Content-word stems of the `plain` sentence.
    plain: HashSet<String>,
}

impl TermEntry {
    /// `None` for documents that are not terms.
    pub fn from_document(doc: &Document) -> Option<TermEntry> {
        let t = doc.term()?;
        let mut stem = stem_analyzer();
        let mut raw = raw_analyzer();
        let names = std::iter::once(&t.term)
            .chain(t.aliases.iter())
            .filter(|n| !n.trim().is_empty())
            .map(|n| Name {
                text: n.trim().to_string(),
                stems: tokens(&mut stem, n),
                case_sensitive: is_abbreviation(n),
            })
            .filter(|n| !n.stems.is_empty())
            .collect();
        let phrases = t
            .plain_phrases
            .iter()
            .map(|p| {
                let (stems, content) = content_stems(&mut raw, &mut stem, p);
                let specific = tokens(&mut raw, p)
                    .iter()
                    .zip(&stems)
                    .filter(|(r, _)| !is_stopword(r) && !is_common(r) && !is_weak(r))
                    .map(|(_, s)| s.clone())
                    .collect();
                Phrase { text: p.trim().to_string(), stems, content, specific }
            })
            .filter(|p| !p.content.is_empty())
            .collect();
        let (_, plain) = content_stems(&mut raw, &mut stem, &t.plain);
        Some(TermEntry { names, phrases, plain: plain.into_iter().collect() })
    }
}

/// All the stems of `text`, and those of its words that are not stopwords.
fn content_stems(raw: &mut TextAnalyzer, stem: &mut TextAnalyzer, text: &str) -> (Vec<String>, Vec<String>) {
    let raws = tokens(raw, text);
    let stems = tokens(stem, text);
    // Both analysers split identically (same tokenizer, the stemmer never drops a token).
    let content = raws.iter().zip(&stems).filter(|(r, _)| !is_stopword(r)).map(|(_, s)| s.clone()).collect();
    (stems, content)
}

/// A phrase added to a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addition {
    /// What the response shows (`exponential backoff`).
    pub label: String,
    /// The stemmed words to search as a phrase.
    pub stems: Vec<String>,
    /// A technical term found for plain words (rather than plain words for jargon).
    pub technical: bool,
}

/// The expansion table of a hub.
#[derive(Debug, Clone, Default)]
pub struct Expander {
    /// By the term document's path key.
    terms: BTreeMap<u64, TermEntry>,
}

/// At most this many phrases are added to one query.
pub const MAX_ADDITIONS: usize = 8;

impl Expander {
    pub fn set(&mut self, key: u64, entry: Option<TermEntry>) {
        match entry {
            Some(e) => self.terms.insert(key, e),
            None => self.terms.remove(&key),
        };
    }

    pub fn clear(&mut self) {
        self.terms.clear();
    }

    pub fn len(&self) -> usize {
        self.terms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The phrases to add for a query whose words are `typed` (as typed), `stems` and the
    /// content-word stems `content`. For a `question`, only technical terms are added (plain
    /// phrases for jargon in a question are noise), found by a plain phrase, the plain
    /// sentence or [`EVERYDAY`]; technical terms always come first.
    pub fn expand(&self, typed: &[String], stems: &[String], content: &[String], question: bool) -> Vec<Addition> {
        let mut technical: Vec<Addition> = Vec::new();
        let mut plain: Vec<Addition> = Vec::new();
        let stem_set: HashSet<&str> = stems.iter().map(String::as_str).collect();
        let push = |out: &mut Vec<Addition>, label: &str, stems: &[String], tech: bool| {
            if out.len() < MAX_ADDITIONS && !stems.is_empty() && !out.iter().any(|a| a.stems == stems) {
                out.push(Addition { label: label.to_string(), stems: stems.to_vec(), technical: tech });
            }
        };
        let everyday: HashSet<&str> = EVERYDAY
            .iter()
            .filter(|(w, _)| stem_set.contains(w))
            .flat_map(|(_, names)| names.iter().copied())
            .collect();
        for entry in self.terms.values() {
            let typed_name =
                |n: &Name| contains_seq(stems, &n.stems) && (!n.case_sensitive || typed.iter().any(|w| w == &n.text));
            if entry.names.iter().any(typed_name) {
                // Jargon typed: add the plain phrases (not for a question: it is about the jargon).
                if !question {
                    for p in &entry.phrases {
                        if !contains_seq(stems, &p.stems) {
                            push(&mut plain, &p.text, &p.stems, false);
                        }
                    }
                }
                continue;
            }
            let by_phrase = entry.phrases.iter().any(|p| {
                // A phrase of only common words fires when it is typed as it is.
                if p.specific.is_empty() {
                    contains_seq(stems, &p.stems)
                } else {
                    p.content.iter().all(|s| stem_set.contains(s.as_str()))
                }
            });
            let by_plain = content.len() >= 2 && content.iter().all(|s| entry.plain.contains(s));
            let by_everyday = entry.names.first().is_some_and(|n| everyday.contains(n.text.to_lowercase().as_str()));
            if by_phrase || by_plain || by_everyday {
                // A question gets the term's name; its aliases only say the same again.
                let names = if question { &entry.names[..entry.names.len().min(1)] } else { &entry.names[..] };
                for n in names {
                    let label = if n.case_sensitive { n.text.clone() } else { n.text.to_lowercase() };
                    push(&mut technical, &label, &n.stems, true);
                }
            }
        }
        technical.extend(plain);
        technical.truncate(MAX_ADDITIONS);
        technical
    }
}

/// Whether `needle` occurs as a contiguous run in `hay`.
fn contains_seq(hay: &[String], needle: &[String]) -> bool {
    !needle.is_empty() && needle.len() <= hay.len() && hay.windows(needle.len()).any(|w| w == needle)
}
