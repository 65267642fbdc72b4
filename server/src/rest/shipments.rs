//! `/api/v1/shipments`: read a shipment, append tracking checkpoints.

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, AuthMerchant};
use super::fields::Fields;
use app::domain::inputs::{CheckpointMessage, CheckpointTime, Location};
use app::domain::ShipmentStatus;
use app::ssr::orders::{self, CheckpointInput, ShipmentRecord, WriteError};
use app::ssr::times::rfc3339 as time_string;
use app::ssr::AppState;
use axum::extract::{Path, State};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// At most this many checkpoints in one request.
pub const MAX_CHECKPOINTS: usize = 100;

#[derive(Debug, Serialize, ToSchema)]
pub struct ShipmentResponse {
    pub id: String,
    pub order_id: String,
    pub carrier: String,
    pub tracking_number: String,
    /// `YYYY-MM-DD`.
    pub estimated_delivery: Option<String>,
    /// The newest checkpoint's status, or the declared one before any checkpoint.
    pub status: ShipmentStatus,
    /// The shopper's tracking page. Unguessable; stable for the shipment's life.
    pub tracking_url: String,
    /// The carrier's own tracking page, when it was given.
    pub carrier_url: Option<String>,
    pub checkpoint_count: i64,
    pub created_at: String,
    pub updated_at: String,
}

impl ShipmentResponse {
    pub fn from_record(s: ShipmentRecord, state: &AppState) -> Self {
        Self {
            tracking_url: state.public_url.tracking_url(&s.token),
            id: s.external_id,
            order_id: s.order_external_id,
            carrier: s.carrier,
            tracking_number: s.tracking_number,
            carrier_url: s.carrier_url,
            estimated_delivery: s.estimated_delivery,
            status: s.status,
            checkpoint_count: s.checkpoint_count,
            created_at: time_string(s.created_at_ms),
            updated_at: time_string(s.updated_at_ms),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckpointsRequest {
    /// 1 to 100 checkpoints, in any order.
    pub checkpoints: Vec<CheckpointRequest>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckpointRequest {
    /// RFC 3339 with the offset of the place it happened.
    #[schema(example = "2026-11-24T14:05:00-08:00")]
    pub time: String,
    #[schema(example = "Oakland, CA, US")]
    pub location: Option<String>,
    #[schema(example = "Arrived at facility")]
    pub message: String,
    /// One of the normalised tags (or its usual spelling, e.g. `InTransit`).
    #[schema(example = "in_transit")]
    pub status: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CheckpointsResponse {
    /// Checkpoints stored by this call.
    pub inserted: usize,
    /// Checkpoints that were already stored (same time, status, location and message).
    pub duplicates: usize,
    pub shipment: ShipmentResponse,
}

fn parse_checkpoints(body: &CheckpointsRequest) -> Result<Vec<CheckpointInput>, ApiError> {
    let mut f = Fields::default();
    if body.checkpoints.is_empty() || body.checkpoints.len() > MAX_CHECKPOINTS {
        f.problem(
            "checkpoints",
            format!("must list 1 to {MAX_CHECKPOINTS} checkpoints"),
        );
    }
    let mut out = Vec::with_capacity(body.checkpoints.len());
    for (i, c) in body.checkpoints.iter().enumerate() {
        let at = |name: &str| format!("checkpoints[{i}].{name}");
        let time = f.req(at("time"), CheckpointTime::parse(&c.time));
        let location = f.opt(at("location"), c.location.as_deref(), Location::parse);
        let message = f.req(at("message"), CheckpointMessage::parse(&c.message));
        let status = f.req(
            at("status"),
            ShipmentStatus::parse(&c.status).map_err(|e| e.to_string()),
        );
        if let (Some(at), Some(message), Some(status)) = (time, message, status) {
            out.push(CheckpointInput {
                at,
                location,
                message,
                status,
            });
        }
    }
    f.finish()?;
    Ok(out)
}

/// Read a shipment
#[utoipa::path(
    get,
    path = "/api/v1/shipments/{shipment_id}",
    tag = "shipments",
    params(("shipment_id" = String, Path, description = "The merchant's own shipment ID")),
    responses(
        (status = 200, description = "The shipment", body = ShipmentResponse),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 404, description = "No such shipment for this merchant", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn get_shipment(
    State(state): State<AppState>,
    AuthMerchant(merchant): AuthMerchant,
    Path(shipment_id): Path<String>,
) -> Result<Json<ShipmentResponse>, ApiError> {
    let shipment = orders::get_shipment(&state.db, &merchant, &shipment_id)
        .await?
        .ok_or_else(|| ApiError::not_found("shipment"))?;
    Ok(Json(ShipmentResponse::from_record(shipment, &state)))
}

/// Append tracking checkpoints
///
/// Idempotent: a checkpoint with the same time, status, location and message as a stored one
/// is counted in `duplicates` and not stored again, so a retried request is harmless. The
/// shipment's status becomes the status of its newest checkpoint. All or nothing.
#[utoipa::path(
    post,
    path = "/api/v1/shipments/{shipment_id}/checkpoints",
    tag = "shipments",
    params(("shipment_id" = String, Path, description = "The merchant's own shipment ID")),
    request_body = CheckpointsRequest,
    responses(
        (status = 200, description = "Checkpoints stored", body = CheckpointsResponse),
        (status = 400, description = "Malformed JSON or a field of the wrong type", body = ErrorBody),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 404, description = "No such shipment for this merchant", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Body is not JSON", body = ErrorBody),
        (status = 422, description = "A field is invalid", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn post_checkpoints(
    State(state): State<AppState>,
    AuthMerchant(merchant): AuthMerchant,
    Path(shipment_id): Path<String>,
    ApiJson(body): ApiJson<CheckpointsRequest>,
) -> Result<Json<CheckpointsResponse>, ApiError> {
    let checkpoints = parse_checkpoints(&body)?;
    let now = state.clock.now_ms();
    let appended =
        match orders::append_checkpoints(&state.db, &merchant, &shipment_id, &checkpoints, now)
            .await
        {
            Ok(a) => a,
            Err(WriteError::ShipmentNotFound) => return Err(ApiError::not_found("shipment")),
            Err(WriteError::ShipmentOfOtherOrder { .. }) => {
                return Err(ApiError::internal(anyhow::anyhow!(
                    "unexpected shipment conflict"
                )))
            }
            Err(WriteError::Other(e)) => return Err(ApiError::internal(e)),
        };
    tracing::info!(
        shipment = %shipment_id,
        inserted = appended.inserted,
        duplicates = appended.duplicates,
        events = appended.events_queued,
        "checkpoints appended"
    );
    if appended.events_queued > 0 {
        state.jobs_wake.notify_one();
    }
    let shipment = orders::get_shipment(&state.db, &merchant, &shipment_id)
        .await?
        .ok_or_else(|| ApiError::not_found("shipment"))?;
    Ok(Json(CheckpointsResponse {
        inserted: appended.inserted,
        duplicates: appended.duplicates,
        shipment: ShipmentResponse::from_record(shipment, &state),
    }))
}
