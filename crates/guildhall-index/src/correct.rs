//! Real-word typos: "from builder" for "form builder". A word that documents contain is
//! normally taken as typed (only a word no document contains is matched with typos). It is also
//! searched as a word one edit away when that word, with another word of the query, is in the
//! title or name of some page while the word as typed, with any of them, is in none: the
//! corrected query then matches far better than the typed one. Only short keyword queries are
//! checked (not questions, where one word matters less), so the check stays a few hundred
//! term-dictionary lookups and a few counts.

use std::collections::BTreeSet;

use tantivy::collector::Count;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

use crate::SearchIndex;
use crate::glossary::is_stopword;
use crate::schema::tokens;

/// At most this many words of one query are checked.
const MAX_CHECKED: usize = 2;
/// Words of this many letters are checked.
const LETTERS: std::ops::RangeInclusive<usize> = 4..=12;

impl SearchIndex {
    /// The corrections, as (raw, stem) of the word searched as well, for real-word typos among
    /// `words` (raw, stem).
    pub(crate) fn real_word_corrections(
        &self,
        searcher: &Searcher,
        words: &[(String, String)],
        question: bool,
    ) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if question || words.len() < 2 {
            return out;
        }
        let df = |field, text: &str| searcher.doc_freq(&Term::from_field_text(field, text)).unwrap_or(0);
        let mut stem = self.stem.clone();
        let mut checked = 0;
        for (i, (raw, s)) in words.iter().enumerate() {
            if checked == MAX_CHECKED {
                break;
            }
            if !LETTERS.contains(&raw.len()) || !raw.bytes().all(|b| b.is_ascii_lowercase()) || df(self.f.raw, raw) == 0
            {
                continue;
            }
            let others: BTreeSet<&str> = words
                .iter()
                .enumerate()
                .filter(|(j, (r, o))| *j != i && o != s && !is_stopword(r))
                .map(|(_, (_, o))| o.as_str())
                .collect();
            if others.is_empty() {
                continue;
            }
            checked += 1;
            if self.head_count(searcher, s, &others) > 0 {
                continue;
            }
            let mut best: Option<(usize, String, String)> = None;
            for c in edits1(raw) {
                if df(self.f.raw_head, &c) == 0 {
                    continue;
                }
                let Some(cs) = tokens(&mut stem, &c).pop() else { continue };
                let n = self.head_count(searcher, &cs, &others);
                if n > best.as_ref().map_or(0, |b| b.0) {
                    best = Some((n, c, cs));
                }
            }
            out.extend(best.map(|(_, c, cs)| (c, cs)));
        }
        out
    }

    /// How many pages have `stem` and at least one of `others` in their title or names.
    fn head_count(&self, searcher: &Searcher, stem: &str, others: &BTreeSet<&str>) -> usize {
        let head = |s: &str| -> Box<dyn Query> {
            let term = |field| -> Box<dyn Query> {
                Box::new(TermQuery::new(Term::from_field_text(field, s), IndexRecordOption::Basic))
            };
            Box::new(BooleanQuery::new(vec![(Occur::Should, term(self.f.title)), (Occur::Should, term(self.f.names))]))
        };
        let any_other = BooleanQuery::new(others.iter().map(|o| (Occur::Should, head(o))).collect());
        let q = BooleanQuery::new(vec![(Occur::Must, head(stem)), (Occur::Must, Box::new(any_other))]);
        searcher.search(&q, &Count).unwrap_or(0)
    }
}

/// Every ASCII lowercase word one edit (a deletion, a swap of two neighbours, a substitution or
/// an insertion) from `word`, which must be ASCII lowercase.
fn edits1(word: &str) -> BTreeSet<String> {
    let b = word.as_bytes();
    let mut out = BTreeSet::new();
    let mut push = |v: Vec<u8>| {
        if let Ok(s) = String::from_utf8(v) {
            out.insert(s);
        }
    };
    for i in 0..=b.len() {
        if i < b.len() {
            push([&b[..i], &b[i + 1..]].concat());
            if i + 1 < b.len() {
                let mut v = b.to_vec();
                v.swap(i, i + 1);
                push(v);
            }
        }
        for c in b'a'..=b'z' {
            if i < b.len() {
                push([&b[..i], &[c], &b[i + 1..]].concat());
            }
            push([&b[..i], &[c], &b[i..]].concat());
        }
    }
    out.remove(word);
    out
}

#[cfg(test)]
mod tests {
    use super::edits1;

    #[test]
    fn edits_are_one_away() {
        let e = edits1("from");
        assert!(e.contains("form") && e.contains("fro") && e.contains("frog") && e.contains("frome"));
        assert!(!e.contains("from") && !e.contains("farm"));
        // 4 deletions, 3 swaps, 4×25 substitutions and 5×26 insertions, some of them alike.
        assert!(e.len() <= 4 + 3 + 100 + 130);
    }
}
