//! The editor's starting documents, one per kind of contribution. Each is a complete document
//! in the content format (docs/content-format.md) whose made-up parts are marked as placeholders,
//! `‹like this›`: `guildhall check` reports each one left in as a `placeholder` error, so a
//! template passes only once its title (or, for a term, its `term`) and every placeholder are
//! written. `{today}` becomes the hub's today and `{review}` the same day a year later.

use serde::{Deserialize, Serialize};

/// What a template starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum TemplateKind {
    CaseStudy,
    Pattern,
    Guide,
    PostMortem,
    Term,
}

impl TemplateKind {
    pub const ALL: [TemplateKind; 5] = [
        TemplateKind::CaseStudy,
        TemplateKind::Pattern,
        TemplateKind::Guide,
        TemplateKind::PostMortem,
        TemplateKind::Term,
    ];

    /// The name used in JSON: `case-study`.
    pub fn as_str(self) -> &'static str {
        match self {
            TemplateKind::CaseStudy => "case-study",
            TemplateKind::Pattern => "pattern",
            TemplateKind::Guide => "guide",
            TemplateKind::PostMortem => "post-mortem",
            TemplateKind::Term => "term",
        }
    }

    pub fn parse(s: &str) -> Option<TemplateKind> {
        TemplateKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    fn label(self) -> &'static str {
        match self {
            TemplateKind::CaseStudy => "Case study",
            TemplateKind::Pattern => "Pattern",
            TemplateKind::Guide => "Guide",
            TemplateKind::PostMortem => "Post-mortem",
            TemplateKind::Term => "Glossary term",
        }
    }

    /// The hub folder new documents of this kind go in.
    pub fn folder(self) -> &'static str {
        match self {
            TemplateKind::CaseStudy => "case-studies",
            TemplateKind::Pattern => "patterns",
            TemplateKind::Guide => "guides",
            TemplateKind::PostMortem => "guides/post-mortems",
            TemplateKind::Term => "glossary",
        }
    }

    fn text(self) -> &'static str {
        match self {
            TemplateKind::CaseStudy => CASE_STUDY,
            TemplateKind::Pattern => PATTERN,
            TemplateKind::Guide => GUIDE,
            TemplateKind::PostMortem => POST_MORTEM,
            TemplateKind::Term => TERM,
        }
    }
}

/// A starting document for the editor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Template {
    pub kind: TemplateKind,
    /// For people: `Case study`.
    pub label: String,
    /// The hub folder new documents of this kind go in: `case-studies`.
    pub folder: String,
    /// The whole starting file: front matter and sections.
    pub content: String,
}

/// Every template, with `today` (`YYYY-MM-DD`) filled in.
pub fn templates(today: &str) -> Vec<Template> {
    TemplateKind::ALL.into_iter().map(|k| template(k, today)).collect()
}

/// One template, with `today` filled in.
pub fn template(kind: TemplateKind, today: &str) -> Template {
    Template {
        kind,
        label: kind.label().to_string(),
        folder: kind.folder().to_string(),
        content: kind.text().replace("{today}", today).replace("{review}", &a_year_after(today)),
    }
}

/// `2026-03-01` -> `2027-03-01`; 29 February becomes 28 February. Anything else is returned as it is.
fn a_year_after(day: &str) -> String {
    let mut parts = day.splitn(3, '-');
    let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else { return day.to_string() };
    let Ok(year) = y.parse::<u32>() else { return day.to_string() };
    let next = year + 1;
    let leap = (next % 4 == 0 && next % 100 != 0) || next % 400 == 0;
    let d = if m == "02" && d == "29" && !leap { "28" } else { d };
    format!("{next:04}-{m}-{d}")
}

const CASE_STUDY: &str = r#"---
title: ""
summary: "‹One or two sentences: what the team built, for whom, and what changed.›"
authors: ["‹Your name›"]
mentor: "‹Your mentor's name›"
department: "‹Your department›"
date: {today}
# The patterns you used, by id: [request-and-approval-workflow, retry-with-backoff].
patterns: []
# One row per measure, with the figures you measured; better: lower or higher.
metrics:
  - {name: "‹What you measured›", before: 0, after: 0, unit: "‹unit›", better: lower}
tags: [case-study]
audience: [citizen-developer, mentor]
owner: "‹Your name›"
updated: {today}
review_by: {review}
---

## Context

‹Who had the problem, how the work was done before, and why it needed to change.›

## What we built

‹The app or flow in a few paragraphs: the screens, the data, the people involved, and the patterns you used.›

## What went wrong along the way

‹What surprised you, what broke, and how you found out.›

## Results

‹How you measured, over which period, and how much to trust the figures.› The measures are in the
front matter's `metrics`, shown to readers as cards above this section.

## What we learned

- ‹One lesson per line, written for the next team.›

## Advice for the next team

‹What you would do again, and what you would do differently.›
"#;

const PATTERN: &str = r#"---
title: ""
summary: "‹One or two sentences: the recurring problem and the proven answer.›"
category: integration
risk: medium
fit: either
# Related patterns, terms or guides, by id: [retry-with-backoff].
related: []
tags: [pattern]
audience: [citizen-developer, mentor]
owner: "‹Your name›"
updated: {today}
review_by: {review}
---

## Problem

‹The situation that keeps coming back, in the words of the people who meet it.›

## Solution

‹The proven answer, step by step.›

## When not to use

‹Where this pattern does more harm than good.›

## Low-code or code?

‹How the pattern looks on the low-code platform, and when it is better built in code.›

## Risks and safeguards

‹What can go wrong, and what keeps it safe.›

## Example

‹A short, concrete example from low-code work.›
"#;

const GUIDE: &str = r#"---
title: ""
summary: "‹One or two sentences: what this guide helps people do.›"
category: how-to
# Related patterns, terms or guides, by id: [retry-with-backoff].
related: []
tags: [guide]
audience: [everyone]
owner: "‹Your name›"
updated: {today}
review_by: {review}
---

## Who this is for

‹The people who need this guide, and when.›

## Steps

1. ‹The first thing to do.›
2. ‹The next thing to do.›

## Getting help

‹Where to ask when something is unclear.›
"#;

const POST_MORTEM: &str = r#"---
title: ""
summary: "‹One or two sentences: what happened, the impact, and the main change we will make.›"
category: post-mortem
# Related patterns, terms or guides, by id: [retry-with-backoff].
related: []
tags: [post-mortem, operations]
audience: [app-owner, mentor, it-admin]
owner: "‹Your name›"
updated: {today}
review_by: {review}
---

*This post-mortem is blameless: it looks for the gaps in tools, guardrails and process that let
a normal mistake become an incident, not for someone to blame.*

## Summary

‹What happened, in three or four sentences.›

## Impact

‹Who was affected, for how long, and what it cost.›

## Timeline

| Time | What happened |
|---|---|
| ‹09:00› | ‹The first sign that something was wrong.› |
| ‹09:30› | ‹What was done about it.› |

## Root cause

‹Why the system allowed this to happen.›

## What went well

‹What helped to find and fix the problem.›

## What we will change

| Action | Owner | Due |
|---|---|---|
| ‹The change› | ‹Who› | ‹When› |
"#;

const TERM: &str = r#"---
term: ""
aliases: []
plain: "‹One sentence in plain language, with no jargon.›"
plain_phrases: []
technical: "‹The engineer's definition.›"
summary: "‹One sentence on why this term matters in low-code work.›"
tags: [glossary]
audience: [everyone]
owner: "‹Your name›"
updated: {today}
review_by: {review}
---

‹A longer explanation in plain language, with an example from low-code work.›
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn review_date_is_a_year_later() {
        assert_eq!(a_year_after("2026-03-01"), "2027-03-01");
        assert_eq!(a_year_after("2028-02-29"), "2029-02-28");
        assert_eq!(a_year_after("2027-02-28"), "2028-02-28");
    }

    #[test]
    fn every_template_has_an_owner_a_review_date_and_placeholders() {
        for t in templates("2026-12-07") {
            assert!(t.content.contains("\nowner: \"‹Your name›\"\n"), "{:?}", t.kind);
            assert!(t.content.contains("\nreview_by: 2027-12-07\n"), "{:?}", t.kind);
            assert!(!guildhall_content::placeholders_in(&t.content.replace('\n', " ")).is_empty());
            if t.kind != TemplateKind::Term {
                assert!(
                    t.content.contains("\nrelated: []\n") || t.content.contains("\npatterns: []\n"),
                    "{:?}",
                    t.kind
                );
            }
        }
    }
}
