//! The reader side, in three steps: [`SearchIndex::plan`] analyses what was typed (words,
//! phrases, filters, glossary expansions), [`SearchIndex::build`] turns the plan into one tantivy
//! query and the snippet highlighter, and [`SearchIndex::collect`] runs it and makes the hits.

use std::collections::HashSet;
use std::sync::PoisonError;
use std::time::Instant;

use guildhall_content::Kind;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{Searcher, TantivyDocument, Term};

use crate::facets::{self, Facets};
use crate::glossary::{Addition, is_common, is_question, is_stopword, is_weak};
use crate::query::{self, Parsed};
use crate::schema::{self, tokens};
use crate::snippet::{self, Highlighter, escape_into};
use crate::{
    Hit, IndexError, MAX_FUZZY, MAX_LIMIT, MIN_PREFIX_CHARS, SNIPPET_CHARS, SearchIndex, SearchRequest, SearchResponse,
};

/// Field weights: names above summaries above bodies.
const W_TITLE: f32 = 3.0;
const W_NAMES: f32 = 3.0;
const W_SUMMARY: f32 = 1.5;
const W_BODY: f32 = 1.0;
/// Expanded phrases weigh this fraction of typed words.
const W_EXPANSION: f32 = 0.35;
/// Technical terms found for the plain words of a question weigh this fraction.
const W_EXPANSION_TECHNICAL: f32 = 0.6;
/// In a question, a word found in more than this share of documents (at least
/// [`COMMON_MIN_DOCS`]) is as common as "app" or "flow".
const COMMON_SHARE: f32 = 0.5;
const COMMON_MIN_DOCS: u64 = 100;
/// A typo match scores a constant this small; it only runs for words no document contains, so a
/// typo match never competes with an exact match of the same word.
const W_FUZZY: f32 = 0.6;
const W_FUZZY_HEAD: f32 = 1.5;
/// Added once per distinct query word a page contains.
const W_COORD: f32 = 3.0;
const W_PREFIX_HEAD: f32 = 1.0;
const W_PREFIX_BODY: f32 = 0.3;
/// An exact title, term or alias match: above anything else.
const W_EXACT: f32 = 100.0;
/// The query is the start of (or a typo of) a whole title or name.
const W_EXACT_PREFIX: f32 = 6.0;

/// A query analysed: what [`SearchIndex::build`] needs, with no tantivy in it.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    /// Filters, notices and whether the last word is a prefix.
    parsed: Parsed,
    /// Typed words as (raw, stem), each split the way documents are.
    words: Vec<(String, String)>,
    /// Quoted phrases as (raw words, stems).
    phrases: Vec<(Vec<String>, Vec<String>)>,
    /// The last bare word as analysed (for prefix matching).
    last_word_raw: Option<String>,
    /// Glossary expansions.
    additions: Vec<Addition>,
    /// How much each of `words` counts.
    classes: Vec<Class>,
    /// The query reads as a question or a sentence, not a title.
    question: bool,
    /// Real-word typos: words (raw, stem) searched as well as a typed word documents contain.
    corrections: Vec<(String, String)>,
}

/// How much a typed word counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// A word that says what the query is about.
    Content,
    /// A word of the domain so common it says little ("app", "flow", "data"): in a question it
    /// never acts as a title match.
    Common,
    /// Filler of a question ("need", "happen", "last night"): searched, barely weighed.
    Weak,
}

impl Class {
    /// Field weights (title, names, summary, body) and the coordination bonus.
    fn weights(self) -> ([f32; 4], f32) {
        match self {
            Class::Content => ([W_TITLE, W_NAMES, W_SUMMARY, W_BODY], W_COORD),
            Class::Common => ([0.3, 0.3, 0.3, 0.3], 0.5),
            Class::Weak => ([0.1, 0.1, 0.1, 0.1], 0.0),
        }
    }
}

impl SearchIndex {
    /// Runs a search. Never fails because of what was typed.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResponse, IndexError> {
        let start = Instant::now();
        let searcher = self.reader.searcher();
        let plan = self.plan(req, &searcher);
        let mut response = SearchResponse {
            query: req.query.chars().take(query::MAX_QUERY_CHARS).collect(),
            expanded: plan.additions.iter().map(|a| a.label.clone()).collect(),
            notices: plan.parsed.notices.clone(),
            total: 0,
            took_us: 0,
            hits: Vec::new(),
            facets: Facets::default(),
        };
        if let Some((query, highlight)) = self.build(&plan, &searcher) {
            self.collect(&searcher, &query, &highlight, req.limit, &mut response)?;
        }
        response.took_us = start.elapsed().as_micros() as u64;
        Ok(response)
    }

    /// Analyses the query text and the request's filters.
    pub(crate) fn plan(&self, req: &SearchRequest, searcher: &Searcher) -> Plan {
        let mut parsed = query::parse(&req.query);
        for k in &req.kinds {
            if !parsed.kinds.contains(k) {
                parsed.kinds.push(*k);
            }
        }
        for t in &req.tags {
            let t = t.trim().to_lowercase();
            if !t.is_empty() && !parsed.tags.contains(&t) {
                parsed.tags.push(t);
            }
        }
        for a in &req.audiences {
            if !parsed.audiences.contains(a) {
                parsed.audiences.push(*a);
            }
        }
        let mut stem = self.stem.clone();
        let mut raw = self.raw.clone();
        let split = |w: &str| -> Vec<String> {
            w.split(|c: char| !c.is_alphanumeric()).filter(|t| !t.is_empty()).map(str::to_string).collect()
        };
        let mut plan = Plan::default();
        let mut typed: Vec<String> = Vec::new();
        for w in &parsed.words {
            let r = tokens(&mut raw, w);
            let s = tokens(&mut stem, w);
            plan.last_word_raw = r.last().cloned();
            plan.words.extend(r.into_iter().zip(s));
            typed.extend(split(w));
        }
        plan.words.truncate(query::MAX_WORDS);
        for p in &parsed.phrases {
            typed.extend(split(p));
            let mut r = tokens(&mut raw, p);
            let mut s = tokens(&mut stem, p);
            r.truncate(query::MAX_WORDS);
            s.truncate(query::MAX_WORDS);
            if !s.is_empty() {
                plan.phrases.push((r, s));
            }
        }
        let raws: Vec<String> = plan.words.iter().map(|(r, _)| r.clone()).collect();
        let question = plan.phrases.is_empty() && is_question(&raws);
        plan.classes = self.classify(searcher, &plan.words, question);
        plan.question = question;
        plan.corrections = self.real_word_corrections(searcher, &plan.words, question);
        let pairs = || {
            plan.words
                .iter()
                .cloned()
                .chain(plan.phrases.iter().flat_map(|(r, s)| r.iter().cloned().zip(s.iter().cloned())))
        };
        let all_stems: Vec<String> = pairs().map(|(_, s)| s).collect();
        let mut content: Vec<String> = pairs().filter(|(r, _)| !is_stopword(r)).map(|(_, s)| s).collect();
        if question {
            // What the question is about, without its filler and the domain's common words.
            content = plan
                .words
                .iter()
                .zip(&plan.classes)
                .filter(|(_, c)| **c == Class::Content)
                .map(|((r, s), _)| if is_stopword(r) { String::new() } else { s.clone() })
                .filter(|s| !s.is_empty())
                .collect();
        }
        plan.additions =
            self.expander.read().unwrap_or_else(PoisonError::into_inner).expand(&typed, &all_stems, &content, question);
        plan.parsed = parsed;
        plan
    }

    /// How much each word counts: in a question, filler is weak and the domain's common words do
    /// not count as title matches, unless fewer than two other words are left.
    fn classify(&self, searcher: &Searcher, words: &[(String, String)], question: bool) -> Vec<Class> {
        if !question {
            return vec![Class::Content; words.len()];
        }
        let docs = searcher.num_docs();
        let very_common = |stem: &str| {
            docs >= COMMON_MIN_DOCS
                && searcher.doc_freq(&Term::from_field_text(self.f.body, stem)).unwrap_or(0) as f32
                    > COMMON_SHARE * docs as f32
        };
        let mut classes: Vec<Class> = words
            .iter()
            .map(|(r, s)| {
                if is_weak(r) {
                    Class::Weak
                } else if is_common(r) || very_common(s) {
                    Class::Common
                } else {
                    Class::Content
                }
            })
            .collect();
        // A short query keeps every word: demoting needs two words that say what it is about.
        let specific =
            words.iter().zip(&classes).filter(|((r, _), c)| **c == Class::Content && !is_stopword(r)).count();
        if specific < 2 {
            classes.iter_mut().for_each(|c| *c = Class::Content);
        }
        classes
    }

    /// The query for a plan and what its snippets highlight; `None` when it asks for nothing.
    pub(crate) fn build(&self, plan: &Plan, searcher: &Searcher) -> Option<(BooleanQuery, Highlighter)> {
        let f = self.f;
        let words = &plan.words;
        let mut highlight = Highlighter::default();
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let only_stopwords = words.iter().all(|(r, _)| is_stopword(r));
        let mut seen = HashSet::new();
        let mut fuzzy_count = 0;
        let text_fields = [(f.title, W_TITLE), (f.names, W_NAMES), (f.summary, W_SUMMARY), (f.body, W_BODY)];
        for ((r, s), class) in words.iter().zip(&plan.classes) {
            if (!only_stopwords && is_stopword(r)) || !seen.insert(s.clone()) {
                continue;
            }
            highlight.stems.insert(s.clone());
            let (weights, coord) = class.weights();
            for ((field, _), w) in text_fields.iter().zip(weights) {
                should.push((Occur::Should, boosted(term_query(*field, s), w)));
            }
            // Coordination: each distinct word found anywhere adds the same amount, so pages
            // with more of the words rank above pages that repeat one of them.
            if words.len() > 1 && coord > 0.0 {
                let anywhere = text_fields.iter().map(|&(field, _)| (Occur::Should, term_query(field, s))).collect();
                should.push((Occur::Should, const_score(Box::new(BooleanQuery::new(anywhere)), coord)));
            }
            let len = r.chars().count();
            if len >= 4 && fuzzy_count < MAX_FUZZY && self.unknown_word(searcher, r, s, &text_fields) {
                let distance = if len >= 8 { 2 } else { 1 };
                fuzzy_count += 1;
                highlight.fuzzy.push((r.clone(), distance));
                for (field, w) in [(f.raw, W_FUZZY), (f.raw_head, W_FUZZY_HEAD)] {
                    let q = FuzzyTermQuery::new(Term::from_field_text(field, r), distance, true);
                    should.push((Occur::Should, const_score(Box::new(q), w)));
                }
            }
        }
        // A real-word typo's correction counts as a typed word, and lets the whole query match a
        // title with a typo ("from builder" → "Form builder").
        for (_, s) in &plan.corrections {
            if seen.insert(s.clone()) {
                highlight.stems.insert(s.clone());
                for &(field, w) in &text_fields {
                    should.push((Occur::Should, boosted(term_query(field, s), w)));
                }
                let anywhere = text_fields.iter().map(|&(field, _)| (Occur::Should, term_query(field, s))).collect();
                should.push((Occur::Should, const_score(Box::new(BooleanQuery::new(anywhere)), W_COORD)));
                fuzzy_count += 1;
            }
        }
        if plan.parsed.prefix_last
            && let Some(r) = plan.last_word_raw.clone().filter(|r| r.chars().count() >= MIN_PREFIX_CHARS)
        {
            for (field, w) in [(f.raw_head, W_PREFIX_HEAD), (f.raw, W_PREFIX_BODY)] {
                let q = FuzzyTermQuery::new_prefix(Term::from_field_text(field, &r), 0, false);
                should.push((Occur::Should, const_score(Box::new(q), w)));
            }
            highlight.prefix = Some(r);
        }
        self.exact_clauses(plan, fuzzy_count, &mut should);
        for a in &plan.additions {
            highlight.stems.extend(a.stems.iter().filter(|s| !is_stopword(s)).cloned());
            let weight = if a.technical && plan.question { W_EXPANSION_TECHNICAL } else { W_EXPANSION };
            should.push((Occur::Should, phrase_query(&text_fields, &a.stems, weight)));
        }

        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (r, s) in &plan.phrases {
            let all_stop = r.iter().all(|w| is_stopword(w));
            highlight
                .stems
                .extend(r.iter().zip(s).filter(|(w, _)| all_stop || !is_stopword(w)).map(|(_, s)| s.clone()));
            clauses.push((Occur::Must, phrase_query(&text_fields, s, 1.0)));
        }
        if !should.is_empty() {
            let occur = if plan.phrases.is_empty() { Occur::Must } else { Occur::Should };
            clauses.push((occur, Box::new(BooleanQuery::new(should))));
        }
        let searching_text = !clauses.is_empty();
        let mut filters = self.filter_clauses(&plan.parsed);
        // `-word`: no result contains it (in any form: the stem is excluded).
        let mut stem = self.stem.clone();
        for w in &plan.parsed.excluded {
            for s in tokens(&mut stem, w) {
                for field in [f.title, f.names, f.summary, f.body] {
                    filters.push((Occur::MustNot, term_query(field, &s)));
                }
            }
        }
        if !searching_text && !filters.iter().any(|(o, _)| *o == Occur::Must) {
            return None;
        }
        clauses.extend(filters);
        if !searching_text {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        Some((BooleanQuery::new(clauses), highlight))
    }

    /// An exact title, term or alias match, and the whole query as the start (or a typo) of one.
    fn exact_clauses(&self, plan: &Plan, fuzzy_count: usize, should: &mut Vec<(Occur, Box<dyn Query>)>) {
        let exact_text = if plan.phrases.is_empty() {
            plan.words.iter().map(|(r, _)| r.as_str()).collect::<Vec<_>>().join(" ")
        } else if plan.words.is_empty() && plan.phrases.len() == 1 {
            plan.phrases[0].0.join(" ")
        } else {
            String::new()
        };
        if exact_text.is_empty() {
            return;
        }
        let exact_term = Term::from_field_text(self.f.exact, &exact_text);
        let q = TermQuery::new(exact_term.clone(), IndexRecordOption::Basic);
        should.push((Occur::Should, const_score(Box::new(q), W_EXACT)));
        // The whole query is the start of a title or name ("circuit brea"), or a title with a
        // typo in a word no document contains ("pagnation").
        let chars = exact_text.chars().count();
        if plan.parsed.prefix_last && (MIN_PREFIX_CHARS..=64).contains(&chars) {
            let q = FuzzyTermQuery::new_prefix(exact_term.clone(), 0, false);
            should.push((Occur::Should, const_score(Box::new(q), W_EXACT_PREFIX)));
        }
        if fuzzy_count > 0 && chars <= 64 {
            let distance = if chars >= 8 { 2 } else { 1 };
            let q = FuzzyTermQuery::new(exact_term, distance, true);
            should.push((Occur::Should, const_score(Box::new(q), W_EXACT_PREFIX)));
        }
    }

    /// `kind:`, `tag:` and `audience:` as required clauses.
    fn filter_clauses(&self, parsed: &Parsed) -> Vec<(Occur, Box<dyn Query>)> {
        let f = self.f;
        let any_of = |values: Vec<Term>| -> Box<dyn Query> {
            Box::new(BooleanQuery::new(
                values
                    .into_iter()
                    .map(|t| (Occur::Should, Box::new(TermQuery::new(t, IndexRecordOption::Basic)) as Box<dyn Query>))
                    .collect(),
            ))
        };
        let mut out: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if !parsed.kinds.is_empty() {
            out.push((
                Occur::Must,
                any_of(parsed.kinds.iter().map(|k| Term::from_field_text(f.kind, k.as_str())).collect()),
            ));
        }
        for t in &parsed.tags {
            out.push((Occur::Must, any_of(vec![Term::from_field_text(f.tag, t)])));
        }
        if !parsed.audiences.is_empty() {
            out.push((
                Occur::Must,
                any_of(parsed.audiences.iter().map(|a| Term::from_field_text(f.audience, a.as_str())).collect()),
            ));
        }
        out
    }

    /// Runs `query` and fills in the hits, the total and the facets. A document id is returned
    /// at most once, even from an index damaged by an older version.
    pub(crate) fn collect(
        &self,
        searcher: &Searcher,
        query: &BooleanQuery,
        highlight: &Highlighter,
        limit: usize,
        response: &mut SearchResponse,
    ) -> Result<(), IndexError> {
        let f = self.f;
        let limit = limit.clamp(1, MAX_LIMIT);
        let (top, total, facets) =
            searcher.search(query, &(TopDocs::with_limit(limit).order_by_score(), Count, facets::FacetCollector))?;
        response.total = total;
        response.facets = facets;
        let mut raw = self.raw.clone();
        let mut stem_one = schema::stem_one_analyzer();
        let mut ids = HashSet::new();
        for (score, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let text = |field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or_default().to_string();
            let id = text(f.id);
            if !ids.insert(id.clone()) {
                continue;
            }
            let body = text(f.body);
            let summary = text(f.summary);
            // A snippet bug must cost one snippet, not the search.
            let snippet = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                highlight
                    .snippet(&mut raw, &mut stem_one, &body, SNIPPET_CHARS)
                    .or_else(|| highlight.snippet(&mut raw, &mut stem_one, &summary, SNIPPET_CHARS))
                    .unwrap_or_else(|| {
                        snippet::lead(if body.trim().is_empty() { &summary } else { &body }, SNIPPET_CHARS)
                    })
            }))
            .unwrap_or_else(|_| {
                let mut s = String::new();
                escape_into(&mut s, &summary);
                s
            });
            response.hits.push(Hit {
                id,
                // Kinds are indexed from the catalog; anything else is a guide, as for a file.
                kind: text(f.kind).parse().unwrap_or(Kind::Guide),
                title: text(f.title),
                summary,
                path: text(f.path),
                score,
                snippet,
            });
        }
        Ok(())
    }

    /// Whether no document contains the word as typed or any word with its stem: only then is
    /// it matched with typos.
    fn unknown_word(&self, searcher: &Searcher, raw: &str, stem: &str, fields: &[(Field, f32)]) -> bool {
        let df = |t: Term| searcher.doc_freq(&t).unwrap_or(1);
        df(Term::from_field_text(self.f.raw, raw)) == 0
            && fields.iter().all(|(field, _)| df(Term::from_field_text(*field, stem)) == 0)
    }
}

fn const_score(q: Box<dyn Query>, score: f32) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(q, score))
}

fn term_query(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::WithFreqs))
}

fn boosted(q: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    if (boost - 1.0).abs() < f32::EPSILON { q } else { Box::new(BoostQuery::new(q, boost)) }
}

/// `stems` as a phrase (or a word) in any of `fields`, each with its weight times `weight`.
fn phrase_query(fields: &[(Field, f32)], stems: &[String], weight: f32) -> Box<dyn Query> {
    let per_field = fields
        .iter()
        .map(|&(field, w)| {
            let q: Box<dyn Query> = if stems.len() == 1 {
                term_query(field, &stems[0])
            } else {
                Box::new(PhraseQuery::new(stems.iter().map(|s| Term::from_field_text(field, s)).collect()))
            };
            (Occur::Should, boosted(q, w * weight))
        })
        .collect();
    Box::new(BooleanQuery::new(per_field))
}
