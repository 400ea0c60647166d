use std::io::IsTerminal as _;

use guildhall_core::{Audience, Kind};
use guildhall_core::{SearchRequest, SearchResponse};

use super::prelude::*;

/// Search the hub (updating the index first if the content changed).
///
/// The query is everyday words; "quoted phrases"; kind:pattern, tag:security and
/// audience:mentor filters. Typos and an unfinished last word are tolerated. With `--json`, one
/// JSON object per query, one per line.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only this kind (repeatable): term, pattern, case-study, path, guide.
    #[arg(long = "kind", value_name = "K", value_parser = parse_kind)]
    kinds: Vec<Kind>,
    /// Only documents with this tag (repeatable; all must match).
    #[arg(long = "tag", value_name = "TAG")]
    tags: Vec<String>,
    /// Only documents for this audience (repeatable).
    #[arg(long = "audience", value_name = "A", value_parser = parse_audience)]
    audiences: Vec<Audience>,
    /// How many results to show.
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// Run one query per line of FILE instead of QUERY.
    #[arg(long, value_name = "FILE", conflicts_with = "query")]
    queries: Option<PathBuf>,
    /// The words to search for.
    #[arg(required_unless_present = "queries")]
    query: Vec<String>,
}

fn parse_kind(s: &str) -> Result<Kind, String> {
    s.parse().map_err(|()| format!("one of {}", Kind::ALL.map(Kind::as_str).join(", ")))
}

fn parse_audience(s: &str) -> Result<Audience, String> {
    Audience::ALL
        .into_iter()
        .find(|a| a.as_str() == s)
        .ok_or_else(|| format!("one of {}", Audience::ALL.map(Audience::as_str).join(", ")))
}

pub fn run(g: &Global, args: Args) -> anyhow::Result<Outcome> {
    let make = |q: String| {
        let mut r = SearchRequest::new(q).with_limit(args.limit);
        r.kinds.clone_from(&args.kinds);
        r.tags.clone_from(&args.tags);
        r.audiences.clone_from(&args.audiences);
        r
    };
    let requests: Vec<SearchRequest> = match &args.queries {
        Some(file) => read_file(file)?.lines().filter(|l| !l.trim().is_empty()).map(|l| make(l.to_string())).collect(),
        None => vec![make(args.query.join(" "))],
    };
    // An unchanged, indexed hub answers from the index without being read again.
    let data = guildhall_core::data_dir(g.data.as_deref());
    let responses = match Hub::search_unchanged(&g.content, &data, &HubOptions::default(), &requests, true)? {
        Ok(responses) => responses,
        Err(rebuilt) => {
            if let Some(why) = rebuilt {
                eprintln!("building the search index from the content: {why}");
            }
            let hub = open_indexed(g, false)?;
            requests.iter().map(|r| hub.search_recorded(r)).collect::<Result<Vec<_>, _>>()?
        }
    };
    let mut out = stdout();
    for response in &responses {
        print_response(&mut out, response, g.json)?;
    }
    Ok(Outcome::Success)
}

fn print_response(out: &mut impl std::io::Write, r: &SearchResponse, json: bool) -> anyhow::Result<()> {
    if json {
        writeln!(out, "{}", serde_json::to_string(r)?)?;
        return Ok(());
    }
    let terminal = std::io::stdout().is_terminal();
    write!(out, "{} result{} for \"{}\"", r.total, plural(r.total), r.query.chars().take(80).collect::<String>())?;
    if !r.expanded.is_empty() {
        write!(out, " (also searched: {})", r.expanded.join(", "))?;
    }
    writeln!(out, " in {:.1} ms", r.took_us as f64 / 1000.0)?;
    for n in &r.notices {
        writeln!(out, "note: {n}")?;
    }
    for (i, h) in r.hits.iter().enumerate() {
        writeln!(out, "{:>2}. {} [{}] {}  ({:.2})", i + 1, h.title, h.kind, h.path, h.score)?;
        writeln!(out, "    {}", snippet_text(&h.snippet, terminal))?;
    }
    if !r.facets.kind.is_empty() {
        let kinds: Vec<String> = r.facets.kind.iter().map(|(k, n)| format!("{k} {n}")).collect();
        writeln!(out, "by kind: {}", kinds.join(", "))?;
    }
    Ok(())
}

/// A snippet's HTML as terminal text: marks in bold (or `**`), entities decoded.
fn snippet_text(html: &str, terminal: bool) -> String {
    let (on, off) = if terminal { ("\x1b[1m", "\x1b[0m") } else { ("**", "**") };
    html.replace("<mark>", on)
        .replace("</mark>", off)
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}
