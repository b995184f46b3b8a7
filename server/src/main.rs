use manager_server::config::Config;
use manager_server::http::router;
use manager_server::store::demo::{DEMO_PASSWORD, DEMO_USERS};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let config = Config::from_env()?;
    let state = manager_server::prepare(&config).await?;
    let store = state.store.clone();
    let stopping = state.stopping.clone();
    let jobs = manager_server::jobs::spawn(
        state.services.clone(),
        store.clone(),
        state.mailer.clone(),
        state.webhooks.clone(),
    );
    tracing::info!(counts = ?store.table_counts().await?, "database ready");
    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    println!("Manager listening on {}", config.public_url);
    if config.demo {
        println!("Demo logins (password: {DEMO_PASSWORD}):");
        for (_, email, _) in DEMO_USERS {
            println!("  {email}");
        }
    }
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        shutdown_signal().await;
        stopping.send_replace(true);
    })
    .await?;
    jobs.stop().await;
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
