//! EasyPost tracker events (`tracker.created`, `tracker.updated`): an Event object whose
//! `result` is the Tracker, with its `tracking_details` (docs/ingest-sources.md §2).
//!
//! - Signature: `X-Hmac-Signature: hmac-sha256-hex={hex}`, HMAC-SHA256 over the raw body,
//!   keyed with the webhook secret NFKD-normalised (as EasyPost's own client libraries
//!   check it).
//! - A delivery's ID: the event's `id` (`evt_…`).
//! - The parcel is the merchant's shipment with the tracker's tracking code (and carrier).

use super::update::{Scan, Update};
use super::{hmac_sha256, same_bytes, Delivery};
use crate::domain::ShipmentStatus;
use http::HeaderMap;
use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;

const SIGNATURE: &str = "x-hmac-signature";
const PREFIX: &str = "hmac-sha256-hex=";

pub fn verify(secret: &str, headers: &HeaderMap, body: &[u8]) -> bool {
    let Some(given) = headers
        .get(SIGNATURE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().strip_prefix(PREFIX))
        .and_then(|v| hex::decode(v.to_ascii_lowercase()).ok())
    else {
        return false;
    };
    let key: String = secret.nfkd().collect();
    same_bytes(&hmac_sha256(key.as_bytes(), body), &given)
}

#[derive(Deserialize)]
struct Event {
    id: Option<String>,
    description: Option<String>,
    result: Option<Tracker>,
}

#[derive(Deserialize)]
struct Tracker {
    tracking_code: Option<String>,
    carrier: Option<String>,
    status: Option<String>,
    updated_at: Option<String>,
    #[serde(default)]
    tracking_details: Vec<Detail>,
}

#[derive(Deserialize)]
struct Detail {
    datetime: Option<String>,
    message: Option<String>,
    status: Option<String>,
    tracking_location: Option<Place>,
}

#[derive(Deserialize)]
struct Place {
    city: Option<String>,
    state: Option<String>,
    country: Option<String>,
}

pub fn delivery(body: &str) -> Result<Delivery, String> {
    let event: Event =
        serde_json::from_str(body).map_err(|e| format!("not an EasyPost event: {e}"))?;
    Ok(Delivery {
        topic: event
            .description
            .filter(|d| !d.is_empty())
            .ok_or("the event has no description")?,
        key: event
            .id
            .filter(|id| !id.is_empty() && id.len() <= 200)
            .ok_or("the event has no id")?,
    })
}

/// What an event says.
pub fn read(topic: &str, body: &str) -> Result<Update, String> {
    if !topic.starts_with("tracker.") {
        return Ok(Update::Nothing(format!("event {topic} is not read")));
    }
    let event: Event =
        serde_json::from_str(body).map_err(|e| format!("not an EasyPost event: {e}"))?;
    let tracker = event.result.ok_or("the event has no tracker")?;
    let tracking_number = tracker
        .tracking_code
        .filter(|c| !c.trim().is_empty())
        .ok_or("the tracker has no tracking code")?;
    let mut scans: Vec<Scan> = tracker
        .tracking_details
        .into_iter()
        .filter_map(|d| {
            let location = d.tracking_location.map(|p| {
                [p.city, p.state, p.country]
                    .into_iter()
                    .flatten()
                    .filter(|s| !s.trim().is_empty())
                    .collect::<Vec<_>>()
                    .join(", ")
            });
            Some(Scan {
                at: d.datetime?,
                status: d.status.as_deref().and_then(status_of),
                message: d.message.unwrap_or_default(),
                location: location.filter(|l| !l.is_empty()),
            })
        })
        .collect();
    // A tracker with no details yet still says where it is.
    if scans.is_empty() {
        if let (Some(status), Some(at)) = (tracker.status, tracker.updated_at) {
            scans.push(Scan {
                at,
                status: status_of(&status),
                message: String::new(),
                location: None,
            });
        }
    }
    Ok(Update::Tracking {
        carrier: tracker.carrier,
        tracking_number,
        scans,
    })
}

/// EasyPost's tracker statuses as Tracklight's. `return_to_sender`, `failure`, `cancelled`
/// and `error` are exceptions; `unknown` and a value EasyPost adds are `None` (the shipment
/// keeps its status; the latter is logged).
pub fn status_of(raw: &str) -> Option<ShipmentStatus> {
    Some(match raw.trim().to_ascii_lowercase().as_str() {
        "unknown" => return None,
        "pre_transit" => ShipmentStatus::InfoReceived,
        "in_transit" => ShipmentStatus::InTransit,
        "out_for_delivery" => ShipmentStatus::OutForDelivery,
        "available_for_pickup" => ShipmentStatus::AvailableForPickup,
        "delivered" => ShipmentStatus::Delivered,
        "return_to_sender" | "failure" | "cancelled" | "canceled" | "error" => {
            ShipmentStatus::Exception
        }
        other => {
            tracing::warn!(
                status = other,
                "an unknown EasyPost status: the shipment keeps its own"
            );
            return None;
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_is_prefixed_hex_under_the_normalised_secret() {
        let body = br#"{"id":"evt_1"}"#;
        // "ﬁ" (a ligature) is "fi" once NFKD-normalised.
        let sig = format!("{PREFIX}{}", hex::encode(hmac_sha256(b"fix", body)));
        let mut headers = HeaderMap::new();
        headers.insert(SIGNATURE, sig.parse().unwrap());
        assert!(verify("fix", &headers, body));
        assert!(verify("\u{FB01}x", &headers, body));
        assert!(!verify("fiy", &headers, body));
    }

    #[test]
    fn a_tracker_reads_as_scans_of_its_tracking_code() {
        let body = r#"{"id":"evt_1","description":"tracker.updated","result":{
            "tracking_code":"9400100000000000000000","carrier":"USPS","status":"out_for_delivery",
            "tracking_details":[{"datetime":"2026-11-24T14:00:00Z","message":"Arrived",
              "status":"in_transit","tracking_location":{"city":"San Francisco","state":"CA",
              "country":"US","zip":"94107"}}]}}"#;
        assert_eq!(delivery(body).unwrap().key, "evt_1");
        let Update::Tracking {
            tracking_number,
            scans,
            ..
        } = read("tracker.updated", body).unwrap()
        else {
            panic!("a tracking update");
        };
        assert_eq!(tracking_number, "9400100000000000000000");
        assert_eq!(scans[0].location.as_deref(), Some("San Francisco, CA, US"));
        assert_eq!(status_of("cancelled"), Some(ShipmentStatus::Exception));
        assert_eq!(status_of("unknown"), None);
    }
}
