use super::prelude::*;

/// Serve the hub as a JSON API (OpenAPI at /api/openapi.json) and the web UI at /.
///
/// Binds to loopback by default. Any other address needs --allow-remote: the API has no
/// authentication, so only do that on a network you trust.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:7878")]
    addr: std::net::SocketAddr,
    /// Allow listening on an address other than loopback.
    #[arg(long)]
    allow_remote: bool,
    /// Keep logged searches (the content-gap report's data) for this many days.
    #[arg(long, value_name = "DAYS", default_value_t = 90)]
    search_log_days: u32,
    /// Sync with the shared hub's remote on start and every this many minutes (0: only when asked).
    #[arg(long, value_name = "MINUTES", default_value_t = 5)]
    sync_every: u64,
    /// The built web UI [default: $GUILDHALL_UI, else ./ui/dist]
    #[arg(
        long,
        value_name = "DIR",
        env = "GUILDHALL_UI",
        default_value = "ui/dist",
        hide_default_value = true,
        hide_env = true
    )]
    ui: PathBuf,
}

pub fn run(g: &Global, args: Args) -> anyhow::Result<Outcome> {
    let addr = args.addr;
    if !addr.ip().is_loopback() {
        if !args.allow_remote {
            bail!("{addr} is not a loopback address; pass --allow-remote to listen on it anyway");
        }
        eprintln!("warning: listening on {addr}: anyone who can reach it can read this hub and change personal data");
    }
    let options = HubOptions::default().with_search_log_days(args.search_log_days);
    let hub = std::sync::Arc::new(open_indexed_with(g, &options, true)?);
    let errors = hub.diagnostics().iter().filter(|d| d.is_error()).count();
    if errors > 0 {
        eprintln!("note: the hub has {errors} content errors; run `guildhall check` to see them");
    }
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        // Saved changes are searchable within a second and pages follow; dropped on shutdown.
        let _watcher = hub.watch()?;
        // Only a clone of a shared hub syncs; stopped (after a sync in progress) on shutdown.
        let _sync = (args.sync_every > 0)
            .then(|| hub.sync_in_background(std::time::Duration::from_secs(args.sync_every * 60)));
        let listener =
            tokio::net::TcpListener::bind(addr).await.with_context(|| format!("cannot listen on {addr}"))?;
        let local = listener.local_addr()?;
        // Scripts and tests wait for this line to know the server is up (and which port it got).
        writeln!(stdout(), "guildhall: serving {} documents on http://{local}/", hub.catalog().documents().len())?;
        let app = guildhall_http::router(hub, Some(args.ui));
        axum::serve(listener, app).with_graceful_shutdown(shutdown()).await?;
        anyhow::Ok(())
    })?;
    Ok(Outcome::Success)
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
}
