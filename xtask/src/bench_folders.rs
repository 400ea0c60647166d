//! `bench-folders`: a real-text folder at scale, laid out like a docs tree full of `index.md`
//! and `README.md`, opened as Guildhall opens an existing Markdown folder.
//!
//! The documents are the real Markdown of the pinned corpus recipe in `../shared/bench-corpus/`
//! (`get-corpus.sh` and `make_sections.py`), read from OUTSIDE the repository: originals first,
//! then their sections. Each document is written into a tree of 200-document folders under a
//! name from a small set (`index.md`, `README.md`, `overview.md`, ... and its own name), so
//! every name is repeated hundreds of times, and each document gains a wikilink to `[[index]]`
//! and one to a name used in another folder: resolution by name is exercised at scale.
//!
//! Printed per size: load + link + check time and the process's peak memory, index time, and
//! the time of a search on the unchanged indexed folder (the CLI's path: fingerprint, open the
//! index, answer), in-process and, when `--bin PATH` names a built `guildhall`, as a process.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use guildhall_content::{Catalog, LoadOptions};
use guildhall_core::{Hub, HubOptions, SearchRequest};

const NAMES: [&str; 6] = ["index.md", "README.md", "overview.md", "usage.md", "install.md", "faq.md"];

struct Args {
    docs: Vec<usize>,
    corpus: PathBuf,
    sections: PathBuf,
    work: PathBuf,
    bin: Option<PathBuf>,
}

fn parse_args(args: &[String]) -> Result<Args> {
    let mut a = Args {
        docs: vec![25_000, 100_000],
        corpus: PathBuf::from("/tmp/guildhall-corpus"),
        sections: PathBuf::new(),
        work: PathBuf::from("/tmp/guildhall-bench-folders"),
        bin: None,
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || it.next().with_context(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--docs" => a.docs = value()?.split(',').map(|s| s.trim().parse::<usize>()).collect::<Result<_, _>>()?,
            "--corpus" => a.corpus = PathBuf::from(value()?),
            "--sections" => a.sections = PathBuf::from(value()?),
            "--work" => a.work = PathBuf::from(value()?),
            "--bin" => a.bin = Some(PathBuf::from(value()?)),
            other => bail!("unknown option {other}"),
        }
    }
    if a.sections.as_os_str().is_empty() {
        a.sections = PathBuf::from(format!("{}-sections", a.corpus.display()));
    }
    Ok(a)
}

fn list_markdown(root: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    if !root.is_dir() {
        return Ok(out);
    }
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).with_context(|| format!("read {}", dir.display()))? {
            let entry = entry?;
            let ft = entry.file_type()?;
            if ft.is_dir() {
                stack.push(entry.path());
            } else if ft.is_file() && entry.path().extension().is_some_and(|e| e == "md") {
                out.push(entry.path());
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The process's peak resident memory so far, in MiB (Linux).
fn peak_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn build_hub(dir: &Path, n: usize, sources: &[PathBuf]) -> Result<()> {
    let marker = dir.join(".bench-complete");
    if marker.exists() {
        return Ok(());
    }
    let _ = std::fs::remove_dir_all(dir);
    for k in 0..n {
        let src = &sources[k % sources.len()];
        let text = std::fs::read_to_string(src).unwrap_or_default();
        let folder = dir.join(format!("part{}/area{}/topic{}", k % 4, (k / 4) % 25, k / 200));
        std::fs::create_dir_all(&folder)?;
        let own = src.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
        let name = if k % 7 == 6 { own } else { NAMES[k % NAMES.len()].to_string() };
        let path = folder.join(&name);
        let path = if path.exists() { folder.join(format!("{k}-{name}")) } else { path };
        let other = NAMES[(k + 1) % NAMES.len()].trim_end_matches(".md");
        std::fs::write(&path, format!("{text}\n\nSee [[index]] and [[{other}]].\n"))?;
    }
    std::fs::write(marker, b"")?;
    Ok(())
}

pub fn run(args: &[String]) -> Result<()> {
    let args = parse_args(args)?;
    println!(
        "bench-folders reads documents from OUTSIDE the repository: {} and {} (../shared/bench-corpus)",
        args.corpus.display(),
        args.sections.display()
    );
    if cfg!(debug_assertions) {
        println!("warning: this is a debug build; run with --release for real figures");
    }
    let mut sources = list_markdown(&args.corpus)?;
    sources.extend(list_markdown(&args.sections)?);
    if sources.is_empty() {
        bail!("no Markdown in {}: run ../shared/bench-corpus/get-corpus.sh first", args.corpus.display());
    }
    println!("corpus: {} documents and sections", sources.len());
    let mut loads = Vec::new();
    for &n in &args.docs {
        let hub = args.work.join(format!("hub-{n}"));
        build_hub(&hub, n, &sources)?;
        // Warm the page cache, then measure.
        drop(Catalog::load(&hub, &LoadOptions::default())?);
        let t = Instant::now();
        let c = Catalog::load(&hub, &LoadOptions::default())?;
        let load = t.elapsed().as_secs_f64();
        let (docs, errors, warnings) = (c.documents().len(), c.error_count(), c.diagnostics().len() - c.error_count());
        drop(c);
        loads.push(load);
        println!(
            "{n:>7} docs: load+link+check {load:.2} s ({docs} documents, {errors} errors, {warnings} warnings), peak memory so far {:.0} MiB",
            peak_mib().unwrap_or(f64::NAN)
        );
        let data = args.work.join(format!("data-{n}"));
        let _ = std::fs::remove_dir_all(&data);
        let t = Instant::now();
        drop(Hub::open_with_data(&hub, &data, &HubOptions::default())?);
        println!("{n:>7} docs: open and index from scratch {:.2} s", t.elapsed().as_secs_f64());
        let request = SearchRequest::new("install configuration".to_string());
        let t = Instant::now();
        let answer = Hub::search_unchanged(&hub, &data, &HubOptions::default(), &[request], false)?;
        let secs = t.elapsed().as_secs_f64();
        match answer {
            Ok(r) => println!(
                "{n:>7} docs: search on the unchanged indexed folder {:.0} ms in-process ({} hits)",
                secs * 1000.0,
                r[0].total
            ),
            Err(_) => println!("{n:>7} docs: the unchanged folder was not recognised as indexed (a bug)"),
        }
        if let Some(bin) = &args.bin {
            let t = Instant::now();
            let out = Command::new(bin)
                .args(["search", "--content"])
                .arg(&hub)
                .arg("--data")
                .arg(&data)
                .arg("install configuration")
                .output()?;
            println!(
                "{n:>7} docs: CLI search total {:.0} ms (exit {})",
                t.elapsed().as_secs_f64() * 1000.0,
                out.status.code().unwrap_or(-1)
            );
        }
    }
    if let [first, .., last] = loads.as_slice()
        && let [a, .., b] = args.docs.as_slice()
    {
        println!("load time ratio {:.1} for {:.1}x the documents", last / first, *b as f64 / *a as f64);
    }
    Ok(())
}
