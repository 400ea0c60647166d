//! Finding glossary mentions in prose: every term and alias, as whole words, longest first.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

/// A compiled matcher over every term name and alias of a hub.
#[derive(Debug, Clone, Default)]
pub struct Glossary {
    /// All-capital abbreviations (`DLP`, `API`) match case-sensitively.
    exact: Option<AhoCorasick>,
    /// Everything else matches ASCII-case-insensitively.
    folded: Option<AhoCorasick>,
    exact_terms: Vec<usize>,
    folded_terms: Vec<usize>,
}

/// One mention found in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    /// Index into the term list given to [`Glossary::new`].
    pub term: usize,
    pub start: usize,
    pub end: usize,
}

impl Glossary {
    /// Builds a matcher from `(term index, name or alias)` pairs. Simple English plurals
    /// (`connectors`, `retries`) are matched too.
    pub fn new<'a>(names: impl IntoIterator<Item = (usize, &'a str)>) -> Glossary {
        let mut exact = (Vec::new(), Vec::new());
        let mut folded = (Vec::new(), Vec::new());
        for (term, name) in names {
            let name = name.trim();
            if name.chars().count() < 2 {
                continue;
            }
            let target = if is_abbreviation(name) { &mut exact } else { &mut folded };
            for form in forms(name) {
                target.0.push(form);
                target.1.push(term);
            }
        }
        let build = |pats: &[String], insensitive: bool| {
            if pats.is_empty() {
                return None;
            }
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .ascii_case_insensitive(insensitive)
                .build(pats)
                .ok()
        };
        Glossary {
            exact: build(&exact.0, false),
            folded: build(&folded.0, true),
            exact_terms: exact.1,
            folded_terms: folded.1,
        }
    }

    /// Every whole-word mention in `text`, left to right, never overlapping; where two overlap
    /// the longer wins.
    pub fn find(&self, text: &str) -> Vec<Found> {
        let mut all = Vec::new();
        for (ac, terms) in [(&self.exact, &self.exact_terms), (&self.folded, &self.folded_terms)] {
            let Some(ac) = ac else { continue };
            for m in ac.find_iter(text) {
                if is_boundary(text, m.start(), m.end()) {
                    all.push(Found { term: terms[m.pattern().as_usize()], start: m.start(), end: m.end() });
                }
            }
        }
        all.sort_by_key(|f| (f.start, std::cmp::Reverse(f.end)));
        let mut out: Vec<Found> = Vec::with_capacity(all.len());
        for f in all {
            if out.last().is_none_or(|last| f.start >= last.end) {
                out.push(f);
            }
        }
        out
    }
}

/// `DLP`, `API`, `2FA`: at least two capitals and no lower-case letters.
pub fn is_abbreviation(name: &str) -> bool {
    name.chars().filter(|c| c.is_uppercase()).count() >= 2 && !name.chars().any(char::is_lowercase)
}

fn forms(name: &str) -> Vec<String> {
    let mut out = vec![name.to_string()];
    let lower = name.to_ascii_lowercase();
    let last = lower.chars().last().unwrap_or(' ');
    if !last.is_alphabetic() {
        return out;
    }
    if is_abbreviation(name) {
        out.push(format!("{name}s"));
    } else if lower.ends_with('y') && !lower.ends_with("ay") && !lower.ends_with("ey") && !lower.ends_with("oy") {
        out.push(format!("{}ies", &name[..name.len() - 1]));
    } else if lower.ends_with('s') || lower.ends_with('x') || lower.ends_with("ch") || lower.ends_with("sh") {
        out.push(format!("{name}es"));
    } else {
        out.push(format!("{name}s"));
    }
    out
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn is_boundary(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g() -> Glossary {
        Glossary::new([(0, "API"), (1, "API key"), (2, "retry"), (3, "Exponential backoff"), (4, "backoff")])
    }

    fn words(text: &str) -> Vec<(usize, &str)> {
        g().find(text).into_iter().map(|f| (f.term, &text[f.start..f.end])).collect()
    }

    #[test]
    fn longest_match_wins() {
        assert_eq!(words("Store the API key safely"), [(1, "API key")]);
        assert_eq!(words("use exponential backoff"), [(3, "exponential backoff")]);
    }

    #[test]
    fn abbreviations_are_case_sensitive() {
        assert_eq!(words("an api call"), []);
        assert_eq!(words("an API call and two APIs"), [(0, "API"), (0, "APIs")]);
    }

    #[test]
    fn whole_words_and_plurals_only() {
        assert_eq!(words("Retries, retry, retrying"), [(2, "Retries"), (2, "retry")]);
        assert_eq!(words("RAPID"), []);
    }
}
