//! `bench-serve`: 50 concurrent clients hammer search and progress writes on loopback for 30
//! seconds against the real HTTP stack (axum, the core, the tantivy index, the SQLite store).
//! Prints throughput and latency percentiles per request kind, and fails on any error.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use guildhall_core::{Hub, HubOptions};

const QUERIES: &[&str] = &[
    "try again later",
    "idempotent",
    "retry",
    "secrets vault",
    "data classification",
    "promot",
    "approvel",
    "\"environment promotion\"",
    "kind:pattern timeout",
    "who can see my app",
    "rollback",
    "accessibility",
];

pub fn run(args: &[String]) -> anyhow::Result<()> {
    let clients: usize = crate::flag_value(args, "--clients").map(str::parse).transpose()?.unwrap_or(50);
    let secs: u64 = crate::flag_value(args, "--seconds").map(str::parse).transpose()?.unwrap_or(30);
    let content = std::path::PathBuf::from(crate::flag_value(args, "--content").unwrap_or("content"));
    let data = tempdir()?;
    let hub = Arc::new(Hub::open_with_data(&content, &data, &HubOptions::default())?);
    let steps: Vec<(String, String)> = hub
        .paths()?
        .iter()
        .flat_map(|c| {
            let p = hub.path_progress(&c.path.id).ok();
            p.into_iter().flat_map(|p| p.steps.into_iter().map(move |s| (p.card.path.id.clone(), s.step.target)))
        })
        .collect();
    let runtime = tokio::runtime::Runtime::new()?;
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))?;
    let base = format!("http://{}", listener.local_addr()?);
    let app = guildhall_http::router(hub.clone(), None);
    runtime.spawn(async move {
        let _ = axum::serve(listener, app).await;
    });

    println!("bench-serve: {clients} clients for {secs} s against {base} (search and progress writes)");
    let stop = Arc::new(AtomicBool::new(false));
    let steps = Arc::new(steps);
    let mut handles = Vec::new();
    for c in 0..clients {
        let (stop, base, steps) = (stop.clone(), base.clone(), steps.clone());
        handles.push(std::thread::spawn(move || -> anyhow::Result<(Vec<u64>, Vec<u64>)> {
            let agent: ureq::Agent = ureq::Agent::config_builder()
                .http_status_as_error(false)
                .timeout_global(Some(Duration::from_secs(10)))
                .build()
                .into();
            let (mut search, mut write) = (Vec::new(), Vec::new());
            let mut i = c;
            while !stop.load(Ordering::Relaxed) {
                i += 1;
                let t = Instant::now();
                let status = if i % 5 == 0 {
                    // One request in five writes progress (toggling a step), the rest search.
                    let (path, step) = &steps[i % steps.len()];
                    let body = format!("{{\"step\":\"{step}\",\"done\":{}}}", i % 2 == 0);
                    let r = agent
                        .post(&format!("{base}/api/paths/{path}/steps"))
                        .header("content-type", "application/json")
                        .send(&body);
                    let s = r.map(|r| r.status().as_u16()).unwrap_or(0);
                    write.push(t.elapsed().as_micros() as u64);
                    s
                } else {
                    let q = QUERIES[i % QUERIES.len()];
                    let url = format!("{base}/api/search?q={}", encode(q));
                    let r = agent.get(&url).call().and_then(|mut r| {
                        let s = r.status().as_u16();
                        r.body_mut().read_to_vec().map(|_| s)
                    });
                    search.push(t.elapsed().as_micros() as u64);
                    r.unwrap_or(0)
                };
                if status != 200 {
                    bail!("client {c}: HTTP {status}");
                }
            }
            Ok((search, write))
        }));
    }
    std::thread::sleep(Duration::from_secs(secs));
    stop.store(true, Ordering::SeqCst);
    let (mut search, mut write) = (Vec::new(), Vec::new());
    let mut errors = Vec::new();
    for h in handles {
        match h.join() {
            Ok(Ok((s, w))) => {
                search.extend(s);
                write.extend(w);
            }
            Ok(Err(e)) => errors.push(e.to_string()),
            Err(_) => errors.push("a client thread panicked".into()),
        }
    }
    for (name, lat) in [("search", &mut search), ("progress write", &mut write)] {
        lat.sort_unstable();
        let p = |q: f64| lat.get(((lat.len() as f64 - 1.0) * q) as usize).copied().unwrap_or(0) as f64 / 1000.0;
        println!(
            "{name:>15}: {:>7} requests, {:>7.0}/s   p50 {:>6.2} ms   p95 {:>6.2} ms   p99 {:>6.2} ms   max {:>7.2} ms",
            lat.len(),
            lat.len() as f64 / secs as f64,
            p(0.5),
            p(0.95),
            p(0.99),
            p(1.0)
        );
    }
    println!("errors: {}", errors.len());
    let _ = std::fs::remove_dir_all(&data);
    if !errors.is_empty() {
        bail!("{} clients failed, first: {}", errors.len(), errors[0]);
    }
    Ok(())
}

fn encode(q: &str) -> String {
    q.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

fn tempdir() -> anyhow::Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("guildhall-bench-serve-{}", std::process::id()));
    std::fs::create_dir_all(&dir).context("temp dir")?;
    Ok(dir)
}
