//! Snippets: the part of a document that best shows why it matched, as sanitized HTML in which
//! every character is escaped here and the only tag is `<mark>`.

use std::collections::HashSet;

use tantivy::tokenizer::TextAnalyzer;

/// Only this much of a body is scanned for the best snippet.
const MAX_SCAN_BYTES: usize = 64 * 1024;
/// Matches considered when choosing the window.
const MAX_MATCHES: usize = 512;

/// What counts as a match in a snippet.
#[derive(Debug, Clone, Default)]
pub struct Highlighter {
    /// Stemmed words (typed, phrase and expansion words).
    pub stems: HashSet<String>,
    /// The last word, matched as a prefix of lowercased words.
    pub prefix: Option<String>,
    /// Misspelt words and the edits they tolerate.
    pub fuzzy: Vec<(String, u8)>,
}

struct Match {
    from: usize,
    to: usize,
    key: String,
}

impl Highlighter {
    /// The best window of about `max_chars` characters of `text`, or `None` when nothing in it
    /// matches.
    pub fn snippet(
        &self,
        raw: &mut TextAnalyzer,
        stem_one: &mut TextAnalyzer,
        text: &str,
        max_chars: usize,
    ) -> Option<String> {
        let scan = &text[..floor_char_boundary(text, MAX_SCAN_BYTES)];
        // Stemming every word of a long page is the slow part: only words that start like a
        // wanted stem are stemmed.
        let starts: HashSet<&str> = self.stems.iter().map(|s| &s[..floor_char_boundary(s, 2)]).collect();
        let mut matches: Vec<Match> = Vec::new();
        let mut stream = raw.token_stream(scan);
        while let Some(t) = stream.next() {
            if matches.len() >= MAX_MATCHES {
                break;
            }
            let word = t.text.as_str();
            let mut key = None;
            if starts.contains(&word[..floor_char_boundary(word, 2)]) {
                let mut s = stem_one.token_stream(word);
                if let Some(stemmed) = s.next()
                    && self.stems.contains(&stemmed.text)
                {
                    key = Some(stemmed.text.clone());
                }
            }
            if key.is_none() && self.prefix.as_deref().is_some_and(|p| word.starts_with(p)) {
                key = self.prefix.clone();
            }
            if key.is_none() {
                key = self
                    .fuzzy
                    .iter()
                    .find(|(w, d)| word.len().abs_diff(w.len()) <= usize::from(*d) && edits(word, w) <= usize::from(*d))
                    .map(|(w, _)| w.clone());
            }
            if let Some(key) = key {
                matches.push(Match { from: t.offset_from, to: t.offset_to, key });
            }
        }
        if matches.is_empty() {
            return None;
        }
        // The window (in bytes, roughly max_chars) holding the most distinct matches.
        let span = max_chars.max(40);
        let mut best = (0usize, 0usize);
        for i in 0..matches.len() {
            let end = matches[i].from + span;
            let distinct: HashSet<&str> =
                matches[i..].iter().take_while(|m| m.to <= end).map(|m| m.key.as_str()).collect();
            if distinct.len() > best.1 {
                best = (i, distinct.len());
            }
        }
        let first = &matches[best.0];
        // Start a little before the first match, at a word boundary.
        let lead = span / 5;
        let mut start = floor_char_boundary(scan, first.from.saturating_sub(lead));
        if start > 0 {
            // After the first whitespace, which may be more than one byte (a no-break space).
            start = scan[start..first.from]
                .char_indices()
                .find(|(_, c)| c.is_whitespace())
                .map_or(first.from, |(i, c)| start + i + c.len_utf8());
        }
        let mut end = floor_char_boundary(scan, start + span);
        if end < scan.len() {
            end = scan[..end].rfind(char::is_whitespace).filter(|&e| e > first.to).unwrap_or(end.max(first.to));
        }
        let mut out = String::with_capacity(span + 64);
        if start > 0 {
            out.push('…');
        }
        let mut at = start;
        for m in matches.iter().filter(|m| m.from >= start && m.to <= end) {
            escape_into(&mut out, &scan[at..m.from]);
            out.push_str("<mark>");
            escape_into(&mut out, &scan[m.from..m.to]);
            out.push_str("</mark>");
            at = m.to;
        }
        escape_into(&mut out, &scan[at..end]);
        if end < text.len() {
            out.push('…');
        }
        Some(collapse_whitespace(&out))
    }
}

/// The first `max_chars` characters of `text`, escaped, for documents without a match.
pub fn lead(text: &str, max_chars: usize) -> String {
    let end = text.char_indices().nth(max_chars).map_or(text.len(), |(i, _)| i);
    let end = if end < text.len() { text[..end].rfind(char::is_whitespace).unwrap_or(end) } else { end };
    let mut out = String::new();
    escape_into(&mut out, &text[..end]);
    if end < text.len() {
        out.push('…');
    }
    collapse_whitespace(&out)
}

/// Escapes `&`, `<`, `>`, `"` and `'`.
pub fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
}

fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.trim().chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    out
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Levenshtein distance with adjacent transpositions counted as one edit.
pub fn edits(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{raw_analyzer, stem_one_analyzer};

    #[test]
    fn marks_matches_and_escapes_the_rest() {
        let h = Highlighter { stems: ["retri".to_string()].into(), ..Highlighter::default() };
        let s = h
            .snippet(
                &mut raw_analyzer(),
                &mut stem_one_analyzer(),
                "<script>alert(1)</script> then retries & more",
                160,
            )
            .expect("match");
        assert_eq!(s, "&lt;script&gt;alert(1)&lt;/script&gt; then <mark>retries</mark> &amp; more");
    }

    /// Regression: the window started one byte after a no-break space (two bytes in UTF-8) and
    /// sliced inside it; found by the benchmark on a real README.
    #[test]
    fn snippet_window_starts_after_multibyte_whitespace() {
        let h = Highlighter { stems: ["css".to_string()].into(), ..Highlighter::default() };
        for pad in 0..80 {
            let text = format!("{}\u{a0}CSS and more", "x".repeat(pad));
            let s = h.snippet(&mut raw_analyzer(), &mut stem_one_analyzer(), &text, 60).expect("match");
            assert!(s.contains("<mark>CSS</mark>"), "{s}");
        }
    }

    #[test]
    fn typo_and_prefix_matches_are_marked() {
        let h = Highlighter {
            prefix: Some("back".into()),
            fuzzy: vec![("exponental".into(), 1)],
            ..Highlighter::default()
        };
        let s =
            h.snippet(&mut raw_analyzer(), &mut stem_one_analyzer(), "Use exponential backoff.", 160).expect("match");
        assert_eq!(s, "Use <mark>exponential</mark> <mark>backoff</mark>.");
        assert_eq!(edits("recieve", "receive"), 1);
    }
}
