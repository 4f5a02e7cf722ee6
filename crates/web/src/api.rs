//! The JSON API `/api/v1`: the same services and the same view types the pages render, with
//! problem bodies on error; each operation's OpenAPI entry names those types.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use huike_app::contacts::{ContactInput, ContactQuery};
use huike_app::customers::{CustomerInput, CustomerQuery, TimelineQuery};
use huike_app::orders::{OrderInput, OrderQuery};
use huike_app::products::{CategoryInput, ProductInput, ProductQuery};
use huike_app::timeline::InteractionInput;
use huike_app::users::UserInput;
use huike_app::views::{
    CategoryView, ContactRow, ContactView, CreatedToken, CustomerPage, CustomerRecord, CustomerRow,
    HistoryView, OrderDetail, OrderRecord, OrderRow, Page, ProductRecord, ProductRow,
    SearchResults, TimelineItem, TokenView, UserRecord, UserRow,
};
use huike_app::{AppError, contacts, customers, orders, products, search, timeline, users};
use serde::Deserialize;

use crate::api_input::{ApiJson, ApiQuery};
use crate::extract::ApiActor;
use crate::problem::{
    ApiError, Conflict, Forbidden, Invalid, NotFound, Problem, RateLimited, Unauthenticated,
};
use crate::state::AppState;

type ApiResult<T> = Result<T, ApiError>;

fn lang_err(actor: &huike_app::Actor) -> impl Fn(AppError) -> ApiError + '_ {
    move |e| ApiError(e, actor.lang)
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/customers", get(list_customers).post(create_customer))
        .route(
            "/customers/{id}",
            get(get_customer)
                .put(update_customer)
                .delete(delete_customer),
        )
        .route(
            "/customers/{id}/contacts",
            get(list_customer_contacts).post(create_contact),
        )
        .route(
            "/customers/{id}/interactions",
            get(list_interactions).post(create_interaction),
        )
        .route("/customers/{id}/history", get(customer_history))
        .route("/contacts", get(list_contacts))
        .route(
            "/contacts/{id}",
            get(get_contact).put(update_contact).delete(delete_contact),
        )
        .route("/products", get(list_products).post(create_product))
        .route("/products/{id}", get(get_product).put(update_product))
        .route("/categories", get(list_categories).post(create_category))
        .route("/orders", get(list_orders).post(create_order))
        .route("/orders/{id}", get(get_order).put(update_order))
        .route("/users", get(list_users).post(create_user))
        .route("/search", get(search_all))
        .route("/session", post(login).delete(logout))
        .route("/tokens", get(list_tokens).post(create_token))
        .route("/tokens/{id}/revoke", post(revoke_token))
}

/// A page of customers the caller may see (reps: own and shared; managers: their
/// department), with the total.
#[utoipa::path(get, path = "/api/v1/customers", params(CustomerQuery), tag = "customers",
    responses((status = 200, body = Page<CustomerRow>, description = "Success"),
        Unauthenticated,
        Invalid))]
async fn list_customers(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<CustomerQuery>,
) -> ApiResult<Json<Page<CustomerRow>>> {
    Ok(Json(
        customers::list(&s.app, &a, &q)
            .await
            .map_err(lang_err(&a))?,
    ))
}

/// Creates a customer (service agents may not).
#[utoipa::path(post, path = "/api/v1/customers", request_body = CustomerInput, tag = "customers",
    responses((status = 201, body = CustomerRecord, description = "Created"),
        Unauthenticated,
        Forbidden,
        NotFound,
        Conflict,
        Invalid))]
async fn create_customer(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<CustomerInput>,
) -> ApiResult<(StatusCode, Json<CustomerRecord>)> {
    let c = customers::create(&s.app, &a, &input)
        .await
        .map_err(lang_err(&a))?;
    Ok((StatusCode::CREATED, Json(c)))
}

/// The customer with its archive, contacts (with approach), trust, timeline and orders.
#[utoipa::path(get, path = "/api/v1/customers/{id}", tag = "customers",
    params(("id" = String, Path, description = "The customer's id")),
    responses((status = 200, body = CustomerPage, description = "Success"),
        Unauthenticated,
        NotFound))]
async fn get_customer(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<CustomerPage>> {
    Ok(Json(
        customers::view(&s.app, &a, &id, &TimelineQuery::default())
            .await
            .map_err(lang_err(&a))?,
    ))
}

/// Saves the customer; send the `version` you read so someone else's change is not lost.
#[utoipa::path(put, path = "/api/v1/customers/{id}", request_body = CustomerInput, tag = "customers",
    params(("id" = String, Path, description = "The customer's id")),
    responses((status = 200, body = CustomerRecord, description = "Success"),
        Unauthenticated,
        Forbidden,
        NotFound,
        Conflict,
        Invalid))]
async fn update_customer(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<CustomerInput>,
) -> ApiResult<Json<CustomerRecord>> {
    Ok(Json(
        customers::update(&s.app, &a, &id, &input)
            .await
            .map_err(lang_err(&a))?,
    ))
}

/// Deletes a customer without orders (managers and admins).
#[utoipa::path(delete, path = "/api/v1/customers/{id}", tag = "customers",
    params(("id" = String, Path, description = "The customer's id")),
    responses((status = 204, description = "Deleted"),
        Unauthenticated,
        Forbidden,
        NotFound,
        Conflict))]
async fn delete_customer(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    customers::delete(&s.app, &a, &id)
        .await
        .map_err(lang_err(&a))?;
    Ok(StatusCode::NO_CONTENT)
}

/// The change history of the customer and its contacts, newest first.
#[utoipa::path(get, path = "/api/v1/customers/{id}/history", tag = "customers",
    params(("id" = String, Path, description = "The customer's id")),
    responses((status = 200, body = Vec<HistoryView>, description = "Success"),
        Unauthenticated,
        NotFound))]
async fn customer_history(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<HistoryView>>> {
    Ok(Json(
        customers::history(&s.app, &a, &id)
            .await
            .map_err(lang_err(&a))?,
    ))
}

/// The customer's contacts, each with the approach for their personality type.
#[utoipa::path(get, path = "/api/v1/customers/{id}/contacts", tag = "contacts",
    params(("id" = String, Path, description = "The customer's id")),
    responses((status = 200, body = Vec<ContactView>, description = "Success"),
        Unauthenticated,
        NotFound))]
async fn list_customer_contacts(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<ContactView>>> {
    let (_, contacts) = customers::with_contacts(&s.app, &a, &id)
        .await
        .map_err(lang_err(&a))?;
    Ok(Json(contacts))
}

/// Adds a contact to the customer.
#[utoipa::path(post, path = "/api/v1/customers/{id}/contacts", request_body = ContactInput, tag = "contacts",
    params(("id" = String, Path, description = "The customer's id")),
    responses((status = 201, body = ContactView, description = "Created"),
        Unauthenticated,
        Forbidden,
        NotFound,
        Invalid))]
async fn create_contact(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ContactInput>,
) -> ApiResult<(StatusCode, Json<ContactView>)> {
    let k = contacts::create(&s.app, &a, &id, &input)
        .await
        .map_err(lang_err(&a))?;
    Ok((StatusCode::CREATED, Json(k)))
}

/// A page of contacts of the customers the caller may see.
#[utoipa::path(get, path = "/api/v1/contacts", params(ContactQuery), tag = "contacts",
    responses((status = 200, body = Page<ContactRow>, description = "Success"),
        Unauthenticated,
        Invalid))]
async fn list_contacts(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<ContactQuery>,
) -> ApiResult<Json<Page<ContactRow>>> {
    Ok(Json(
        contacts::list(&s.app, &a, &q).await.map_err(lang_err(&a))?,
    ))
}

/// A contact with the approach for their personality type and their trust.
#[utoipa::path(get, path = "/api/v1/contacts/{id}", tag = "contacts",
    params(("id" = String, Path, description = "The contact's id")),
    responses((status = 200, body = ContactView, description = "Success"),
        Unauthenticated,
        NotFound))]
async fn get_contact(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<ContactView>> {
    Ok(Json(
        contacts::get(&s.app, &a, &id).await.map_err(lang_err(&a))?,
    ))
}

/// Saves the contact; send the `version` you read.
#[utoipa::path(put, path = "/api/v1/contacts/{id}", request_body = ContactInput, tag = "contacts",
    params(("id" = String, Path, description = "The contact's id")),
    responses((status = 200, body = ContactView, description = "Success"),
        Unauthenticated,
        NotFound,
        Conflict,
        Invalid))]
async fn update_contact(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ContactInput>,
) -> ApiResult<Json<ContactView>> {
    Ok(Json(
        contacts::update(&s.app, &a, &id, &input)
            .await
            .map_err(lang_err(&a))?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/contacts/{id}", tag = "contacts",
    params(("id" = String, Path, description = "The contact's id")),
    responses((status = 204, description = "Deleted"),
        Unauthenticated,
        NotFound))]
async fn delete_contact(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    contacts::delete(&s.app, &a, &id)
        .await
        .map_err(lang_err(&a))?;
    Ok(StatusCode::NO_CONTENT)
}

/// The customer's timeline, newest first (at most 500 entries).
#[utoipa::path(get, path = "/api/v1/customers/{id}/interactions", params(("id" = String, Path, description = "The customer's id"), TimelineQuery), tag = "timeline",
    responses((status = 200, body = Vec<TimelineItem>, description = "Success"),
        Unauthenticated,
        NotFound,
        Invalid))]
async fn list_interactions(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<TimelineQuery>,
) -> ApiResult<Json<Vec<TimelineItem>>> {
    Ok(Json(
        customers::timeline(&s.app, &a, &id, &q)
            .await
            .map_err(lang_err(&a))?,
    ))
}

/// Logs an interaction on the customer's timeline.
#[utoipa::path(post, path = "/api/v1/customers/{id}/interactions", request_body = InteractionInput, tag = "timeline",
    params(("id" = String, Path, description = "The customer's id")),
    responses((status = 201, body = TimelineItem, description = "Created"),
        Unauthenticated,
        NotFound,
        Invalid))]
async fn create_interaction(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<InteractionInput>,
) -> ApiResult<(StatusCode, Json<TimelineItem>)> {
    let i = timeline::log(&s.app, &a, &id, &input)
        .await
        .map_err(lang_err(&a))?;
    Ok((StatusCode::CREATED, Json(i)))
}

#[utoipa::path(get, path = "/api/v1/products", params(ProductQuery), tag = "catalogue",
    responses((status = 200, body = Page<ProductRow>, description = "Success"),
        Unauthenticated,
        Invalid))]
async fn list_products(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<ProductQuery>,
) -> ApiResult<Json<Page<ProductRow>>> {
    Ok(Json(
        products::list(&s.app, &q).await.map_err(lang_err(&a))?,
    ))
}

/// Adds a product (admins and managers).
#[utoipa::path(post, path = "/api/v1/products", request_body = ProductInput, tag = "catalogue",
    responses((status = 201, body = ProductRecord, description = "Created"),
        Unauthenticated,
        Forbidden,
        NotFound,
        Conflict,
        Invalid))]
async fn create_product(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<ProductInput>,
) -> ApiResult<(StatusCode, Json<ProductRecord>)> {
    Ok((
        StatusCode::CREATED,
        Json(
            products::create(&s.app, &a, &input)
                .await
                .map_err(lang_err(&a))?,
        ),
    ))
}

#[utoipa::path(get, path = "/api/v1/products/{id}", tag = "catalogue",
    params(("id" = String, Path, description = "The product's id")),
    responses((status = 200, body = ProductRecord, description = "Success"),
        Unauthenticated,
        NotFound))]
async fn get_product(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<ProductRecord>> {
    Ok(Json(
        products::get(&s.app, &id).await.map_err(lang_err(&a))?,
    ))
}

#[utoipa::path(put, path = "/api/v1/products/{id}", request_body = ProductInput, tag = "catalogue",
    params(("id" = String, Path, description = "The product's id")),
    responses((status = 200, body = ProductRecord, description = "Success"),
        Unauthenticated,
        Forbidden,
        NotFound,
        Conflict,
        Invalid))]
async fn update_product(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ProductInput>,
) -> ApiResult<Json<ProductRecord>> {
    Ok(Json(
        products::update(&s.app, &a, &id, &input)
            .await
            .map_err(lang_err(&a))?,
    ))
}

#[utoipa::path(get, path = "/api/v1/categories", tag = "catalogue",
    responses((status = 200, body = Vec<CategoryView>, description = "Success"),
        Unauthenticated))]
async fn list_categories(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
) -> ApiResult<Json<Vec<CategoryView>>> {
    Ok(Json(
        products::categories(&s.app).await.map_err(lang_err(&a))?,
    ))
}

#[utoipa::path(post, path = "/api/v1/categories", request_body = CategoryInput, tag = "catalogue",
    responses((status = 201, body = CategoryView, description = "Created"),
        Unauthenticated,
        Forbidden,
        NotFound,
        Conflict,
        Invalid))]
async fn create_category(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<CategoryInput>,
) -> ApiResult<(StatusCode, Json<CategoryView>)> {
    Ok((
        StatusCode::CREATED,
        Json(
            products::create_category(&s.app, &a, &input)
                .await
                .map_err(lang_err(&a))?,
        ),
    ))
}

/// A page of orders of the customers the caller may see.
#[utoipa::path(get, path = "/api/v1/orders", params(OrderQuery), tag = "orders",
    responses((status = 200, body = Page<OrderRow>, description = "Success"),
        Unauthenticated,
        Invalid))]
async fn list_orders(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<OrderQuery>,
) -> ApiResult<Json<Page<OrderRow>>> {
    Ok(Json(
        orders::list(&s.app, &a, &q).await.map_err(lang_err(&a))?,
    ))
}

/// Saves an order with its lines; it is numbered SO-YYYYMMDD-NNNN by its order date.
#[utoipa::path(post, path = "/api/v1/orders", request_body = OrderInput, tag = "orders",
    responses((status = 201, body = OrderRecord, description = "Created"),
        Unauthenticated,
        NotFound,
        Invalid))]
async fn create_order(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<OrderInput>,
) -> ApiResult<(StatusCode, Json<OrderRecord>)> {
    Ok((
        StatusCode::CREATED,
        Json(
            orders::create(&s.app, &a, &input)
                .await
                .map_err(lang_err(&a))?,
        ),
    ))
}

#[utoipa::path(get, path = "/api/v1/orders/{id}", tag = "orders",
    params(("id" = String, Path, description = "The order's id")),
    responses((status = 200, body = OrderDetail, description = "Success"),
        Unauthenticated,
        NotFound))]
async fn get_order(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<OrderDetail>> {
    Ok(Json(
        orders::view(&s.app, &a, &id).await.map_err(lang_err(&a))?,
    ))
}

#[utoipa::path(put, path = "/api/v1/orders/{id}", request_body = OrderInput, tag = "orders",
    params(("id" = String, Path, description = "The order's id")),
    responses((status = 200, body = OrderRecord, description = "Success"),
        Unauthenticated,
        NotFound,
        Invalid))]
async fn update_order(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<OrderInput>,
) -> ApiResult<Json<OrderRecord>> {
    Ok(Json(
        orders::update(&s.app, &a, &id, &input)
            .await
            .map_err(lang_err(&a))?,
    ))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
// Query-string parameters (utoipa would otherwise list them as path parameters).
#[into_params(parameter_in = Query)]
#[serde(default)]
struct PageQuery {
    /// From 1.
    page: Option<i64>,
    /// 1 to 100 (default 50).
    per_page: Option<i64>,
}

/// Users: admins see all, managers their department.
#[utoipa::path(get, path = "/api/v1/users", params(PageQuery), tag = "users",
    responses((status = 200, body = Page<UserRow>, description = "Success"),
        Unauthenticated,
        Forbidden,
        Invalid))]
async fn list_users(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<UserRow>>> {
    Ok(Json(
        users::list(&s.app, Some(&a), huike_app::paging(q.page, q.per_page))
            .await
            .map_err(lang_err(&a))?,
    ))
}

/// Adds a user (admins).
#[utoipa::path(post, path = "/api/v1/users", request_body = UserInput, tag = "users",
    responses((status = 201, body = UserRecord, description = "Created"),
        Unauthenticated,
        Forbidden,
        NotFound,
        Conflict,
        Invalid))]
async fn create_user(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<UserInput>,
) -> ApiResult<(StatusCode, Json<UserRecord>)> {
    Ok((
        StatusCode::CREATED,
        Json(
            users::create(&s.app, Some(&a), &input)
                .await
                .map_err(lang_err(&a))?,
        ),
    ))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
// Query-string parameters (utoipa would otherwise list them as path parameters).
#[into_params(parameter_in = Query)]
#[serde(default)]
struct SearchQuery {
    /// Name, pinyin (full or initials), phone (any part from the end), or e-mail.
    q: String,
    /// From 1.
    page: Option<i64>,
    /// 1 to 100 (default 50).
    per_page: Option<i64>,
}

/// Customers and contacts the caller may see that match the query.
#[utoipa::path(get, path = "/api/v1/search", params(SearchQuery), tag = "search",
    responses((status = 200, body = SearchResults, description = "Success"),
        Unauthenticated,
        Invalid))]
async fn search_all(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> ApiResult<Json<SearchResults>> {
    Ok(Json(
        search::search(&s.app, &a, &q.q, huike_app::paging(q.page, q.per_page))
            .await
            .map_err(lang_err(&a))?,
    ))
}

#[derive(Debug, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
struct TokenInput {
    /// What the token is for (1 to 100 characters).
    name: String,
}

/// The caller's API tokens (never the secret).
#[utoipa::path(get, path = "/api/v1/tokens", tag = "tokens",
    responses((status = 200, body = Vec<TokenView>, description = "Success"),
        Unauthenticated))]
async fn list_tokens(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
) -> ApiResult<Json<Vec<TokenView>>> {
    Ok(Json(
        huike_app::auth::list_tokens(&s.app, &a)
            .await
            .map_err(lang_err(&a))?,
    ))
}

/// Makes a token for the caller; its secret is in this answer and never again.
#[utoipa::path(post, path = "/api/v1/tokens", request_body = TokenInput, tag = "tokens",
    responses((status = 201, body = CreatedToken, description = "Created"),
        Unauthenticated,
        Forbidden,
        Invalid))]
async fn create_token(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<TokenInput>,
) -> ApiResult<(StatusCode, Json<CreatedToken>)> {
    let t = huike_app::auth::create_token(&s.app, &a, &input.name)
        .await
        .map_err(lang_err(&a))?;
    Ok((StatusCode::CREATED, Json(t)))
}

/// Revokes one of the caller's tokens: requests with it are refused from then on.
#[utoipa::path(post, path = "/api/v1/tokens/{id}/revoke", tag = "tokens",
    params(("id" = String, Path, description = "The token's id")),
    responses((status = 204, description = "Revoked"),
        Unauthenticated,
        Forbidden,
        NotFound))]
async fn revoke_token(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    huike_app::auth::revoke_token(&s.app, &a, &id)
        .await
        .map_err(lang_err(&a))?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Default, Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
struct LoginInput {
    username: String,
    password: String,
}

/// Who logged in, and the token cookie-authenticated writes must send.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
struct LoggedIn {
    user: SessionUser,
    /// Send as `X-CSRF-Token` with every write made with the session cookie.
    csrf_token: String,
}

#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
struct SessionUser {
    id: String,
    username: String,
    /// admin | manager | sales | service
    role: String,
}

/// Logs in with a password: sets the session cookie and returns the CSRF token that
/// cookie-authenticated writes must send as `X-CSRF-Token`.
#[utoipa::path(post, path = "/api/v1/session", request_body = LoginInput, tag = "session",
    responses((status = 200, body = LoggedIn, description = "Logged in; the session cookie is set"),
        Invalid,
        RateLimited))]
async fn login(
    State(s): State<AppState>,
    axum::extract::ConnectInfo(peer): axum::extract::ConnectInfo<std::net::SocketAddr>,
    headers: axum::http::HeaderMap,
    ApiJson(input): ApiJson<LoginInput>,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let lang = headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(huike_domain::Lang::from_tag)
        .unwrap_or_default();
    let session = huike_app::auth::login(
        &s.app,
        &input.username,
        &input.password,
        &peer.ip().to_string(),
    )
    .await
    .map_err(|e| ApiError(e, lang))?;
    let cookie = crate::extract::session_cookie(
        &session.cookie_value,
        s.app.settings.session_hours * 3600,
        s.config.secure_cookies,
    );
    let body = Json(LoggedIn {
        user: SessionUser {
            id: session.actor.user_id,
            username: session.actor.username,
            role: session.actor.role.code().to_string(),
        },
        csrf_token: session.csrf_token,
    });
    Ok(([(axum::http::header::SET_COOKIE, cookie)], body).into_response())
}

#[utoipa::path(delete, path = "/api/v1/session", tag = "session", responses((status = 204, description = "Logged out")))]
async fn logout(
    State(s): State<AppState>,
    headers: axum::http::HeaderMap,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let value = headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == crate::extract::SESSION_COOKIE)
        .map(|(_, v)| v.to_string());
    if let Some(v) = value {
        let _ = huike_app::auth::logout(&s.app, &v).await;
    }
    (
        StatusCode::NO_CONTENT,
        [(
            axum::http::header::SET_COOKIE,
            crate::extract::session_cookie("", 0, s.config.secure_cookies),
        )],
    )
        .into_response()
}

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Huike 回客 API",
        version = "1",
        description = "Customers, contacts, timeline, catalogue, orders and search. Authenticate with `Authorization: Bearer hk_…` (create tokens on the account page or POST /api/v1/tokens). Errors are problem bodies with a stable `code`."
    ),
    paths(
        list_customers,
        create_customer,
        get_customer,
        update_customer,
        delete_customer,
        customer_history,
        list_customer_contacts,
        create_contact,
        list_contacts,
        get_contact,
        update_contact,
        delete_contact,
        list_interactions,
        create_interaction,
        list_products,
        create_product,
        get_product,
        update_product,
        list_categories,
        create_category,
        list_orders,
        create_order,
        get_order,
        update_order,
        list_users,
        create_user,
        search_all,
        list_tokens,
        create_token,
        revoke_token
    ),
    components(schemas(Problem, crate::problem::ProblemField))
)]
pub struct ApiDoc;
