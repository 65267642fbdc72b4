//! AfterShip tracking webhooks (`tracking_update`): `{event, event_id, ts, msg}` where `msg`
//! is the Tracking with its `checkpoints` (docs/ingest-sources.md §4).
//!
//! - Signature: `aftership-hmac-sha256`, base64 of HMAC-SHA256 over the raw body, keyed
//!   with the webhook secret (Settings → Webhooks in AfterShip).
//! - A delivery's ID: `event_id`.
//! - The parcel is the merchant's shipment with the tracking number (and the carrier's
//!   `slug`); checkpoints map by their `tag` (one without is a scan on the way).

use super::update::{Scan, Update};
use super::{base64_hmac_matches, Delivery};
use crate::domain::ShipmentStatus;
use http::HeaderMap;
use serde::Deserialize;

const SIGNATURE: &str = "aftership-hmac-sha256";

pub fn verify(secret: &str, headers: &HeaderMap, body: &[u8]) -> bool {
    base64_hmac_matches(SIGNATURE, secret, headers, body)
}

#[derive(Deserialize)]
struct Envelope {
    event: Option<String>,
    event_id: Option<String>,
    /// When AfterShip sent it (Unix seconds).
    ts: Option<i64>,
    msg: Option<Tracking>,
}

#[derive(Deserialize)]
struct Tracking {
    tracking_number: Option<String>,
    slug: Option<String>,
    /// The tracking's own status (`Expired` has no checkpoint of its own).
    tag: Option<String>,
    #[serde(default)]
    checkpoints: Vec<Checkpoint>,
}

#[derive(Deserialize)]
struct Checkpoint {
    checkpoint_time: Option<String>,
    message: Option<String>,
    tag: Option<String>,
    city: Option<String>,
    state: Option<String>,
    // The country's field is named by the webhook's version.
    country_region: Option<String>,
    country_iso3: Option<String>,
}

pub fn delivery(body: &str) -> Result<Delivery, String> {
    let envelope: Envelope =
        serde_json::from_str(body).map_err(|e| format!("not an AfterShip webhook: {e}"))?;
    Ok(Delivery {
        topic: envelope
            .event
            .filter(|e| !e.is_empty())
            .ok_or("the webhook has no event")?,
        key: envelope
            .event_id
            .filter(|id| !id.is_empty() && id.len() <= 200)
            .ok_or("the webhook has no event_id")?,
    })
}

/// What a webhook says.
pub fn read(topic: &str, body: &str) -> Result<Update, String> {
    if topic != "tracking_update" {
        return Ok(Update::Nothing(format!("event {topic} is not read")));
    }
    let envelope: Envelope =
        serde_json::from_str(body).map_err(|e| format!("not an AfterShip webhook: {e}"))?;
    let tracking = envelope.msg.ok_or("the webhook has no msg")?;
    let tracking_number = tracking
        .tracking_number
        .filter(|n| !n.trim().is_empty())
        .ok_or("the tracking has no tracking_number")?;
    let expired = (tracking.tag.as_deref() == Some("Expired"))
        .then_some(envelope.ts)
        .flatten()
        .and_then(|ts| time::OffsetDateTime::from_unix_timestamp(ts).ok())
        .and_then(|at| {
            at.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .map(|at| Scan {
            at,
            status: Some(ShipmentStatus::Expired),
            message: "The carrier has stopped updating this shipment".into(),
            location: None,
        });
    let scans = tracking
        .checkpoints
        .into_iter()
        .filter_map(|c| {
            let location = [c.city, c.state, c.country_region.or(c.country_iso3)]
                .into_iter()
                .flatten()
                .filter(|s| !s.trim().is_empty())
                .collect::<Vec<_>>()
                .join(", ");
            Some(Scan {
                at: c.checkpoint_time?,
                // An untagged checkpoint is a scan on the way.
                status: status_of(c.tag.as_deref().unwrap_or("InTransit")),
                message: c.message.unwrap_or_default(),
                location: (!location.is_empty()).then_some(location),
            })
        })
        .chain(expired)
        .collect();
    Ok(Update::Tracking {
        carrier: tracking.slug,
        tracking_number,
        scans,
    })
}

/// AfterShip's tags are Tracklight's nine (its `InTransit` is `in_transit`); a tag it adds
/// is `None` (the shipment keeps its status), and logged.
pub fn status_of(tag: &str) -> Option<ShipmentStatus> {
    ShipmentStatus::parse(tag)
        .map_err(|_| {
            tracing::warn!(tag, "an unknown AfterShip tag: the shipment keeps its own");
        })
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tracking_update_reads_its_checkpoints() {
        let body = r##"{"event":"tracking_update","event_id":"94dadd60","ts":1712741696,
            "msg":{"tracking_number":"61293150000079650811","slug":"fedex","tag":"OutForDelivery",
            "checkpoints":[{"checkpoint_time":"2026-11-24T08:52:00-05:00",
              "message":"On FedEx vehicle for delivery","tag":"OutForDelivery","city":"MEMPHIS",
              "state":"TN","country_region":"USA"},
              {"checkpoint_time":"2026-11-23T08:52:00-05:00","message":"Left origin"}]}}"##;
        assert_eq!(delivery(body).unwrap().key, "94dadd60");
        let Update::Tracking { scans, carrier, .. } = read("tracking_update", body).unwrap() else {
            panic!("a tracking update");
        };
        assert_eq!(carrier.as_deref(), Some("fedex"));
        assert_eq!(scans[0].status, Some(ShipmentStatus::OutForDelivery));
        assert_eq!(scans[0].location.as_deref(), Some("MEMPHIS, TN, USA"));
        assert_eq!(scans[1].status, Some(ShipmentStatus::InTransit), "untagged");
        assert_eq!(status_of("AttemptFail"), Some(ShipmentStatus::AttemptFail));
        assert_eq!(status_of("Mystery"), None);
    }
}
