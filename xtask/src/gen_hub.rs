//! A generated hub with the shape of a real one: every kind, front matter, wikilinks, relative
//! links, headings, glossary mentions, code and tables. Deterministic, so runs are comparable.

use std::fmt::Write as _;
use std::path::Path;

const WORDS: &[&str] = &[
    "approval",
    "flow",
    "connector",
    "environment",
    "quota",
    "retry",
    "backoff",
    "secret",
    "vault",
    "owner",
    "release",
    "rollback",
    "test",
    "data",
    "classification",
    "policy",
    "review",
    "mentor",
    "template",
    "sandbox",
    "production",
    "staging",
    "incident",
    "alert",
    "monitoring",
    "logging",
    "timeout",
    "queue",
    "batch",
    "schema",
    "form",
    "table",
    "screen",
    "report",
    "invoice",
    "booking",
    "request",
    "record",
    "status",
    "team",
    "change",
    "version",
    "access",
    "role",
    "permission",
    "audit",
    "budget",
    "supplier",
    "customer",
    "inspection",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn word(&mut self) -> &'static str {
        WORDS[self.below(WORDS.len())]
    }
    fn sentence(&mut self, words: usize) -> String {
        let mut s = String::new();
        for i in 0..words {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(self.word());
        }
        s.push('.');
        s
    }
}

/// Writes `n` documents into `dir`; returns how many were written.
pub fn generate(dir: &Path, n: usize) -> anyhow::Result<usize> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let kinds = [("glossary", "term"), ("patterns", "pattern"), ("case-studies", "case-study"), ("guides", "guide")];
    for (folder, _) in kinds.iter().chain([("paths", "path")].iter()) {
        std::fs::create_dir_all(dir.join(folder))?;
    }
    std::fs::create_dir_all(dir.join("notes/team-a"))?;
    std::fs::write(dir.join("guildhall.toml"), "name = \"Generated hub\"\ndefault_lang = \"en-GB\"\n")?;
    let terms = (n / 20).max(1);
    let paths = (n / 200).max(1);
    let id = |i: usize| format!("doc-{i:06}");
    // Decide every document's place first, so that links can point at real files.
    let mut plan: Vec<(&str, &str, String)> = Vec::with_capacity(n);
    for i in 0..n {
        plan.push(if i < terms {
            ("glossary", "term", id(i))
        } else if i < terms + paths {
            ("paths", "path", id(i))
        } else {
            let (folder, kind) = kinds[1 + rng.below(3)];
            if i % 10 == 0 { ("notes/team-a", kind, format!("Note {i}")) } else { (folder, kind, id(i)) }
        });
    }
    let wiki = |j: usize| match plan[j].0 {
        "notes/team-a" => format!("notes/team-a/note-{j}"),
        _ => id(j),
    };
    let rel = |from: &str, j: usize| {
        let up = if from.contains('/') { "../../" } else { "../" };
        format!("{up}{}/{}.md", plan[j].0, plan[j].2.replace(' ', "%20"))
    };
    for (i, &(folder, kind, ref file)) in plan.iter().enumerate() {
        let mut text = String::new();
        if kind == "term" {
            let _ = write!(
                text,
                "---\nterm: Term {i} {w}\naliases: [T{i}X]\nplain: \"{p}\"\nplain_phrases: [\"{a} {b} {i}\"]\ntechnical: \"{t}\"\nupdated: 2026-01-01\n---\n",
                w = rng.word(),
                p = rng.sentence(12),
                a = rng.word(),
                b = rng.word(),
                t = rng.sentence(20),
            );
        } else if kind == "path" {
            let _ = write!(text, "---\ntitle: Path {i}\nsummary: {}\nsteps:\n", rng.sentence(10));
            for _ in 0..8 {
                let _ = writeln!(text, "  - ref: {}\n    minutes: 5", wiki(rng.below(n)));
            }
            text.push_str("---\n");
        } else {
            let _ = write!(
                text,
                "---\ntitle: {} {i}\nsummary: {}\ntags: [{}, {}]\n",
                kind,
                rng.sentence(14),
                rng.word(),
                rng.word()
            );
            match kind {
                "pattern" => {
                    let _ = write!(
                        text,
                        "category: integration\nrisk: medium\nfit: either\nrelated: [{}]\n",
                        wiki(rng.below(n))
                    );
                }
                "case-study" => {
                    text.push_str("metrics:\n  - {name: Time, before: 10, after: 4, unit: days, better: lower}\n");
                }
                _ => text.push_str("category: how-to\n"),
            }
            text.push_str("---\n");
        }
        for section in 0..(2 + rng.below(4)) {
            let _ = writeln!(text, "\n## Section {section} {}\n", rng.word());
            for _ in 0..(1 + rng.below(3)) {
                let _ = writeln!(
                    text,
                    "{} See [[{}]] and [the other page]({}). Term {} {} applies. {}\n",
                    rng.sentence(25),
                    wiki(rng.below(n)),
                    rel(folder, rng.below(n)),
                    rng.below(terms),
                    rng.word(),
                    rng.sentence(15)
                );
            }
            if rng.below(4) == 0 {
                text.push_str("| step | owner |\n|---|---|\n| build | maker |\n| approve | mentor |\n\n");
            }
            if rng.below(5) == 0 {
                text.push_str("```yaml\nretry:\n  attempts: 5\n```\n\n");
            }
        }
        std::fs::write(dir.join(folder).join(format!("{file}.md")), text)?;
    }
    Ok(n)
}
