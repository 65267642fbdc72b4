//! `/api/v1/orders`: create or update an order with its customer and shipments.

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, AuthMerchant};
use super::fields::Fields;
use super::shipments::ShipmentResponse;
use app::domain::inputs::{
    Carrier, CarrierUrl, City, CountryCode, DeliveryDate, Email, ExternalId, PersonName, PhoneE164,
    Postcode, TrackingNumber,
};
use app::domain::ShipmentStatus;
use app::ssr::orders::{self, CustomerInput, OrderInput, OrderRecord, ShipmentInput, WriteError};
use app::ssr::times::rfc3339 as time_string;
use app::ssr::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// At most this many shipments in one order request.
pub const MAX_SHIPMENTS: usize = 50;
/// At most this many product IDs on one order.
pub const MAX_PRODUCTS: usize = 100;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderRequest {
    pub customer: CustomerRequest,
    /// Shipments to create or update; shipments of the order not listed here are kept.
    #[serde(default)]
    pub shipments: Vec<OrderShipmentRequest>,
    /// The order's products as Yotpo Reviews knows them (its product IDs, "domain keys"):
    /// a shopper's approved photo of the order is imported for them. Left out on an update,
    /// the stored ones stay.
    #[schema(example = json!(["SKU-1001"]))]
    pub product_ids: Option<Vec<String>>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerRequest {
    /// The ecommerce platform's customer ID (e.g. the Shopify customer ID).
    #[schema(example = "7781234567")]
    pub id: String,
    #[schema(example = "Ana")]
    pub first_name: Option<String>,
    #[schema(example = "López")]
    pub last_name: Option<String>,
    #[schema(example = "ana@example.com")]
    pub email: Option<String>,
    /// Any common format; parsed with the shipping country as the default region and stored
    /// in E.164.
    #[schema(example = "+1 415 555 2671")]
    pub phone: Option<String>,
    /// ISO 3166-1 alpha-2.
    #[schema(example = "US")]
    pub shipping_country: String,
    #[schema(example = "San Francisco")]
    pub shipping_city: Option<String>,
    /// The shipping address's postal code. Shoppers can find the order by its number and
    /// this, when the merchant's look-up asks for the postcode.
    #[schema(example = "94103")]
    pub shipping_postcode: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderShipmentRequest {
    /// The merchant's own shipment ID, unique per merchant.
    #[schema(example = "1001-1")]
    pub id: String,
    #[schema(example = "UPS")]
    pub carrier: String,
    #[schema(example = "1Z999AA10123456784")]
    pub tracking_number: String,
    /// `YYYY-MM-DD`.
    #[schema(example = "2026-11-27")]
    pub estimated_delivery: Option<String>,
    /// Status before any checkpoint arrives (default `pending`; left out on an update, the
    /// stored one stays). Once checkpoints exist the newest one decides. Accepts the tags
    /// and their usual spellings (`InTransit`).
    #[schema(example = "info_received")]
    pub status: Option<String>,
    /// The carrier's own tracking page for the parcel (http or https); the tracking page
    /// links the tracking number to it.
    #[schema(example = "https://www.ups.com/track?tracknum=1Z999AA10123456784")]
    pub carrier_url: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrderResponse {
    pub id: String,
    pub customer: CustomerResponse,
    pub shipments: Vec<ShipmentResponse>,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerResponse {
    pub id: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    /// E.164.
    pub phone: Option<String>,
    pub shipping_country: String,
    pub shipping_city: Option<String>,
    pub shipping_postcode: Option<String>,
}

impl OrderResponse {
    pub fn from_record(order: OrderRecord, state: &AppState) -> Self {
        Self {
            id: order.external_id,
            customer: CustomerResponse {
                id: order.customer_external_id,
                first_name: order.first_name,
                last_name: order.last_name,
                email: order.email,
                phone: order.phone_e164,
                shipping_country: order.shipping_country,
                shipping_city: order.shipping_city,
                shipping_postcode: order.shipping_postcode,
            },
            shipments: order
                .shipments
                .into_iter()
                .map(|s| ShipmentResponse::from_record(s, state))
                .collect(),
            created_at: time_string(order.created_at_ms),
            updated_at: time_string(order.updated_at_ms),
        }
    }
}

fn parse_order(order_id: &str, body: &OrderRequest) -> Result<OrderInput, ApiError> {
    let mut f = Fields::default();
    let external_id = f.req("order_id", ExternalId::parse(order_id));
    let c = &body.customer;
    let country = f.req(
        "customer.shipping_country",
        CountryCode::parse(&c.shipping_country),
    );
    let customer_id = f.req("customer.id", ExternalId::parse(&c.id));
    let first_name = f.opt(
        "customer.first_name",
        c.first_name.as_deref(),
        PersonName::parse,
    );
    let last_name = f.opt(
        "customer.last_name",
        c.last_name.as_deref(),
        PersonName::parse,
    );
    let email = f.opt("customer.email", c.email.as_deref(), Email::parse);
    let phone = f.opt("customer.phone", c.phone.as_deref(), |p| {
        PhoneE164::parse(p, country)
    });
    let city = f.opt(
        "customer.shipping_city",
        c.shipping_city.as_deref(),
        City::parse,
    );
    let postcode = f.opt(
        "customer.shipping_postcode",
        c.shipping_postcode.as_deref(),
        Postcode::parse,
    );

    if let Some(products) = &body.product_ids {
        if products.len() > MAX_PRODUCTS {
            f.problem(
                "product_ids",
                format!("must list at most {MAX_PRODUCTS} products"),
            );
        }
        if products
            .iter()
            .any(|p| p.trim().is_empty() || p.len() > 100 || p.chars().any(char::is_control))
        {
            f.problem(
                "product_ids",
                "each must be 1 to 100 characters, without control characters",
            );
        }
    }
    if body.shipments.len() > MAX_SHIPMENTS {
        f.problem(
            "shipments",
            format!("must list at most {MAX_SHIPMENTS} shipments"),
        );
    }
    let mut shipments = Vec::with_capacity(body.shipments.len());
    let mut seen = std::collections::HashSet::new();
    for (i, s) in body.shipments.iter().enumerate() {
        let at = |name: &str| format!("shipments[{i}].{name}");
        let id = f.req(at("id"), ExternalId::parse(&s.id));
        if let Some(id) = &id {
            if !seen.insert(id.as_str().to_owned()) {
                f.problem(at("id"), "appears twice in this request");
            }
        }
        let carrier = f.req(at("carrier"), Carrier::parse(&s.carrier));
        let tracking_number = f.req(
            at("tracking_number"),
            TrackingNumber::parse(&s.tracking_number),
        );
        let estimated_delivery = f.opt(
            at("estimated_delivery"),
            s.estimated_delivery.as_deref(),
            DeliveryDate::parse,
        );
        let status = f.opt(at("status"), s.status.as_deref(), |v| {
            ShipmentStatus::parse(v).map_err(|e| e.to_string())
        });
        let carrier_url = f.opt(
            at("carrier_url"),
            s.carrier_url.as_deref(),
            CarrierUrl::parse,
        );
        if let (Some(external_id), Some(carrier), Some(tracking_number)) =
            (id, carrier, tracking_number)
        {
            shipments.push(ShipmentInput {
                external_id,
                carrier,
                tracking_number,
                estimated_delivery,
                status,
                carrier_url,
            });
        }
    }
    f.finish()?;
    Ok(OrderInput {
        external_id: external_id.expect("checked"),
        customer: CustomerInput {
            external_id: customer_id.expect("checked"),
            first_name,
            last_name,
            email,
            phone,
            country: country.expect("checked"),
            city,
            postcode,
        },
        shipments,
        product_ids: body
            .product_ids
            .as_ref()
            .map(|ids| ids.iter().map(|p| p.trim().to_owned()).collect()),
    })
}

/// Create or update an order
///
/// Idempotent on the order ID (and each shipment ID): sending the same request again leaves
/// the same order, shipments and tracking links (only `updated_at` moves). The customer's
/// fields are replaced; listed shipments are created or replaced (their tracking links never
/// change); unlisted shipments are kept. All or nothing: on any error nothing is written.
#[utoipa::path(
    put,
    path = "/api/v1/orders/{order_id}",
    tag = "orders",
    params(("order_id" = String, Path, description = "The merchant's own order ID")),
    request_body = OrderRequest,
    responses(
        (status = 201, description = "Order created", body = OrderResponse),
        (status = 200, description = "Order updated", body = OrderResponse),
        (status = 400, description = "Malformed JSON or a field of the wrong type", body = ErrorBody),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 409, description = "A shipment ID belongs to another order", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Body is not JSON", body = ErrorBody),
        (status = 422, description = "A field is invalid", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn put_order(
    State(state): State<AppState>,
    AuthMerchant(merchant): AuthMerchant,
    Path(order_id): Path<String>,
    ApiJson(body): ApiJson<OrderRequest>,
) -> Result<(StatusCode, Json<OrderResponse>), ApiError> {
    let input = parse_order(&order_id, &body)?;
    let now = state.clock.now_ms();
    match orders::upsert_order(&state.db, &merchant, &input, now).await {
        Ok(done) => {
            tracing::info!(
                order = %input.external_id,
                created = done.created,
                shipments = input.shipments.len(),
                events = done.events_queued,
                "order upserted"
            );
            if done.events_queued > 0 {
                state.jobs_wake.notify_one();
            }
            let status = if done.created {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            Ok((status, Json(OrderResponse::from_record(done.order, &state))))
        }
        Err(WriteError::ShipmentOfOtherOrder {
            index, other_order, ..
        }) => Err(ApiError::conflict(
            format!("shipments[{index}].id"),
            format!("this shipment ID already belongs to order {other_order}"),
        )),
        Err(WriteError::ShipmentNotFound) => Err(ApiError::not_found("shipment")),
        Err(WriteError::Other(e)) => Err(ApiError::internal(e)),
    }
}

/// Read an order
#[utoipa::path(
    get,
    path = "/api/v1/orders/{order_id}",
    tag = "orders",
    params(("order_id" = String, Path, description = "The merchant's own order ID")),
    responses(
        (status = 200, description = "The order with its shipments", body = OrderResponse),
        (status = 401, description = "Missing or invalid API key", body = ErrorBody),
        (status = 404, description = "No such order for this merchant", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
pub async fn get_order(
    State(state): State<AppState>,
    AuthMerchant(merchant): AuthMerchant,
    Path(order_id): Path<String>,
) -> Result<Json<OrderResponse>, ApiError> {
    let order = orders::get_order(&state.db, &merchant, &order_id)
        .await?
        .ok_or_else(|| ApiError::not_found("order"))?;
    Ok(Json(OrderResponse::from_record(order, &state)))
}
