//! Huike's HTTP layer: the JSON API with its OpenAPI document, the pages, and operations
//! endpoints, assembled into one server that `main` and the tests start the same way.

pub mod api;
pub mod api_calendar;
pub mod api_delivery;
pub mod api_input;
pub mod api_io;
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
use utoipa::OpenApi;
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
                .merge(api_calendar::routes())
                .merge(api_tasks::routes())
                .merge(api_delivery::routes()),
        )
        .merge(SwaggerUi::new("/api/docs").url("/api/v1/openapi.json", openapi()))
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

/// The OpenAPI document of `/api/v1`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = api::ApiDoc::openapi();
    doc.merge(api_io::IoApiDoc::openapi());
    doc.merge(api_calendar::CalendarDoc::openapi());
    doc.merge(api_tasks::TasksDoc::openapi());
    doc.merge(api_delivery::DeliveryDoc::openapi());
    publish_field_rules(&mut doc);
    doc
}

/// Writes each input field's limits into its schema from the rules the checks apply
/// (`huike_app::validate::input_rules`), so the document cannot state other limits.
fn publish_field_rules(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{RefOr, Schema};
    let Some(components) = doc.components.as_mut() else {
        return;
    };
    for (name, fields) in huike_app::validate::input_rules() {
        let Some(RefOr::T(Schema::Object(input))) = components.schemas.get_mut(name) else {
            tracing::warn!(schema = name, "no such input schema to state limits on");
            continue;
        };
        for f in fields {
            if f.required && !input.required.iter().any(|r| r == f.key) {
                input.required.push(f.key.to_string());
            }
            if let Some(RefOr::T(Schema::Object(prop))) = input.properties.get_mut(f.key) {
                prop.max_length = Some(f.max);
                if f.required {
                    // Blank is refused: at least one character that is not a space.
                    prop.min_length = Some(1);
                    prop.pattern = Some(r"\S".into());
                    // The empty default serde fills in is exactly what is refused.
                    prop.default = None;
                }
                if f.kind == huike_app::validate::TextKind::Qq {
                    prop.pattern = Some(r"^\s*[0-9]*\s*$".into());
                }
            }
        }
    }
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
mod tests {
    use utoipa::openapi::{RefOr, Schema};

    /// Every input the rules name is in the document with each ruled property, carrying the
    /// rule's limits; a renamed type or field would otherwise drop them silently.
    #[test]
    fn the_document_states_every_field_rule() {
        let doc = super::openapi();
        let schemas = &doc.components.as_ref().expect("components").schemas;
        for (name, fields) in huike_app::validate::input_rules() {
            let Some(RefOr::T(Schema::Object(input))) = schemas.get(name) else {
                panic!("{name} is not an object schema of the document");
            };
            for f in fields {
                let Some(RefOr::T(Schema::Object(p))) = input.properties.get(f.key) else {
                    panic!("{name}.{} is not in the document", f.key);
                };
                assert_eq!(p.max_length, Some(f.max), "{name}.{}", f.key);
                assert_eq!(
                    input.required.iter().any(|r| r == f.key),
                    f.required,
                    "{name}.{}",
                    f.key
                );
            }
        }
        let Some(RefOr::T(Schema::Object(c))) = schemas.get("CustomerInput") else {
            panic!("CustomerInput");
        };
        let Some(RefOr::T(Schema::Object(city))) = c.properties.get("city") else {
            panic!("city");
        };
        assert_eq!(city.max_length, Some(50));
    }
}
