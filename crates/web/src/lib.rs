//! Huike's HTTP layer: the JSON API with its OpenAPI document, the pages, and operations
//! endpoints, assembled into one server that `main` and the tests start the same way.

pub mod api;
pub mod api_calendar;
pub mod api_delivery;
pub mod api_doc;
pub mod api_faults;
pub mod api_greetings;
pub mod api_input;
pub mod api_io;
pub mod api_labels;
pub mod api_news;
pub mod api_order_import;
pub mod api_referrals;
pub mod api_tasks;
pub mod config;
pub mod extract;
pub mod feeds;
pub mod i18n;
pub mod nul_guard;
pub mod ops;
pub mod pages;
pub mod problem;
pub mod request_id;
pub mod state;

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::Router;
use huike_app::App;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;
use utoipa_swagger_ui::SwaggerUi;

pub use config::Config;
pub use state::AppState;

/// The Prometheus recorder is process-wide; tests start several servers in one process.
fn metrics_handle() -> Option<PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| PrometheusBuilder::new().install_recorder().ok())
        .clone()
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .nest(
            "/api/v1",
            api::routes()
                .merge(api_io::routes())
                .merge(api_order_import::routes())
                .merge(api_calendar::routes())
                .merge(api_tasks::routes())
                .merge(api_greetings::routes())
                .merge(api_faults::routes())
                .merge(api_labels::routes())
                .merge(api_news::routes())
                .merge(api_referrals::routes())
                .merge(api_delivery::routes()),
        )
        .merge(
            SwaggerUi::new("/api/docs").external_url_unchecked("/api/v1/openapi.json", openapi()),
        )
        .merge(ops::routes())
        .merge(feeds::routes())
        .merge(pages::routes().layer(axum::middleware::from_fn_with_state(
            state.clone(),
            pages::guard,
        )))
        .merge(pages::assets::routes())
        .layer(axum::middleware::from_fn(ops::track))
        .layer(axum::middleware::from_fn(nul_guard::layer))
        // Imports upload whole workbooks; everything else is small.
        .layer(RequestBodyLimitLayer::new(64 * 1024 * 1024))
        .layer(CompressionLayer::new())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_id::span)
                // A failure's cause is logged once where it is known (`problem::report`),
                // not again here; responses are logged at debug (HUIKE_LOG=tower_http=debug).
                .on_failure(()),
        )
        // Outermost, so the trace span and every layer inside see the request's id.
        .layer(axum::middleware::from_fn(request_id::layer))
        .with_state(state)
}

/// The OpenAPI document of `/api/v1`, stating every rule the checks apply (`api_doc`).
pub fn openapi() -> serde_json::Value {
    api_doc::document()
}

/// A bound, ready-to-serve server.
pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
}

impl Application {
    /// Binds the port (0 picks a free one) for an app that is already open: the CLI opens it
    /// (and may load demo data first); tests open theirs with a clock they control.
    pub async fn build_with_app(config: Config, app: App) -> anyhow_like::Result<Application> {
        let listener = TcpListener::bind((config.host.as_str(), config.port)).await?;
        let state = AppState {
            app,
            config: Arc::new(config),
            metrics: metrics_handle(),
        };
        Ok(Application {
            router: router(state.clone()),
            listener,
            state,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 0)))
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` resolves, then finishes requests in flight and closes the pool.
    pub async fn run_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let app = self.state.app.clone();
        let scheduler = self
            .state
            .config
            .scheduler
            .then(|| tokio::spawn(schedule(app.clone())));
        let workers = match self.state.config.outbox_workers {
            true => Some(tokio::spawn(deliver(app.clone()))),
            false => None,
        };
        let result = axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await;
        for task in [scheduler, workers].into_iter().flatten() {
            task.abort();
        }
        app.close().await;
        result
    }
}

/// Sends queued messages: claims what is due, sends it, and looks again at once while there
/// is more, else after a short pause.
async fn deliver(app: App) {
    let worker = format!("{}-{}", std::process::id(), uuid::Uuid::now_v7().simple());
    let deliverer = match huike_app::outbox::Deliverer::new(app.settings.delivery.clone()) {
        Ok(d) => d,
        Err(e) => {
            tracing::error!(error = %e, "outgoing messages cannot be sent: fix the setting and restart");
            return;
        }
    };
    loop {
        match huike_app::outbox::deliver_once(&app, &deliverer, &worker).await {
            Ok(n) if n > 0 => continue,
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "sending queued messages failed"),
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// Runs the scheduled jobs: at start (catching up a slot missed while down) and then every
/// minute; each slot runs once across every instance on the database.
async fn schedule(app: App) {
    let instance = format!("{}-{}", std::process::id(), uuid::Uuid::now_v7().simple());
    let mut tick = tokio::time::interval(Duration::from_secs(60));
    loop {
        tick.tick().await;
        if let Err(e) = huike_app::jobs::tick(&app, &instance).await {
            tracing::warn!(error = %e, "a scheduled job failed");
        }
    }
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

/// Start-up errors of the server (the app is opened before it).
pub mod anyhow_like {
    #[derive(Debug, thiserror::Error)]
    pub enum StartError {
        #[error("cannot listen: {0}")]
        Io(#[from] std::io::Error),
    }
    pub type Result<T> = std::result::Result<T, StartError>;
}

#[cfg(test)]
mod tests;
