//! Shopify webhooks created in the store's admin (Settings → Notifications → Webhooks), in
//! JSON: `orders/create`, `orders/updated`, `orders/cancelled`, `fulfillments/create`,
//! `fulfillments/update`, `fulfillment_events/create`. Shapes as in Shopify's sample payloads
//! (docs/ingest-sources.md §1.5); only the fields Tracklight needs are read, and a field
//! that is missing or null is simply not known.
//!
//! - Signature: `X-Shopify-Hmac-Sha256`, base64 of HMAC-SHA256 over the raw body, keyed with
//!   the signing secret the admin's webhook page shows.
//! - A delivery's ID: its topic and `X-Shopify-Event-Id` (the same for every delivery of one
//!   change, retries included), else `X-Shopify-Webhook-Id`.
//! - Orders are numbered by their `name` without its `#` (what the shopper reads on the
//!   confirmation); a fulfillment's `name` is its order's name and `.N`. Each tracking number
//!   of a fulfillment is a shipment, `shopify-{fulfillment id}` (then `-2`, `-3`).

use super::update::{CustomerFacts, Parcel, Scan, Update};
use super::{base64_hmac_matches, Delivery};
use crate::domain::ShipmentStatus;
use http::HeaderMap;
use serde::Deserialize;
use serde_json::Value;

const SIGNATURE: &str = "x-shopify-hmac-sha256";

pub fn verify(secret: &str, headers: &HeaderMap, body: &[u8]) -> bool {
    base64_hmac_matches(SIGNATURE, secret, headers, body)
}

pub fn delivery(headers: &HeaderMap, body: &str) -> Result<Delivery, String> {
    serde_json::from_str::<Value>(body).map_err(|e| format!("The body is not JSON: {e}."))?;
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|v| !v.is_empty() && v.len() <= 200)
    };
    let topic = header("x-shopify-topic").ok_or("X-Shopify-Topic is missing.")?;
    // One change's deliveries share the event ID, whatever their topic: a repeat is the same
    // topic and event again.
    let key = header("x-shopify-event-id")
        .map(|id| format!("{topic}:event:{id}"))
        .or_else(|| header("x-shopify-webhook-id").map(|id| format!("{topic}:webhook:{id}")))
        .ok_or("X-Shopify-Webhook-Id is missing.")?;
    Ok(Delivery {
        topic: topic.to_owned(),
        key,
    })
}

/// Shopify's IDs are numbers in JSON; read them as text.
fn id_text(v: &Value) -> Option<String> {
    match v {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        _ => None,
    }
}

#[derive(Deserialize, Default)]
struct Address {
    first_name: Option<String>,
    last_name: Option<String>,
    phone: Option<String>,
    city: Option<String>,
    zip: Option<String>,
    country_code: Option<String>,
}

#[derive(Deserialize)]
struct Customer {
    #[serde(default)]
    id: Value,
    first_name: Option<String>,
    last_name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
}

#[derive(Deserialize)]
struct Fulfillment {
    #[serde(default)]
    id: Value,
    name: Option<String>,
    status: Option<String>,
    shipment_status: Option<String>,
    tracking_company: Option<String>,
    tracking_number: Option<String>,
    #[serde(default)]
    tracking_numbers: Vec<String>,
    tracking_url: Option<String>,
    #[serde(default)]
    tracking_urls: Vec<String>,
    email: Option<String>,
    destination: Option<Address>,
    created_at: Option<String>,
    updated_at: Option<String>,
}

#[derive(Deserialize)]
struct Order {
    name: Option<String>,
    #[serde(default)]
    order_number: Value,
    email: Option<String>,
    phone: Option<String>,
    customer: Option<Customer>,
    shipping_address: Option<Address>,
    cancelled_at: Option<String>,
    #[serde(default)]
    fulfillments: Vec<Fulfillment>,
}

#[derive(Deserialize)]
struct FulfillmentEvent {
    #[serde(default)]
    fulfillment_id: Value,
    status: Option<String>,
    message: Option<String>,
    happened_at: Option<String>,
    created_at: Option<String>,
    city: Option<String>,
    province: Option<String>,
    country: Option<String>,
}

/// What a delivery of `topic` says.
pub fn read(topic: &str, body: &str) -> Result<Update, String> {
    let bad = |e: serde_json::Error| format!("not a {topic} payload: {e}");
    match topic {
        "orders/create"
        | "orders/updated"
        | "orders/cancelled"
        | "orders/fulfilled"
        | "orders/partially_fulfilled" => {
            let order: Order = serde_json::from_str(body).map_err(bad)?;
            Ok(order_update(order))
        }
        "fulfillments/create" | "fulfillments/update" => {
            let f: Fulfillment = serde_json::from_str(body).map_err(bad)?;
            let Some(number) = f
                .name
                .as_deref()
                .and_then(|n| n.rsplit_once('.').map(|(order, _)| order.to_owned()))
            else {
                return Err("the fulfillment has no name (#order.N)".into());
            };
            let address = f.destination.as_ref();
            let customer = CustomerFacts {
                email: f.email.clone(),
                first_name: address.and_then(|a| a.first_name.clone()),
                last_name: address.and_then(|a| a.last_name.clone()),
                phone: address.and_then(|a| a.phone.clone()),
                country: address.and_then(|a| a.country_code.clone()),
                city: address.and_then(|a| a.city.clone()),
                postcode: address.and_then(|a| a.zip.clone()),
                id: None,
            };
            Ok(Update::Order {
                number,
                authoritative: false,
                customer,
                parcels: parcels(&f),
                scans: Vec::new(),
            })
        }
        "fulfillment_events/create" => {
            let e: FulfillmentEvent = serde_json::from_str(body).map_err(bad)?;
            let fulfillment_id =
                id_text(&e.fulfillment_id).ok_or("the event has no fulfillment_id")?;
            let Some(at) = e.happened_at.clone().or(e.created_at.clone()) else {
                return Err("the event has no time".into());
            };
            let raw = e.status.clone().unwrap_or_default();
            let location = [e.city, e.province, e.country]
                .into_iter()
                .flatten()
                .filter(|p| !p.trim().is_empty())
                .collect::<Vec<_>>()
                .join(", ");
            Ok(Update::Fulfillment {
                fulfillment_id,
                scans: vec![Scan {
                    at,
                    status: status_of(&raw),
                    message: e.message.unwrap_or_default(),
                    location: (!location.is_empty()).then_some(location),
                }],
            })
        }
        other => Ok(Update::Nothing(format!("topic {other} is not read"))),
    }
}

fn order_update(order: Order) -> Update {
    let number = order
        .name
        .clone()
        .or_else(|| id_text(&order.order_number))
        .unwrap_or_default();
    let address = order.shipping_address.unwrap_or_default();
    let customer = order.customer.as_ref();
    let facts = CustomerFacts {
        id: customer.and_then(|c| id_text(&c.id)),
        first_name: customer
            .and_then(|c| c.first_name.clone())
            .or(address.first_name.clone()),
        last_name: customer
            .and_then(|c| c.last_name.clone())
            .or(address.last_name.clone()),
        email: order
            .email
            .clone()
            .or_else(|| customer.and_then(|c| c.email.clone())),
        phone: order
            .phone
            .clone()
            .or_else(|| customer.and_then(|c| c.phone.clone()))
            .or(address.phone.clone()),
        country: address.country_code.clone(),
        city: address.city.clone(),
        postcode: address.zip.clone(),
    };
    let scans = order
        .cancelled_at
        .map(|at| Scan {
            at,
            status: Some(ShipmentStatus::Exception),
            message: "Order cancelled".into(),
            location: None,
        })
        .into_iter()
        .collect();
    Update::Order {
        number,
        authoritative: true,
        customer: facts,
        parcels: order
            .fulfillments
            .iter()
            .flat_map(parcels)
            .take(MAX_PARCELS)
            .collect(),
        scans,
    }
}

/// Parcels taken from one delivery (as many as one order request of the REST API takes).
const MAX_PARCELS: usize = 50;

/// One parcel per tracking number of a fulfillment, with what its status says.
fn parcels(f: &Fulfillment) -> Vec<Parcel> {
    let Some(id) = id_text(&f.id) else {
        return Vec::new();
    };
    let mut numbers: Vec<String> = f.tracking_numbers.clone();
    if let Some(n) = &f.tracking_number {
        if !numbers.contains(n) {
            numbers.insert(0, n.clone());
        }
    }
    numbers.retain(|n| !n.trim().is_empty());
    numbers.truncate(MAX_PARCELS);
    let at = f.updated_at.clone().or(f.created_at.clone());
    let declared = f.shipment_status.as_deref().and_then(status_of);
    let mut scans = Vec::new();
    if let (Some("cancelled" | "error" | "failure"), Some(at)) = (f.status.as_deref(), &at) {
        scans.push(Scan {
            at: at.clone(),
            status: Some(ShipmentStatus::Exception),
            message: format!(
                "Fulfillment {}",
                if f.status.as_deref() == Some("cancelled") {
                    "cancelled"
                } else {
                    "failed"
                }
            ),
            location: None,
        });
    }
    // `tracking_urls` pairs with `tracking_numbers` by position.
    let url_for = |number: &str| {
        f.tracking_numbers
            .iter()
            .position(|n| n == number)
            .and_then(|i| f.tracking_urls.get(i).cloned())
            .or_else(|| {
                (f.tracking_number.as_deref() == Some(number))
                    .then(|| f.tracking_url.clone())
                    .flatten()
            })
    };
    numbers
        .into_iter()
        .enumerate()
        .map(|(i, tracking_number)| Parcel {
            carrier_url: url_for(&tracking_number),
            shipment_id: if i == 0 {
                format!("shopify-{id}")
            } else {
                format!("shopify-{id}-{}", i + 1)
            },
            carrier: f.tracking_company.clone(),
            tracking_number,
            declared,
            scans: scans.clone(),
        })
        .collect()
}

/// Shopify's fulfillment event statuses (`FulfillmentEventStatus`, lower case in webhooks)
/// as Tracklight's. `delayed` is still moving (in transit); an unknown value is `None` (the
/// shipment keeps its status), and logged.
pub fn status_of(raw: &str) -> Option<ShipmentStatus> {
    Some(match raw.trim().to_ascii_lowercase().as_str() {
        "label_printed" | "label_purchased" | "confirmed" => ShipmentStatus::InfoReceived,
        "carrier_picked_up" | "in_transit" | "delayed" => ShipmentStatus::InTransit,
        "out_for_delivery" => ShipmentStatus::OutForDelivery,
        "attempted_delivery" => ShipmentStatus::AttemptFail,
        "ready_for_pickup" => ShipmentStatus::AvailableForPickup,
        "delivered" | "picked_up" => ShipmentStatus::Delivered,
        "failure" => ShipmentStatus::Exception,
        other => {
            tracing::warn!(
                status = other,
                "an unknown Shopify status: the shipment keeps its own"
            );
            return None;
        }
    })
}

#[cfg(test)]
mod tests {
    use super::super::hmac_sha256;
    use super::*;
    use base64::Engine;

    #[test]
    fn statuses_map_onto_tracklights() {
        use ShipmentStatus as S;
        assert_eq!(status_of("label_printed"), Some(S::InfoReceived));
        assert_eq!(status_of("attempted_delivery"), Some(S::AttemptFail));
        assert_eq!(status_of("ready_for_pickup"), Some(S::AvailableForPickup));
        assert_eq!(status_of("Delivered"), Some(S::Delivered));
        assert_eq!(
            status_of("something_new"),
            None,
            "the shipment keeps its own"
        );
    }

    #[test]
    fn a_fulfillment_names_its_order_and_one_parcel_per_number() {
        let body = r##"{"id": 255858046, "order_id": 450789469, "name": "#1001.1",
            "status": "success", "shipment_status": "in_transit",
            "tracking_company": "UPS", "tracking_number": "1Z001",
            "tracking_numbers": ["1Z001", "1Z002"], "email": "bob@example.com",
            "destination": {"first_name": "Bob", "city": "Ottawa", "zip": "K2P 1L4",
                            "country_code": "CA", "phone": null},
            "updated_at": "2026-11-24T10:00:00-05:00"}"##;
        let Update::Order {
            number,
            customer,
            parcels,
            ..
        } = read("fulfillments/update", body).unwrap()
        else {
            panic!("an order update");
        };
        assert_eq!(number, "#1001");
        assert_eq!(customer.id, None, "a fulfillment knows no customer ID");
        assert_eq!(customer.postcode.as_deref(), Some("K2P 1L4"));
        let ids: Vec<_> = parcels.iter().map(|p| p.shipment_id.as_str()).collect();
        assert_eq!(ids, ["shopify-255858046", "shopify-255858046-2"]);
        assert_eq!(parcels[1].declared, Some(ShipmentStatus::InTransit));
    }

    #[test]
    fn a_signature_is_base64_hmac_of_the_raw_body() {
        let body = br#"{"id":1}"#;
        let mut headers = HeaderMap::new();
        let good = base64::engine::general_purpose::STANDARD.encode(hmac_sha256(b"s3cret", body));
        headers.insert(SIGNATURE, good.parse().unwrap());
        assert!(verify("s3cret", &headers, body));
        assert!(!verify("other", &headers, body));
        assert!(!verify("s3cret", &headers, br#"{"id":2}"#));
        assert!(!verify("s3cret", &HeaderMap::new(), body));
    }
}
