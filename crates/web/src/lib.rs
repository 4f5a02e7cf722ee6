//! Huike's HTTP layer: the JSON API with its OpenAPI document, the pages, and operations
//! endpoints, assembled into one server that `main` and the tests start the same way.

pub mod api;
pub mod api_calendar;
pub mod api_doc;
pub mod api_input;
pub mod api_io;
pub mod config;
pub mod extract;
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
                .merge(api_calendar::routes()),
        )
        .merge(
            SwaggerUi::new("/api/docs").external_url_unchecked("/api/v1/openapi.json", openapi()),
        )
        .merge(ops::routes())
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
        let sweeper = tokio::spawn(sweep_sessions(app.clone()));
        let result = axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await;
        sweeper.abort();
        app.close().await;
        result
    }
}

/// Expired sessions are deleted hourly so the table does not grow without bound.
async fn sweep_sessions(app: App) {
    let mut tick = tokio::time::interval(Duration::from_secs(3600));
    loop {
        tick.tick().await;
        if let Err(e) = huike_app::auth::sweep_sessions(&app).await {
            tracing::warn!(error = %e, "session sweep failed");
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
