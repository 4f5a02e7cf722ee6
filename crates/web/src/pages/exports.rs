//! "Export Excel / CSV" on every list page: the list as shown (filters and visibility), all
//! pages of it, as a file.

use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use huike_app::AppResult;
use huike_app::contacts::ContactQuery;
use huike_app::customers::CustomerQuery;
use huike_app::list_export::{self, ExportFormat, Table};
use huike_app::orders::OrderQuery;
use huike_app::products::ProductQuery;
use serde::Deserialize;

use super::{Authed, Ctx, app_error};
use crate::api_io::file_response;
use crate::state::AppState;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Encoding {
    /// CSV only: utf8bom (default), utf8 or gbk.
    encoding: Option<String>,
}

fn send(s: &AppState, ctx: &Ctx, ext: &str, enc: Encoding, table: AppResult<Table>) -> Response {
    match ExportFormat::from_params(Some(ext), enc.encoding.as_deref())
        .and_then(|format| list_export::render(&s.app, &table?, format))
    {
        Ok(file) => file_response(file),
        Err(e) => app_error(ctx, e),
    }
}

macro_rules! export_route {
    ($router:ident, $path:literal, $ext:literal, $query:ty, $fetch:path) => {
        $router = $router.route(
            $path,
            get(
                |State(s): State<AppState>,
                 Authed(ctx, actor): Authed,
                 Query(enc): Query<Encoding>,
                 Query(q): Query<$query>| async move {
                    let table = $fetch(&s.app, &actor, &q).await;
                    send(&s, &ctx, $ext, enc, table)
                },
            ),
        );
    };
}

pub fn routes() -> Router<AppState> {
    let mut r = Router::new();
    export_route!(
        r,
        "/customers/export.xlsx",
        "xlsx",
        CustomerQuery,
        list_export::customers
    );
    export_route!(
        r,
        "/customers/export.csv",
        "csv",
        CustomerQuery,
        list_export::customers
    );
    export_route!(
        r,
        "/contacts/export.xlsx",
        "xlsx",
        ContactQuery,
        list_export::contacts
    );
    export_route!(
        r,
        "/contacts/export.csv",
        "csv",
        ContactQuery,
        list_export::contacts
    );
    export_route!(
        r,
        "/products/export.xlsx",
        "xlsx",
        ProductQuery,
        list_export::products
    );
    export_route!(
        r,
        "/products/export.csv",
        "csv",
        ProductQuery,
        list_export::products
    );
    export_route!(
        r,
        "/orders/export.xlsx",
        "xlsx",
        OrderQuery,
        list_export::orders
    );
    export_route!(
        r,
        "/orders/export.csv",
        "csv",
        OrderQuery,
        list_export::orders
    );
    r
}
