//! Operations endpoints answer without logging in; the OpenAPI document lists the API.

use reqwest::StatusCode;

use crate::on_each_backend;

#[tokio::test]
async fn health_readiness_metrics_and_the_openapi_document() {
    on_each_backend!(|t| {
        let c = reqwest::Client::new();
        let get = |p: &str| c.get(format!("{}{p}", t.base)).send();
        assert_eq!(
            get("/healthz").await.expect("healthz").status(),
            StatusCode::OK
        );
        assert_eq!(
            get("/readyz").await.expect("readyz").status(),
            StatusCode::OK
        );
        let doc: serde_json::Value = get("/api/v1/openapi.json")
            .await
            .expect("doc")
            .json()
            .await
            .expect("json");
        assert!(doc["openapi"].as_str().unwrap_or("").starts_with("3."));
        for path in [
            "/api/v1/customers",
            "/api/v1/search",
            "/api/v1/customers/{id}/contacts",
            "/api/v1/orders",
        ] {
            assert!(
                doc["paths"][path].is_object(),
                "{path} missing from the OpenAPI document"
            );
        }
        let metrics = get("/metrics")
            .await
            .expect("metrics")
            .text()
            .await
            .unwrap_or_default();
        assert!(metrics.contains("huike_http_requests_total"), "{metrics}");
        // Unauthenticated API calls get a problem body with a stable code.
        let r = get("/api/v1/customers").await.expect("api");
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        let body: serde_json::Value = r.json().await.expect("json");
        assert_eq!(body["code"], "unauthenticated");
    });
}
