//! The JSON API `/api/v1`: the same services the pages call, with problem bodies on error.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use huike_app::contacts::ContactInput;
use huike_app::customers::{CustomerInput, CustomerQuery};
use huike_app::orders::{OrderInput, OrderQuery};
use huike_app::products::{CategoryInput, ProductInput, ProductQuery};
use huike_app::timeline::InteractionInput;
use huike_app::users::UserInput;
use huike_app::{AppError, contacts, customers, orders, products, search, timeline, users};
use huike_store::interactions::TimelineFilter;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::api_input::{ApiJson, ApiQuery};
use crate::extract::ApiActor;
use crate::problem::ApiError;
use crate::state::AppState;

type ApiResult<T> = Result<T, ApiError>;

fn lang_err(actor: &huike_app::Actor) -> impl Fn(AppError) -> ApiError + '_ {
    move |e| ApiError(e, actor.lang)
}

fn to_json<T: serde::Serialize>(v: T) -> Json<Value> {
    Json(serde_json::to_value(v).unwrap_or(Value::Null))
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

#[utoipa::path(get, path = "/api/v1/customers", params(CustomerQuery), tag = "customers",
    responses((status = 200, description = "A page of customers the caller may see, with the total"), (status = 401, body = crate::problem::Problem)))]
async fn list_customers(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<CustomerQuery>,
) -> ApiResult<Json<Value>> {
    Ok(to_json(
        customers::list(&s.app, &a, &q)
            .await
            .map_err(lang_err(&a))?,
    ))
}

#[utoipa::path(post, path = "/api/v1/customers", request_body = CustomerInput, tag = "customers",
    responses((status = 201, description = "Created"), (status = 422, body = crate::problem::Problem)))]
async fn create_customer(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<CustomerInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let c = customers::create(&s.app, &a, &input)
        .await
        .map_err(lang_err(&a))?;
    Ok((StatusCode::CREATED, to_json(c)))
}

#[utoipa::path(get, path = "/api/v1/customers/{id}", tag = "customers",
    responses((status = 200, description = "The customer with archive, contacts (with approach), trust, timeline and orders"), (status = 404, body = crate::problem::Problem)))]
async fn get_customer(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let v = customers::view(&s.app, &a, &id, &TimelineFilter::default())
        .await
        .map_err(lang_err(&a))?;
    let lang = a.lang;
    let contacts: Vec<Value> = v.contacts.iter().map(|k| contact_json(k, lang)).collect();
    Ok(Json(json!({
        "customer": v.customer,
        "archive": v.archive,
        "sections": v.sections.iter().map(|x| json!({"section": x.section.code(), "confirmed_at": x.confirmed_at, "stale": x.stale})).collect::<Vec<_>>(),
        "owner_name": v.owner_name,
        "department_name": v.department_name,
        "contacts": contacts,
        "trust": {
            "quadrant": v.trust.quadrant.code(),
            "label": v.trust.quadrant.label(lang),
            "missing_axes": v.trust.missing_axes.iter().map(|x| x.code()).collect::<Vec<_>>(),
            "roles": v.trust.roles.iter().map(|(r, q)| json!({"role": r.code(), "quadrant": q.code()})).collect::<Vec<_>>(),
            "roles_missing": v.trust.roles_missing.iter().map(|r| r.code()).collect::<Vec<_>>(),
        },
        "timeline": v.timeline,
        "orders": v.orders,
        "orders_total": v.orders_total,
        "shares": v.shares,
        "can_edit": v.can_edit,
    })))
}

/// A contact with the service approach for its personality type, as every view shows it.
pub fn contact_json(k: &huike_store::contacts::Contact, lang: huike_domain::Lang) -> Value {
    let p = k
        .personality
        .as_deref()
        .and_then(huike_domain::PersonalityType::from_code);
    let trust =
        huike_domain::TrustQuadrant::from_axes(k.personal_interest == 1, k.org_interest == 1);
    let mut v = serde_json::to_value(k).unwrap_or(Value::Null);
    if let Value::Object(m) = &mut v {
        m.insert("personality_label".into(), json!(p.map(|p| p.label(lang))));
        m.insert("traits".into(), json!(p.map(|p| p.traits(lang))));
        m.insert("approach".into(), json!(p.map(|p| p.approach(lang))));
        m.insert(
            "low_key_tactics".into(),
            json!((k.low_key == 1).then(|| huike_domain::people::low_key::tactics(lang))),
        );
        m.insert("trust_quadrant".into(), json!(trust.code()));
        m.insert(
            "trust_missing_axes".into(),
            json!(
                trust
                    .missing_axes()
                    .iter()
                    .map(|x| x.code())
                    .collect::<Vec<_>>()
            ),
        );
        m.insert(
            "birthday".into(),
            json!(contacts::birthday_of(k).map(|b| b.display(lang))),
        );
    }
    v
}

#[utoipa::path(put, path = "/api/v1/customers/{id}", request_body = CustomerInput, tag = "customers",
    responses((status = 200, description = "Updated"), (status = 409, body = crate::problem::Problem), (status = 422, body = crate::problem::Problem)))]
async fn update_customer(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<CustomerInput>,
) -> ApiResult<Json<Value>> {
    Ok(to_json(
        customers::update(&s.app, &a, &id, &input)
            .await
            .map_err(lang_err(&a))?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/customers/{id}", tag = "customers", responses((status = 204, description = "Deleted")))]
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

#[utoipa::path(get, path = "/api/v1/customers/{id}/history", tag = "customers", responses((status = 200, description = "Change history of the customer and its contacts")))]
async fn customer_history(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    Ok(to_json(
        customers::history(&s.app, &a, &id)
            .await
            .map_err(lang_err(&a))?,
    ))
}

#[utoipa::path(get, path = "/api/v1/customers/{id}/contacts", tag = "contacts", responses((status = 200, description = "Contacts of a customer")))]
async fn list_customer_contacts(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let v = customers::view(&s.app, &a, &id, &TimelineFilter::default())
        .await
        .map_err(lang_err(&a))?;
    Ok(Json(Value::Array(
        v.contacts.iter().map(|k| contact_json(k, a.lang)).collect(),
    )))
}

#[utoipa::path(post, path = "/api/v1/customers/{id}/contacts", request_body = ContactInput, tag = "contacts",
    responses((status = 201, description = "Created"), (status = 422, body = crate::problem::Problem)))]
async fn create_contact(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ContactInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let k = contacts::create(&s.app, &a, &id, &input)
        .await
        .map_err(lang_err(&a))?;
    Ok((StatusCode::CREATED, Json(contact_json(&k, a.lang))))
}

#[utoipa::path(get, path = "/api/v1/contacts", params(huike_app::contacts::ContactQuery), tag = "contacts", responses((status = 200, description = "A page of contacts")))]
async fn list_contacts(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<huike_app::contacts::ContactQuery>,
) -> ApiResult<Json<Value>> {
    Ok(to_json(
        contacts::list(&s.app, &a, &q).await.map_err(lang_err(&a))?,
    ))
}

#[utoipa::path(get, path = "/api/v1/contacts/{id}", tag = "contacts", responses((status = 200, description = "A contact with its approach")))]
async fn get_contact(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let k = contacts::get(&s.app, &a, &id).await.map_err(lang_err(&a))?;
    Ok(Json(contact_json(&k, a.lang)))
}

#[utoipa::path(put, path = "/api/v1/contacts/{id}", request_body = ContactInput, tag = "contacts", responses((status = 200, description = "Updated")))]
async fn update_contact(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ContactInput>,
) -> ApiResult<Json<Value>> {
    let k = contacts::update(&s.app, &a, &id, &input)
        .await
        .map_err(lang_err(&a))?;
    Ok(Json(contact_json(&k, a.lang)))
}

#[utoipa::path(delete, path = "/api/v1/contacts/{id}", tag = "contacts", responses((status = 204, description = "Deleted")))]
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

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
struct TimelineQuery {
    channel: Option<String>,
    direction: Option<String>,
    contact_id: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/customers/{id}/interactions", params(TimelineQuery), tag = "timeline", responses((status = 200, description = "The customer's timeline, newest first")))]
async fn list_interactions(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<TimelineQuery>,
) -> ApiResult<Json<Value>> {
    let f = TimelineFilter {
        channel: q.channel.filter(|x| !x.is_empty()),
        direction: q.direction.filter(|x| !x.is_empty()),
        contact_id: q.contact_id.filter(|x| !x.is_empty()),
        ..Default::default()
    };
    Ok(to_json(
        customers::timeline(&s.app, &a, &id, &f)
            .await
            .map_err(lang_err(&a))?,
    ))
}

#[utoipa::path(post, path = "/api/v1/customers/{id}/interactions", request_body = InteractionInput, tag = "timeline", responses((status = 201, description = "Logged")))]
async fn create_interaction(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<InteractionInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let i = timeline::log(&s.app, &a, &id, &input)
        .await
        .map_err(lang_err(&a))?;
    Ok((StatusCode::CREATED, to_json(i)))
}

#[utoipa::path(get, path = "/api/v1/products", params(ProductQuery), tag = "catalogue", responses((status = 200, description = "A page of products")))]
async fn list_products(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<ProductQuery>,
) -> ApiResult<Json<Value>> {
    Ok(to_json(
        products::list(&s.app, &q).await.map_err(lang_err(&a))?,
    ))
}

#[utoipa::path(post, path = "/api/v1/products", request_body = ProductInput, tag = "catalogue", responses((status = 201, description = "Created")))]
async fn create_product(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<ProductInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    Ok((
        StatusCode::CREATED,
        to_json(
            products::create(&s.app, &a, &input)
                .await
                .map_err(lang_err(&a))?,
        ),
    ))
}

#[utoipa::path(get, path = "/api/v1/products/{id}", tag = "catalogue", responses((status = 200, description = "A product")))]
async fn get_product(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    Ok(to_json(
        products::get(&s.app, &id).await.map_err(lang_err(&a))?,
    ))
}

#[utoipa::path(put, path = "/api/v1/products/{id}", request_body = ProductInput, tag = "catalogue", responses((status = 200, description = "Updated")))]
async fn update_product(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<ProductInput>,
) -> ApiResult<Json<Value>> {
    Ok(to_json(
        products::update(&s.app, &a, &id, &input)
            .await
            .map_err(lang_err(&a))?,
    ))
}

#[utoipa::path(get, path = "/api/v1/categories", tag = "catalogue", responses((status = 200, description = "Product categories")))]
async fn list_categories(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
) -> ApiResult<Json<Value>> {
    Ok(to_json(
        products::categories(&s.app).await.map_err(lang_err(&a))?,
    ))
}

#[utoipa::path(post, path = "/api/v1/categories", request_body = CategoryInput, tag = "catalogue", responses((status = 201, description = "Created")))]
async fn create_category(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<CategoryInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    Ok((
        StatusCode::CREATED,
        to_json(
            products::create_category(&s.app, &a, &input)
                .await
                .map_err(lang_err(&a))?,
        ),
    ))
}

#[utoipa::path(get, path = "/api/v1/orders", params(OrderQuery), tag = "orders", responses((status = 200, description = "A page of orders")))]
async fn list_orders(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<OrderQuery>,
) -> ApiResult<Json<Value>> {
    Ok(to_json(
        orders::list(&s.app, &a, &q).await.map_err(lang_err(&a))?,
    ))
}

#[utoipa::path(post, path = "/api/v1/orders", request_body = OrderInput, tag = "orders", responses((status = 201, description = "Created")))]
async fn create_order(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<OrderInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    Ok((
        StatusCode::CREATED,
        to_json(
            orders::create(&s.app, &a, &input)
                .await
                .map_err(lang_err(&a))?,
        ),
    ))
}

#[utoipa::path(get, path = "/api/v1/orders/{id}", tag = "orders", responses((status = 200, description = "An order with its lines")))]
async fn get_order(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    Ok(to_json(
        orders::view(&s.app, &a, &id).await.map_err(lang_err(&a))?,
    ))
}

#[utoipa::path(put, path = "/api/v1/orders/{id}", request_body = OrderInput, tag = "orders", responses((status = 200, description = "Updated")))]
async fn update_order(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<OrderInput>,
) -> ApiResult<Json<Value>> {
    Ok(to_json(
        orders::update(&s.app, &a, &id, &input)
            .await
            .map_err(lang_err(&a))?,
    ))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
struct PageQuery {
    page: Option<i64>,
    per_page: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/users", params(PageQuery), tag = "users", responses((status = 200, description = "Users (admins: all; managers: their department)")))]
async fn list_users(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<Value>> {
    Ok(to_json(
        users::list(&s.app, Some(&a), huike_app::paging(q.page, q.per_page))
            .await
            .map_err(lang_err(&a))?,
    ))
}

#[utoipa::path(post, path = "/api/v1/users", request_body = UserInput, tag = "users", responses((status = 201, description = "Created")))]
async fn create_user(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<UserInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    Ok((
        StatusCode::CREATED,
        to_json(
            users::create(&s.app, Some(&a), &input)
                .await
                .map_err(lang_err(&a))?,
        ),
    ))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
struct SearchQuery {
    /// Name, pinyin (full or initials), phone (any part from the end), or e-mail.
    q: String,
    page: Option<i64>,
    per_page: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/search", params(SearchQuery), tag = "search", responses((status = 200, description = "Customers and contacts matching the query")))]
async fn search_all(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> ApiResult<Json<Value>> {
    Ok(to_json(
        search::search(&s.app, &a, &q.q, huike_app::paging(q.page, q.per_page))
            .await
            .map_err(lang_err(&a))?,
    ))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
struct TokenInput {
    name: String,
}

#[utoipa::path(get, path = "/api/v1/tokens", tag = "tokens", responses((status = 200, description = "The caller's API tokens (never the secret)")))]
async fn list_tokens(State(s): State<AppState>, ApiActor(a): ApiActor) -> ApiResult<Json<Value>> {
    Ok(to_json(
        huike_app::auth::list_tokens(&s.app, &a)
            .await
            .map_err(lang_err(&a))?,
    ))
}

#[utoipa::path(post, path = "/api/v1/tokens", request_body = TokenInput, tag = "tokens", responses((status = 201, description = "Created; the token is shown this once")))]
async fn create_token(
    State(s): State<AppState>,
    ApiActor(a): ApiActor,
    ApiJson(input): ApiJson<TokenInput>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let (t, plain) = huike_app::auth::create_token(&s.app, &a, &input.name)
        .await
        .map_err(lang_err(&a))?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "id": t.id, "name": t.name, "token": plain })),
    ))
}

#[utoipa::path(post, path = "/api/v1/tokens/{id}/revoke", tag = "tokens", responses((status = 204, description = "Revoked")))]
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

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
struct LoginInput {
    username: String,
    password: String,
}

/// Logs in with a password: sets the session cookie and returns the CSRF token that
/// cookie-authenticated writes must send as `X-CSRF-Token`.
#[utoipa::path(post, path = "/api/v1/session", request_body = LoginInput, tag = "session",
    responses((status = 200, description = "Logged in"), (status = 422, body = crate::problem::Problem), (status = 429, body = crate::problem::Problem)))]
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
    let body = Json(json!({
        "user": { "id": session.actor.user_id, "username": session.actor.username, "role": session.actor.role.code() },
        "csrf_token": session.csrf_token,
    }));
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
    components(schemas(crate::problem::Problem, crate::problem::ProblemField))
)]
pub struct ApiDoc;
