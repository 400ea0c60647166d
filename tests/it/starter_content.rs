//! The starter knowledge base in `content/` is product: these tests keep its size, structure,
//! links, glossary coverage and spelling from silently regressing.

use std::collections::{BTreeSet, HashMap, HashSet};

use guildhall_content::{Catalog, Date, Document, Kind, KindFields, LoadOptions};

use crate::harness::repo_root;

fn starter() -> Catalog {
    // Checked against a fixed day: content going stale later is a warning for its owners, not a
    // broken build. `guildhall check` in CI uses the real date.
    let opts = LoadOptions::default().with_today(Date::new(2026, 11, 23).expect("date"));
    Catalog::load(&repo_root().join("content"), &opts).expect("load content/")
}

fn of_kind(c: &Catalog, kind: Kind) -> Vec<&Document> {
    c.documents().iter().filter(|d| d.kind() == kind).collect()
}

fn headings(d: &Document) -> Vec<&str> {
    d.outline.headings.iter().map(|h| h.text.as_str()).collect()
}

#[test]
fn checks_clean_with_no_errors_and_no_orphans() {
    let c = starter();
    let problems: Vec<String> = c.diagnostics().iter().map(ToString::to_string).collect();
    assert!(problems.is_empty(), "the starter content must check clean:\n{}", problems.join("\n"));
}

#[test]
fn has_the_promised_amount_of_content() {
    let c = starter();
    assert!(of_kind(&c, Kind::Term).len() >= 130, "terms: {}", of_kind(&c, Kind::Term).len());
    assert!(of_kind(&c, Kind::Pattern).len() >= 30, "patterns: {}", of_kind(&c, Kind::Pattern).len());
    assert!(of_kind(&c, Kind::CaseStudy).len() >= 10);
    assert_eq!(of_kind(&c, Kind::Path).len(), 6);
    assert!(of_kind(&c, Kind::Guide).len() >= 30, "guides: {}", of_kind(&c, Kind::Guide).len());
}

#[test]
fn every_term_is_complete_and_mentioned_elsewhere() {
    let c = starter();
    let mut problems = Vec::new();
    for (doc, t) in c.terms() {
        let i = c.index_of(&doc.id).expect("indexed");
        if c.mentioned_by(i).next().is_none() {
            problems.push(format!("{}: no other document mentions `{}`", doc.path, t.term));
        }
        let sentences = t.plain.matches(". ").count() + usize::from(t.plain.trim_end().ends_with('.'));
        if t.plain.trim().is_empty() || sentences != 1 {
            problems.push(format!("{}: `plain` must be exactly one sentence: {:?}", doc.path, t.plain));
        }
        if t.technical.as_deref().is_none_or(|s| s.trim().is_empty()) {
            problems.push(format!("{}: no `technical` definition", doc.path));
        }
        if t.plain_phrases.is_empty() {
            problems.push(format!("{}: no `plain_phrases`", doc.path));
        }
        if !headings(doc).contains(&"Example") {
            problems.push(format!("{}: no `## Example` section", doc.path));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    let aliases: HashSet<&str> = c.terms().flat_map(|(_, t)| t.aliases.iter().map(String::as_str)).collect();
    for abbr in ["DLP", "RBAC", "SSO", "API", "ALM", "CoE", "SLA"] {
        assert!(aliases.contains(abbr), "the glossary lacks the abbreviation {abbr}");
    }
    let mut phrases: HashMap<String, &str> = HashMap::new();
    for (doc, t) in c.terms() {
        for p in &t.plain_phrases {
            if let Some(other) = phrases.insert(p.to_lowercase(), &doc.id) {
                panic!("the plain phrase {p:?} is claimed by both {other} and {}", doc.id);
            }
        }
    }
}

#[test]
fn patterns_have_their_fields_and_sections_in_order() {
    let c = starter();
    let want = ["Problem", "Solution", "When not to use", "Low-code or code?", "Risks and safeguards", "Example"];
    for d in of_kind(&c, Kind::Pattern) {
        let KindFields::Pattern(p) = &d.fields else { unreachable!() };
        assert!(p.category.is_some() && p.risk.is_some() && p.fit.is_some(), "{}: category, risk, fit", d.path);
        assert!(!p.related.is_empty(), "{}: related", d.path);
        let h2: Vec<&str> = d.outline.headings.iter().filter(|h| h.level == 2).map(|h| h.text.as_str()).collect();
        assert_eq!(h2, want, "{}: sections", d.path);
    }
}

#[test]
fn case_studies_are_measured_illustrative_post_mortems() {
    let c = starter();
    let mut departments = HashSet::new();
    for d in of_kind(&c, Kind::CaseStudy) {
        let KindFields::CaseStudy(cs) = &d.fields else { unreachable!() };
        assert!(cs.metrics.len() >= 2, "{}: at least two metrics", d.path);
        for m in &cs.metrics {
            let improved = m.improvement_percent().expect("non-zero before");
            assert!(improved > 0.0, "{}: metric {:?} got worse", d.path, m.name);
        }
        assert!(!cs.patterns.is_empty() && cs.mentor.is_some(), "{}: patterns and mentor", d.path);
        assert!(departments.insert(cs.department.clone().expect("department")), "{}: department repeats", d.path);
        assert!(d.body.contains("Illustrative example"), "{}: not marked as illustrative", d.path);
        let h = headings(d);
        assert!(h.contains(&"What went wrong along the way") && h.contains(&"What we learned"), "{}: {h:?}", d.path);
    }
}

#[test]
fn case_study_people_are_members_of_the_hub() {
    let c = starter();
    let members: HashSet<&str> = c.config().members.iter().map(|m| m.name.as_str()).collect();
    for d in of_kind(&c, Kind::CaseStudy) {
        let KindFields::CaseStudy(cs) = &d.fields else { unreachable!() };
        for person in cs.authors.iter().chain(cs.mentor.as_ref()) {
            assert!(members.contains(person.as_str()), "{}: {person} is not in guildhall.toml", d.path);
        }
        let mentor = cs.mentor.as_deref().unwrap_or_default();
        let is_mentor = c.config().members.iter().any(|m| m.name == mentor && m.roles.iter().any(|r| r == "mentor"));
        assert!(is_mentor, "{}: {mentor} does not have the mentor role", d.path);
    }
}

#[test]
fn training_paths_are_ordered_and_complete() {
    let c = starter();
    let expected = [
        "start-here",
        "first-automation",
        "data-and-security-basics",
        "becoming-a-mentor",
        "it-admin-governance",
        "publishing-a-case-study",
    ];
    let mut prereqs: HashMap<&str, Vec<&str>> = HashMap::new();
    for id in expected {
        let d = c.get(id).unwrap_or_else(|| panic!("path {id} is missing"));
        let p = d.path_fields().expect("a path");
        assert!((6..=16).contains(&p.steps.len()), "{id}: {} steps", p.steps.len());
        assert!(p.steps.iter().any(|s| s.check.is_some()), "{id}: no checkpoint");
        prereqs.insert(id, p.prerequisites.iter().map(String::as_str).collect());
    }
    assert!(prereqs["start-here"].is_empty(), "start-here has no prerequisites");
    // Every path leads back to start-here, and prerequisites never form a cycle.
    fn visit<'a>(
        p: &'a str,
        graph: &HashMap<&'a str, Vec<&'a str>>,
        stack: &mut Vec<&'a str>,
        seen: &mut BTreeSet<&'a str>,
    ) {
        assert!(!stack.contains(&p), "prerequisites form a cycle: {stack:?} -> {p}");
        seen.insert(p);
        stack.push(p);
        for q in graph.get(p).into_iter().flatten() {
            visit(q, graph, stack, seen);
        }
        stack.pop();
    }
    for id in expected {
        let mut seen = BTreeSet::new();
        visit(id, &prereqs, &mut Vec::new(), &mut seen);
        assert!(seen.contains("start-here"), "{id} does not lead back to start-here");
    }
}

#[test]
fn the_required_guides_exist() {
    let c = starter();
    for id in [
        "role-and-permission-matrix",
        "review-and-approval-workflow",
        "environment-strategy",
        "data-classification-guide",
        "naming-conventions",
        "support-and-escalation",
        "post-mortem-template",
        "case-study-template",
        "pattern-template",
        "community-charter",
        "choosing-low-code-or-code",
        "glossary-style-guide",
        // Second edition (#17).
        "rules-at-a-glance",
        "risk-tier-matrix",
        "licensing-and-cost",
        "ai-assistants-and-agents",
        "inactive-apps-lifecycle",
        "privacy-operations",
        "personal-data-breach-playbook",
        "business-continuity",
        "adopting-this-starter-hub",
        "sources",
    ] {
        assert_eq!(c.get(id).map(Document::kind), Some(Kind::Guide), "guide {id}");
    }
}

/// One rule set: `guides/rules-at-a-glance.md` holds a small machine-readable rule table in its
/// front matter. Every rule is stated, word for word, on that page and on every page that covers it
/// (so two policy pages cannot give two answers to the same question), and every self-check in
/// every path is tied to the rule or fact that answers it: the sentence must be on the page the
/// step links to, and the answer must agree with it.
#[test]
fn policy_pages_and_self_checks_agree_with_the_rule_table() {
    let c = starter();
    let table = c.get("rules-at-a-glance").expect("guides/rules-at-a-glance.md");
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").replace('’', "'");
    let text_of = |id: &str| c.get(id).map(|d| norm(&d.plain_text())).unwrap_or_else(|| panic!("no page {id}"));
    let table_text = text_of("rules-at-a-glance");
    let mut problems = Vec::new();
    let mut governed: HashMap<String, String> = HashMap::new();
    for list in ["rules", "facts"] {
        let entries = table.meta.extra.get(list).and_then(|v| v.as_array()).unwrap_or_else(|| panic!("no `{list}`"));
        assert!(!entries.is_empty(), "`{list}` is empty");
        for e in entries {
            let id = e["id"].as_str().expect("id");
            let settings = c.hub_settings().expect("the starter hub has a guildhall.toml");
            let says = norm(&settings.expand_plain(e["says"].as_str().expect("says")));
            if list == "rules" && !table_text.contains(&says) {
                problems.push(format!("rule {id} is not stated on rules-at-a-glance itself"));
            }
            for page in e["stated_in"].as_array().expect("stated_in") {
                let page = page.as_str().expect("id");
                if !text_of(page).contains(&says) {
                    problems.push(format!("rule {id}: {page} does not state, word for word: {says}"));
                }
            }
            for check in e.get("checks").and_then(|v| v.as_array()).into_iter().flatten() {
                let check = check.as_str().expect("path/ref");
                if let Some(other) = governed.insert(check.to_string(), says.clone()) {
                    problems.push(format!("{check} is claimed by two rules: {other} / {says}"));
                }
            }
        }
    }
    let stop: HashSet<&str> = [
        "with", "that", "this", "your", "from", "they", "have", "been", "into", "only", "when", "what", "will", "does",
        "each", "after", "before",
    ]
    .into();
    let content_words = |s: &str| -> Vec<String> {
        s.to_lowercase()
            .split(|ch: char| !ch.is_alphanumeric() && ch != '\'')
            .map(|w| w.trim_matches('\'').trim_end_matches("'s").to_string())
            .filter(|w| w.chars().count() >= 4 && !stop.contains(w.as_str()))
            .collect()
    };
    let mut checks = 0;
    for d in of_kind(&c, Kind::Path) {
        for step in &d.path_fields().expect("path").steps {
            let Some(check) = &step.check else { continue };
            checks += 1;
            let key = format!("{}/{}", d.id, step.target);
            let Some(says) = governed.remove(&key) else {
                problems.push(format!("{key}: the self-check is not listed under any rule or fact of the rule table"));
                continue;
            };
            if !text_of(&step.target).contains(&says) {
                problems.push(format!("{key}: the step's page does not state the rule: {says}"));
            }
            let (answer, rule) = (check.answer.to_lowercase(), says.to_lowercase());
            let rule_words = content_words(&rule);
            let unsupported: Vec<String> = content_words(&answer)
                .into_iter()
                .filter(|w| {
                    let stem: String = w.chars().take(5).collect();
                    !rule_words.iter().any(|r| r == w || (stem.chars().count() == 5 && r.starts_with(&stem)))
                })
                .collect();
            if !rule.contains(&answer) && (!unsupported.is_empty() || content_words(&answer).is_empty()) {
                problems.push(format!(
                    "{key}: the answer {:?} is not what the rule says ({unsupported:?}): {says}",
                    check.answer
                ));
            }
        }
    }
    problems.extend(governed.keys().map(|k| format!("the rule table names a self-check that does not exist: {k}")));
    assert!(checks >= 15, "only {checks} self-checks");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Plain definitions, read together, score at least 60 on the Flesch reading-ease scale (plain
/// English), and none is longer than 30 words.
#[test]
fn plain_definitions_are_easy_to_read() {
    fn syllables(w: &str) -> usize {
        let w = w.to_lowercase();
        let mut n = 0;
        let mut prev_vowel = false;
        for ch in w.chars() {
            let v = "aeiouy".contains(ch);
            if v && !prev_vowel {
                n += 1;
            }
            prev_vowel = v;
        }
        if w.ends_with('e') && !w.ends_with("le") && n > 1 {
            n -= 1;
        }
        n.max(1)
    }
    let c = starter();
    let (mut words, mut sentences, mut syl) = (0usize, 0usize, 0usize);
    let mut long = Vec::new();
    for (doc, t) in c.terms() {
        let ws: Vec<&str> = t
            .plain
            .split(|ch: char| !(ch.is_alphabetic() || ch == '\'' || ch == '’'))
            .filter(|w| w.chars().any(char::is_alphabetic))
            .collect();
        if ws.len() > 30 {
            long.push(format!("{}: {} words", doc.path, ws.len()));
        }
        words += ws.len();
        sentences += 1;
        syl += ws.iter().map(|w| syllables(w)).sum::<usize>();
    }
    let ease = 206.835 - 1.015 * words as f64 / sentences as f64 - 84.6 * syl as f64 / words as f64;
    assert!(ease >= 60.0, "plain definitions read at {ease:.1}; rewrite the longest ones in shorter words");
    assert!(long.is_empty(), "{}", long.join("\n"));
}

/// Every path has a hands-on step (a guide with `category: exercise`), not only reading.
#[test]
fn every_path_has_a_hands_on_step() {
    let c = starter();
    for d in of_kind(&c, Kind::Path) {
        let hands_on = d.path_fields().expect("path").steps.iter().any(|s| {
            c.get(&s.target)
                .is_some_and(|t| matches!(&t.fields, KindFields::Guide(g) if g.category.as_deref() == Some("exercise")))
        });
        assert!(hands_on, "{}: no hands-on step (a guide with category: exercise)", d.path);
    }
}

/// Spelling: every prose word of the starter content, in British English (Debian's
/// `hunspell-en-gb` dictionary, installed by `./dev test`) plus the project's own word list.
#[test]
fn prose_is_spelled_correctly() {
    let aff = std::fs::read_to_string("/usr/share/hunspell/en_GB.aff");
    let dic = std::fs::read_to_string("/usr/share/hunspell/en_GB.dic");
    let (Ok(aff), Ok(dic)) = (aff, dic) else {
        panic!("the en_GB dictionary is missing: install the Debian package hunspell-en-gb (./dev test does)");
    };
    let strip = |s: &str| s.trim_start_matches('\u{feff}').to_string();
    let dict = spellbook::Dictionary::new(&strip(&aff), &strip(&dic)).expect("dictionary");
    let own = std::fs::read_to_string(repo_root().join("tests/spelling/words.txt")).expect("word list");
    let own: HashSet<&str> = own.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect();

    let c = starter();
    let mut unknown: HashMap<String, BTreeSet<String>> = HashMap::new();
    for d in c.documents() {
        let mut prose: Vec<&str> = d.outline.segments.iter().map(|s| s.text.as_str()).collect();
        prose.extend(d.outline.headings.iter().map(|h| h.text.as_str()));
        prose.push(&d.title);
        prose.extend(d.meta.summary.as_deref());
        if let Some(t) = d.term() {
            prose.push(&t.plain);
            prose.extend(t.technical.as_deref());
            prose.extend(t.plain_phrases.iter().map(String::as_str));
        }
        for text in prose {
            for word in words(text) {
                if !dict.check(word) && !own.contains(word) && !own.contains(word.to_lowercase().as_str()) {
                    unknown.entry(word.to_string()).or_default().insert(d.path.clone());
                }
            }
        }
    }
    let mut report: Vec<String> = unknown
        .iter()
        .map(|(w, files)| format!("{w}  ({})", files.iter().cloned().collect::<Vec<_>>().join(", ")))
        .collect();
    report.sort();
    assert!(
        report.is_empty(),
        "{} unknown words; fix the spelling or add real words to tests/spelling/words.txt:\n{}",
        report.len(),
        report.join("\n")
    );
}

/// Words of prose: letters with inner apostrophes and hyphens split; numbers, codes and
/// all-capital abbreviations are skipped.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .map(|w| w.trim_matches(|c| c == '\'' || c == '’'))
        .map(|w| w.strip_suffix("'s").or_else(|| w.strip_suffix("’s")).unwrap_or(w))
        .filter(|w| w.chars().count() > 1)
        .filter(|w| !w.chars().any(|c| c.is_ascii_digit()))
        .filter(|w| w.chars().filter(|c| c.is_uppercase()).count() < 2)
}
