//! Turning whatever was typed into a query, without ever failing.
//!
//! The user's text never reaches tantivy's query parser: it is cut to a safe size, split by our
//! own rules (words, `"phrases"`, `-excluded` words, `kind:`/`tag:`/`audience:` filters) and every other character
//! is a separator. Operators, brackets and control characters therefore mean nothing and cost
//! nothing.

use guildhall_content::{Audience, Kind};

/// Longer queries are cut to this many characters (and the response says so).
pub const MAX_QUERY_CHARS: usize = 1_000;
/// At most this many words (phrase words included) are searched.
pub const MAX_WORDS: usize = 32;
/// At most this many quoted phrases.
pub const MAX_PHRASES: usize = 4;

/// A query as understood.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    /// Bare words and phrase words, in order, as typed (not yet analysed).
    pub words: Vec<String>,
    /// Quoted phrases, as typed.
    pub phrases: Vec<String>,
    /// The last bare word is still being typed: match it as a prefix too.
    pub prefix_last: bool,
    pub kinds: Vec<Kind>,
    pub tags: Vec<String>,
    pub audiences: Vec<Audience>,
    /// Words typed as `-word`: no result contains them.
    pub excluded: Vec<String>,
    /// What was ignored or cut, in words for the user.
    pub notices: Vec<String>,
}

/// Splits `input`. Never fails.
pub fn parse(input: &str) -> Parsed {
    let mut p = Parsed::default();
    let char_count = input.chars().count();
    let text: String =
        input.chars().take(MAX_QUERY_CHARS).map(|c| if c.is_control() || c == '\u{feff}' { ' ' } else { c }).collect();
    if char_count > MAX_QUERY_CHARS {
        p.notices.push(format!("the query was cut to its first {MAX_QUERY_CHARS} characters"));
    }

    let mut in_quote = false;
    let mut current = String::new();
    let mut phrase = String::new();
    let mut last_bare_word: Option<usize> = None;
    let flush_word = |p: &mut Parsed, word: &mut String, last: &mut Option<usize>| {
        if !word.is_empty() {
            if let Some(rest) = word.strip_prefix('-').filter(|r| r.chars().next().is_some_and(char::is_alphanumeric)) {
                if p.excluded.len() < MAX_PHRASES * 2 && !p.excluded.iter().any(|e| e == rest) {
                    p.excluded.push(rest.to_string());
                }
                *last = None;
            } else if let Some(f) = filter(word, p) {
                if let Some(n) = f {
                    p.notices.push(n);
                }
            } else {
                p.words.push(std::mem::take(word));
                *last = Some(p.words.len() - 1);
            }
            word.clear();
        }
    };
    for c in text.chars() {
        if c == '"' {
            if in_quote {
                add_phrase(&mut p, &mut phrase);
                last_bare_word = None;
            } else {
                flush_word(&mut p, &mut current, &mut last_bare_word);
            }
            in_quote = !in_quote;
        } else if in_quote {
            phrase.push(c);
        } else if c.is_whitespace() {
            flush_word(&mut p, &mut current, &mut last_bare_word);
        } else {
            current.push(c);
        }
    }
    if in_quote {
        // An unbalanced quote: the rest is a phrase all the same.
        add_phrase(&mut p, &mut phrase);
        last_bare_word = None;
    }
    flush_word(&mut p, &mut current, &mut last_bare_word);
    // Search as you type: a bare word at the very end (no space after it) is a prefix too.
    p.prefix_last = last_bare_word.is_some_and(|i| i + 1 == p.words.len())
        && text.chars().last().is_some_and(|c| !c.is_whitespace() && c != '"');
    if p.words.len() > MAX_WORDS {
        p.words.truncate(MAX_WORDS);
        p.prefix_last = false;
        p.notices.push(format!("only the first {MAX_WORDS} words were searched"));
    }
    p
}

/// What a query is about, as a key that queries of similar wording share: its words (phrase
/// words too, never `-excluded` words or filters) lowercased, ASCII-folded and stemmed as the
/// index stems them, without stopwords and question filler, each once, in alphabetical order.
/// "How do I get a Power BI licence?", "power bi licences" and "licence power BI" share
/// `bi licenc power`. A query of nothing but filler keys on all its words.
pub fn wording_key(query: &str) -> String {
    use crate::glossary::{is_stopword, is_weak};
    use crate::schema::{raw_analyzer, stem_one_analyzer, tokens};
    let parsed = parse(query);
    let mut raw = raw_analyzer();
    let mut stem = stem_one_analyzer();
    let raws: Vec<String> = parsed.words.iter().chain(&parsed.phrases).flat_map(|w| tokens(&mut raw, w)).collect();
    let mut key = |keep: &dyn Fn(&str) -> bool| {
        let set: std::collections::BTreeSet<String> =
            raws.iter().filter(|r| keep(r)).flat_map(|r| tokens(&mut stem, r)).collect();
        set.into_iter().collect::<Vec<_>>().join(" ")
    };
    let content = key(&|r| !is_stopword(r) && !is_weak(r));
    if content.is_empty() { key(&|_| true) } else { content }
}

fn add_phrase(p: &mut Parsed, phrase: &mut String) {
    let text = std::mem::take(phrase);
    let text = text.trim();
    if text.is_empty() {
        return;
    }
    if p.phrases.len() >= MAX_PHRASES {
        p.notices.push(format!("only the first {MAX_PHRASES} phrases were searched as phrases"));
        p.words.extend(text.split_whitespace().map(str::to_string));
        return;
    }
    p.phrases.push(text.to_string());
}

/// `Some(notice)` when `word` is a filter (`kind:pattern`); the inner option is a notice for a
/// filter value that was not understood. `None` when it is an ordinary word.
fn filter(word: &str, p: &mut Parsed) -> Option<Option<String>> {
    let (key, value) = word.split_once(':')?;
    let value = value.trim().to_lowercase();
    let key = key.to_ascii_lowercase();
    if value.is_empty() || !matches!(key.as_str(), "kind" | "tag" | "audience") {
        return None;
    }
    match key.as_str() {
        "kind" => match value.parse::<Kind>() {
            Ok(k) => {
                if !p.kinds.contains(&k) {
                    p.kinds.push(k);
                }
                Some(None)
            }
            Err(()) => Some(Some(format!(
                "`{}` is not a kind (one of {}); the filter was ignored",
                clip(&value),
                Kind::ALL.map(Kind::as_str).join(", ")
            ))),
        },
        "audience" => match Audience::ALL.into_iter().find(|a| a.as_str() == value) {
            Some(a) => {
                if !p.audiences.contains(&a) {
                    p.audiences.push(a);
                }
                Some(None)
            }
            None => Some(Some(format!("`{}` is not an audience; the filter was ignored", clip(&value)))),
        },
        _ => {
            if !p.tags.contains(&value) {
                p.tags.push(value);
            }
            Some(None)
        }
    }
}

fn clip(s: &str) -> String {
    s.chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_words_phrases_and_filters() {
        let p = parse(r#"kind:pattern "try again" later tag:Security audience:mentor retr"#);
        assert_eq!(p.words, ["later", "retr"]);
        assert_eq!(p.phrases, ["try again"]);
        assert_eq!(p.kinds, [Kind::Pattern]);
        assert_eq!(p.tags, ["security"]);
        assert_eq!(p.audiences, [Audience::Mentor]);
        assert!(p.prefix_last);
    }

    #[test]
    fn unbalanced_quotes_and_unknown_filters_are_kept() {
        let p = parse(r#"kind:nonsense "open phrase"#);
        assert_eq!(p.phrases, ["open phrase"]);
        assert!(p.kinds.is_empty());
        assert_eq!(p.notices.len(), 1);
        let p = parse("retry ");
        assert!(!p.prefix_last);
        let p = parse("http://example:8080");
        assert_eq!(p.words, ["http://example:8080"]);
    }

    #[test]
    fn a_leading_minus_excludes_a_word() {
        let p = parse("retry -backoff e-mail - --x");
        assert_eq!(p.words, ["retry", "e-mail", "-", "--x"]);
        assert_eq!(p.excluded, ["backoff"]);
        assert!(p.prefix_last);
        let p = parse("retry -backoff");
        assert!(!p.prefix_last, "the last bare word is not the one being typed");
    }

    #[test]
    fn similar_wordings_share_a_key() {
        let key = wording_key("power bi licence");
        assert_eq!(key, "bi licenc power");
        for q in ["How do I get a Power BI licence?", "power bi licences", "Licence  power-BI", "\"power bi\" licence"]
        {
            assert_eq!(wording_key(q), key, "{q}");
        }
        assert_ne!(wording_key("power bi gateway"), key);
        assert_eq!(wording_key("retry -backoff kind:pattern"), "retri");
        assert_eq!(wording_key("how do I"), "do how i");
        assert_eq!(wording_key("  "), "");
    }

    #[test]
    fn huge_input_is_cut() {
        let p = parse(&"word ".repeat(50_000));
        assert_eq!(p.words.len(), MAX_WORDS);
        assert!(p.notices.len() >= 2);
    }
}
