//! What every handler shares: the application services and the server configuration.

use std::sync::Arc;

use huike_app::App;
use metrics_exporter_prometheus::PrometheusHandle;

use crate::config::Config;

#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub config: Arc<Config>,
    pub metrics: Option<PrometheusHandle>,
}
