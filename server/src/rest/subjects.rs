//! `/api/v1/customers/{customer_id}` and `/api/v1/phones/{phone}`: a shopper's data rights,
//! for the merchant's own systems (a privacy request handled in their shop): everything held
//! for one customer ID or one phone number, exported or erased (`app::ssr::data_rights`).

use super::error::{ApiError, ErrorBody, FieldProblem};
use super::extract::AuthMerchant;
use app::domain::inputs::CountryCode;
use app::ssr::data_rights::{self, Erased, Subject};
use app::ssr::merchants::MerchantId;
use app::ssr::AppState;
use axum::extract::{Path, State};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

/// What an erasure removed.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErasureResponse {
    /// Consents deleted, with their proofs, history and pending sign-ups.
    pub consents: i64,
    /// Orders whose personal details (names, email, phone, city) were cleared.
    pub orders: i64,
    /// Photos and videos the shopper shared of their orders, deleted with their files.
    pub photos: i64,
}

impl From<Erased> for ErasureResponse {
    fn from(e: Erased) -> Self {
        Self {
            consents: e.consents,
            orders: e.orders,
            photos: e.photos,
        }
    }
}

async fn subject(
    state: &AppState,
    merchant: &MerchantId,
    kind: &str,
    value: &str,
) -> Result<Subject, ApiError> {
    // Phone numbers in the path are E.164 (`+14155552671`); the region only matters for a
    // national number.
    let region = app::ssr::merchant_settings::home_region(state, merchant)
        .await
        .unwrap_or_else(|_| CountryCode::parse("US").expect("a country"));
    Subject::parse(kind, value, region).map_err(|e| {
        let message = match e {
            app::domain::AppError::Invalid { message, .. } => message,
            other => other.to_string(),
        };
        ApiError::invalid_fields(vec![FieldProblem {
            field: kind.to_owned(),
            message,
        }])
    })
}

/// Everything held for one customer ID.
#[utoipa::path(
    get,
    path = "/api/v1/customers/{customer_id}/data",
    tag = "data subjects",
    params(("customer_id" = String, Path, description = "The ecommerce platform's customer ID")),
    responses(
        (status = 200, description = "Orders, consents with their proofs and history", body = Object),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn export_customer(
    State(state): State<AppState>,
    AuthMerchant(merchant): AuthMerchant,
    Path(customer_id): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let subject = subject(&state, &merchant, "customer", &customer_id).await?;
    Ok(Json(
        data_rights::export(&state.db, &merchant, &subject).await?,
    ))
}

/// Erases everything held for one customer ID; a record keeps only a hash of it.
#[utoipa::path(
    delete,
    path = "/api/v1/customers/{customer_id}",
    tag = "data subjects",
    params(("customer_id" = String, Path, description = "The ecommerce platform's customer ID")),
    responses(
        (status = 200, description = "What was erased", body = ErasureResponse),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn erase_customer(
    State(state): State<AppState>,
    AuthMerchant(merchant): AuthMerchant,
    Path(customer_id): Path<String>,
) -> Result<Json<ErasureResponse>, ApiError> {
    let subject = subject(&state, &merchant, "customer", &customer_id).await?;
    let erased = data_rights::erase(&state, &merchant, &subject, state.clock.now_ms()).await?;
    Ok(Json(erased.into()))
}

/// Everything held for one phone number.
#[utoipa::path(
    get,
    path = "/api/v1/phones/{phone}/data",
    tag = "data subjects",
    params(("phone" = String, Path, description = "The phone number, E.164 (`+14155552671`)")),
    responses(
        (status = 200, description = "Orders, consents with their proofs and history", body = Object),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 422, description = "Not a phone number", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn export_phone(
    State(state): State<AppState>,
    AuthMerchant(merchant): AuthMerchant,
    Path(phone): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let subject = subject(&state, &merchant, "phone", &phone).await?;
    Ok(Json(
        data_rights::export(&state.db, &merchant, &subject).await?,
    ))
}

/// Erases everything held for one phone number; a record keeps only a hash of it.
#[utoipa::path(
    delete,
    path = "/api/v1/phones/{phone}",
    tag = "data subjects",
    params(("phone" = String, Path, description = "The phone number, E.164 (`+14155552671`)")),
    responses(
        (status = 200, description = "What was erased", body = ErasureResponse),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 422, description = "Not a phone number", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn erase_phone(
    State(state): State<AppState>,
    AuthMerchant(merchant): AuthMerchant,
    Path(phone): Path<String>,
) -> Result<Json<ErasureResponse>, ApiError> {
    let subject = subject(&state, &merchant, "phone", &phone).await?;
    let erased = data_rights::erase(&state, &merchant, &subject, state.clock.now_ms()).await?;
    Ok(Json(erased.into()))
}
