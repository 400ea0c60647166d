//! `bench-search`: Guildhall's search against a SQLite FTS5 baseline, in one process, on the same
//! documents and queries.
//!
//! The documents are real Markdown from the corpus recipe in `../shared/bench-corpus/`
//! (`get-corpus.sh` for ~16k documents, `make_sections.py` for ~92k smaller ones); generated
//! documents top up a size the corpus cannot reach. This benchmark is the only part of the
//! project that reads outside the repository, and it says so when it runs.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use guildhall_content::{Catalog, LoadOptions};
use guildhall_core::{Hub, HubOptions, SearchIndex, SearchRequest};

const QUERIES_PER_CLASS: usize = 100;
const CLASSES: [&str; 5] = ["word", "two words", "phrase", "prefix", "typo"];
const STOP: &[&str] = &[
    "this", "that", "with", "from", "have", "will", "your", "they", "their", "there", "which", "when", "what", "then",
    "than", "also", "into", "been", "were", "would", "should", "could", "about", "these", "those", "some", "such",
];

struct Args {
    docs: Vec<usize>,
    corpus: PathBuf,
    sections: PathBuf,
    work: PathBuf,
    /// Only measure save-to-searchable on a hub and index a previous run left in `work`.
    only_watch: bool,
}

fn parse_args(args: &[String]) -> Result<Args> {
    let mut a = Args {
        docs: vec![10_000, 100_000],
        corpus: PathBuf::from("/tmp/guildhall-corpus"),
        sections: PathBuf::new(),
        work: PathBuf::from("/tmp/guildhall-bench"),
        only_watch: false,
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || it.next().with_context(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--docs" => {
                a.docs = value()?.split(',').map(|s| s.trim().parse::<usize>()).collect::<Result<_, _>>()?;
            }
            "--corpus" => a.corpus = PathBuf::from(value()?),
            "--sections" => a.sections = PathBuf::from(value()?),
            "--work" => a.work = PathBuf::from(value()?),
            "--only-watch" => a.only_watch = true,
            other => bail!("unknown option {other}"),
        }
    }
    if a.sections.as_os_str().is_empty() {
        a.sections = PathBuf::from(format!("{}-sections", a.corpus.display()));
    }
    Ok(a)
}

pub fn run(args: &[String]) -> Result<()> {
    let args = parse_args(args)?;
    println!(
        "bench-search reads documents from OUTSIDE the repository: {} and {} (built by \
         ../shared/bench-corpus/get-corpus.sh and make_sections.py)",
        args.corpus.display(),
        args.sections.display()
    );
    if cfg!(debug_assertions) {
        println!("warning: this is a debug build; run with --release for real figures");
    }
    let originals = list_markdown(&args.corpus)?;
    let sections = if args.sections.is_dir() { list_markdown(&args.sections)? } else { Vec::new() };
    if originals.is_empty() {
        bail!("no Markdown in {}: run ../shared/bench-corpus/get-corpus.sh first", args.corpus.display());
    }
    println!("corpus: {} documents, {} sections", originals.len(), sections.len());
    std::fs::create_dir_all(&args.work)?;
    for &n in &args.docs {
        bench_size(n, &args, &originals, &sections)?;
    }
    Ok(())
}

fn list_markdown(root: &Path) -> Result<Vec<(PathBuf, String)>> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).with_context(|| format!("read {}", dir.display()))? {
            let entry = entry?;
            let path = entry.path();
            let ft = entry.file_type()?;
            if ft.is_dir() {
                stack.push(path);
            } else if ft.is_file() && path.extension().is_some_and(|e| e == "md") {
                let rel = path.strip_prefix(root)?.to_string_lossy().replace('\\', "/");
                out.push((path, rel));
            }
        }
    }
    out.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(out)
}

/// A deterministic pseudo-random sequence (no dependency, same queries every run).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Builds (or reuses) a hub folder of `n` documents; returns (real, sections, generated).
fn make_hub(
    hub: &Path,
    n: usize,
    originals: &[(PathBuf, String)],
    sections: &[(PathBuf, String)],
) -> Result<(usize, usize, usize)> {
    let real = n.min(originals.len());
    let sect = (n - real).min(sections.len());
    let generated = n - real - sect;
    let marker = hub.join(".bench-docs");
    if std::fs::read_to_string(&marker).ok().as_deref() == Some(&n.to_string()) {
        return Ok((real, sect, generated));
    }
    if hub.exists() {
        std::fs::remove_dir_all(hub)?;
    }
    let copy = |list: &[(PathBuf, String)], prefix: &str| -> Result<()> {
        for (src, rel) in list {
            let dst = hub.join(prefix).join(rel);
            if let Some(parent) = dst.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::copy(src, &dst)?;
        }
        Ok(())
    };
    copy(&originals[..real], "docs")?;
    copy(&sections[..sect], "sections")?;
    if generated > 0 {
        // Generated documents reuse the corpus's own words, in random order.
        let mut words: Vec<String> = Vec::new();
        for (src, _) in originals.iter().step_by(50).take(200) {
            let text = std::fs::read_to_string(src).unwrap_or_default();
            words.extend(text.split_whitespace().filter(|w| w.chars().all(char::is_alphabetic)).map(str::to_lowercase));
        }
        if words.is_empty() {
            words.push("lorem".into());
        }
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for i in 0..generated {
            let dir = hub.join("generated").join(format!("{:03}", i / 1000));
            std::fs::create_dir_all(&dir)?;
            let mut text = format!("# {} {}\n\n", words[rng.below(words.len())], words[rng.below(words.len())]);
            for _ in 0..(50 + rng.below(400)) {
                text.push_str(&words[rng.below(words.len())]);
                text.push(if rng.below(12) == 0 { '\n' } else { ' ' });
            }
            std::fs::write(dir.join(format!("g{i}.md")), text)?;
        }
    }
    std::fs::write(marker, n.to_string())?;
    Ok((real, sect, generated))
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| match e.file_type() {
                    Ok(t) if t.is_dir() => dir_size(&e.path()),
                    _ => e.metadata().map_or(0, |m| m.len()),
                })
                .sum()
        })
        .unwrap_or(0)
}

struct Queries {
    /// Per class: (Guildhall query, FTS5 MATCH expression).
    by_class: Vec<Vec<(String, String)>>,
}

fn make_queries(catalog: &Catalog) -> Queries {
    let docs = catalog.documents();
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let good =
        |w: &str| w.len() >= 4 && w.len() <= 14 && w.chars().all(|c| c.is_ascii_lowercase()) && !STOP.contains(&w);
    let mut by_class: Vec<Vec<(String, String)>> = vec![Vec::new(); CLASSES.len()];
    let mut attempts = 0;
    while by_class.iter().any(|c| c.len() < QUERIES_PER_CLASS) && attempts < 100_000 {
        attempts += 1;
        let doc = &docs[rng.below(docs.len())];
        let text = doc.plain_text();
        let words: Vec<String> =
            text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
        if words.len() < 10 {
            continue;
        }
        let i = rng.below(words.len() - 1);
        let (a, b) = (&words[i], &words[i + 1]);
        let class = attempts % CLASSES.len();
        if by_class[class].len() >= QUERIES_PER_CLASS || !good(a) {
            continue;
        }
        let q = match class {
            0 => (a.clone(), format!("\"{a}\"")),
            1 | 2 if !good(b) => continue,
            1 => (format!("{a} {b}"), format!("\"{a}\" OR \"{b}\"")),
            2 => (format!("\"{a} {b}\""), format!("\"{a} {b}\"")),
            3 if a.len() >= 6 => (a[..4].to_string(), format!("\"{}\"*", &a[..4])),
            4 if a.len() >= 6 => {
                let mut c: Vec<char> = a.chars().collect();
                c.swap(2, 3);
                let typo: String = c.into_iter().collect();
                if &typo == a {
                    continue;
                }
                (typo.clone(), format!("\"{typo}\""))
            }
            _ => continue,
        };
        by_class[class].push(q);
    }
    Queries { by_class }
}

fn percentile(sorted: &[Duration], p: usize) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn fts5_build(db: &Path, catalog: &Catalog) -> Result<(rusqlite::Connection, Duration)> {
    if db.exists() {
        std::fs::remove_file(db)?;
    }
    let start = Instant::now();
    let mut conn = rusqlite::Connection::open(db)?;
    conn.execute_batch(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;
         CREATE VIRTUAL TABLE docs USING fts5(title, summary, body, tokenize='porter unicode61');",
    )?;
    let tx = conn.transaction()?;
    {
        let mut insert = tx.prepare("INSERT INTO docs(rowid, title, summary, body) VALUES (?1, ?2, ?3, ?4)")?;
        for (i, d) in catalog.documents().iter().enumerate() {
            insert.execute(rusqlite::params![
                i as i64,
                d.title,
                d.meta.summary.as_deref().unwrap_or_default(),
                d.plain_text()
            ])?;
        }
    }
    tx.commit()?;
    conn.execute_batch("INSERT INTO docs(docs) VALUES('optimize');")?;
    Ok((conn, start.elapsed()))
}

const FTS5_QUERY: &str = "SELECT rowid, title, bm25(docs, 10.0, 5.0, 1.0) AS score, \
     snippet(docs, 2, '<mark>', '</mark>', '…', 24) FROM docs WHERE docs MATCH ?1 ORDER BY score LIMIT 10";

fn fts5_search(conn: &rusqlite::Connection, q: &str) -> Result<usize> {
    let mut stmt = conn.prepare_cached(FTS5_QUERY)?;
    let rows = stmt.query_map([q], |r| {
        let _: i64 = r.get(0)?;
        let _: String = r.get(1)?;
        let _: f64 = r.get(2)?;
        let s: String = r.get(3)?;
        Ok(s.len())
    })?;
    Ok(rows.filter_map(Result::ok).count())
}

fn bench_size(n: usize, args: &Args, originals: &[(PathBuf, String)], sections: &[(PathBuf, String)]) -> Result<()> {
    let hub_dir = args.work.join(format!("hub-{n}"));
    let data = args.work.join(format!("data-{n}"));
    if args.only_watch {
        println!("\n== {n} documents: save-to-searchable only, on the hub and index of an earlier run ==");
        return bench_watch(&hub_dir, &data);
    }
    let (real, sect, generated) = make_hub(&hub_dir, n, originals, sections)?;
    println!("\n== {n} documents: {real} real, {sect} sections of real documents, {generated} generated ==");

    // Full index, including reading and parsing every file.
    if data.exists() {
        std::fs::remove_dir_all(&data)?;
    }
    let index_dir = guildhall_core::HubPaths::new(&data, &hub_dir).index_dir();
    let t0 = Instant::now();
    let catalog = Catalog::load(&hub_dir, &LoadOptions::default())?;
    let t_load = t0.elapsed();
    let docs = catalog.documents().len();
    let t = Instant::now();
    let plain: usize = catalog.documents().iter().map(|d| d.plain_text().len()).sum();
    let t_plain = t.elapsed();
    let t_index = Instant::now();
    let (ix, _) = SearchIndex::open(&index_dir)?;
    let report = ix.sync(&catalog, &mut |_, _| {})?;
    let t_committed = t_load + t_index.elapsed();
    ix.close()?;
    let t_merged = t_load + t_index.elapsed();
    println!(
        "(not counted: plain text of every body, single-threaded, {:.2} s for {:.1} MB)",
        t_plain.as_secs_f64(),
        plain as f64 / 1e6
    );
    let size = dir_size(&index_dir);
    println!(
        "guildhall full index: {docs} docs ({} added) in {:.2} s = {:.0} docs/s (read+parse {:.2} s, index+commit \
         {:.2} s); background merges done at {:.2} s; index size {:.1} MB",
        report.added,
        t_committed.as_secs_f64(),
        docs as f64 / t_committed.as_secs_f64(),
        t_load.as_secs_f64(),
        (t_committed - t_load).as_secs_f64(),
        t_merged.as_secs_f64(),
        size as f64 / 1e6
    );

    let db = args.work.join(format!("fts5-{n}.sqlite"));
    let (conn, t_fts) = fts5_build(&db, &catalog)?;
    drop(conn);
    let fts_size = std::fs::metadata(&db).map_or(0, |m| m.len());
    println!(
        "fts5 full index: {:.2} s = {:.0} docs/s (same read+parse {:.2} s + insert/optimize {:.2} s); size {:.1} MB",
        (t_load + t_fts).as_secs_f64(),
        docs as f64 / (t_load + t_fts).as_secs_f64(),
        t_load.as_secs_f64(),
        t_fts.as_secs_f64(),
        fts_size as f64 / 1e6
    );

    let queries = make_queries(&catalog);
    drop(catalog);

    // Open an existing index and answer a first query.
    let first = queries.by_class[0].first().map(|q| q.0.clone()).unwrap_or_else(|| "configuration".into());
    let t = Instant::now();
    let (ix, rebuilt) = SearchIndex::open(&index_dir)?;
    let t_open = t.elapsed();
    let r = ix.search(&SearchRequest::new(first.clone()))?;
    let t_first = t.elapsed();
    if let Some(why) = rebuilt {
        bail!("the index was rebuilt on reopening: {why}");
    }
    let t = Instant::now();
    let conn = rusqlite::Connection::open(&db)?;
    fts5_search(&conn, &format!("\"{first}\""))?;
    let t_fts_first = t.elapsed();
    println!(
        "open + first query ({first:?}, {} hits): guildhall {:.1} ms (open incl. checksum check {:.1} ms); fts5 {:.1} ms",
        r.total,
        ms(t_first),
        ms(t_open),
        ms(t_fts_first)
    );

    // Query latency per class, snippets included; one warm-up pass, then the measured pass.
    bench_queries(&ix, &conn, &queries)?;
    println!(
        "(fts5: two words are OR-ed like Guildhall's; prefix is \"pre\"*; typo is searched as typed, FTS5 has no \
         typo tolerance. Guildhall also counts all matches and facets; the FTS5 query does not.)"
    );
    drop(conn);
    ix.close()?;

    bench_watch(&hub_dir, &data)
}

/// Query latency per class for Guildhall and FTS5 (snippets included): one warm-up pass, then
/// the measured pass, printed as a table.
fn bench_queries(ix: &SearchIndex, conn: &rusqlite::Connection, queries: &Queries) -> Result<()> {
    for pass in 0..2 {
        let mut rows = Vec::new();
        for (c, class) in CLASSES.iter().enumerate() {
            let mut g = Vec::new();
            let mut f = Vec::new();
            let mut g_hits = 0;
            let mut f_hits = 0;
            for (gq, fq) in &queries.by_class[c] {
                let t = Instant::now();
                let r = ix.search(&SearchRequest::new(gq.clone()))?;
                g.push(t.elapsed());
                g_hits += usize::from(!r.hits.is_empty());
                let t = Instant::now();
                f_hits += usize::from(fts5_search(conn, fq)? > 0);
                f.push(t.elapsed());
            }
            g.sort();
            f.sort();
            rows.push((*class, g, f, g_hits, f_hits));
        }
        if pass == 0 {
            continue;
        }
        println!(
            "{:<10} {:>5} | {:>9} {:>9} | {:>9} {:>9} | {:>7} {:>7} | {:>9}",
            "class", "n", "gh p50", "gh p99", "fts p50", "fts p99", "x p50", "x p99", "found g/f"
        );
        for (class, g, f, gh, fh) in rows {
            let (g50, g99, f50, f99) = (percentile(&g, 50), percentile(&g, 99), percentile(&f, 50), percentile(&f, 99));
            println!(
                "{:<10} {:>5} | {:>7.2}ms {:>7.2}ms | {:>7.2}ms {:>7.2}ms | {:>7.2} {:>7.2} | {:>4}/{:<4}",
                class,
                g.len(),
                ms(g50),
                ms(g99),
                ms(f50),
                ms(f99),
                ms(g50) / ms(f50).max(1e-6),
                ms(g99) / ms(f99).max(1e-6),
                gh,
                fh
            );
        }
    }
    Ok(())
}

/// From a saved change to its being searchable, through the hub's watcher.
fn bench_watch(hub_dir: &Path, data: &Path) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    let t = Instant::now();
    let hub = Hub::open_with_data(hub_dir, data, &HubOptions::default())?;
    let t_hub = t.elapsed();
    let status = hub.index_status().map(|s| s.sync.changed()).unwrap_or_default();
    println!(
        "hub open with an up-to-date index (read+parse all files, hash check): {:.2} s, {status} re-indexed",
        t_hub.as_secs_f64()
    );
    let live = hub_dir.join("docs").join("bench-live-change.md");
    let mut lags = runtime.block_on(async {
        let t_watch = Instant::now();
        let watcher = hub.watch()?;
        println!("  watcher started in {:.0} ms", ms(t_watch.elapsed()));
        let mut status = watcher.status();
        tokio::time::sleep(Duration::from_millis(300)).await;
        let mut lags = Vec::new();
        // Words far apart, so that a typo match of the previous save cannot count.
        let words = ["quokkabanjo", "narwhalfiddle", "axolotlcello", "pangolinlute", "platypusoboe"];
        for (i, word) in words.iter().enumerate() {
            let title = format!("Live change {i}");
            std::fs::write(&live, format!("# {title}\n\nThe word {word} is new.\n"))?;
            let t = Instant::now();
            loop {
                let r = hub.search(&SearchRequest::new(*word))?;
                if r.hits.iter().any(|h| h.title == title) {
                    break;
                }
                if t.elapsed() > Duration::from_secs(30) {
                    bail!("a saved change was not searchable after 30 s");
                }
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
            lags.push(t.elapsed());
            // Let the batch report arrive before reading it.
            let _ = tokio::time::timeout(Duration::from_secs(30), status.changed()).await;
            let st = watcher.status().borrow().clone();
            println!(
                "  save {i}: searchable after {:.0} ms (watcher batch {}: {:?}{}{})",
                ms(t.elapsed()),
                st.generation,
                st.report.map(|r| (r.added, r.updated, r.removed, r.unchanged, r.took)),
                st.error.map(|e| format!(", error: {e}")).unwrap_or_default(),
                st.full_sync.map(|e| format!(", full sync: {e}")).unwrap_or_default()
            );
            tokio::time::sleep(Duration::from_millis(400)).await;
        }
        Ok::<_, anyhow::Error>(lags)
    })?;
    std::fs::remove_file(&live).ok();
    lags.sort();
    println!(
        "saved change searchable (watcher, debounce {} ms): median {:.0} ms, max {:.0} ms over {} saves",
        guildhall_core::DEBOUNCE.as_millis(),
        ms(percentile(&lags, 50)),
        ms(*lags.last().unwrap_or(&Duration::ZERO)),
        lags.len()
    );
    Ok(())
}
